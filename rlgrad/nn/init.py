"""Parameter initialisation in place, as `torch.nn.init`.

Every function fills a tensor on its own device, drawing from rlgrad's default generator of
that device (seeded by `rlgrad.manual_seed`) or from `generator`, and returns the tensor.
No graph is recorded.
"""

import math

import numpy as np

from rlgrad import _backend
from rlgrad.random import default_generator


def calculate_gain(nonlinearity, param=None):
    """The gain PyTorch recommends for an activation: tanh 5/3, relu sqrt(2), ..."""
    if nonlinearity in ("linear", "identity", "sigmoid") or nonlinearity.startswith("conv"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"negative slope {slope!r} is not a number")
        return math.sqrt(2.0 / (1 + slope * slope))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def _fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out need a tensor with at least 2 dimensions, "
                         f"got shape {tensor.shape}")
    receptive = 1
    for extent in tensor.shape[2:]:
        receptive *= extent
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor, mode):
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    return fan_in if mode == "fan_in" else fan_out


def _write(tensor, array):
    """Overwrite `tensor`'s values with `array` (same device), bumping its version."""
    tensor.data[...] = array
    tensor._version += 1
    return tensor


def _source(tensor, generator):
    return generator or default_generator(tensor.device)


def constant_(tensor, val):
    return _write(tensor, val)


def zeros_(tensor):
    return _write(tensor, 0)


def ones_(tensor):
    return _write(tensor, 1)


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill `tensor` with samples of U(a, b)."""
    return _write(tensor, _source(tensor, generator).uniform(tensor.shape, a, b,
                                                              dtype=tensor.dtype))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill `tensor` with samples of N(mean, std^2)."""
    return _write(tensor, _source(tensor, generator).normal(tensor.shape, mean, std,
                                                             dtype=tensor.dtype))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He: U(-b, b) with b = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a)."""
    fan = _fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    bound = gain * math.sqrt(3.0 / fan) if fan else 0.0
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He: N(0, std^2) with std = gain / sqrt(fan)."""
    fan = _fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(fan) if fan else 0.0, generator)


def orthogonal_(tensor, gain=1.0, generator=None):
    """A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a Gaussian
    matrix with the signs fixed so the result is uniformly distributed (Saxe et al. 2013).
    Dims after the first are flattened: the rows (or the columns) are orthonormal."""
    if tensor.ndim < 2:
        raise ValueError(f"orthogonal_ needs a tensor with at least 2 dimensions, got shape "
                         f"{tensor.shape}")
    rows = tensor.shape[0]
    cols = tensor.numel() // rows if rows else 0
    if rows == 0 or cols == 0:
        return tensor
    draws = _source(tensor, generator).normal((max(rows, cols), min(rows, cols)),
                                              dtype=np.float64)
    xp = _backend.namespace(draws)
    q, r = xp.linalg.qr(draws)
    identity = xp.eye(min(rows, cols), dtype=draws.dtype, **_device_kwargs(draws))
    q = q * xp.sign(xp.sum(r * identity, axis=0))
    if rows < cols:
        q = xp.matrix_transpose(q)
    result = xp.reshape(q * gain, tensor.shape)
    return _write(tensor, xp.astype(result, tensor.data.dtype))


def _device_kwargs(array):
    if type(array) is np.ndarray:
        return {}
    return {"device": array.device}


__all__ = ["calculate_gain", "constant_", "zeros_", "ones_", "uniform_", "normal_",
           "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
           "orthogonal_"]
