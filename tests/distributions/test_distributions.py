"""Distributions: log_prob, entropy and KL against closed forms written out by hand,
sampling statistics, shapes, and validation errors."""

import math

import numpy as np
import pytest

import rlgrad
from rlgrad.distributions import (Bernoulli, Categorical, DiagGaussian, Distribution,
                                  Independent, Normal, TanhTransform, TransformedDistribution,
                                  kl_divergence)
from rlgrad.gradcheck import gradcheck

HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def values(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


def t(data, device, dtype=rlgrad.float64):
    return rlgrad.tensor(data, dtype=dtype, device=device)


# --- Normal ------------------------------------------------------------------------------


def test_normal_log_prob_entropy_and_moments(device):
    normal = Normal(t([1.0], device), t([2.0], device))
    # z = (3 - 1) / 2 = 1
    assert values(normal.log_prob(t([3.0], device))) == pytest.approx(
        [-0.5 - math.log(2) - HALF_LOG_TWO_PI])
    assert values(normal.entropy()) == pytest.approx([0.5 + HALF_LOG_TWO_PI + math.log(2)])
    assert values(normal.mean) == [1.0] and values(normal.mode) == [1.0]
    assert values(normal.stddev) == [2.0] and values(normal.variance) == [4.0]


def test_normal_kl_divergence(device):
    p = Normal(t([0.0], device), t([1.0], device))
    q = Normal(t([1.0], device), t([2.0], device))
    # log(2/1) + (1 + 1) / (2 * 4) - 1/2
    assert values(kl_divergence(p, q)) == pytest.approx([math.log(2) - 0.25])
    assert values(kl_divergence(p, p)) == pytest.approx([0.0])


def test_normal_log_prob_is_finite_for_tiny_scales_in_float32(device):
    normal = Normal(t([0.0], device, rlgrad.float32), t([1e-25], device, rlgrad.float32))
    log_prob = values(normal.log_prob(t([0.0], device, rlgrad.float32)))
    assert np.isfinite(log_prob).all()
    assert log_prob == pytest.approx([-math.log(1e-25) - HALF_LOG_TWO_PI], rel=1e-6)
    kl = values(kl_divergence(normal, Normal(t([0.0], device, rlgrad.float32),
                                             t([1e-20], device, rlgrad.float32))))
    # log(1e-20 / 1e-25) + 1e-10 / 2 - 1/2
    assert kl == pytest.approx([math.log(1e5) - 0.5], rel=1e-5)


def test_normal_broadcasts_loc_and_scale(device):
    normal = Normal(t([[0.0], [1.0]], device), t([1.0, 2.0, 3.0], device))
    assert normal.batch_shape == (2, 3) and normal.event_shape == ()
    assert normal.sample((4,)).shape == (4, 2, 3)


def test_normal_rsample_is_differentiable_and_sample_is_not(device):
    loc = rlgrad.tensor([0.5], dtype=rlgrad.float64, device=device, requires_grad=True)
    scale = rlgrad.tensor([2.0], dtype=rlgrad.float64, device=device, requires_grad=True)
    normal = Normal(loc, scale)
    assert not normal.sample().requires_grad
    draw = normal.rsample()
    draw.sum().backward()
    assert values(loc.grad) == [1.0]
    assert values(scale.grad) == pytest.approx((values(draw) - 0.5) / 2.0)


def test_normal_samples_have_the_right_mean_and_std(device):
    rlgrad.manual_seed(0)
    draws = values(Normal(t([3.0], device), t([0.5], device)).sample((20000,)))
    # standard error of the mean: 0.5 / sqrt(20000) = 0.0035
    assert abs(draws.mean() - 3.0) < 0.015 and abs(draws.std() - 0.5) < 0.015


def test_normal_log_prob_gradient_matches_finite_differences(device):
    loc = rlgrad.tensor([0.3, -1.0], dtype=rlgrad.float64, device=device, requires_grad=True)
    scale = rlgrad.tensor([0.7, 2.0], dtype=rlgrad.float64, device=device, requires_grad=True)
    value = t([1.0, 0.5], device)
    assert gradcheck(lambda m, s: Normal(m, s).log_prob(value), (loc, scale))


@pytest.mark.parametrize("scale", [0.0, -1.0, float("nan")])
def test_normal_refuses_non_positive_scale(scale):
    with pytest.raises(ValueError, match="Normal scale"):
        Normal(0.0, scale)


def test_normal_refuses_nan_values_in_log_prob():
    with pytest.raises(ValueError, match="nan"):
        Normal(0.0, 1.0).log_prob(rlgrad.tensor(float("nan")))


def test_validation_can_be_turned_off_per_instance_and_globally():
    Normal(0.0, -1.0, validate_args=False)
    Distribution.set_default_validate_args(False)
    try:
        Normal(0.0, -1.0)
    finally:
        Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        Normal(0.0, -1.0)


# --- Categorical -------------------------------------------------------------------------


def test_categorical_log_prob_entropy_and_kl(device):
    probs = [0.2, 0.3, 0.5]
    categorical = Categorical(probs=t(probs, device))
    assert values(categorical.log_prob(t(1, device, rlgrad.int64))) == pytest.approx(
        math.log(0.3))
    entropy = -sum(p * math.log(p) for p in probs)
    assert values(categorical.entropy()) == pytest.approx(entropy)
    uniform = Categorical(logits=t([0.0, 0.0, 0.0], device))
    # sum p log(p / (1/3)) = log 3 - H(p)
    assert values(kl_divergence(categorical, uniform)) == pytest.approx(math.log(3) - entropy)


def test_categorical_from_logits_normalises(device):
    categorical = Categorical(logits=t([[1.0, 1.0], [0.0, math.log(3.0)]], device))
    np.testing.assert_allclose(values(categorical.probs), [[0.5, 0.5], [0.25, 0.75]])
    assert categorical.batch_shape == (2,) and categorical.event_shape == ()
    assert values(categorical.mode).tolist() == [0, 1]


def test_categorical_masked_action_has_zero_probability_and_finite_entropy(device):
    categorical = Categorical(logits=t([0.0, -math.inf, 0.0], device))
    assert values(categorical.entropy()) == pytest.approx(math.log(2))
    assert values(categorical.log_prob(t(1, device, rlgrad.int64))) == -math.inf


def test_categorical_kl_is_infinite_where_q_excludes_an_outcome_of_p(device):
    p = Categorical(probs=t([0.5, 0.5], device))
    q = Categorical(probs=t([1.0, 0.0], device))
    assert values(kl_divergence(p, q)) == math.inf
    assert values(kl_divergence(q, p)) == pytest.approx(math.log(2))


def test_categorical_sample_frequencies(device):
    rlgrad.manual_seed(1)
    draws = values(Categorical(probs=t([0.1, 0.6, 0.3], device)).sample((20000,)))
    frequencies = np.bincount(draws, minlength=3) / 20000
    np.testing.assert_allclose(frequencies, [0.1, 0.6, 0.3], atol=0.015)


def test_categorical_refuses_out_of_range_values():
    categorical = Categorical(logits=rlgrad.zeros(3))
    with pytest.raises(ValueError, match=r"values must be in \[0, 2\]"):
        categorical.log_prob(rlgrad.tensor(3))


def test_categorical_entropy_gradient_matches_finite_differences(device):
    logits = rlgrad.tensor([[0.2, -1.0, 0.5], [1.0, 0.0, 0.0]], dtype=rlgrad.float64,
                           device=device, requires_grad=True)
    assert gradcheck(lambda x: Categorical(logits=x).entropy(), (logits,))


# --- Bernoulli ---------------------------------------------------------------------------


def test_bernoulli_log_prob_entropy_and_kl(device):
    bernoulli = Bernoulli(probs=t([0.2], device))
    assert values(bernoulli.log_prob(t([1.0], device))) == pytest.approx([math.log(0.2)])
    assert values(bernoulli.log_prob(t([0.0], device))) == pytest.approx([math.log(0.8)])
    entropy = -(0.2 * math.log(0.2) + 0.8 * math.log(0.8))
    assert values(bernoulli.entropy()) == pytest.approx([entropy])
    fair = Bernoulli(logits=t([0.0], device))
    assert values(kl_divergence(bernoulli, fair)) == pytest.approx(
        [0.2 * math.log(0.4) + 0.8 * math.log(1.6)])


def test_bernoulli_from_large_logits_is_exact(device):
    bernoulli = Bernoulli(logits=t([40.0], device, rlgrad.float32))
    assert values(bernoulli.log_prob(t([0.0], device, rlgrad.float32))) == pytest.approx([-40.0])


def test_bernoulli_mean_mode_and_samples(device):
    bernoulli = Bernoulli(probs=t([0.2, 0.5, 0.9], device))
    np.testing.assert_allclose(values(bernoulli.mean), [0.2, 0.5, 0.9])
    np.testing.assert_array_equal(values(bernoulli.mode), [0.0, np.nan, 1.0])
    rlgrad.manual_seed(2)
    draws = values(bernoulli.sample((10000,)))
    np.testing.assert_allclose(draws.mean(0), [0.2, 0.5, 0.9], atol=0.02)


def test_bernoulli_refuses_non_binary_values():
    with pytest.raises(ValueError, match="must be 0 or 1"):
        Bernoulli(probs=rlgrad.tensor([0.5])).log_prob(rlgrad.tensor([0.5]))


def test_bernoulli_refuses_probabilities_above_one():
    with pytest.raises(ValueError, match=r"probs must be in \[0, 1\]"):
        Bernoulli(probs=rlgrad.tensor([1.5]))


# --- Independent and DiagGaussian ---------------------------------------------------------


def test_diag_gaussian_sums_over_the_action_dim(device):
    dist = DiagGaussian(t([[0.0, 1.0]], device), t([[1.0, 2.0]], device))
    assert dist.batch_shape == (1,) and dist.event_shape == (2,)
    log_prob = values(dist.log_prob(t([[0.0, 3.0]], device)))
    assert log_prob == pytest.approx([-2 * HALF_LOG_TWO_PI - 0.5 - math.log(2)])
    assert values(dist.entropy()) == pytest.approx([1 + 2 * HALF_LOG_TWO_PI + math.log(2)])
    assert dist.sample((5,)).shape == (5, 1, 2)


def test_independent_kl_sums_the_base_kl(device):
    p = Independent(Normal(t([0.0, 0.0], device), t([1.0, 1.0], device)), 1)
    q = Independent(Normal(t([1.0, 0.0], device), t([2.0, 1.0], device)), 1)
    assert values(kl_divergence(p, q)) == pytest.approx(math.log(2) - 0.25)
    assert values(kl_divergence(DiagGaussian(t([0.0], device), t([1.0], device)),
                                DiagGaussian(t([1.0], device), t([2.0], device)))) == \
        pytest.approx(math.log(2) - 0.25)


def test_kl_between_different_families_is_not_implemented():
    with pytest.raises(NotImplementedError, match="Normal and Categorical"):
        kl_divergence(Normal(0.0, 1.0), Categorical(logits=rlgrad.zeros(2)))


# --- tanh-squashed Gaussian --------------------------------------------------------------


def squashed(loc, scale, device, cache_size=0, dtype=rlgrad.float64):
    base = DiagGaussian(t(loc, device, dtype), t(scale, device, dtype))
    return TransformedDistribution(base, [TanhTransform(cache_size=cache_size)])


def test_tanh_log_prob_is_base_log_prob_minus_log_one_minus_y_squared(device):
    dist = squashed([0.0, 0.5], [1.0, 2.0], device)
    y = np.array([0.3, -0.6])
    x = np.arctanh(y)
    base = -0.5 * (x - [0.0, 0.5]) ** 2 / np.array([1.0, 4.0]) - np.log([1.0, 2.0])
    expected = (base - HALF_LOG_TWO_PI - np.log(1 - y ** 2)).sum()
    assert values(dist.log_prob(t(y, device))) == pytest.approx(expected)


def test_tanh_log_det_is_stable_for_large_pre_squash_values(device):
    transform = TanhTransform()
    x = t([20.0, -30.0], device, rlgrad.float32)
    log_det = values(transform.log_abs_det_jacobian(x, transform(x)))
    # log(1 - tanh(x)^2) = log(4) - 2|x| - 2 log(1 + exp(-2|x|)), here log 4 - 2|x|
    np.testing.assert_allclose(log_det, [math.log(4) - 40, math.log(4) - 60], rtol=1e-6)


def test_cached_tanh_gives_finite_log_prob_of_its_own_saturated_samples(device):
    dist = squashed([30.0], [0.1], device, cache_size=1, dtype=rlgrad.float32)
    action = dist.rsample()
    assert values(action) == [1.0]
    assert np.isfinite(values(dist.log_prob(action))).all()


def test_tanh_samples_lie_in_the_open_interval(device):
    draws = values(squashed([0.0], [3.0], device).sample((1000,)))
    assert draws.shape == (1000, 1) and np.all(np.abs(draws) <= 1)


def test_tanh_log_prob_gradient_matches_finite_differences(device):
    loc = rlgrad.tensor([0.2, -0.4], dtype=rlgrad.float64, device=device, requires_grad=True)
    log_scale = rlgrad.tensor([0.1, -0.3], dtype=rlgrad.float64, device=device,
                              requires_grad=True)
    action = t([0.5, -0.9], device)

    def log_prob(mean, log_std):
        base = DiagGaussian(mean, log_std.exp())
        return TransformedDistribution(base, [TanhTransform()]).log_prob(action)

    assert gradcheck(log_prob, (loc, log_scale))


def test_transformed_distribution_has_no_closed_form_entropy():
    with pytest.raises(NotImplementedError, match="no closed-form entropy"):
        squashed([0.0], [1.0], "cpu").entropy()
