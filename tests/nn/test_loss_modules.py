"""Loss modules give exactly what their functions give, with their options."""

import pytest

import rlgrad
import rlgrad.nn.functional as F
from rlgrad import nn


def _pair(device):
    rlgrad.manual_seed(0)
    return rlgrad.randn(4, 3, device=device), rlgrad.randn(4, 3, device=device)


@pytest.mark.parametrize("module, function", [
    (nn.MSELoss(), F.mse_loss), (nn.L1Loss(reduction="sum"), lambda a, b: F.l1_loss(a, b, "sum")),
    (nn.SmoothL1Loss(beta=0.5), lambda a, b: F.smooth_l1_loss(a, b, beta=0.5)),
    (nn.HuberLoss(delta=2.0), lambda a, b: F.huber_loss(a, b, delta=2.0)),
    (nn.BCEWithLogitsLoss(), F.binary_cross_entropy_with_logits),
])
def test_regression_losses_match_their_functions(device, module, function):
    input, target = _pair(device)
    if isinstance(module, nn.BCEWithLogitsLoss):
        target = target.sigmoid()
    assert module(input, target).item() == pytest.approx(function(input, target).item())


def test_cross_entropy_module_passes_label_smoothing(device):
    logits = rlgrad.tensor([[2.0, 0.0, -1.0]], device=device)
    target = rlgrad.tensor([0], device=device)
    expected = F.cross_entropy(logits, target, label_smoothing=0.1).item()
    assert nn.CrossEntropyLoss(label_smoothing=0.1)(logits, target).item() == expected


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction must be"):
        nn.MSELoss(reduction="average")
