"""Turning the operands of an op into tensors or plain scalars, and PyTorch's dtype promotion.

A Python or NumPy scalar never changes a tensor's dtype: it stays a Python number and NumPy 2
(like CuPy and array-api-strict) treats it as weak. Between tensors, an integer or boolean
operand takes the floating dtype of the other, as in PyTorch.
"""

import numbers

import numpy as np

from rlgrad import _backend
from rlgrad.tensor import Tensor, wrap

DEFAULT_FLOAT = np.dtype(np.float32)


def scalar_value(value):
    """`value` as a Python number if it is a scalar (Python, NumPy or 0-d array), else None."""
    kind = type(value)
    if kind is float or kind is int:
        return value
    if kind is bool:
        return int(value)  # True counts as 1 in arithmetic, as in PyTorch
    if isinstance(value, Tensor):
        return None
    # np.float64 subclasses float but NumPy treats it as a strong (float64) operand.
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, numbers.Number) and not isinstance(value, complex):
        return float(value)
    return None


def to_tensor(value, like):
    """`value` (array-like) as a tensor on the device of `like`, for ops between tensors."""
    if isinstance(value, Tensor):
        return value
    from rlgrad.factories import as_tensor

    return as_tensor(value, device=like.device)


def cast(tensor, dtype):
    """`tensor` converted to `dtype` (NumPy dtype), recording the cast for backward."""
    from rlgrad.ops.elementwise import Cast

    if tensor.dtype == dtype:
        return tensor
    return Cast.apply(tensor, np.dtype(dtype))


def promote(a, b, op_name="an operation between tensors"):
    """Cast tensors `a` and `b` to one dtype by PyTorch's rules."""
    if type(a.data) is not type(b.data):
        _backend.check_same_device([a.data, b.data], op_name)
    if a.data.dtype == b.data.dtype:
        return a, b
    dtype_a, dtype_b = a.dtype, b.dtype
    float_a, float_b = dtype_a.kind in "fc", dtype_b.kind in "fc"
    if float_a and not float_b:
        return a, cast(b, dtype_a)
    if float_b and not float_a:
        return cast(a, dtype_b), b
    common = np.promote_types(dtype_a, dtype_b)
    return cast(a, common), cast(b, common)


def float_for_scalar(tensor, scalar):
    """Cast an integer or boolean tensor to the default float dtype if `scalar` is a float."""
    if isinstance(scalar, float) and tensor.dtype.kind not in "fc":
        return cast(tensor, DEFAULT_FLOAT)
    return tensor


def native_dtype(array, dtype):
    """The backend's own object for `dtype`, for the namespace that owns `array`."""
    if type(array) is np.ndarray:
        return dtype
    return _backend.backend_of(array).native_dtype(dtype)


__all__ = ["scalar_value", "to_tensor", "cast", "promote", "float_for_scalar", "native_dtype",
           "wrap", "DEFAULT_FLOAT"]
