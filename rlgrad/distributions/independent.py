"""`Independent` (batch dims reinterpreted as event dims) and `DiagGaussian`, the
diagonal Gaussian that continuous-action policies use."""

from rlgrad.distributions.distribution import Distribution, sum_rightmost
from rlgrad.distributions.normal import Normal


class Independent(Distribution):
    """Treat the last `reinterpreted_batch_ndims` batch dims of `base_distribution` as event
    dims: `log_prob` and `entropy` sum over them. Independent(Normal(loc, scale), 1) with loc
    of shape (batch, act_dim) is a diagonal Gaussian with batch_shape (batch,) and
    event_shape (act_dim,)."""

    def __init__(self, base_distribution, reinterpreted_batch_ndims, validate_args=None):
        batch_shape = base_distribution.batch_shape
        if not 0 <= reinterpreted_batch_ndims <= len(batch_shape):
            raise ValueError(f"reinterpreted_batch_ndims must be in [0, {len(batch_shape)}] "
                             f"for a base with batch_shape {batch_shape}, got "
                             f"{reinterpreted_batch_ndims}")
        split = len(batch_shape) - reinterpreted_batch_ndims
        super().__init__(batch_shape[:split],
                         batch_shape[split:] + base_distribution.event_shape, validate_args)
        self.base_dist = base_distribution
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @property
    def mean(self):
        return self.base_dist.mean

    @property
    def mode(self):
        return self.base_dist.mode

    @property
    def variance(self):
        return self.base_dist.variance

    @property
    def stddev(self):
        return self.base_dist.stddev

    def sample(self, sample_shape=(), **kwargs):
        return self.base_dist.sample(sample_shape, **kwargs)

    def rsample(self, sample_shape=(), **kwargs):
        return self.base_dist.rsample(sample_shape, **kwargs)

    def log_prob(self, value):
        return sum_rightmost(self.base_dist.log_prob(value), self.reinterpreted_batch_ndims)

    def entropy(self):
        return sum_rightmost(self.base_dist.entropy(), self.reinterpreted_batch_ndims)


class DiagGaussian(Independent):
    """Gaussian with independent coordinates over the last dim: Independent(Normal, 1).

    loc and scale of shape (..., act_dim) give batch_shape (...) and event_shape (act_dim,).
    """

    def __init__(self, loc, scale, validate_args=None):
        normal = Normal(loc, scale, validate_args=validate_args)
        if not normal.batch_shape:
            raise ValueError("DiagGaussian needs loc and scale with at least 1 dimension "
                             "(the action dimension)")
        super().__init__(normal, 1, validate_args)

    @property
    def loc(self):
        return self.base_dist.loc

    @property
    def scale(self):
        return self.base_dist.scale
