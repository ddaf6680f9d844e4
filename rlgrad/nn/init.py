"""Parameter initialisation in place, as `torch.nn.init`. The full set (orthogonal, xavier,
gains) lives alongside the two that `Linear`'s default needs."""

import math

from rlgrad.autograd.grad_mode import no_grad
from rlgrad.random import default_generator


def _fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out need a tensor with at least 2 dimensions, "
                         f"got shape {tensor.shape}")
    receptive = 1
    for extent in tensor.shape[2:]:
        receptive *= extent
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill `tensor` with samples of U(a, b)."""
    source = generator or default_generator(tensor.device)
    with no_grad():
        tensor.data[...] = source.uniform(tensor.shape, a, b, dtype=tensor.dtype)
        tensor._version += 1
    return tensor


def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He initialisation: U(-bound, bound) with bound = gain * sqrt(3 / fan)."""
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    gain = math.sqrt(2.0 / (1 + a * a)) if nonlinearity == "leaky_relu" else 1.0
    bound = gain * math.sqrt(3.0 / fan) if fan else 0.0
    return uniform_(tensor, -bound, bound, generator=generator)
