"""Indexing: `x[index]` with slices, integers, None, Ellipsis, integer and boolean tensors,
and `x[index] = value`. The gradient of a gather scatters back with accumulation, so repeated
indices add up."""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.tensor import Tensor


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
        return x[index]

    def backward(self, grad):
        return IndexAddInto.apply(grad, self.inputs[0].shape, self.inputs[0].dtype, self.index)


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
    return GetItem.apply(input, _native_index(index, input.data))


def setitem(tensor, index, value):
    """tensor[index] = value, in place, recorded when a gradient flows through either side."""
    from rlgrad.autograd import grad_mode
    from rlgrad.ops._operands import scalar_value, to_tensor

    native = _native_index(index, tensor.data)
    tracked = grad_mode.state.enabled and (
        tensor.requires_grad or getattr(value, "requires_grad", False))
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
