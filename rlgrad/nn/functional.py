"""`rlgrad.nn.functional`: activations, layers and losses as functions, with PyTorch's names.

Every loss takes `reduction`: "mean" averages over elements (over the non-ignored targets
for `nll_loss`/`cross_entropy`), "sum" adds them, "none" returns them unreduced.
"""

import math

import numpy as np

from rlgrad import _backend
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.factories import full_like
from rlgrad.functional import log_softmax, logsumexp, softmax
from rlgrad.ops.activations import elu, gelu, leaky_relu, silu, softplus  # noqa: F401
from rlgrad.ops.unary import abs, clamp, sqrt
from rlgrad.ops.elementwise import relu, sigmoid, tanh, where
from rlgrad.ops.indexing import take_along_dim
from rlgrad.ops.linalg import linear
from rlgrad.random import default_generator
from rlgrad.tensor import Tensor, wrap


# --- activations: the core's ops, re-exported under PyTorch's module ----------------------


# --- layers ------------------------------------------------------------------------------


def dropout(input, p=0.5, training=True, generator=None):
    """Zero each element with probability p and scale the rest by 1 / (1 - p) when training."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    source = generator or default_generator(input.device)
    uniform = wrap(source.uniform(input.shape, dtype=input.dtype))
    mask = (uniform >= p).to(input.dtype) * (1.0 / (1.0 - p))
    return input * mask


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the trailing `normalized_shape` dims (biased variance), then scale."""
    normalized_shape = _as_shape(normalized_shape)
    count = len(normalized_shape)
    if input.shape[input.ndim - count:] != normalized_shape:
        raise RuntimeError(f"layer_norm: input of shape {input.shape} does not end with "
                           f"normalized_shape {normalized_shape}")
    dims = tuple(range(input.ndim - count, input.ndim))
    centered = input - input.mean(dims, keepdim=True)
    variance = (centered * centered).mean(dims, keepdim=True)
    result = centered / sqrt(variance + eps)
    if weight is not None:
        result = result * weight
    if bias is not None:
        result = result + bias
    return result


def embedding(input, weight):
    """Rows of `weight` (num_embeddings, dim) picked by integer `input`: (*input.shape, dim)."""
    if input.dtype.kind not in "iu":
        raise TypeError(f"embedding indices must be integers, got dtype {input.dtype}")
    rows = weight[input.reshape(-1)]
    return rows.reshape(input.shape + (weight.shape[1],))


def one_hot(tensor, num_classes=-1):
    """Integer classes (...,) as int64 one-hot vectors (..., num_classes)."""
    from rlgrad.factories import arange

    if num_classes < 0:
        num_classes = max(tensor.reshape(-1).tolist(), default=-1) + 1
    classes = arange(num_classes, device=tensor.device)
    return (tensor.reshape(tensor.shape + (1,)) == classes).long()


def _as_shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


# --- losses ------------------------------------------------------------------------------


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _check_same_shape(name, input, target):
    if input.shape != target.shape:
        raise ValueError(f"{name}: input shape {input.shape} and target shape {target.shape} "
                         f"differ; they would broadcast silently")


def mse_loss(input, target, reduction="mean"):
    """(input - target)^2 elementwise, reduced."""
    _check_same_shape("mse_loss", input, target)
    difference = input - target
    return _reduce(difference * difference, reduction)


def l1_loss(input, target, reduction="mean"):
    """|input - target| elementwise, reduced."""
    _check_same_shape("l1_loss", input, target)
    return _reduce(abs(input - target), reduction)


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (plain L1 when beta is 0)."""
    _check_same_shape("smooth_l1_loss", input, target)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss needs beta >= 0, got {beta}")
    distance = abs(input - target)
    if beta == 0:
        return _reduce(distance, reduction)
    loss = where(distance < beta, distance * distance * (0.5 / beta), distance - 0.5 * beta)
    return _reduce(loss, reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta)."""
    _check_same_shape("huber_loss", input, target)
    if delta <= 0:
        raise ValueError(f"huber_loss needs delta > 0, got {delta}")
    distance = abs(input - target)
    loss = where(distance <= delta, distance * distance * 0.5, (distance - 0.5 * delta) * delta)
    return _reduce(loss, reduction)


def nll_loss(input, target, reduction="mean", ignore_index=-100):
    """-input[n, target[n]] for log-probabilities `input` (N, C) or (C,) and classes (N,) or ().

    Extra dims follow PyTorch: input (N, C, d1, ...) with target (N, d1, ...). With "mean"
    the sum is divided by the number of targets that are not `ignore_index`.
    """
    log_probs, classes = _classes_last(input, target)
    keep = classes != ignore_index
    _check_class_range(classes, keep, log_probs.shape[-1], ignore_index)
    safe_classes = where(keep, classes, 0)
    picked = take_along_dim(log_probs, safe_classes.reshape(classes.shape + (1,)), -1)
    losses = where(keep, -picked.reshape(classes.shape), 0.0)
    return _reduce_ignoring(losses, keep, reduction)


def cross_entropy(input, target, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    """Cross-entropy of logits `input` (N, C) or (C,) (class dim 1, or 0 for 1-D input).

    `target` is either integer classes (N,) or class probabilities of input's shape.
    `label_smoothing` e mixes the target with the uniform distribution: (1 - e) t + e / C.
    """
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    class_dim = 1 if input.ndim > 1 else 0
    log_probs = log_softmax(input, class_dim)
    num_classes = input.shape[class_dim]
    if target.dtype.kind in "fc":
        return _soft_cross_entropy(log_probs, target, class_dim, reduction, label_smoothing)
    loss = nll_loss(log_probs, target, reduction=reduction, ignore_index=ignore_index)
    if label_smoothing == 0.0:
        return loss
    log_probs_last, classes = _classes_last(log_probs, target)
    keep = classes != ignore_index
    uniform_part = where(keep, -log_probs_last.sum(-1) / num_classes, 0.0)
    smoothing = _reduce_ignoring(uniform_part, keep, reduction)
    return loss * (1.0 - label_smoothing) + smoothing * label_smoothing


def _soft_cross_entropy(log_probs, target, class_dim, reduction, label_smoothing):
    _check_same_shape("cross_entropy with class probabilities", log_probs, target)
    if label_smoothing:
        target = target * (1.0 - label_smoothing) + label_smoothing / log_probs.shape[class_dim]
    losses = -(log_probs * target).sum(class_dim)
    return _reduce(losses, reduction)


def _check_class_range(classes, keep, num_classes, ignore_index):
    """Refuse class indices outside [0, num_classes) that are not `ignore_index`: a negative
    one would silently pick a class from the end."""
    values = classes.data
    outside = keep.data & ((values < 0) | (values >= num_classes))
    if bool(_backend.namespace(values).any(outside)):
        first = int(values[outside][0])
        raise IndexError(f"target class {first} is out of range for {num_classes} classes "
                         f"(expected 0..{num_classes - 1}, or ignore_index={ignore_index})")


def _classes_last(input, target):
    """`input` with its class dim moved last, checked against integer `target`."""
    if target.dtype.kind not in "iu":
        raise TypeError(f"class targets must be integers, got dtype {target.dtype}")
    if input.ndim == 1:
        if target.ndim != 0:
            raise ValueError(f"for input of shape {input.shape} the target must be a single "
                             f"class, got shape {target.shape}")
        return input, target
    expected = (input.shape[0],) + input.shape[2:]
    if target.shape != expected:
        raise ValueError(f"input of shape {input.shape} needs class targets of shape "
                         f"{expected}, got {target.shape}")
    if input.ndim > 2:
        order = (0,) + tuple(range(2, input.ndim)) + (1,)
        input = input.permute(*order)
    return input, target


def _reduce_ignoring(losses, keep, reduction):
    if reduction != "mean":
        return _reduce(losses, reduction)
    return losses.sum() / keep.to(losses.dtype).sum()


def binary_cross_entropy(input, target, reduction="mean"):
    """-(t log p + (1 - t) log(1 - p)) for probabilities p; each log is clamped at -100."""
    _check_same_shape("binary_cross_entropy", input, target)
    with np.errstate(divide="ignore"):  # log(0) = -inf is expected here, then clamped
        log_p = clamp(input.log(), min=-100.0)
        log_not_p = clamp((1.0 - input).log(), min=-100.0)
    return _reduce(-(target * log_p + (1.0 - target) * log_not_p), reduction)


def binary_cross_entropy_with_logits(input, target, reduction="mean", pos_weight=None):
    """BCE of sigmoid(input), computed from logits without overflow:
    (1 - t) x + (1 + (w - 1) t) softplus(-x), w the positive-class weight (default 1)."""
    _check_same_shape("binary_cross_entropy_with_logits", input, target)
    if pos_weight is None:
        loss = softplus(input) - input * target
    else:
        weight = (pos_weight - 1.0) * target + 1.0
        loss = (1.0 - target) * input + weight * softplus(-input)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log var + (input - target)^2 / var) (+ 0.5 log 2 pi if `full`).

    `var` has input's shape, or one dim fewer, or a last dim of 1 (one variance per row).
    It is clamped below at `eps` for the value while the gradient passes unchanged, as in
    PyTorch.
    """
    if not isinstance(var, Tensor):
        var = full_like(input, var)
    if var.ndim == input.ndim - 1 and var.shape == input.shape[:-1]:
        var = var.reshape(var.shape + (1,))
    with no_grad():
        lifted = clamp(var, min=eps) - var
    var = var + lifted
    difference = input - target
    loss = (var.log() + difference * difference / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


__all__ = ["linear", "relu", "sigmoid", "tanh", "elu", "leaky_relu", "gelu", "silu", "softplus",
           "log_softmax", "softmax", "logsumexp", "dropout", "layer_norm", "embedding",
           "one_hot", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "nll_loss",
           "cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "gaussian_nll_loss"]
