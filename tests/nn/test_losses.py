"""Losses of rlgrad.nn.functional: values and gradients written out by hand, PyTorch's
reductions, and finite-difference checks of every gradient."""

import math

import numpy as np
import pytest

import rlgrad
import rlgrad.nn.functional as F
from rlgrad.gradcheck import gradcheck

LN2, LN3, LN6 = math.log(2), math.log(3), math.log(6)


def values(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


def leaf(data, device, dtype=rlgrad.float64):
    return rlgrad.tensor(data, dtype=dtype, device=device, requires_grad=True)


def const(data, device, dtype=rlgrad.float64):
    return rlgrad.tensor(data, dtype=dtype, device=device)


def test_mse_loss_mean_and_gradient(device):
    x = leaf([1.0, 2.0, 3.0], device)
    loss = F.mse_loss(x, const([0.0, 2.0, 5.0], device))
    loss.backward()
    assert loss.item() == pytest.approx(5 / 3)
    np.testing.assert_allclose(values(x.grad), [2 / 3, 0.0, -4 / 3])


@pytest.mark.parametrize("reduction, expected", [("sum", 5.0), ("none", [1.0, 0.0, 4.0])])
def test_mse_loss_other_reductions(reduction, expected, device):
    loss = F.mse_loss(const([1.0, 2.0, 3.0], device), const([0.0, 2.0, 5.0], device),
                      reduction=reduction)
    np.testing.assert_allclose(values(loss), expected)


def test_losses_refuse_mismatched_shapes():
    with pytest.raises(ValueError, match=r"input shape \(3,\) and target shape \(3, 1\)"):
        F.mse_loss(rlgrad.zeros(3), rlgrad.zeros(3, 1))


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction must be"):
        F.l1_loss(rlgrad.zeros(1), rlgrad.zeros(1), reduction="avg")


def test_l1_loss_mean_and_gradient(device):
    x = leaf([1.0, 2.0, 3.0], device)
    loss = F.l1_loss(x, const([0.0, 2.0, 5.0], device))
    loss.backward()
    assert loss.item() == pytest.approx(1.0)
    np.testing.assert_allclose(values(x.grad), [1 / 3, 0.0, -1 / 3])


def test_smooth_l1_loss_quadratic_inside_beta_linear_outside(device):
    x = leaf([0.0, 0.0, 0.0], device)
    target = const([0.5, 2.0, -3.0], device)
    loss = F.smooth_l1_loss(x, target, reduction="sum")
    loss.backward()
    assert loss.item() == pytest.approx(0.5 * 0.25 + (2 - 0.5) + (3 - 0.5))
    np.testing.assert_allclose(values(x.grad), [-0.5, -1.0, 1.0])


def test_smooth_l1_loss_beta_two(device):
    loss = F.smooth_l1_loss(const([0.0, 0.0, 0.0], device), const([0.5, 2.0, -3.0], device),
                            reduction="none", beta=2.0)
    np.testing.assert_allclose(values(loss), [0.5 * 0.25 / 2, 2 - 1, 3 - 1])


def test_huber_loss_delta_two(device):
    x = leaf([0.0, 0.0, 0.0], device)
    loss = F.huber_loss(x, const([0.5, 2.0, -3.0], device), reduction="none", delta=2.0)
    np.testing.assert_allclose(values(loss), [0.125, 2.0, 2 * (3 - 1)])
    loss.sum().backward()
    np.testing.assert_allclose(values(x.grad), [-0.5, -2.0, 2.0])


# --- classification ----------------------------------------------------------------------


def logits_sixths(device, rows=2):
    """Logits whose softmax is (1/6, 1/3, 1/2) in every row."""
    return leaf([[0.0, LN2, LN3]] * rows, device)


def test_cross_entropy_mean_and_gradient(device):
    logits = logits_sixths(device)
    loss = F.cross_entropy(logits, const([2, 0], device, rlgrad.int64))
    loss.backward()
    assert loss.item() == pytest.approx((LN2 + LN6) / 2)
    np.testing.assert_allclose(values(logits.grad), [[1 / 12, 1 / 6, -1 / 4],
                                                     [-5 / 12, 1 / 6, 1 / 4]])


def test_cross_entropy_of_a_single_unbatched_sample(device):
    loss = F.cross_entropy(const([0.0, LN2, LN3], device), const(2, device, rlgrad.int64))
    assert loss.item() == pytest.approx(LN2)


def test_cross_entropy_ignore_index_averages_over_kept_targets(device):
    logits = logits_sixths(device)
    loss = F.cross_entropy(logits, const([2, -100], device, rlgrad.int64))
    loss.backward()
    assert loss.item() == pytest.approx(LN2)
    np.testing.assert_allclose(values(logits.grad)[1], [0.0, 0.0, 0.0])


def test_cross_entropy_label_smoothing(device):
    loss = F.cross_entropy(logits_sixths(device, rows=1), const([2], device, rlgrad.int64),
                           label_smoothing=0.3)
    # (1 - e) (-log p_2) + e * mean over classes of -log p_k
    assert loss.item() == pytest.approx(0.7 * LN2 + 0.3 * (LN6 + LN3 + LN2) / 3)


def test_cross_entropy_with_class_probabilities(device):
    loss = F.cross_entropy(logits_sixths(device, rows=1), const([[0.0, 0.5, 0.5]], device))
    assert loss.item() == pytest.approx(0.5 * LN3 + 0.5 * LN2)


def test_cross_entropy_with_spatial_dims_matches_per_position_losses(device):
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((2, 3, 4))
    targets = rng.integers(0, 3, (2, 4))
    loss = F.cross_entropy(const(logits, device), const(targets, device, rlgrad.int64),
                           reduction="none")
    shifted = logits - logits.max(1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    expected = -np.take_along_axis(log_probs, targets[:, None, :], 1)[:, 0, :]
    np.testing.assert_allclose(values(loss), expected, rtol=1e-12)


def test_cross_entropy_gradient_matches_finite_differences(device):
    rng = np.random.default_rng(2)
    logits = leaf(rng.standard_normal((4, 5)), device)
    targets = const([0, 4, 2, 2], device, rlgrad.int64)
    assert gradcheck(lambda x: F.cross_entropy(x, targets, label_smoothing=0.1), (logits,))


def test_nll_loss_picks_minus_the_target_log_probability(device):
    log_probs = leaf([[-1.0, -2.0], [-3.0, -4.0]], device)
    loss = F.nll_loss(log_probs, const([1, 0], device, rlgrad.int64))
    loss.backward()
    assert loss.item() == 2.5
    np.testing.assert_allclose(values(log_probs.grad), [[0.0, -0.5], [-0.5, 0.0]])


def test_nll_loss_rejects_float_targets():
    with pytest.raises(TypeError, match="class targets must be integers"):
        F.nll_loss(rlgrad.zeros(2, 3), rlgrad.zeros(2))


def test_binary_cross_entropy_and_gradient(device):
    probs = leaf([0.5, 0.8], device)
    loss = F.binary_cross_entropy(probs, const([1.0, 0.0], device))
    loss.backward()
    assert loss.item() == pytest.approx(math.log(10) / 2)
    np.testing.assert_allclose(values(probs.grad), [-1.0, 2.5])


def test_binary_cross_entropy_clamps_log_at_minus_100(device):
    loss = F.binary_cross_entropy(const([0.0], device), const([1.0], device))
    assert loss.item() == 100.0


def test_bce_with_logits_is_stable_for_large_logits(device):
    logits = rlgrad.tensor([50.0, -50.0], device=device, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(logits, rlgrad.tensor([0.0, 1.0], device=device),
                                              reduction="none")
    assert values(loss).tolist() == [50.0, 50.0]
    loss.sum().backward()
    assert values(logits.grad).tolist() == [1.0, -1.0]


def test_bce_with_logits_at_zero_and_with_pos_weight(device):
    logits = leaf([0.0], device)
    loss = F.binary_cross_entropy_with_logits(logits, const([1.0], device),
                                              pos_weight=const([3.0], device))
    loss.backward()
    assert loss.item() == pytest.approx(3 * LN2)
    np.testing.assert_allclose(values(logits.grad), [-1.5])


def test_bce_with_logits_gradient_matches_finite_differences(device):
    rng = np.random.default_rng(3)
    logits = leaf(rng.standard_normal(6) * 3, device)
    targets = const(rng.uniform(size=6), device)
    assert gradcheck(lambda x: F.binary_cross_entropy_with_logits(x, targets), (logits,))


def test_gaussian_nll_loss_value_and_gradients(device):
    mean, var = leaf([1.0], device), leaf([2.0], device)
    loss = F.gaussian_nll_loss(mean, const([3.0], device), var)
    loss.backward()
    assert loss.item() == pytest.approx(0.5 * (LN2 + 4 / 2))
    np.testing.assert_allclose(values(mean.grad), [-1.0])
    np.testing.assert_allclose(values(var.grad), [0.5 * (1 / 2 - 4 / 4)])


def test_gaussian_nll_loss_full_adds_half_log_two_pi(device):
    loss = F.gaussian_nll_loss(const([1.0], device), const([3.0], device), const([2.0], device),
                               full=True)
    assert loss.item() == pytest.approx(0.5 * (LN2 + 2) + 0.5 * math.log(2 * math.pi))


def test_gaussian_nll_loss_clamps_variance_value_but_passes_its_gradient(device):
    var = leaf([0.0], device)
    loss = F.gaussian_nll_loss(const([0.0], device), const([0.0], device), var, eps=1e-3)
    loss.backward()
    assert loss.item() == pytest.approx(0.5 * math.log(1e-3))
    np.testing.assert_allclose(values(var.grad), [0.5 / 1e-3])


def test_gaussian_nll_loss_accepts_one_variance_per_row(device):
    loss = F.gaussian_nll_loss(const([[1.0, 1.0]], device), const([[3.0, 3.0]], device),
                               const([2.0], device), reduction="none")
    np.testing.assert_allclose(values(loss), [[0.5 * (LN2 + 2)] * 2])


@pytest.mark.parametrize("loss_function", [
    F.mse_loss, F.l1_loss, F.smooth_l1_loss, lambda x, y: F.huber_loss(x, y, delta=0.7),
    lambda x, y: F.gaussian_nll_loss(x, y, (x * x) + 0.5),
], ids=["mse", "l1", "smooth_l1", "huber", "gaussian_nll"])
def test_regression_loss_gradients_match_finite_differences(loss_function, device):
    rng = np.random.default_rng(4)
    x = leaf(rng.standard_normal((3, 2)), device)
    y = const(rng.standard_normal((3, 2)), device)
    assert gradcheck(lambda a: loss_function(a, y), (x,))


@pytest.mark.parametrize("bad_class", [-1, 3])
def test_cross_entropy_refuses_classes_out_of_range(device, bad_class):
    logits = rlgrad.zeros(2, 3, device=device)
    target = rlgrad.tensor([0, bad_class], device=device)
    with pytest.raises(IndexError, match=f"target class {bad_class} is out of range for 3"):
        F.cross_entropy(logits, target)


def test_cross_entropy_ignore_index_is_not_out_of_range(device):
    logits = rlgrad.zeros(2, 3, device=device)
    loss = F.cross_entropy(logits, rlgrad.tensor([1, -100], device=device))
    assert loss.item() == pytest.approx(math.log(3))
