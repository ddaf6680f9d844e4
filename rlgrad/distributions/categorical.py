"""`Categorical`: a distribution over {0, ..., K-1} given logits or probabilities."""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.distributions.distribution import Distribution, as_float_tensor, check
from rlgrad.functional import log_softmax
from rlgrad.ops.elementwise import where
from rlgrad.ops.indexing import take_along_dim
from rlgrad.random import default_generator
from rlgrad.tensor import Tensor, wrap


class Categorical(Distribution):
    """Categorical distribution over the last dimension of `logits` (or `probs`).

    `logits` are normalised with a stable log-softmax (a -inf logit masks an action);
    batch shape is everything before the last dimension. `probs` need not sum to 1: they
    are normalised. `sample()` draws on the logits' device and carries no gradient.
    """

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Categorical needs exactly one of probs= or logits=")
        super().__init__(validate_args=validate_args)
        if probs is not None:
            probs = as_float_tensor(probs)
            if self._validate_args:
                check(probs < 0, "Categorical probs must be non-negative")
                check(probs != probs, "Categorical probs contain nan")
            with np.errstate(divide="ignore"):
                logits = (probs / probs.sum(-1, keepdim=True)).log()
        logits = as_float_tensor(logits)
        if logits.ndim < 1:
            raise ValueError(f"Categorical logits need at least 1 dimension, got shape "
                             f"{logits.shape}")
        if self._validate_args:
            check(logits != logits, "Categorical logits contain nan")
        self.logits = log_softmax(logits, -1)
        self._batch_shape = logits.shape[:-1]
        self.num_categories = logits.shape[-1]

    @property
    def probs(self):
        return self.logits.exp()

    @property
    def param_shape(self):
        return self.logits.shape

    @property
    def mode(self):
        return wrap(_backend.namespace(self.logits.data).argmax(self.logits.data, axis=-1))

    def sample(self, sample_shape=(), generator=None):
        """Integer categories of shape sample_shape + batch_shape, by inverse CDF."""
        with no_grad():
            data = self.logits.data
            xp = _backend.namespace(data)
            cdf = xp.cumulative_sum(xp.exp(data), axis=-1)
            shape = self._extended_shape(sample_shape) + (1,)
            source = generator or default_generator(self.logits.device)
            uniform = source.uniform(shape, dtype=self.logits.dtype) * cdf[..., -1:]
            counts = xp.sum(xp.astype(cdf < uniform, xp.int64), axis=-1)
            return wrap(xp.minimum(counts, self.num_categories - 1))

    def log_prob(self, value):
        """Log-probability of integer categories `value` (broadcast against batch_shape)."""
        if not isinstance(value, Tensor):
            value = Tensor(np.asarray(value), device=self.logits.device)
        if value.dtype.kind not in "iu":
            raise TypeError(f"Categorical.log_prob expects integer categories, got dtype "
                            f"{value.dtype}")
        if self._validate_args:
            message = f"Categorical.log_prob values must be in [0, {self.num_categories - 1}]"
            check(value < 0, message)
            check(value >= self.num_categories, message)
        xp = _backend.namespace(value.data)
        shape = np.broadcast_shapes(value.shape, self._batch_shape)
        index = xp.broadcast_to(xp.reshape(value.data, value.shape + (1,)), shape + (1,))
        logits = self.logits
        if logits.shape[:-1] != shape:
            logits = logits.expand(*shape, self.num_categories)
        return take_along_dim(logits, wrap(index), -1).reshape(shape)

    def entropy(self):
        """-sum p log p, with 0 log 0 taken as 0."""
        logits = finite_logits(self.logits)
        return -(logits.exp() * logits).sum(-1)


def finite_logits(logits):
    """`logits` with -inf raised to the dtype's lowest finite value: keeps 0 * log 0 at 0 in
    the forward pass and free of nan in the backward pass."""
    lowest = float(np.finfo(logits.dtype).min)
    return where(logits < lowest, lowest, logits)
