"""Unary elementwise ops and activations: values against NumPy / math, first and second
derivatives against finite differences on shapes with size-1 and empty dims."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import array_shapes

import rlgrad
from core_helpers import SETTINGS, check_gradients, host, leaf, values

ERF = np.vectorize(math.erf, otypes=[float])

# name -> (rlgrad function, NumPy reference, domain of the inputs)
UNARY = {
    "abs": (rlgrad.abs, np.abs, "nonzero"),
    "sqrt": (rlgrad.sqrt, np.sqrt, "positive"),
    "exp": (rlgrad.exp, np.exp, "any"),
    "log": (rlgrad.log, np.log, "positive"),
    "log1p": (rlgrad.log1p, np.log1p, "positive"),
    "expm1": (rlgrad.expm1, np.expm1, "any"),
    "sin": (rlgrad.sin, np.sin, "any"),
    "cos": (rlgrad.cos, np.cos, "any"),
    "tanh": (rlgrad.tanh, np.tanh, "any"),
    "sigmoid": (rlgrad.sigmoid, lambda x: 1 / (1 + np.exp(-x)), "any"),
    "erf": (rlgrad.erf, ERF, "any"),
    "softplus": (rlgrad.softplus, lambda x: np.log1p(np.exp(x)), "any"),
    "relu": (rlgrad.relu, lambda x: np.maximum(x, 0), "nonzero"),
    "leaky_relu": (rlgrad.leaky_relu, lambda x: np.where(x > 0, x, 0.01 * x), "nonzero"),
    "elu": (rlgrad.elu, lambda x: np.where(x > 0, x, np.expm1(x)), "nonzero"),
    "gelu": (rlgrad.gelu, lambda x: x * (1 + ERF(x / math.sqrt(2))) / 2, "any"),
    "gelu_tanh": (lambda x: rlgrad.gelu(x, approximate="tanh"),
                  lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi)
                                                   * (x + 0.044715 * x ** 3))), "any"),
    "silu": (rlgrad.silu, lambda x: x / (1 + np.exp(-x)), "any"),
    "clamp": (lambda x: rlgrad.clamp(x, -0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5),
              "off_half"),
    "neg": (rlgrad.neg, np.negative, "any"),
}

SHAPES = array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)


@pytest.mark.parametrize("name", sorted(UNARY))
@SETTINGS
@given(shape=SHAPES, seed=st.integers(0, 2 ** 16))
def test_unary_values_and_gradients(device, name, shape, seed):
    function, reference, domain = UNARY[name]
    array = values(np.random.default_rng(seed), shape, domain)
    x = leaf(array, device)

    np.testing.assert_allclose(host(function(x)), reference(array), rtol=1e-12, atol=1e-14)
    check_gradients(function, (x,))


def test_method_forms_match_functions(device):
    x = leaf([0.7, -1.3], device)
    for name in ("abs", "sqrt", "exp", "log1p", "expm1", "sin", "cos", "tanh", "sigmoid",
                 "erf", "softplus", "relu", "leaky_relu", "elu", "gelu", "silu", "sign"):
        positive = x.abs()
        assert np.array_equal(host(getattr(positive, name)()),
                              host(getattr(rlgrad, name)(positive))), name


def test_erf_matches_math_erf_to_float64_precision():
    grid = np.linspace(-7, 7, 20001)
    got = host(rlgrad.erf(rlgrad.tensor(grid)))
    expected = np.array([math.erf(value) for value in grid])
    assert np.max(np.abs(got - expected)) < 5e-15


def test_softplus_is_finite_and_linear_for_large_inputs(device):
    x = leaf([1000.0, -1000.0, 30.0], device)
    y = rlgrad.softplus(x)
    y.sum().backward()
    np.testing.assert_allclose(host(y), [1000.0, 0.0, 30.0], atol=1e-12)
    np.testing.assert_allclose(host(x.grad), [1.0, 0.0, 1.0], atol=1e-12)


def test_softplus_beta_and_threshold_follow_pytorch(device):
    x = leaf([0.5, 3.0], device)
    y = rlgrad.softplus(x, beta=2.0, threshold=4.0)
    # 2 * 0.5 = 1 <= 4: log(1 + e^1) / 2; 2 * 3 = 6 > 4: the input itself.
    np.testing.assert_allclose(host(y), [math.log1p(math.e) / 2, 3.0], rtol=1e-14)


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="approximate"):
        rlgrad.gelu(rlgrad.tensor([1.0]), approximate="fast")


def test_relu_and_abs_pass_zero_gradient_at_the_kink(device):
    for function in (rlgrad.relu, rlgrad.abs):
        x = leaf([0.0, 0.0], device)
        function(x).sum().backward()
        assert host(x.grad).tolist() == [0.0, 0.0]


def test_clamp_passes_zero_gradient_where_input_equals_a_bound(device):
    x = leaf([-1.0, -0.5, 0.0, 0.5, 1.0], device)
    x.clamp(-0.5, 0.5).sum().backward()
    assert host(x.grad).tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]


def test_clamp_with_only_one_bound(device):
    x = leaf([-1.0, 2.0], device)
    assert host(x.clamp(min=0.0)).tolist() == [0.0, 2.0]
    assert host(x.clip(max=0.0)).tolist() == [-1.0, 0.0]


def test_clamp_with_tensor_bounds_routes_gradient_to_the_chosen_operand(device):
    x = leaf([-2.0, 0.0, 2.0], device)
    low = leaf([-1.0, -1.0, -1.0], device)
    high = leaf([1.0], device)
    y = rlgrad.clamp(x, low, high)
    (y * leaf([1.0, 2.0, 3.0], device, requires_grad=False)).sum().backward()
    assert host(y).tolist() == [-1.0, 0.0, 1.0]
    assert host(x.grad).tolist() == [0.0, 2.0, 0.0]
    assert host(low.grad).tolist() == [1.0, 0.0, 0.0]
    assert host(high.grad).tolist() == [3.0]


@SETTINGS
@given(seed=st.integers(0, 2 ** 16))
def test_clamp_with_broadcast_tensor_bounds_gradcheck(device, seed):
    rng = np.random.default_rng(seed)
    x = leaf(values(rng, (2, 3), "nonzero"), device)
    low = leaf(rng.uniform(-2.5, -2.1, (3,)), device)
    high = leaf(x.detach().cpu().numpy()[:1] + rng.choice([-0.2, 0.2], (1, 3)), device)
    check_gradients(lambda a, b, c: rlgrad.clamp(a, b, c), (x, low, high))


def test_sign_has_zero_gradient(device):
    x = leaf([-2.0, 0.0, 3.0], device)
    y = x.sign()
    y.sum().backward()
    assert host(y).tolist() == [-1.0, 0.0, 1.0]
    assert host(x.grad).tolist() == [0.0, 0.0, 0.0]


def test_integer_input_to_transcendental_function_computes_in_float32(device):
    x = rlgrad.tensor([1, 4], device=device)
    assert x.sqrt().dtype == rlgrad.float32


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid"])
def test_activation_under_no_grad_matches_the_recorded_op(device, name):
    x = rlgrad.tensor([[-1.5, 0.0, 2.0]], device=device)
    recorded = getattr(x, name)()
    with rlgrad.no_grad():
        fast = getattr(x, name)()
    assert fast.grad_fn is None
    np.testing.assert_array_equal(host(fast), host(recorded))
