"""Bijective transforms for `TransformedDistribution`: `TanhTransform` squashes a Gaussian
into (-1, 1) for bounded actions; `AffineTransform` rescales to an action box."""

import math

import numpy as np

from rlgrad.distributions.distribution import as_float_tensor
from rlgrad.ops.activations import softplus
from rlgrad.ops.unary import abs, clamp, log1p


class Transform:
    """y = T(x) elementwise, with its inverse and log |dy/dx|.

    With `cache_size=1` the last (x, y) pair is remembered, so `inv` of a y that this
    transform just produced returns the exact x (no round-off from inverting).
    """

    def __init__(self, cache_size=0):
        if cache_size not in (0, 1):
            raise ValueError(f"cache_size must be 0 or 1, got {cache_size}")
        self.cache_size = cache_size
        self._cached = None

    def __call__(self, x):
        y = self._forward(x)
        if self.cache_size:
            self._cached = (x, y)
        return y

    def inv(self, y):
        cached = self._cached
        if cached is not None and cached[1] is y:
            return cached[0]
        x = self._inverse(y)
        if self.cache_size:
            self._cached = (x, y)
        return x

    def log_abs_det_jacobian(self, x, y):
        raise NotImplementedError

    def _forward(self, x):
        raise NotImplementedError

    def _inverse(self, y):
        raise NotImplementedError


class TanhTransform(Transform):
    """y = tanh(x). log |dy/dx| = log(1 - tanh(x)^2) is computed as
    2 (log 2 - x - softplus(-2x)), which stays exact where tanh(x) rounds to +-1."""

    def _forward(self, x):
        return x.tanh()

    def _inverse(self, y):
        # atanh(+-1) is infinite; clipping by one epsilon keeps log_prob finite.
        epsilon = float(np.finfo(y.dtype).eps)
        y = clamp(y, min=-1.0 + epsilon, max=1.0 - epsilon)
        return (log1p(y) - log1p(-y)) * 0.5

    def log_abs_det_jacobian(self, x, y):
        return (math.log(2.0) - x - softplus(x * -2.0)) * 2.0


class AffineTransform(Transform):
    """y = loc + scale * x (elementwise; loc and scale broadcast)."""

    def __init__(self, loc, scale, cache_size=0):
        super().__init__(cache_size)
        self.loc = loc
        self.scale = scale

    def _forward(self, x):
        return x * self.scale + self.loc

    def _inverse(self, y):
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x, y):
        scale = as_float_tensor(self.scale, x)
        return abs(scale).log() + x * 0.0
