"""Moving tensors between devices and dtypes (`to`, `cpu`, `cuda`, `float`, ...) and `clone`,
each differentiable: the gradient travels back to the source device and dtype."""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.ops._operands import cast


class ToDevice(Function):
    def forward(self, x, target):
        self.source = _backend.device_of(x)
        return move_array(x, target)

    def backward(self, grad):
        return ToDevice.apply(grad, self.source)


class Clone(Function):
    def forward(self, x):
        return _backend.namespace(x).asarray(x, copy=True)

    def backward(self, grad):
        return grad


def move_array(array, target):
    """A copy of `array` on device `target`. Between GPUs the copy is direct; between
    backends the host is the bridge (as a GPU copy would be)."""
    source = _backend.device_of(array)
    if source == target:
        return array
    if source.type == target.type:
        return _backend.backend_of(array).asarray(array, device=target, copy=True)
    host = array if source.type == "cpu" else _backend.backend_of(array).to_host(array)
    if target.type == "cpu":
        return np.array(host, copy=True)
    return _backend.backend_for(target).from_host(host, target)


def _parse_to_args(args, kwargs):
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    kwargs.pop("non_blocking", None)
    if kwargs:
        raise TypeError(f"to() got unexpected arguments {sorted(kwargs)}")
    from rlgrad.tensor import Tensor

    for arg in args:
        if isinstance(arg, Tensor):
            device, dtype = arg.device, arg.dtype
        elif isinstance(arg, (str, _backend.device)):
            device = arg
        else:
            dtype = arg
    return device, dtype


def to(input, *args, **kwargs):
    """`input` on another device and/or dtype: `to("cuda")`, `to(rlgrad.float64)`, `to(other)`."""
    kwargs = dict(kwargs)
    copy = kwargs.pop("copy", False)
    device, dtype = _parse_to_args(args, kwargs)
    result = input
    if device is not None:
        target = _backend.as_device(device)
        if target != result.device:
            result = ToDevice.apply(result, target)
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype != result.dtype:
            if dtype.kind in "fc":
                result = cast(result, dtype)
            else:
                with no_grad():  # integer and boolean results carry no gradient
                    result = cast(result, dtype)
    if copy and result is input:
        result = clone(input)
    return result


def cpu(input):
    return to(input, "cpu")


def cuda(input, device=None):
    return to(input, "cuda" if device is None else
              (f"cuda:{device}" if isinstance(device, int) else device))


def clone(input):
    return Clone.apply(input)
