"""`Normal`: the univariate Gaussian, batched elementwise."""

import math

from rlgrad import _backend
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.distributions.distribution import (Distribution, all_true, as_float_tensor,
                                               any_true, broadcast_all, check)
from rlgrad.random import default_generator
from rlgrad.tensor import wrap

_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


class Normal(Distribution):
    """N(loc, scale^2) elementwise; batch_shape is the broadcast shape of loc and scale.

    Densities use log(scale) rather than the log of the variance, so they stay finite in
    float32 for scales down to about 1e-38 (scale^2 would underflow below 1e-19).
    """

    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape, (), validate_args)
        if self._validate_args:
            if not all_true(self.scale > 0):  # also catches nan
                raise ValueError(f"Normal scale must be positive, got {_smallest(self.scale)} "
                                 "as its smallest value")
            check(self.loc != self.loc, "Normal loc contains nan")

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.scale * self.scale

    def rsample(self, sample_shape=(), generator=None):
        """loc + scale * eps with eps ~ N(0, 1): differentiable in loc and scale."""
        shape = self._extended_shape(sample_shape)
        source = generator or default_generator(self.loc.device)
        noise = wrap(source.normal(shape, dtype=self.loc.dtype))
        return self.loc + noise * self.scale

    def sample(self, sample_shape=(), generator=None):
        with no_grad():
            return self.rsample(sample_shape, generator).detach()

    def log_prob(self, value):
        value = as_float_tensor(value, self.loc)
        if self._validate_args:
            check(value != value, "Normal.log_prob got nan values")
        standardized = (value - self.loc) / self.scale
        return standardized * standardized * -0.5 - self.scale.log() - _HALF_LOG_TWO_PI

    def entropy(self):
        return self.scale.log() + (0.5 + _HALF_LOG_TWO_PI)


def _smallest(tensor):
    """The smallest value, nan if there is one (for the error message)."""
    xp = _backend.namespace(tensor.data)
    if any_true(tensor != tensor):
        return float("nan")
    return float(xp.min(tensor.data))
