"""Indexing: `x[index]` with slices, integers, None, Ellipsis, integer and boolean tensors,
and `x[index] = value`. The gradient of a gather scatters back with accumulation, so repeated
indices add up."""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.tensor import Tensor, mark_view


def _native_index(index, like):
    """`index` with tensors and lists replaced by arrays of the backend of `like`."""
    if isinstance(index, tuple):
        return tuple(_native_index(part, like) for part in index)
    if isinstance(index, Tensor):
        _backend.check_same_device([like, index.data], "indexing")
        return index.data
    if isinstance(index, (list, np.ndarray)):
        array = np.asarray(index)
        if array.dtype.kind not in "iub":
            raise IndexError(f"tensors used as indices must be integer or boolean, "
                             f"got dtype {array.dtype}")
        if type(like) is np.ndarray:
            return array
        return _backend.backend_of(like).from_host(array)
    return index


class GetItem(Function):
    def forward(self, x, index):
        self.index = index
        self.input_shape = tuple(x.shape)
        self.unexpanded_shape = None
        if type(x) is not np.ndarray:
            if _is_integer_array(index):
                return _backend.namespace(x).take(x, index, axis=0)
            if isinstance(index, tuple) and any(part is None for part in index):
                # The array API cannot assign through None, which backward needs: keep the
                # shape without the new axes and index without them there.
                self.index = tuple(part for part in index if part is not None)
                self.unexpanded_shape = tuple(x[self.index].shape)
        return x[index]

    def backward(self, grad):
        if self.unexpanded_shape is not None:
            grad = grad.reshape(self.unexpanded_shape)
        return IndexAddInto.apply(grad, self.input_shape, grad.dtype, self.index)


class IndexAddInto(Function):
    """zeros(shape)[index] += grad: the adjoint of `GetItem`."""

    def forward(self, grad, shape, dtype, index):
        self.index = index
        xp = _backend.namespace(grad)
        target = xp.zeros(shape, dtype=grad.dtype, **_device_kwargs(grad))
        _backend.backend_of(grad).index_add(target, index, grad)
        return target

    def backward(self, grad):
        return GetItem.apply(grad, self.index)


def _device_kwargs(array):
    if type(array) is np.ndarray:
        return {}
    return {"device": array.device}


def getitem(input, index):
    native = _native_index(index, input.data)
    if type(input.data) is not np.ndarray:
        native = _explicit_rest(native)
    return mark_view(GetItem.apply(input, native), input)


def _is_integer_array(index):
    dtype = getattr(index, "dtype", None)
    return dtype is not None and _backend.namespace(index).isdtype(dtype, "integral")


def _explicit_rest(index):
    """The array API needs a trailing Ellipsis where NumPy implies the remaining axes."""
    parts = index if isinstance(index, tuple) else (index,)
    if any(part is Ellipsis or _is_integer_array(part) for part in parts):
        return index
    if len(parts) == 1 and getattr(parts[0], "dtype", None) is not None and \
            "bool" in str(parts[0].dtype):
        return index
    return parts + (Ellipsis,)


def setitem(tensor, index, value):
    """tensor[index] = value, in place, recorded when a gradient flows through either side."""
    from rlgrad.autograd import grad_mode
    from rlgrad.ops._operands import scalar_value, to_tensor

    native = _native_index(index, tensor.data)
    tracked = grad_mode.state.enabled and (
        tensor.requires_grad or getattr(value, "requires_grad", False))
    tensor._check_view_inplace("__setitem__", value)
    if not tracked:
        tensor._check_inplace("__setitem__")
        scalar = scalar_value(value)
        if scalar is None:
            value = to_tensor(value, tensor)
            _backend.check_same_device([tensor.data, value.data], "__setitem__")
            scalar = value.data
        tensor._bump_version("__setitem__")
        tensor.data[native] = scalar
        return
    value = to_tensor(value, tensor).to(tensor.dtype)
    previous = tensor._snapshot()
    result = SetItem.apply(previous, value, native)
    tensor._assign_result(result, "__setitem__")


class SetItem(Function):
    """Out-of-place x[index] = value; `value` broadcasts to the indexed shape."""

    n_tensors = 2

    def forward(self, x, value, index):
        self.index = index
        result = _backend.namespace(x).asarray(x, copy=True)
        result[index] = value
        return result

    def backward(self, grad):
        grad_x = None
        if self.needs_grad(0):
            grad_x = SetItem.apply(grad, grad[self.index] * 0.0, self.index)
        grad_value = grad[self.index] if self.needs_grad(1) else None
        return grad_x, grad_value


class TakeAlongDim(Function):
    """out[..., i, ...] = x[..., index[..., i, ...], ...] along `dim` (index has x's ndim)."""

    n_tensors = 1

    def forward(self, x, index, dim):
        self.index, self.dim, self.input_shape = index, dim, tuple(x.shape)
        return _backend.namespace(x).take_along_axis(x, index, axis=dim)

    def backward(self, grad):
        full_index = _full_index(grad.data, self.index, self.dim)
        return IndexAddInto.apply(grad, self.input_shape, grad.dtype, full_index)


def _full_index(like, index, dim):
    """Integer arrays, one per axis, that select what take_along_axis(index, dim) selects."""
    xp = _backend.namespace(index)
    parts = []
    for axis, extent in enumerate(index.shape):
        if axis == dim % index.ndim:
            parts.append(index)
            continue
        shape = [1] * index.ndim
        shape[axis] = extent
        positions = xp.arange(extent, **_device_kwargs(index))
        parts.append(xp.reshape(positions, tuple(shape)))
    return tuple(xp.broadcast_to(part, index.shape) for part in parts)


def take_along_dim(input, indices, dim):
    """Values of `input` at `indices` along `dim`; `indices` has input's number of dims."""
    index = _native_index(indices, input.data)
    if index.ndim != input.ndim:
        raise RuntimeError(f"take_along_dim: indices have {index.ndim} dimensions, input has "
                           f"{input.ndim}; they must match")
    return TakeAlongDim.apply(input, index, dim % input.ndim)


def gather(input, dim, index):
    """PyTorch's gather: out[i][j] = input[i][index[i][j]] for dim=1 (and so on)."""
    return take_along_dim(input, index, dim)


class IndexSelect(Function):
    """Entries `index` (1-D integers) of `x` along `dim`."""

    def forward(self, x, index, dim):
        self.index, self.dim, self.input_shape = index, dim, tuple(x.shape)
        return _backend.namespace(x).take(x, index, axis=dim)

    def backward(self, grad):
        if self.dim == 0:
            return IndexAddInto.apply(grad, self.input_shape, grad.dtype, self.index)
        # The scatter-add every backend supports works on the first axis: move `dim` there.
        moved_shape = list(self.input_shape)
        moved_shape[0], moved_shape[self.dim] = moved_shape[self.dim], moved_shape[0]
        moved = IndexAddInto.apply(grad.transpose(0, self.dim), tuple(moved_shape), grad.dtype,
                                   self.index)
        return moved.transpose(0, self.dim)


def index_select(input, dim, index):
    """PyTorch's index_select: the slices at `index` (a 1-D integer tensor) along `dim`."""
    native = _native_index(index, input.data)
    if native.ndim != 1 or not _is_integer_array(native):
        raise IndexError(f"index_select needs a 1-D integer index, got shape "
                         f"{tuple(native.shape)} and dtype {native.dtype}")
    return IndexSelect.apply(input, native, dim % builtin_max(input.ndim, 1))


def builtin_max(a, b):
    return a if a > b else b
