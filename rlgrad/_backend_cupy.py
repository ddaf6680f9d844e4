"""The CuPy backend: arrays of "cuda" devices, with fused elementwise kernels.

Imported only when a "cuda" device is first asked for, so machines without CuPy never load it.
Operations reach CuPy through `array_api_compat.cupy`: raw CuPy lacks some of the standard's
names that the ops use (`permute_dims`, `astype`, `isdtype`...), and the compat namespace
re-exports CuPy's own functions wherever they already follow the standard, so it costs
nothing on the common calls. Its functions take and return plain `cupy.ndarray`s.

Each fused kernel has a NumPy twin of the same name in `_backend_numpy`; tests compare them.
"""

import functools

from rlgrad._backend import device

# TODO: arrays of a second GPU are created under `cupy.cuda.Device(index)` here, but ops run on
# the current CUDA device; multi-GPU use needs ops to enter their inputs' device as well.


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

        try:
            import array_api_compat.cupy as compat_cupy
        except ImportError as error:
            raise RuntimeError("device 'cuda' needs the array-api-compat package "
                               "(pip install -e .[gpu])") from error
        self.cupy = cupy
        self.xp = compat_cupy
        self.array_type = cupy.ndarray

    def _on(self, target):
        """The context in which CuPy allocates on `target` (the current GPU when None)."""
        index = None if target is None else target.index
        return self.cupy.cuda.Device(index)

    def device_of(self, array):
        return device("cuda", array.device.id)

    def native_dtype(self, dtype):
        return dtype

    def canonical_dtype(self, native):
        return native

    def asarray(self, data, dtype=None, device=None, copy=None):
        with self._on(device):
            return self.cupy.array(data, dtype=dtype, copy=True if copy is None else copy)

    def from_host(self, array, device=None):
        with self._on(device):
            return self.cupy.asarray(array)

    def to_host(self, array):
        return self.cupy.asnumpy(array)

    def new_array(self, name, *args, dtype, device):
        """`cupy.<name>(*args, dtype=dtype)` allocated on `device` (full, arange, eye...)."""
        with self._on(device):
            return getattr(self.cupy, name)(*args, dtype=dtype)

    def synchronize(self, device=None):
        with self._on(None if device is None else device):
            self.cupy.cuda.Device().synchronize()

    def is_owned_writeable(self, array):
        """True when `array` owns its memory (CuPy arrays are always writeable)."""
        return array.base is None

    def index_add(self, target, index, values):
        """target[index] += values, with repeated indices accumulating."""
        if hasattr(self.cupy.add, "at"):
            self.cupy.add.at(target, index, values)
        else:  # CuPy before ufunc.at
            import cupyx

            cupyx.scatter_add(target, index, values)

    def make_rng(self, seed, device):
        """A cuRAND-backed generator that lives on `device`: numbers are drawn on the GPU."""
        with self._on(device):
            return self.cupy.random.default_rng(seed)

    def draw(self, rng, method, device, *args, **kwargs):
        """`rng.<method>(*args, **kwargs)` on `device` (random, standard_normal, integers)."""
        with self._on(device):
            return getattr(rng, method)(*args, **kwargs)

    def tanh_backward(self, grad, out):
        return _kernels()["tanh_backward"](grad, out)

    def sigmoid_backward(self, grad, out):
        return _kernels()["sigmoid_backward"](grad, out)

    def relu_backward(self, grad, x):
        return _kernels()["relu_backward"](grad, x)

    def adam_update(self, param, grad, exp_avg, exp_avg_sq, beta1, beta2, step_size, eps,
                    denom_scale):
        dtype = param.dtype.type
        _kernels()["adam_update"](grad, dtype(beta1), dtype(beta2), dtype(step_size), dtype(eps),
                                  dtype(denom_scale), param, exp_avg, exp_avg_sq)


def is_available():
    """Whether CuPy is installed and sees at least one GPU (see `rlgrad.cuda`)."""
    from rlgrad import cuda

    return cuda.is_available()
