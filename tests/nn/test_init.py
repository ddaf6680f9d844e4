"""rlgrad.nn.init: bounds, spreads, orthogonality and gains, on every device."""

import math

import numpy as np
import pytest

import rlgrad
import rlgrad.nn as nn
from rlgrad.nn import init


def values(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


def weight(rows, cols, device):
    return nn.Parameter(rlgrad.zeros(rows, cols, device=device))


@pytest.mark.parametrize("name, param, expected", [
    ("linear", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5 / 3),
    ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01 ** 2))),
    ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("selu", None, 0.75)])
def test_calculate_gain(name, param, expected):
    assert init.calculate_gain(name, param) == pytest.approx(expected)


def test_calculate_gain_rejects_unknown_names():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


def test_constant_zeros_ones_fill_in_place(device):
    tensor = weight(2, 3, device)
    assert init.constant_(tensor, 2.5) is tensor
    assert np.all(values(tensor) == 2.5)
    assert np.all(values(init.zeros_(tensor)) == 0)
    assert np.all(values(init.ones_(tensor)) == 1)


def test_uniform_stays_in_bounds_and_covers_them(device):
    samples = values(init.uniform_(weight(100, 100, device), -2.0, 3.0))
    assert samples.min() >= -2.0 and samples.max() < 3.0
    assert samples.min() < -1.9 and samples.max() > 2.9


def test_normal_has_the_requested_mean_and_std(device):
    samples = values(init.normal_(weight(200, 100, device), 1.0, 2.0))
    # 20000 draws: the standard error of the mean is 2 / sqrt(20000) = 0.014.
    assert abs(samples.mean() - 1.0) < 0.06 and abs(samples.std() - 2.0) < 0.06


def test_xavier_uniform_bound(device):
    samples = values(init.xavier_uniform_(weight(30, 70, device), gain=2.0))
    bound = 2.0 * math.sqrt(6 / 100)
    assert np.abs(samples).max() <= bound and np.abs(samples).max() > 0.95 * bound


def test_xavier_normal_std(device):
    samples = values(init.xavier_normal_(weight(100, 300, device)))
    assert abs(samples.std() - math.sqrt(2 / 400)) < 0.03 * math.sqrt(2 / 400)


def test_kaiming_uniform_bound_for_relu(device):
    samples = values(init.kaiming_uniform_(weight(60, 50, device), nonlinearity="relu"))
    bound = math.sqrt(2) * math.sqrt(3 / 50)
    assert np.abs(samples).max() <= bound and np.abs(samples).max() > 0.95 * bound


def test_kaiming_normal_fan_out_std(device):
    samples = values(init.kaiming_normal_(weight(100, 300, device), mode="fan_out",
                                          nonlinearity="relu"))
    expected = math.sqrt(2 / 100)
    assert abs(samples.std() - expected) < 0.03 * expected


@pytest.mark.parametrize("rows, cols", [(3, 5), (5, 3), (4, 4)])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(rows, cols, device):
    matrix = values(init.orthogonal_(weight(rows, cols, device), gain=2.0)).astype(np.float64)
    gram = matrix @ matrix.T if rows <= cols else matrix.T @ matrix
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-5)


def test_orthogonal_is_reproducible_from_the_global_seed():
    rlgrad.manual_seed(7)
    first = values(init.orthogonal_(weight(4, 4, "cpu")))
    rlgrad.manual_seed(7)
    assert np.array_equal(values(init.orthogonal_(weight(4, 4, "cpu"))), first)


def test_fan_needs_two_dimensions():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.xavier_uniform_(rlgrad.zeros(3))


def test_init_records_no_graph_on_a_parameter():
    parameter = weight(2, 2, "cpu")
    init.normal_(parameter)
    assert parameter.is_leaf and parameter.grad_fn is None
