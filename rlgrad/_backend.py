"""The one place that knows the array libraries behind rlgrad's devices.

A tensor's array belongs to one backend: NumPy for "cpu", CuPy for "cuda" and the
array-api-strict package for the "array_api_strict" stand-in device that tests use in place of
a GPU. Operations reach their array namespace through `namespace(array)`, a dictionary lookup
on the array's type, so choosing the backend costs nothing measurable on the CPU fast path;
NumPy 2 is itself an array API namespace, so the CPU path calls NumPy directly.

Everything the array API standard lacks is a method of the backend objects
(`_backend_numpy.NumpyBackend`, `_backend_cupy.CupyBackend`, `_backend_strict.StrictBackend`),
which share one protocol: `xp`, `array_type`, `device_of`, `native_dtype`/`canonical_dtype`,
`asarray`, `from_host`/`to_host`, `new_array` (factories made on the device itself),
`index_add` (scatter-add), `make_rng`/`draw` (random numbers on the device), `synchronize`,
`is_owned_writeable`, and the fused kernels `tanh_backward`, `sigmoid_backward`,
`relu_backward` and `adam_update`, each with its NumPy twin.

CuPy and array-api-strict are imported only when a device of theirs is first asked for.
"""

import importlib.util

import numpy as np

_NAMESPACE_BY_TYPE = {np.ndarray: np}
_BACKEND_BY_TYPE = {}
_BACKEND_BY_DEVICE_TYPE = {}

DEVICE_TYPES = ("cpu", "cuda", "array_api_strict")


class device:
    """A place where tensors live: `device("cpu")`, `device("cuda")`, `device("cuda:1")`.

    Follows PyTorch: `type` is the kind of device and `index` the ordinal (None for "cpu").
    The stand-in test device is `device("array_api_strict")`.
    """

    __slots__ = ("type", "index")

    def __init__(self, spec, index=None):
        if isinstance(spec, device):
            self.type, self.index = spec.type, spec.index
            return
        if not isinstance(spec, str):
            raise TypeError(f"device must be a string or rlgrad.device, got {type(spec).__name__}")
        kind, _, ordinal = spec.partition(":")
        if kind not in DEVICE_TYPES:
            raise ValueError(f"unknown device {spec!r}; expected one of {', '.join(DEVICE_TYPES)}")
        if ordinal:
            if not ordinal.isdigit():
                raise ValueError(f"device index must be a non-negative integer, got {spec!r}")
            index = int(ordinal)
        if kind == "cuda" and index is None:
            index = 0
        self.type, self.index = kind, index if kind == "cuda" else None

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


CPU = device("cpu")


def as_device(spec):
    """Return `spec` as a `device`; None means the CPU."""
    if spec is None:
        return CPU
    return spec if isinstance(spec, device) else device(spec)


def namespace(array):
    """The array namespace (module) that operates on `array`."""
    try:
        return _NAMESPACE_BY_TYPE[type(array)]
    except KeyError:
        return backend_of(array).xp


def backend_of(array):
    """The `Backend` that owns `array`."""
    backend = _BACKEND_BY_TYPE.get(type(array))
    if backend is None:
        raise TypeError(f"rlgrad tensors hold arrays of NumPy, CuPy or array-api-strict, "
                        f"got {type(array).__module__}.{type(array).__name__}")
    return backend


def backend_for(spec):
    """The `Backend` for a device (a `device` or a string); raises if it is unavailable."""
    dev = as_device(spec)
    backend = _BACKEND_BY_DEVICE_TYPE.get(dev.type)
    if backend is None:
        backend = _load_backend(dev.type)
    return backend


def device_of(array):
    """The rlgrad `device` that holds `array`."""
    if type(array) is np.ndarray:
        return CPU
    return backend_of(array).device_of(array)


def check_same_device(arrays, op_name):
    """Raise if `arrays` do not all live on one device, naming both devices and the op."""
    first = arrays[0]
    first_type = type(first)
    for other in arrays[1:]:
        if type(other) is first_type and (first_type is np.ndarray or other.device == first.device):
            continue
        raise RuntimeError(f"expected all tensors on the same device, got {device_of(first)} and "
                           f"{device_of(other)} in {op_name}; move one with .to(device)")


def _register(backend, array_type):
    _NAMESPACE_BY_TYPE[array_type] = backend.xp
    _BACKEND_BY_TYPE[array_type] = backend
    _BACKEND_BY_DEVICE_TYPE[backend.device_type] = backend


def _load_backend(device_type):
    if device_type == "cuda":
        from rlgrad import cuda

        reason = cuda.unavailable_reason()
        if reason is not None:
            raise RuntimeError(f"device 'cuda' is not available: {reason}")
        from rlgrad._backend_cupy import CupyBackend
        backend = CupyBackend()
    elif device_type == "array_api_strict":
        if importlib.util.find_spec("array_api_strict") is None:
            raise RuntimeError("device 'array_api_strict' needs the array-api-strict package "
                               "(pip install -e .[test])")
        from rlgrad._backend_strict import StrictBackend
        backend = StrictBackend()
    else:
        raise ValueError(f"unknown device type {device_type!r}")
    _register(backend, backend.array_type)
    return backend


from rlgrad._backend_numpy import NumpyBackend  # noqa: E402  (needs `device` above)

_register(NumpyBackend(), np.ndarray)
