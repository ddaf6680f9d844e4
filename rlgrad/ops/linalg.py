"""Linear algebra: `matmul` with PyTorch's rules for 1-D operands, and the fused `linear`."""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd import grad_mode
from rlgrad.autograd.function import Function
from rlgrad.tensor import Tensor, wrap


class MatMul(Function):
    """Matrix product of operands with at least 2 dimensions, batch dimensions broadcast."""

    n_tensors = 2
    saves_inputs = True

    def forward(self, a, b):
        return a @ b

    def backward(self, grad):
        a, b = self.inputs
        parents = self.parents
        if not grad_mode.state.enabled:
            xp = _backend.namespace(grad.data)
            return (wrap(grad.data @ xp.matrix_transpose(b.data)) if parents[0] is not None
                    else None,
                    wrap(xp.matrix_transpose(a.data) @ grad.data) if parents[1] is not None
                    else None)
        grad_a = grad @ b.transpose(-1, -2) if parents[0] is not None else None
        grad_b = a.transpose(-1, -2) @ grad if parents[1] is not None else None
        return grad_a, grad_b


def matmul(input, other):
    """PyTorch's matmul: a 1-D operand is a row (left) or column (right) vector, removed after."""
    from rlgrad.ops._operands import promote, to_tensor

    input, other = promote(input, to_tensor(other, input), "matmul")
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError(f"matmul needs operands with at least 1 dimension, got shapes "
                           f"{input.shape} and {other.shape}")
    if input.shape[-1] != other.shape[-2 if other.ndim > 1 else 0]:
        raise RuntimeError(f"matmul shapes {input.shape} and {other.shape} do not align: "
                           f"{input.shape[-1]} != {other.shape[-2 if other.ndim > 1 else 0]}")
    left = input.reshape(1, -1) if input.ndim == 1 else input
    right = other.reshape(-1, 1) if other.ndim == 1 else other
    result = MatMul.apply(left, right)
    if input.ndim > 1 and other.ndim > 1:
        return result
    rows = () if input.ndim == 1 else result.shape[-2:-1]
    columns = () if other.ndim == 1 else result.shape[-1:]
    return result.reshape(result.shape[:-2] + rows + columns)


class Linear(Function):
    """x @ weight.T + bias in one op: the layer every policy network is made of."""

    saves_inputs = True
    n_tensors = 3

    def forward(self, x, weight, bias):
        return linear_array(x, weight, bias)

    def backward(self, grad):
        if not grad_mode.state.enabled:
            return self._backward_arrays(grad.data)
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

    def _backward_arrays(self, grad):
        """The same gradients computed on arrays, for a backward that is not recorded."""
        inputs, parents = self.inputs, self.parents
        x, weight = inputs[0].data, inputs[1].data
        grad_x = wrap(grad @ weight) if parents[0] is not None else None
        if grad.ndim != 2:
            xp = _backend.namespace(grad)
            grad = xp.reshape(grad, (-1, grad.shape[-1]))
            x = xp.reshape(x, (-1, x.shape[-1]))
        grad_weight = wrap(grad.T @ x) if parents[1] is not None else None
        if len(inputs) == 2:
            return grad_x, grad_weight
        if parents[2] is None:
            grad_bias = None
        elif type(grad) is np.ndarray:
            grad_bias = wrap(np.add.reduce(grad, axis=0))  # np.sum's wrapper costs ~1 us
        else:
            grad_bias = wrap(_backend.namespace(grad).sum(grad, axis=0))
        return grad_x, grad_weight, grad_bias


class LinearNoBias(Linear):
    """`Linear` without a bias: x @ weight.T."""

    n_tensors = 2

    def forward(self, x, weight):
        return linear_array(x, weight, None)


def linear_array(x, weight, bias):
    """x @ weight.T (+ bias) on arrays; np.dot equals it for a 2-D weight and is faster on a
    single row."""
    out = np.dot(x, weight.T) if type(x) is np.ndarray else x @ weight.T
    if bias is not None:
        out += bias
    return out


def linear(input, weight, bias=None):
    """y = input @ weight.T + bias, with input of shape (..., in) and weight (out, in)."""
    if type(input) is not Tensor and not isinstance(input, Tensor):
        raise TypeError(f"linear expects a Tensor input, got {type(input).__module__}."
                        f"{type(input).__name__}; convert it with rlgrad.as_tensor(...)")
    data, weight_data = input.data, weight.data
    if type(data) is not type(weight_data):
        _backend.check_same_device([data, weight_data], "linear")
    if data.dtype is not weight_data.dtype and data.dtype != weight_data.dtype:
        raise RuntimeError(f"linear: input has dtype {input.dtype} but the weight has "
                           f"{weight.dtype}; convert the input, e.g. rlgrad.tensor(obs, "
                           f"dtype=rlgrad.{weight.dtype})")
    if not data.ndim or data.shape[-1] != weight_data.shape[-1]:
        raise RuntimeError(f"linear: input of shape {input.shape} does not match weight of shape "
                           f"{weight.shape}; expected input (..., {weight.shape[-1]})")
    if not grad_mode.state.enabled and type(data) is np.ndarray and \
            type(weight_data) is np.ndarray and (bias is None or type(bias.data) is np.ndarray):
        # Inference: no node to build (the batch-1 policy step of every rollout).
        return wrap(linear_array(data, weight_data, None if bias is None else bias.data))
    if bias is None:
        return LinearNoBias.apply(input, weight)
    return Linear.apply(input, weight, bias)


def outer(input, vec2):
    """Outer product of two 1-D tensors: (n,) and (m,) give (n, m)."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"outer needs two 1-D tensors, got shapes {input.shape} and "
                           f"{vec2.shape}")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


def einsum(equation, *operands):
    """Einstein summation for one operand (sums and transposes) or two (contractions, batch
    dimensions, outer products), lowered to sum, permute, reshape and one batched matmul, so
    the gradient comes from those ops. An index may appear once per operand.
    TODO: ellipsis ("...") and repeated indices in one operand (diagonals) are not supported.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    inputs, output = _parse_equation(equation, len(operands))
    for letters, operand in zip(inputs, operands):
        if len(letters) != operand.ndim:
            raise ValueError(f"einsum: subscripts {letters!r} name {len(letters)} dims, operand "
                             f"has shape {operand.shape}")
    if len(operands) == 1:
        return _einsum_single(operands[0], inputs[0], output)
    if len(operands) == 2:
        return _einsum_pair(operands[0], inputs[0], operands[1], inputs[1], output)
    raise NotImplementedError(f"einsum supports one or two operands, got {len(operands)}")


def _parse_equation(equation, count):
    equation = equation.replace(" ", "")
    if "." in equation:
        raise NotImplementedError("einsum: ellipsis ('...') is not supported")
    left, arrow, output = equation.partition("->")
    inputs = left.split(",")
    if len(inputs) != count:
        raise ValueError(f"einsum: equation {equation!r} names {len(inputs)} operands, got "
                         f"{count}")
    if not arrow:
        letters = "".join(inputs)
        output = "".join(sorted(letter for letter in set(letters) if letters.count(letter) == 1))
    for letters in inputs + [output]:
        if len(set(letters)) != len(letters) or not letters.isalpha() and letters:
            raise NotImplementedError(f"einsum: repeated or invalid subscripts in {letters!r}")
    unknown = set(output) - set("".join(inputs))
    if unknown:
        raise ValueError(f"einsum: output subscripts {sorted(unknown)} appear in no operand")
    return inputs, output


def _einsum_single(operand, letters, output):
    summed = tuple(index for index, letter in enumerate(letters) if letter not in output)
    kept = "".join(letter for letter in letters if letter in output)
    result = operand.sum(summed) if summed else operand
    if kept == output:
        return result
    return result.permute(*[kept.index(letter) for letter in output])


def _einsum_pair(a, letters_a, b, letters_b, output):
    a, letters_a = _sum_private(a, letters_a, letters_b + output)
    b, letters_b = _sum_private(b, letters_b, letters_a + output)
    batch = [letter for letter in letters_a if letter in letters_b and letter in output]
    contracted = [letter for letter in letters_a if letter in letters_b and letter not in output]
    left = [letter for letter in letters_a if letter not in letters_b]
    right = [letter for letter in letters_b if letter not in letters_a]
    extent = {**dict(zip(letters_a, a.shape)), **dict(zip(letters_b, b.shape))}
    for letter in set(letters_a) & set(letters_b):
        if a.shape[letters_a.index(letter)] != b.shape[letters_b.index(letter)]:
            raise ValueError(f"einsum: index {letter!r} has extent "
                             f"{a.shape[letters_a.index(letter)]} in the first operand and "
                             f"{b.shape[letters_b.index(letter)]} in the second")

    def size(letters):
        total = 1
        for letter in letters:
            total *= extent[letter]
        return total

    a_matrix = _arrange(a, letters_a, batch + left + contracted).reshape(
        size(batch), size(left), size(contracted))
    b_matrix = _arrange(b, letters_b, batch + contracted + right).reshape(
        size(batch), size(contracted), size(right))
    product = (a_matrix @ b_matrix).reshape(tuple(extent[letter] for letter in
                                                  batch + left + right))
    produced = "".join(batch + left + right)
    if produced == output:
        return product
    return product.permute(*[produced.index(letter) for letter in output])


def _sum_private(operand, letters, elsewhere):
    """Sum out the indices of `operand` that appear nowhere else."""
    private = tuple(index for index, letter in enumerate(letters) if letter not in elsewhere)
    if not private:
        return operand, letters
    return operand.sum(private), "".join(letter for letter in letters if letter in elsewhere)


def _arrange(operand, letters, order):
    if list(letters) == order:
        return operand
    return operand.permute(*[letters.index(letter) for letter in order])
