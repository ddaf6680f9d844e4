"""softmax, log_softmax and logsumexp: finite for extreme logits and for -inf entries."""

import math

import numpy as np
import pytest

import rlgrad
from core_helpers import check_gradients, host, leaf, values


def test_log_softmax_of_extreme_logits_is_finite(device):
    x = leaf([1000.0, 0.0, -1000.0], device)
    result = rlgrad.log_softmax(x, dim=0)
    np.testing.assert_allclose(host(result), [0.0, -1000.0, -2000.0])
    result[1].backward()
    np.testing.assert_allclose(host(x.grad), [-1.0, 1.0, 0.0], atol=1e-300)


def test_softmax_of_extreme_logits(device):
    x = leaf([[1000.0, 0.0, -1000.0]], device)
    np.testing.assert_allclose(host(x.softmax(-1)), [[1.0, 0.0, 0.0]])


def test_minus_infinity_logits_get_zero_probability_and_finite_gradients(device):
    x = leaf([0.0, -math.inf, 0.0], device)
    probabilities = rlgrad.softmax(x, 0)
    np.testing.assert_allclose(host(probabilities), [0.5, 0.0, 0.5])
    (probabilities * leaf([1.0, 2.0, 3.0], device, requires_grad=False)).sum().backward()
    assert np.all(np.isfinite(host(x.grad)))
    np.testing.assert_allclose(host(x.grad), [-0.5, 0.0, 0.5])


def test_logsumexp_of_extreme_and_infinite_values(device):
    x = leaf([[1000.0, 1000.0], [-math.inf, 0.0], [-math.inf, -math.inf]], device)
    result = x.logsumexp(1)
    np.testing.assert_allclose(host(result), [1000.0 + math.log(2.0), 0.0, -math.inf])
    result[:2].sum().backward()
    np.testing.assert_allclose(host(x.grad), [[0.5, 0.5], [0.0, 1.0], [0.0, 0.0]])


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_family_gradients(device, dim):
    x = leaf(values(np.random.default_rng(5), (2, 3), "any"), device)
    check_gradients(lambda t: rlgrad.log_softmax(t, dim), (x,))
    check_gradients(lambda t: rlgrad.softmax(t, dim), (x,))
    check_gradients(lambda t: rlgrad.logsumexp(t, dim, keepdim=True), (x,))


def test_softmax_rows_sum_to_one(device):
    x = leaf(values(np.random.default_rng(6), (4, 5), "any") * 50, device)
    np.testing.assert_allclose(host(x.softmax(1).sum(1)), np.ones(4), rtol=1e-14)
