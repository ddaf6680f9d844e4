"""Layers and activations: values written out by hand, gradients against finite differences."""

import math

import numpy as np
import pytest

import rlgrad
import rlgrad.nn as nn
import rlgrad.nn.functional as F
from rlgrad.gradcheck import gradcheck


def values(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


def test_linear_computes_x_weight_transpose_plus_bias(device):
    layer = nn.Linear(2, 1).to(device)
    nn.init.constant_(layer.weight, 2.0)
    nn.init.constant_(layer.bias, -1.0)
    out = layer(rlgrad.tensor([[1.0, 3.0]], device=device))
    assert values(out).tolist() == [[7.0]]


def test_linear_default_init_is_bounded_by_one_over_sqrt_fan_in():
    layer = nn.Linear(16, 32)
    assert np.abs(values(layer.weight)).max() <= 0.25
    assert np.abs(values(layer.bias)).max() <= 0.25


@pytest.mark.parametrize("module, expected", [
    (nn.ReLU(), [0.0, 0.0, 2.0]),
    (nn.LeakyReLU(0.1), [-0.1, 0.0, 2.0]),
    (nn.ELU(), [math.expm1(-1.0), 0.0, 2.0]),
    (nn.SiLU(), [-1 / (1 + math.e), 0.0, 2 / (1 + math.exp(-2.0))]),
    (nn.Softplus(), [math.log1p(math.exp(-1.0)), math.log(2.0), math.log1p(math.exp(2.0))]),
    (nn.GELU(), [-0.5 * (1 + math.erf(-1 / math.sqrt(2))), 0.0,
                 2 * 0.5 * (1 + math.erf(2 / math.sqrt(2)))]),
    (nn.Tanh(), [math.tanh(-1.0), 0.0, math.tanh(2.0)]),
    (nn.Sigmoid(), [1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-2.0))]),
], ids=lambda item: type(item).__name__ if isinstance(item, nn.Module) else "")
def test_activation_values(module, expected, device):
    x = rlgrad.tensor([-1.0, 0.0, 2.0], dtype=rlgrad.float64, device=device)
    np.testing.assert_allclose(values(module(x)), expected, rtol=2e-7, atol=1e-12)


def test_gelu_tanh_approximation_value():
    x = rlgrad.tensor([1.0], dtype=rlgrad.float64)
    inner = math.sqrt(2 / math.pi) * (1 + 0.044715)
    expected = 0.5 * (1 + math.tanh(inner))
    np.testing.assert_allclose(values(nn.GELU("tanh")(x)), [expected], rtol=1e-12)


def test_softplus_beta_and_threshold():
    x = rlgrad.tensor([1.0, 30.0], dtype=rlgrad.float64)
    out = values(F.softplus(x, beta=2.0, threshold=20.0))
    np.testing.assert_allclose(out, [math.log1p(math.exp(2.0)) / 2, 30.0], rtol=1e-12)


def test_softplus_is_exact_for_large_inputs():
    x = rlgrad.tensor([-80.0, 100.0], dtype=rlgrad.float32)
    np.testing.assert_allclose(values(F.softplus(x)), [math.exp(-80.0), 100.0], rtol=1e-6)


@pytest.mark.parametrize("function", [
    F.elu, F.leaky_relu, F.gelu, lambda x: F.gelu(x, "tanh"), F.silu, F.softplus,
    lambda x: F.softplus(x, beta=0.5, threshold=1.0),
], ids=["elu", "leaky_relu", "gelu", "gelu_tanh", "silu", "softplus", "softplus_beta"])
def test_activation_gradients_match_finite_differences(function, device):
    x = rlgrad.tensor([[-2.5, -0.3, 0.4], [1.7, 3.0, -0.9]], dtype=rlgrad.float64,
                      device=device, requires_grad=True)
    assert gradcheck(function, (x,))


def test_elu_gradient_does_not_overflow_for_large_inputs():
    x = rlgrad.tensor([1000.0, -1000.0], requires_grad=True)
    F.elu(x).sum().backward()
    assert values(x.grad).tolist() == [1.0, 0.0]


def test_layer_norm_values_by_hand(device):
    layer = nn.LayerNorm(2, eps=0.0).to(device)
    out = layer(rlgrad.tensor([[1.0, 3.0], [-2.0, 2.0]], device=device))
    assert values(out).tolist() == [[-1.0, 1.0], [-1.0, 1.0]]


def test_layer_norm_gradient_matches_finite_differences(device):
    rng = np.random.default_rng(1)
    x = rlgrad.tensor(rng.standard_normal((3, 4)), device=device, requires_grad=True)
    weight = rlgrad.tensor(rng.standard_normal(4), device=device, requires_grad=True)
    bias = rlgrad.tensor(rng.standard_normal(4), device=device, requires_grad=True)
    assert gradcheck(lambda a, w, b: F.layer_norm(a, (4,), w, b), (x, weight, bias))


def test_dropout_is_identity_in_eval_mode(device):
    layer = nn.Dropout(0.5).eval()
    x = rlgrad.ones(100, device=device)
    assert layer(x) is x


def test_dropout_zeroes_and_rescales_in_training(device):
    x = rlgrad.ones(2000, device=device)
    out = values(nn.Dropout(0.25)(x))
    assert set(np.unique(out).tolist()) <= {0.0, float(np.float32(1.0 / 0.75))}
    kept = np.mean(out > 0)
    assert abs(kept - 0.75) < 4 * math.sqrt(0.75 * 0.25 / 2000)


def test_dropout_is_reproducible_from_the_global_seed():
    x = rlgrad.ones(50)
    rlgrad.manual_seed(3)
    first = values(nn.Dropout(0.5)(x))
    rlgrad.manual_seed(3)
    assert np.array_equal(values(nn.Dropout(0.5)(x)), first)


def test_embedding_picks_rows_and_accumulates_repeated_gradients(device):
    table = nn.Embedding(3, 2).to(device)
    table.load_state_dict({"weight": rlgrad.tensor([[0.0, 0.0], [5.0, 6.0], [0.0, 0.0]])})
    indices = rlgrad.tensor([[1, 1], [0, 2]], device=device)
    out = table(indices)
    assert out.shape == (2, 2, 2)
    assert values(out)[0].tolist() == [[5.0, 6.0], [5.0, 6.0]]
    out.sum().backward()
    assert values(table.weight.grad).tolist() == [[1.0, 1.0], [2.0, 2.0], [1.0, 1.0]]


def test_flatten_merges_all_but_the_batch_dim():
    x = rlgrad.zeros(2, 3, 4)
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)


def test_identity_returns_its_input():
    x = rlgrad.zeros(2)
    assert nn.Identity(7, key="ignored")(x) is x


def test_mlp_builds_layers_and_activation_by_name_or_class():
    by_name = nn.MLP(4, 2, hidden=(8, 8), activation="relu")
    by_class = nn.MLP(4, 2, hidden=(8, 8), activation=nn.ReLU)
    for model in (by_name, by_class):
        kinds = [type(m).__name__ for m in model]
        assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert by_name(rlgrad.zeros(5, 4)).shape == (5, 2)


def test_mlp_rejects_an_unknown_activation_name():
    with pytest.raises(ValueError, match="unknown activation 'swishy'"):
        nn.MLP(1, 1, activation="swishy")


def test_mlp_without_hidden_layers_is_one_linear():
    model = nn.MLP(3, 2, hidden=())
    assert [type(m).__name__ for m in model] == ["Linear"]
