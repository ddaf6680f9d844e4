"""Reductions: values against NumPy for every dim form, gradients against finite differences,
and the corner cases (ties, zeros in prod, the zero vector in norm, empty inputs)."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import array_shapes

import rlgrad
from core_helpers import SETTINGS, check_gradients, host, leaf, values


def _dims(draw_from, ndim):
    """dim arguments to try for a tensor of `ndim` dims: None, each int, negatives, a tuple."""
    options = [None] + list(range(ndim)) + [-1] if ndim else [None]
    if ndim >= 2:
        options.append((0, -1))
    return st.sampled_from(options)


# name -> (rlgrad reduction(x, dim, keepdim), NumPy reference(x, axis, keepdims), domain,
#          whether empty reduced dims are allowed)
REDUCTIONS = {
    "sum": (lambda x, d, k: x.sum(d, keepdim=k), np.sum, "any", True),
    "mean": (lambda x, d, k: x.mean(d, keepdim=k), np.mean, "any", False),
    "var": (lambda x, d, k: x.var(d, keepdim=k),
            lambda a, axis, keepdims: np.var(a, axis=axis, keepdims=keepdims, ddof=1), "any",
            False),
    "std_correction0": (lambda x, d, k: x.std(d, keepdim=k, correction=0),
                        lambda a, axis, keepdims: np.std(a, axis=axis, keepdims=keepdims),
                        "any", False),
    "amax": (lambda x, d, k: x.amax(d, keepdim=k), np.max, "any", False),
    "amin": (lambda x, d, k: x.amin(d, keepdim=k), np.min, "any", False),
    "prod": (lambda x, d, k: x.prod(d, keepdim=k), np.prod, "nonzero", True),
    "logsumexp": (lambda x, d, k: x.logsumexp(d, keepdim=k),
                  lambda a, axis, keepdims: np.log(np.sum(np.exp(a), axis=axis,
                                                          keepdims=keepdims)), "any", True),
    "norm": (lambda x, d, k: x.norm(dim=d, keepdim=k),
             lambda a, axis, keepdims: np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims)),
             "nonzero", True),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@SETTINGS
@given(data=st.data(), shape=array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3),
       keepdim=st.booleans(), seed=st.integers(0, 2 ** 16))
def test_reduction_values_and_gradients(device, name, data, shape, keepdim, seed):
    function, reference, domain, _ = REDUCTIONS[name]
    dim = data.draw(_dims(st, len(shape)))
    array = values(np.random.default_rng(seed), shape, domain)
    x = leaf(array, device)
    reduced = function(x, dim, keepdim)
    if name in ("var", "std_correction0") and reduced.numel() and \
            array.size // max(reduced.numel(), 1) < 2:
        return  # a single element per group: var is nan (correction 1) or 0, not smooth
    axis = tuple(d % len(shape) for d in ((dim,) if isinstance(dim, int) else dim)) \
        if dim is not None else None

    np.testing.assert_allclose(host(reduced), reference(array, axis=axis, keepdims=keepdim),
                               rtol=1e-12, atol=1e-12)
    check_gradients(lambda t: function(t, dim, keepdim), (x,))


@pytest.mark.parametrize("name", ["sum", "prod", "logsumexp", "norm"])
def test_reductions_over_empty_dims(device, name):
    function, reference, _, _ = REDUCTIONS[name]
    array = np.zeros((2, 0, 3))
    x = leaf(array, device)
    result = function(x, 1, False)
    np.testing.assert_allclose(host(result), reference(array, axis=1, keepdims=False))
    result.sum().backward()
    assert x.grad.shape == (2, 0, 3)


def test_sum_keepdims_negative_axis_alias(device):
    x = leaf(np.arange(6.0).reshape(2, 3), device)
    y = rlgrad.sum(x, axis=-1, keepdims=True)
    assert y.shape == (2, 1) and host(y).tolist() == [[3.0], [12.0]]


def test_amax_splits_gradient_evenly_among_ties(device):
    x = leaf([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], device)
    x.amax(1).sum().backward()
    np.testing.assert_allclose(host(x.grad), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


def test_amin_over_all_elements_splits_ties(device):
    x = leaf([1.0, 5.0, 1.0], device)
    x.amin().backward()
    assert host(x.grad).tolist() == [0.5, 0.0, 0.5]


def test_max_without_dim_is_amax(device):
    x = leaf([4.0, 4.0, 1.0], device)
    y = x.max()
    y.backward()
    assert y.item() == 4.0 and host(x.grad).tolist() == [0.5, 0.5, 0.0]


def test_max_with_dim_returns_values_and_indices(device):
    x = leaf([[1.0, 7.0, 3.0], [9.0, 2.0, 9.0]], device)
    values_, indices = x.max(dim=1)
    assert host(values_).tolist() == [7.0, 9.0]
    assert host(indices).tolist() == [1, 0] and indices.dtype == rlgrad.int64
    result = rlgrad.max(x, 1, keepdim=True)
    assert result.values.shape == (2, 1) and result.indices.shape == (2, 1)
    values_.sum().backward()
    assert host(x.grad).tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]


def test_min_with_dim_gradient_goes_to_the_index(device):
    x = leaf([[3.0, 1.0], [0.0, 5.0]], device)
    result = x.min(0)
    result.values.sum().backward()
    assert host(result.indices).tolist() == [1, 0]
    assert host(x.grad).tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_max_with_tensor_argument_is_elementwise(device):
    a, b = leaf([1.0, 4.0], device), leaf([3.0, 2.0], device)
    assert host(rlgrad.max(a, b)).tolist() == [3.0, 4.0]
    assert host(a.min(b)).tolist() == [1.0, 2.0]


def test_argmax_and_argmin_carry_no_gradient(device):
    x = leaf([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], device)
    assert host(x.argmax()).tolist() == 3
    assert host(x.argmax(dim=1)).tolist() == [1, 0]
    assert host(x.argmin(1, keepdim=True)).tolist() == [[0], [1]]
    assert not x.argmax().requires_grad


def test_prod_gradient_with_one_zero(device):
    x = leaf([2.0, 0.0, 3.0], device)
    x.prod().backward()
    assert host(x.grad).tolist() == [0.0, 6.0, 0.0]


def test_prod_gradient_with_two_zeros_is_zero(device):
    x = leaf([[0.0, 0.0, 3.0], [1.0, 2.0, 3.0]], device)
    x.prod(1).sum().backward()
    assert host(x.grad).tolist() == [[0.0, 0.0, 0.0], [6.0, 3.0, 2.0]]


def test_prod_with_zeros_second_derivative(device):
    x = leaf([[0.0, 0.5, 3.0], [1.5, -2.0, 0.7]], device)
    check_gradients(lambda t: t.prod(1), (x,))
    check_gradients(lambda t: t.prod(), (x,))


def test_norm_gradient_at_zero_vector_is_zero_not_nan(device):
    x = leaf([0.0, 0.0, 0.0], device)
    x.norm().backward()
    assert host(x.grad).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("p", [1, 3, math.inf, -math.inf, "fro"])
def test_norm_other_orders(device, p):
    array = values(np.random.default_rng(3), (2, 3), "nonzero")
    x = leaf(array, device)
    order = 2 if p == "fro" else p
    expected = np.linalg.norm(array.reshape(-1), ord=order)
    np.testing.assert_allclose(host(x.norm(p=p)), expected, rtol=1e-12)
    check_gradients(lambda t: t.norm(p=p, dim=1), (x,))


def test_var_correction_and_unbiased(device):
    x = leaf([1.0, 2.0, 4.0], device)
    np.testing.assert_allclose(host(x.var()), 7 / 3)
    np.testing.assert_allclose(host(x.var(unbiased=False)), 14 / 9)
    np.testing.assert_allclose(host(x.var(correction=2)), 14 / 3)


def test_var_of_one_element_is_nan_like_pytorch(device):
    assert math.isnan(leaf([3.0], device).var().item())


def test_any_and_all(device):
    x = rlgrad.tensor([[0.0, 1.0], [0.0, 0.0]], device=device)
    assert host(x.any()).item() is True
    assert host(x.all()).item() is False
    assert host(x.any(dim=1)).tolist() == [True, False]
    assert host(rlgrad.all(x == 0, 0)).tolist() == [True, False]


def test_reducing_an_out_of_range_dim_raises(device):
    with pytest.raises(IndexError, match="out of range"):
        leaf([1.0], device).sum(2)
