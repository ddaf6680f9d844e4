"""`rlgrad.nn.functional`: layers and losses as functions, PyTorch's names and reductions."""

from rlgrad.functional import log_softmax, logsumexp, softmax
from rlgrad.ops.elementwise import relu, sigmoid, tanh
from rlgrad.ops.linalg import linear


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def mse_loss(input, target, reduction="mean"):
    """Mean squared error between `input` and `target` (same shape)."""
    if input.shape != target.shape:
        raise ValueError(f"mse_loss: input shape {input.shape} and target shape {target.shape} "
                         f"differ; they would broadcast silently")
    difference = input - target
    return _reduce(difference * difference, reduction)


__all__ = ["linear", "relu", "sigmoid", "tanh", "log_softmax", "softmax", "logsumexp",
           "mse_loss"]
