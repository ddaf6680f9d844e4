"""Gradient clipping and flat parameter vectors, as `torch.nn.utils`."""

import math

from rlgrad import _backend
from rlgrad.factories import tensor as make_tensor
from rlgrad.tensor import Tensor, wrap


def _as_list(parameters):
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale all gradients together so that their joint `norm_type`-norm is at most
    `max_norm`; returns the norm before clipping as a 0-d tensor (on the gradients' device).

    The scale is max_norm / (norm + 1e-6), applied only when it is below 1, as PyTorch.
    """
    with_grads = [p for p in _as_list(parameters) if p.grad is not None]
    grads = [p.grad.data for p in with_grads]
    if not grads:
        return make_tensor(0.0)
    norm_type = float(norm_type)
    xp = _backend.namespace(grads[0])
    if norm_type == math.inf:
        norms = [xp.max(xp.abs(grad)) for grad in grads if grad.size]
        total = norms[0] if norms else xp.zeros_like(xp.sum(grads[0]))
        for norm in norms[1:]:
            total = xp.maximum(total, norm)
    else:
        total = sum(xp.sum(xp.abs(grad) ** norm_type) for grad in grads) ** (1.0 / norm_type)
    total_norm = wrap(xp.asarray(total))
    if error_if_nonfinite and not math.isfinite(total_norm.item()):
        raise RuntimeError(f"the total {norm_type}-norm of the gradients is {total_norm.item()}; "
                           "set error_if_nonfinite=False to clip anyway")
    scale = max_norm / (total + 1e-6)
    scale = xp.where(scale < 1.0, scale, xp.ones_like(scale))
    for grad in grads:  # in place, as PyTorch: a reference to .grad sees the clipped values
        grad[...] = grad * xp.astype(scale, grad.dtype)
    return total_norm


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient element into [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    for parameter in _as_list(parameters):
        if parameter.grad is None:
            continue
        grad = parameter.grad.data
        xp = _backend.namespace(grad)
        grad[...] = xp.clip(grad, -clip_value, clip_value)


def parameters_to_vector(parameters):
    """All parameters flattened and concatenated into one 1-D tensor (differentiable)."""
    from rlgrad.ops.joining import cat

    parameters = _as_list(parameters)
    if not parameters:
        raise ValueError("parameters_to_vector needs at least one parameter")
    return cat([parameter.reshape(-1) for parameter in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D `vec` into `parameters`, in place."""
    parameters = _as_list(parameters)
    total = sum(p.numel() for p in parameters)
    if vec.ndim != 1 or vec.shape[0] != total:
        raise ValueError(f"vector_to_parameters needs a 1-D vector of {total} elements, got "
                         f"shape {vec.shape}")
    xp = _backend.namespace(vec.data)
    offset = 0
    for parameter in parameters:
        count = parameter.numel()
        piece = xp.reshape(vec.data[offset:offset + count], parameter.shape)
        parameter.data[...] = xp.astype(piece, parameter.data.dtype)
        parameter._version += 1
        offset += count
