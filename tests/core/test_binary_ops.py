"""Binary elementwise ops on broadcast shapes: values, first and second derivatives, ties,
comparisons, scalars and dtypes."""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import rlgrad
from core_helpers import SETTINGS, check_gradients, host, leaf, values

# name -> (rlgrad function, NumPy reference, domain of a, domain of b)
BINARY = {
    "add": (lambda a, b: a + b, np.add, "any", "any"),
    "sub": (lambda a, b: a - b, np.subtract, "any", "any"),
    "mul": (lambda a, b: a * b, np.multiply, "any", "any"),
    "div": (lambda a, b: a / b, np.divide, "any", "nonzero"),
    "pow": (lambda a, b: a ** b, np.power, "positive", "any"),
    "maximum": (rlgrad.maximum, np.maximum, "nonzero", "any"),
    "minimum": (rlgrad.minimum, np.minimum, "nonzero", "any"),
}

BROADCAST = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=0,
                                          max_side=3)


@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(shapes=BROADCAST, seed=st.integers(0, 2 ** 16))
def test_binary_values_and_gradients_on_broadcast_shapes(device, name, shapes, seed):
    function, reference, domain_a, domain_b = BINARY[name]
    rng = np.random.default_rng(seed)
    shape_a, shape_b = shapes.input_shapes
    array_a, array_b = values(rng, shape_a, domain_a), values(rng, shape_b, domain_b)
    if name in ("maximum", "minimum"):
        array_b = values(rng, shape_b, "nonzero") * 0.1  # never ties with |a| >= 0.3
    a, b = leaf(array_a, device), leaf(array_b, device)

    np.testing.assert_allclose(host(function(a, b)), reference(array_a, array_b), rtol=1e-12)
    check_gradients(function, (a, b))


@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=3, max_dims=3, min_side=0, max_side=3),
       seed=st.integers(0, 2 ** 16))
def test_where_values_and_gradients(device, shapes, seed):
    rng = np.random.default_rng(seed)
    shape_c, shape_a, shape_b = shapes.input_shapes
    condition = rlgrad.tensor(rng.random(shape_c) < 0.5, device=device)
    a, b = leaf(values(rng, shape_a, "any"), device), leaf(values(rng, shape_b, "any"), device)

    expected = np.where(host(condition), host(a), host(b))
    np.testing.assert_array_equal(host(rlgrad.where(condition, a, b)), expected)
    check_gradients(lambda x, y: rlgrad.where(condition, x, y), (a, b))


def test_where_accepts_scalar_branches(device):
    x = leaf([-1.0, 2.0], device)
    y = rlgrad.where(x > 0, x, 0.0)
    y.sum().backward()
    assert host(y).tolist() == [0.0, 2.0]
    assert host(x.grad).tolist() == [0.0, 1.0]


def test_maximum_and_minimum_split_ties_evenly(device):
    a, b = leaf([1.0, 2.0], device), leaf([1.0, 3.0], device)
    rlgrad.maximum(a, b).sum().backward()
    assert host(a.grad).tolist() == [0.5, 0.0]
    assert host(b.grad).tolist() == [0.5, 1.0]
    a.grad = b.grad = None
    rlgrad.minimum(a, b).sum().backward()
    assert host(a.grad).tolist() == [0.5, 1.0]
    assert host(b.grad).tolist() == [0.5, 0.0]


def test_pow_with_tensor_exponent_at_zero_base_has_finite_exponent_gradient(device):
    base, exponent = leaf([0.0, 2.0], device), leaf([2.0, 3.0], device)
    (base ** exponent).sum().backward()
    np.testing.assert_allclose(host(exponent.grad), [0.0, 8.0 * np.log(2.0)])
    np.testing.assert_allclose(host(base.grad), [0.0, 12.0])


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, 0.5, -1.5])
def test_pow_with_scalar_exponent_gradients(device, exponent):
    x = leaf(np.random.default_rng(1).uniform(0.5, 2.0, (2, 3)), device)
    check_gradients(lambda a: a ** exponent, (x,))


def test_scalar_base_pow_gradient(device):
    x = leaf([0.5, -1.0], device)
    check_gradients(lambda a: 2.0 ** a, (x,))


@pytest.mark.parametrize("operation", ["lt", "le", "gt", "ge", "eq", "ne"])
def test_comparisons_give_booleans_and_no_gradient(device, operation):
    a, b = leaf([1.0, 2.0, 3.0], device), leaf([2.0, 2.0, 2.0], device)
    result = getattr(a, f"__{operation}__")(b)
    expected = getattr(np.array([1.0, 2.0, 3.0]), f"__{operation}__")(2.0)
    assert result.dtype == rlgrad.bool
    assert not result.requires_grad
    assert host(result).tolist() == expected.tolist()
    assert host(getattr(a, f"__{operation}__")(2.0)).tolist() == expected.tolist()


@pytest.mark.parametrize("scalar", [2, 2.5, np.float64(2.5), np.int64(2), True])
def test_python_and_numpy_scalars_keep_the_tensor_dtype(device, scalar):
    x = rlgrad.tensor([1.0, 2.0], device=device)
    for result in (x + scalar, scalar * x, x - scalar, x / scalar, x ** scalar, scalar - x):
        assert result.dtype == rlgrad.float32


def test_float64_tensors_stay_float64_through_a_graph(device):
    x = leaf([0.5, 1.5], device)
    y = ((x * 2 + 1).tanh().exp() / 3).sum()
    y.backward()
    assert y.dtype == rlgrad.float64 and x.grad.dtype == rlgrad.float64


def test_integer_tensor_with_float_tensor_promotes_to_the_float_dtype(device):
    ints = rlgrad.tensor([1, 2], device=device)
    floats = leaf([0.5, 0.5], device)
    result = ints * floats
    assert result.dtype == rlgrad.float64
    result.sum().backward()
    assert host(floats.grad).tolist() == [1.0, 2.0]
