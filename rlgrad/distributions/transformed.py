"""`TransformedDistribution`: a base distribution pushed through elementwise bijections,
e.g. the tanh-squashed Gaussian of SAC."""

from rlgrad.autograd.grad_mode import no_grad
from rlgrad.distributions.distribution import Distribution, sum_rightmost
from rlgrad.distributions.transforms import Transform


class TransformedDistribution(Distribution):
    """Y = T_n(...T_1(X)) with X ~ base_distribution and each T elementwise.

    log p(y) = log p_X(x) - sum_i log |dT_i/dx| (summed over the base's event dims). Mean,
    mode and entropy have no closed form and raise; for a deterministic squashed action use
    `transform(base.mode)`.
    """

    def __init__(self, base_distribution, transforms, validate_args=None):
        if isinstance(transforms, Transform):
            transforms = [transforms]
        transforms = list(transforms)
        for transform in transforms:
            if not isinstance(transform, Transform):
                raise TypeError(f"transforms must be Transform objects, got "
                                f"{type(transform).__name__}")
        super().__init__(base_distribution.batch_shape, base_distribution.event_shape,
                         validate_args)
        self.base_dist = base_distribution
        self.transforms = transforms

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    def _push(self, x):
        for transform in self.transforms:
            x = transform(x)
        return x

    def sample(self, sample_shape=(), **kwargs):
        with no_grad():
            return self._push(self.base_dist.sample(sample_shape, **kwargs))

    def rsample(self, sample_shape=(), **kwargs):
        return self._push(self.base_dist.rsample(sample_shape, **kwargs))

    def log_prob(self, value):
        event_ndims = len(self.event_shape)
        correction = None
        y = value
        for transform in reversed(self.transforms):
            x = transform.inv(y)
            term = sum_rightmost(transform.log_abs_det_jacobian(x, y), event_ndims)
            correction = term if correction is None else correction + term
            y = x
        log_prob = self.base_dist.log_prob(y)
        return log_prob if correction is None else log_prob - correction
