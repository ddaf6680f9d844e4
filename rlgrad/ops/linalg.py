"""Linear algebra: `matmul` with PyTorch's rules for 1-D operands, and the fused `linear`."""

from rlgrad import _backend
from rlgrad.autograd.function import Function


class MatMul(Function):
    """Matrix product of operands with at least 2 dimensions, batch dimensions broadcast."""

    n_tensors = 2
    saves_inputs = True

    def forward(self, a, b):
        return a @ b

    def backward(self, grad):
        a, b = self.inputs
        grad_a = grad @ b.transpose(-1, -2) if self.needs_grad(0) else None
        grad_b = a.transpose(-1, -2) @ grad if self.needs_grad(1) else None
        return grad_a, grad_b


def matmul(input, other):
    """PyTorch's matmul: a 1-D operand is a row (left) or column (right) vector, removed after."""
    from rlgrad.ops._operands import promote, to_tensor

    input, other = promote(input, to_tensor(other, input))
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError(f"matmul needs operands with at least 1 dimension, got shapes "
                           f"{input.shape} and {other.shape}")
    if input.shape[-1] != other.shape[-2 if other.ndim > 1 else 0]:
        raise RuntimeError(f"matmul shapes {input.shape} and {other.shape} do not align: "
                           f"{input.shape[-1]} != {other.shape[-2 if other.ndim > 1 else 0]}")
    left = input.reshape(1, -1) if input.ndim == 1 else input
    right = other.reshape(-1, 1) if other.ndim == 1 else other
    result = MatMul.apply(left, right)
    if other.ndim == 1:
        result = result.reshape(result.shape[:-1])
    if input.ndim == 1:
        result = result.reshape(result.shape[:-2] + result.shape[-1:])
    return result


class Linear(Function):
    """x @ weight.T + bias in one op: the layer every policy network is made of."""

    saves_inputs = True
    n_tensors = None

    def forward(self, x, weight, bias=None):
        out = x @ weight.T
        if bias is not None:
            out += bias
        return out

    def backward(self, grad):
        x, weight = self.inputs[0], self.inputs[1]
        grad_x = grad @ weight if self.needs_grad(0) else None
        grad_weight = grad_bias = None
        flat_grad = grad.reshape(-1, grad.shape[-1])
        if self.needs_grad(1):
            flat_x = x.reshape(-1, x.shape[-1])
            grad_weight = flat_grad.transpose(0, 1) @ flat_x
        if len(self.inputs) > 2 and self.needs_grad(2):
            grad_bias = flat_grad.sum(0)
        return (grad_x, grad_weight) if len(self.inputs) == 2 else (grad_x, grad_weight, grad_bias)


def linear(input, weight, bias=None):
    """y = input @ weight.T + bias, with input of shape (..., in) and weight (out, in)."""
    if input.data.shape[-1:] != weight.data.shape[-1:]:
        raise RuntimeError(f"linear: input of shape {input.shape} does not match weight of shape "
                           f"{weight.shape}; expected input (..., {weight.shape[-1]})")
    if input.data.dtype != weight.data.dtype:
        raise RuntimeError(f"linear: input has dtype {input.dtype} but the weight has "
                           f"{weight.dtype}; convert the input, e.g. rlgrad.tensor(obs, "
                           f"dtype=rlgrad.{weight.dtype})")
    if bias is None:
        return Linear.apply(input, weight)
    return Linear.apply(input, weight, bias)
