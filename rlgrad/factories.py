"""Creating tensors: `tensor`, `as_tensor`, `zeros`, `ones`, `full`, `arange`, `eye`, `rand`,
`randn`, `randint` and their `*_like` forms. Float data defaults to float32, as in PyTorch."""

import numbers

import numpy as np

from rlgrad import _backend
from rlgrad.tensor import Tensor, wrap

DEFAULT_FLOAT = np.dtype(np.float32)


def _canonical_dtype(dtype):
    return None if dtype is None else np.dtype(dtype)


def _host_array(data, dtype):
    """`data` as a NumPy array with PyTorch's default dtypes."""
    if isinstance(data, Tensor):
        data = data._host_array()
    if isinstance(data, (list, tuple)) and any(isinstance(item, Tensor) for item in _flat(data)):
        data = _nested_tensors_to_host(data)
    array = np.asarray(data, dtype=dtype)
    if dtype is None:
        if array.dtype == np.float64 and not _is_numpy_float64(data):
            array = array.astype(DEFAULT_FLOAT)
        elif array.dtype.kind == "i" and array.dtype != np.int64 and not isinstance(data,
                                                                                   np.ndarray):
            array = array.astype(np.int64)
        elif array.dtype.kind not in "biuf":
            raise TypeError(f"cannot make a tensor from data of dtype {array.dtype}")
    return array


def _flat(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _flat(item)
        else:
            yield item


def _nested_tensors_to_host(items):
    if isinstance(items, (list, tuple)):
        return [_nested_tensors_to_host(item) for item in items]
    return items._host_array() if isinstance(items, Tensor) else items


def _is_numpy_float64(data):
    """NumPy float64 arrays keep their dtype (as torch.from_numpy); Python floats become float32."""
    return isinstance(data, (np.ndarray, np.floating)) and data.dtype == np.float64


def as_array(data, dtype=None, device=None):
    """`data` as an array of the backend of `device`, copied from whatever it was."""
    dtype = _canonical_dtype(dtype)
    target = _backend.as_device(device)
    if target.type == "cpu":
        if isinstance(data, Tensor) and type(data.data) is np.ndarray:
            return np.array(data.data, dtype=dtype, copy=True)
        return np.array(_host_array(data, dtype), copy=True)
    backend = _backend.backend_for(target)
    if isinstance(data, Tensor) and _backend.device_of(data.data) == target:
        return backend.asarray(data.data, dtype=dtype, copy=True)
    return backend.from_host(_host_array(data, dtype), target)


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of `data` (nested lists, NumPy arrays, numbers, tensors)."""
    return Tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


def as_tensor(data, dtype=None, device=None):
    """`data` as a tensor, sharing memory with a NumPy array where dtype and device allow."""
    if isinstance(data, Tensor):
        result = data
        if device is not None and result.device != _backend.as_device(device):
            result = result.to(device)
        if dtype is not None and result.dtype != np.dtype(dtype):
            result = result.to(dtype)
        return result
    target = _backend.as_device(device)
    if target.type == "cpu":
        if type(data) is np.ndarray and (dtype is None or data.dtype == np.dtype(dtype)):
            return wrap(data)
        return wrap(_host_array(data, _canonical_dtype(dtype)))
    return wrap(as_array(data, dtype, target))


def from_numpy(array):
    """A cpu tensor sharing memory with the NumPy array `array`."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a NumPy array, got {type(array).__name__}")
    return wrap(array)


def _size(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _filled(shape, value, dtype, device, requires_grad):
    if dtype is None:
        dtype = DEFAULT_FLOAT if isinstance(value, float) else (
            np.dtype(np.bool_) if isinstance(value, bool) else np.dtype(np.int64))
    return _created("full", (shape, value), dtype, device, requires_grad)


def _created(name, args, dtype, device, requires_grad):
    """A tensor around `<xp>.<name>(*args)` made directly on `device`, never via the host."""
    dtype = np.dtype(dtype)
    target = _backend.as_device(device)
    if target.type == "cpu":
        array = getattr(np, name)(*args, dtype=dtype)
    else:
        array = _backend.backend_for(target).new_array(name, *args, dtype=dtype, device=target)
    result = wrap(array)
    return result.requires_grad_() if requires_grad else result


def zeros(*shape, dtype=None, device=None, requires_grad=False):
    return _filled(_size(shape), 0.0, dtype, device, requires_grad)


def ones(*shape, dtype=None, device=None, requires_grad=False):
    return _filled(_size(shape), 1.0, dtype, device, requires_grad)


def empty(*shape, dtype=None, device=None, requires_grad=False):
    return zeros(*shape, dtype=dtype, device=device, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if isinstance(fill_value, numbers.Number) and not isinstance(fill_value, (bool, int, float)):
        fill_value = fill_value.item() if hasattr(fill_value, "item") else float(fill_value)
    return _filled(tuple(size) if not isinstance(size, int) else (size,), fill_value, dtype,
                   device, requires_grad)


def _like(input, dtype, device):
    return (input.dtype if dtype is None else dtype), (input.device if device is None else device)


def zeros_like(input, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return zeros(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return ones(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return full(input.shape, fill_value, dtype=dtype, device=device, requires_grad=requires_grad)


def empty_like(input, dtype=None, device=None, requires_grad=False):
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Values from `start` up to, not including, `end`; integers unless a bound is a float."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        floating = any(isinstance(value, float) for value in (start, end, step))
        dtype = DEFAULT_FLOAT if floating else np.int64
    return _created("arange", (start, end, step), dtype, device, requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """`steps` evenly spaced values from `start` to `end`, both included."""
    return _created("linspace", (start, end, steps), dtype or DEFAULT_FLOAT, device,
                    requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    """An (n, m) matrix (m defaults to n) with ones on the diagonal."""
    return _created("eye", (n, n if m is None else m), dtype or DEFAULT_FLOAT, device,
                    requires_grad)
