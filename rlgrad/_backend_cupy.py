"""The CuPy backend: arrays of "cuda" devices, with fused elementwise kernels.

Imported only when a "cuda" device is first asked for, so machines without CuPy never load it.
Each fused kernel has a NumPy twin of the same name in `_backend_numpy`; tests compare them.
"""

import functools

from rlgrad._backend import device


def cupy_array_type():
    import cupy

    return cupy.ndarray


@functools.lru_cache(maxsize=None)
def _kernels():
    import cupy

    tanh_backward = cupy.ElementwiseKernel(
        "T grad, T out", "T result", "result = grad * (1 - out * out)", "rlgrad_tanh_backward")
    sigmoid_backward = cupy.ElementwiseKernel(
        "T grad, T out", "T result", "result = grad * out * (1 - out)", "rlgrad_sigmoid_backward")
    relu_backward = cupy.ElementwiseKernel(
        "T grad, T x", "T result", "result = x > 0 ? grad : (T)0", "rlgrad_relu_backward")
    adam_update = cupy.ElementwiseKernel(
        "T grad, T beta1, T beta2, T step_size, T eps, T denom_scale",
        "T param, T exp_avg, T exp_avg_sq",
        """
        exp_avg = beta1 * exp_avg + (1 - beta1) * grad;
        exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * grad * grad;
        param -= step_size * exp_avg / (sqrt(exp_avg_sq) / denom_scale + eps);
        """,
        "rlgrad_adam_update")
    return {"tanh_backward": tanh_backward, "sigmoid_backward": sigmoid_backward,
            "relu_backward": relu_backward, "adam_update": adam_update}


class CupyBackend:
    """Array operations for "cuda" devices that the array API standard does not provide."""

    device_type = "cuda"

    def __init__(self):
        import cupy

        self.cupy = cupy
        self.xp = cupy

    def device_of(self, array):
        return device("cuda", array.device.id)

    def native_dtype(self, dtype):
        return dtype

    def canonical_dtype(self, native):
        return native

    def asarray(self, data, dtype=None, device=None, copy=None):
        index = 0 if device is None or device.index is None else device.index
        with self.cupy.cuda.Device(index):
            return self.cupy.array(data, dtype=dtype, copy=True if copy is None else copy)

    def from_host(self, array, device=None):
        return self.asarray(array, device=device)

    def to_host(self, array):
        return self.cupy.asnumpy(array)

    def is_owned_writeable(self, array):
        return False

    def index_add(self, target, index, values):
        import cupyx

        cupyx.scatter_add(target, index, values)

    def make_rng(self, seed):
        return self.cupy.random.default_rng(seed)

    def rng_to_device(self, array, device):
        return array

    def tanh_backward(self, grad, out):
        return _kernels()["tanh_backward"](grad, out)

    def sigmoid_backward(self, grad, out):
        return _kernels()["sigmoid_backward"](grad, out)

    def relu_backward(self, grad, x):
        return _kernels()["relu_backward"](grad, x)

    def adam_update(self, param, grad, exp_avg, exp_avg_sq, beta1, beta2, step_size, eps, denom_scale):
        dtype = param.dtype.type
        _kernels()["adam_update"](grad, dtype(beta1), dtype(beta2), dtype(step_size), dtype(eps),
                                  dtype(denom_scale), param, exp_avg, exp_avg_sq)


def is_available():
    """Whether CuPy is installed and sees at least one GPU."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # CuPy without a driver raises several kinds of errors
        return False


