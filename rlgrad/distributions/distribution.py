"""`Distribution`: the interface shared by all distributions, with PyTorch's names.

Shapes: a sample has shape sample_shape + batch_shape + event_shape; `log_prob` sums over
the event dims and returns batch_shape (broadcast with the value's leading dims).

Validation of parameters and of `log_prob` values is on by default, as in PyTorch; turn it
off globally with `Distribution.set_default_validate_args(False)` (it costs a device sync on
a GPU) or per instance with `validate_args=False`.
"""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.factories import as_tensor
from rlgrad.tensor import Tensor


class Distribution:
    has_rsample = False
    _validate_default = True

    @staticmethod
    def set_default_validate_args(value):
        """Turn validation of arguments on or off for distributions created afterwards."""
        if value not in (True, False):
            raise ValueError(f"set_default_validate_args expects True or False, got {value!r}")
        Distribution._validate_default = value

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None):
        self._batch_shape = tuple(batch_shape)
        self._event_shape = tuple(event_shape)
        self._validate_args = (Distribution._validate_default if validate_args is None
                               else bool(validate_args))

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def event_shape(self):
        return self._event_shape

    def _extended_shape(self, sample_shape=()):
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        return tuple(sample_shape) + self._batch_shape + self._event_shape

    def sample(self, sample_shape=()):
        """A sample of shape sample_shape + batch_shape + event_shape, carrying no gradient."""
        with no_grad():
            return self.rsample(sample_shape).detach()

    def rsample(self, sample_shape=()):
        raise NotImplementedError(f"{type(self).__name__} has no reparameterized sample "
                                  "(has_rsample is False); use sample() with a score-function "
                                  "estimator")

    def log_prob(self, value):
        raise NotImplementedError(f"{type(self).__name__} does not define log_prob")

    def entropy(self):
        raise NotImplementedError(f"{type(self).__name__} has no closed-form entropy")

    @property
    def mean(self):
        raise NotImplementedError(f"{type(self).__name__} has no closed-form mean")

    @property
    def mode(self):
        raise NotImplementedError(f"{type(self).__name__} has no closed-form mode")

    @property
    def variance(self):
        raise NotImplementedError(f"{type(self).__name__} has no closed-form variance")

    @property
    def stddev(self):
        from rlgrad.ops.unary import sqrt

        return sqrt(self.variance)

    def __repr__(self):
        return (f"{type(self).__name__}(batch_shape={self._batch_shape}, "
                f"event_shape={self._event_shape})")


# --- helpers shared by the distributions --------------------------------------------------


def as_float_tensor(value, like=None):
    """`value` as a floating tensor, on the device of `like` when given."""
    if isinstance(value, Tensor):
        tensor = value
    else:
        device = None if like is None else like.device
        dtype = None if like is None else like.dtype
        tensor = as_tensor(value, dtype=dtype, device=device)
    if tensor.dtype.kind not in "fc":
        tensor = tensor.float()
    return tensor


def broadcast_all(*tensors):
    """The tensors expanded to their common broadcast shape (cast to a common float dtype)."""
    first = next((t for t in tensors if isinstance(t, Tensor)), None)
    tensors = [as_float_tensor(t, first) for t in tensors]
    dtype = np.result_type(*[t.dtype for t in tensors])
    tensors = [t if t.dtype == dtype else t.to(dtype) for t in tensors]
    shape = np.broadcast_shapes(*[t.shape for t in tensors])
    return [t if t.shape == shape else t.expand(shape) for t in tensors]


def any_true(condition):
    """Whether any element of the boolean tensor `condition` is True (a host sync)."""
    xp = _backend.namespace(condition.data)
    return bool(xp.any(condition.data))


def all_true(condition):
    """Whether every element of the boolean tensor `condition` is True (a host sync)."""
    xp = _backend.namespace(condition.data)
    return bool(xp.all(condition.data))


def check(condition_fails, message):
    if any_true(condition_fails):
        raise ValueError(message)


def sum_rightmost(tensor, count):
    """Sum over the last `count` dims."""
    if count == 0:
        return tensor
    return tensor.sum(tuple(range(-count, 0)))
