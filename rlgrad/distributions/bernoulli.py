"""`Bernoulli`: a distribution over {0, 1} given the probability or the logit of 1."""

import numpy as np

from rlgrad.autograd.grad_mode import no_grad
from rlgrad.distributions.distribution import Distribution, as_float_tensor, check
from rlgrad.ops.activations import softplus
from rlgrad.ops.unary import clamp, log1p, sqrt
from rlgrad.ops.elementwise import where
from rlgrad.random import default_generator
from rlgrad.tensor import wrap


class Bernoulli(Distribution):
    """P(1) = probs = sigmoid(logits); samples are 0.0 or 1.0 in the parameters' dtype.

    Densities are computed from logits (softplus form), so they stay finite and exact for
    large |logits|. Probabilities of exactly 0 or 1 are clamped by one machine epsilon when
    turned into logits, as in PyTorch.
    """

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Bernoulli needs exactly one of probs= or logits=")
        super().__init__(validate_args=validate_args)
        if probs is not None:
            probs = as_float_tensor(probs)
            if self._validate_args:
                check(probs < 0, "Bernoulli probs must be in [0, 1]")
                check(probs > 1, "Bernoulli probs must be in [0, 1]")
                check(probs != probs, "Bernoulli probs contain nan")
            self._probs = probs
            epsilon = float(np.finfo(probs.dtype).eps)
            clamped = clamp(probs, min=epsilon, max=1.0 - epsilon)
            self.logits = clamped.log() - log1p(-clamped)
        else:
            self.logits = as_float_tensor(logits)
            self._probs = None
            if self._validate_args:
                check(self.logits != self.logits, "Bernoulli logits contain nan")
        self._batch_shape = self.logits.shape

    @property
    def probs(self):
        return self._probs if self._probs is not None else self.logits.sigmoid()

    @property
    def mean(self):
        return self.probs

    @property
    def variance(self):
        return self.probs * (1.0 - self.probs)

    @property
    def stddev(self):
        return sqrt(self.variance)

    @property
    def mode(self):
        """1 where probs > 1/2, 0 where below, nan where exactly 1/2 (no unique mode)."""
        probs = self.probs.detach()
        ones = (probs > 0.5).to(probs.dtype)
        return where(probs == 0.5, float("nan"), ones)

    def sample(self, sample_shape=(), generator=None):
        with no_grad():
            probs = self.probs
            source = generator or default_generator(probs.device)
            shape = self._extended_shape(sample_shape)
            uniform = wrap(source.uniform(shape, dtype=probs.dtype))
            return (uniform < probs).to(probs.dtype)

    def log_prob(self, value):
        """value * log p + (1 - value) * log(1 - p) = -(value softplus(-l) +
        (1 - value) softplus(l)), with l the logits."""
        value = as_float_tensor(value, self.logits)
        if self._validate_args:
            # v (1 - v) is 0 exactly for v in {0, 1} (and nan for nan).
            check(value * (1.0 - value) != 0, "Bernoulli.log_prob values must be 0 or 1")
        return -(softplus(-self.logits) * value + softplus(self.logits) * (1.0 - value))

    def entropy(self):
        probs = self.probs
        return softplus(-self.logits) * probs + softplus(self.logits) * (1.0 - probs)
