"""`Categorical`: a distribution over {0, ..., K-1} given logits or probabilities."""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.functional import log_softmax
from rlgrad.ops.indexing import take_along_dim
from rlgrad.random import default_generator
from rlgrad.tensor import Tensor, wrap


class Categorical:
    """Categorical distribution over the last dimension of `logits` (or `probs`).

    `logits` are normalised with a stable log-softmax; batch shape is everything before the
    last dimension. `sample()` draws on the logits' device and carries no gradient.
    """

    has_rsample = False

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Categorical needs exactly one of probs= or logits=")
        if probs is not None:
            probs = probs if isinstance(probs, Tensor) else Tensor(probs)
            if validate_args and bool((probs < 0).data.any()):
                raise ValueError("Categorical probs must be non-negative")
            logits = (probs / probs.sum(-1, keepdim=True)).log()
        logits = logits if isinstance(logits, Tensor) else Tensor(logits)
        if logits.ndim < 1:
            raise ValueError(f"Categorical logits need at least 1 dimension, got shape "
                             f"{logits.shape}")
        self.logits = log_softmax(logits, -1)
        self.batch_shape = logits.shape[:-1]
        self.event_shape = ()
        self.num_categories = logits.shape[-1]

    @property
    def probs(self):
        return self.logits.exp()

    @property
    def mode(self):
        return wrap(_backend.namespace(self.logits.data).argmax(self.logits.data, axis=-1))

    def sample(self, sample_shape=(), generator=None):
        """Draw integer categories of shape sample_shape + batch_shape, by inverse CDF."""
        with no_grad():
            data = self.logits.data
            xp = _backend.namespace(data)
            cdf = xp.cumulative_sum(xp.exp(data), axis=-1)
            shape = tuple(sample_shape) + self.batch_shape + (1,)
            source = generator or default_generator(self.logits.device)
            uniform = source.uniform(shape, dtype=_backend_dtype(data)) * cdf[..., -1:]
            counts = xp.sum(xp.astype(cdf < uniform, xp.int64), axis=-1)
            return wrap(xp.minimum(counts, self.num_categories - 1))

    def log_prob(self, value):
        """Log-probability of integer categories `value` (broadcast against batch_shape)."""
        value = value if isinstance(value, Tensor) else Tensor(np.asarray(value),
                                                               device=self.logits.device)
        if value.dtype.kind not in "iu":
            raise TypeError(f"Categorical.log_prob expects integer categories, got dtype "
                            f"{value.dtype}")
        xp = _backend.namespace(value.data)
        index = xp.reshape(value.data, value.shape + (1,))
        logits = self.logits
        shape = np.broadcast_shapes(value.shape, self.batch_shape)
        if logits.shape[:-1] != shape:
            logits = logits.expand(*shape, self.num_categories)
        index = xp.broadcast_to(index, shape + (1,))
        return take_along_dim(logits, wrap(index), -1).reshape(shape)

    def entropy(self):
        """-sum p log p, with 0 log 0 taken as 0."""
        # Clamping -inf logits to the dtype's lowest finite value keeps 0 * log 0 at 0 in
        # the forward pass and free of nan in the backward pass.
        lowest = float(np.finfo(self.logits.dtype).min)
        logits = self.logits.maximum(Tensor(lowest, dtype=self.logits.dtype,
                                            device=self.logits.device))
        return -(logits.exp() * logits).sum(-1)


def _backend_dtype(array):
    if type(array) is np.ndarray:
        return array.dtype
    return _backend.backend_of(array).canonical_dtype(array.dtype)
