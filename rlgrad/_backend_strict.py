"""The stand-in device for tests: arrays of array-api-strict's "device1".

Like a GPU, these arrays refuse silent conversion to NumPy and refuse to mix with arrays of
another device, so a test suite that passes here cannot hide a stray `numpy` call. Everything
beyond the standard is done with standard operations, slowly but exactly.
"""

import numpy as np

from rlgrad._backend import device

_STRICT_DEVICE = device("array_api_strict")


class StrictBackend:
    """Array operations for the "array_api_strict" stand-in device."""

    device_type = "array_api_strict"

    def __init__(self):
        import array_api_strict

        self.xp = array_api_strict
        self.array_type = type(array_api_strict.asarray(0))
        self.native_device = array_api_strict.Device("device1")
        self._host_device = array_api_strict.Device("CPU_DEVICE")
        self._to_native = {np.dtype(name): getattr(array_api_strict, name) for name in (
            "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
            "float32", "float64")}
        self._to_canonical = {native: canonical for canonical, native in self._to_native.items()}

    def device_of(self, array):
        return _STRICT_DEVICE

    def native_dtype(self, dtype):
        if dtype is None:
            return None
        native = self._to_native.get(np.dtype(dtype))
        if native is None:
            raise TypeError(f"dtype {np.dtype(dtype)} is not supported on the array_api_strict "
                            f"device; use one of {', '.join(map(str, self._to_native))}")
        return native

    def canonical_dtype(self, native):
        return self._to_canonical[native]

    def asarray(self, data, dtype=None, device=None, copy=None):
        if isinstance(data, self.array_type):
            return self.xp.asarray(data, dtype=self.native_dtype(dtype), copy=copy)
        host = np.asarray(data, dtype=dtype)
        return self.from_host(host)

    def from_host(self, array, device=None):
        return self.xp.asarray(np.array(array, copy=True), device=self.native_device)

    def to_host(self, array):
        return np.asarray(array.to_device(self._host_device))

    def is_owned_writeable(self, array):
        return False

    def index_add(self, target, index, values):
        """target[index] += values, with repeated indices accumulating.

        Basic indices (ints, slices, None, Ellipsis) cannot repeat, so an assignment adds.
        A single integer index array along the first axis is a one-hot contraction.
        """
        xp = self.xp
        if not isinstance(index, tuple):
            index = (index,)
        if all(isinstance(part, (int, slice, type(None), type(Ellipsis))) for part in index):
            target[index] = target[index] + values
            return
        if len(index) == 1 and isinstance(index[0], self.array_type):
            positions = index[0]
            if xp.isdtype(positions.dtype, "bool"):
                positions = xp.nonzero(positions)[0] if positions.ndim == 1 else None
            if positions is not None:
                rows = target.shape[0]
                positions = xp.where(positions < 0, positions + rows, positions)
                flat_values = xp.reshape(values, (positions.shape[0], -1))
                onehot = xp.astype(positions[:, None] == xp.arange(rows, device=self.native_device),
                                   flat_values.dtype)
                added = xp.matmul(xp.matrix_transpose(onehot), flat_values)
                target[...] = target + xp.reshape(added, target.shape)
                return
        if len(index) == target.ndim and all(isinstance(part, self.array_type)
                                             and xp.isdtype(part.dtype, "integral")
                                             for part in index):
            self._scatter_full_index(target, index, values)
            return
        raise NotImplementedError("the array_api_strict stand-in device supports gradients of "
                                  "basic indexing, of one integer index array on the first axis "
                                  "and of one integer index array per axis only")

    def _scatter_full_index(self, target, index, values):
        """target[i0, i1, ...] += values for integer arrays, one per axis, broadcast together."""
        xp = self.xp
        parts = xp.broadcast_arrays(*index)
        flat = xp.zeros(parts[0].shape, dtype=xp.int64, device=self.native_device)
        for part, extent in zip(parts, target.shape):
            flat = flat * extent + xp.where(part < 0, part + extent, part)
        size = 1
        for extent in target.shape:
            size *= extent
        flat = xp.reshape(flat, (-1,))
        flat_values = xp.reshape(xp.broadcast_to(values, parts[0].shape), (1, -1))
        onehot = xp.astype(flat[:, None] == xp.arange(size, device=self.native_device),
                           flat_values.dtype)
        added = xp.reshape(xp.matmul(flat_values, onehot), target.shape)
        target[...] = target + added

    def new_array(self, name, *args, dtype, device):
        """`array_api_strict.<name>(*args)` made on device1 itself (full, arange, eye...)."""
        return getattr(self.xp, name)(*args, dtype=self.native_dtype(dtype),
                                      device=self.native_device)

    def synchronize(self, device=None):
        """The stand-in runs synchronously: nothing to wait for."""

    def make_rng(self, seed, device):
        """array-api-strict has no random numbers: draw with NumPy's generator on the host,
        so a seed gives the same numbers here as on "cpu"."""
        return np.random.default_rng(seed)

    def draw(self, rng, method, device, *args, **kwargs):
        return self.from_host(getattr(rng, method)(*args, **kwargs))

    def tanh_backward(self, grad, out):
        return grad * (1 - out * out)

    def sigmoid_backward(self, grad, out):
        return grad * out * (1 - out)

    def relu_backward(self, grad, x):
        return self.xp.where(x > 0, grad, self.xp.zeros_like(grad))

    def adam_update(self, param, grad, exp_avg, exp_avg_sq, beta1, beta2, step_size, eps,
                    denom_scale):
        xp = self.xp
        exp_avg[...] = exp_avg * beta1 + grad * (1 - beta1)
        exp_avg_sq[...] = exp_avg_sq * beta2 + grad * grad * (1 - beta2)
        denom = xp.sqrt(exp_avg_sq) / denom_scale + eps
        param[...] = param - step_size * (exp_avg / denom)
