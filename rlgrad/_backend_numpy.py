"""The NumPy backend: arrays of the "cpu" device, and the reference twin of every kernel."""

import numpy as np

from rlgrad._backend import CPU


class NumpyBackend:
    """Array operations for "cpu" that the array API standard does not provide."""

    device_type = "cpu"
    xp = np
    array_type = np.ndarray

    def device_of(self, array):
        return CPU

    def asarray(self, data, dtype=None, device=None, copy=None):
        return np.asarray(data, dtype=dtype, copy=copy)

    def native_dtype(self, dtype):
        return dtype

    def canonical_dtype(self, native):
        return native

    def to_host(self, array):
        return array

    def from_host(self, array, device=None):
        return array

    def is_owned_writeable(self, array):
        """True when `array` may be updated in place without touching any other array."""
        return array.flags.writeable and array.base is None

    def index_add(self, target, index, values):
        """target[index] += values, with repeated indices accumulating."""
        np.add.at(target, index, values)

    def new_array(self, name, *args, dtype, device):
        """`numpy.<name>(*args, dtype=dtype)`: full, arange, linspace, eye..."""
        return getattr(np, name)(*args, dtype=dtype)

    def synchronize(self, device=None):
        """NumPy runs synchronously: nothing to wait for."""

    def make_rng(self, seed, device):
        return np.random.default_rng(seed)

    def draw(self, rng, method, device, *args, **kwargs):
        """`rng.<method>(*args, **kwargs)` (random, standard_normal, integers)."""
        return getattr(rng, method)(*args, **kwargs)

    # Fused elementwise kernels; each is the NumPy twin of a CuPy kernel.

    def tanh_backward(self, grad, out):
        """grad * (1 - out**2) with one temporary."""
        result = out * out
        np.subtract(1, result, out=result)
        result *= grad
        return result

    def sigmoid_backward(self, grad, out):
        """grad * out * (1 - out) with one temporary."""
        result = 1 - out
        result *= out
        result *= grad
        return result

    def relu_backward(self, grad, x):
        """grad where x > 0, else 0 (the gradient at the kink is 0)."""
        return grad * (x > 0)

    def adam_update(self, param, grad, exp_avg, exp_avg_sq, beta1, beta2, step_size, eps,
                    denom_scale):
        """One Adam step in place, PyTorch's arithmetic: m = b1 m + (1-b1) g;
        v = b2 v + (1-b2) g^2; p -= step_size * m / (sqrt(v) / denom_scale + eps)."""
        exp_avg *= beta1
        exp_avg += (1 - beta1) * grad
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * (grad * grad)
        denom = np.sqrt(exp_avg_sq)
        denom /= denom_scale
        denom += eps
        update = exp_avg / denom
        update *= step_size
        param -= update
