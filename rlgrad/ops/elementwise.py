"""Elementwise operations: arithmetic, powers, exponentials and activations.

Backward rules are written with tensor operations so that they can be differentiated again.
Rules at kinks follow one convention: `relu`, `abs` and `clamp` pass a zero gradient at the
kink; `maximum`/`minimum` split the gradient evenly between tied operands.
"""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd import grad_mode
from rlgrad.autograd.function import Function
from rlgrad.ops._operands import (float_for_scalar, native_dtype, promote, scalar_value,
                                  to_tensor, wrap)
from rlgrad.tensor import Tensor

xp_of = _backend.namespace


# --- binary arithmetic between tensors ---------------------------------------------------


class Add(Function):
    n_tensors = 2

    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    n_tensors = 2

    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        if self.parents[1] is None:
            return grad, None
        if not grad_mode.state.enabled:
            return grad, wrap(-grad.data)
        return grad, -grad


class Mul(Function):
    n_tensors = 2

    saves_inputs = True

    def forward(self, a, b):
        return a * b

    def backward(self, grad):
        a, b = self.inputs
        parents = self.parents
        if not grad_mode.state.enabled:
            data = grad.data
            return (wrap(data * b.data) if parents[0] is not None else None,
                    wrap(data * a.data) if parents[1] is not None else None)
        return (grad * b if parents[0] is not None else None,
                grad * a if parents[1] is not None else None)


class Div(Function):
    n_tensors = 2

    saves_inputs = True

    def forward(self, a, b):
        return a / b

    def backward(self, grad):
        a, b = self.inputs
        grad_a = grad / b if self.needs_grad(0) else None
        grad_b = -(grad * a) / (b * b) if self.needs_grad(1) else None
        return grad_a, grad_b


class Pow(Function):
    n_tensors = 2

    saves_inputs = True

    def forward(self, a, b):
        return a ** b

    def backward(self, grad):
        a, b = self.inputs
        grad_a = grad * b * a ** (b - 1) if self.needs_grad(0) else None
        grad_b = None
        if self.needs_grad(1):
            # d/db a**b = a**b log a; at a == 0 the product is taken as 0, as in PyTorch.
            safe_base = where(a == 0, 1.0, a)
            grad_b = grad * (a ** b) * safe_base.log()
        return grad_a, grad_b


class Maximum(Function):
    n_tensors = 2

    saves_inputs = True

    def forward(self, a, b):
        return _backend.namespace(a).maximum(a, b)

    def backward(self, grad):
        a, b = self.inputs[0].data, self.inputs[1].data
        return _tie_split(grad, a > b, a == b, self)


class Minimum(Function):
    n_tensors = 2

    saves_inputs = True

    def forward(self, a, b):
        return _backend.namespace(a).minimum(a, b)

    def backward(self, grad):
        a, b = self.inputs[0].data, self.inputs[1].data
        return _tie_split(grad, a < b, a == b, self)


def _tie_split(grad, first_wins, tied, node):
    """Gradients of a two-way selection: all to the operand chosen, half each on a tie.
    The shares are constants of the graph (boolean arrays of the broadcast shape)."""
    xp = _backend.namespace(grad.data)
    dtype = grad.data.dtype
    share_first = xp.astype(xp.asarray(first_wins), dtype) + xp.astype(xp.asarray(tied),
                                                                        dtype) * 0.5
    return (grad * wrap(share_first) if node.needs_grad(0) else None,
            grad * wrap(1.0 - share_first) if node.needs_grad(1) else None)


# --- arithmetic with a Python scalar (the scalar keeps the tensor's dtype) -----------------


class AddScalar(Function):
    def forward(self, x, scalar):
        return x + scalar

    def backward(self, grad):
        return grad


class MulScalar(Function):
    def forward(self, x, scalar):
        self.scalar = scalar
        return x * scalar

    def backward(self, grad):
        if not grad_mode.state.enabled:
            return wrap(grad.data * self.scalar)
        return grad * self.scalar


class RSubScalar(Function):
    def forward(self, x, scalar):
        return scalar - x

    def backward(self, grad):
        return -grad


class DivScalar(Function):
    def forward(self, x, scalar):
        self.scalar = scalar
        return x / scalar

    def backward(self, grad):
        if not grad_mode.state.enabled:
            return wrap(grad.data / self.scalar)
        return grad / self.scalar


class RDivScalar(Function):
    saves_inputs = True

    def forward(self, x, scalar):
        self.scalar = scalar
        return scalar / x

    def backward(self, grad):
        (x,) = self.inputs
        return -grad * self.scalar / (x * x)


class PowScalar(Function):
    saves_inputs = True

    def forward(self, x, exponent):
        self.exponent = exponent
        if exponent == 2:
            return x * x
        return x ** exponent

    def backward(self, grad):
        (x,) = self.inputs
        exponent = self.exponent
        if exponent == 0:
            return grad * 0.0
        if exponent == 2:
            if not grad_mode.state.enabled:
                return wrap(grad.data * (x.data * 2.0))
            return grad * (x * 2.0)
        return grad * exponent * x ** (exponent - 1)


class RPowScalar(Function):
    saves_output = True

    def forward(self, x, base):
        self.base = base
        self.out = base ** x
        return self.out

    def backward(self, grad):
        return grad * self.saved_output() * float(np.log(self.base))


class Neg(Function):
    def forward(self, x):
        return -x

    def backward(self, grad):
        if not grad_mode.state.enabled:
            return wrap(-grad.data)
        return -grad


class Cast(Function):
    """Conversion to another dtype; the gradient is cast back (only between float dtypes)."""

    def forward(self, x, dtype):
        self.source_dtype = _backend.backend_of(x).canonical_dtype(x.dtype) \
            if type(x) is not np.ndarray else x.dtype
        return _backend.namespace(x).astype(x, native_dtype(x, dtype))

    def backward(self, grad):
        return Cast.apply(grad, self.source_dtype)


# --- unary functions ---------------------------------------------------------------------


class Exp(Function):
    saves_output = True

    def forward(self, x):
        self.out = xp_of(x).exp(x)
        return self.out

    def backward(self, grad):
        if not grad_mode.state.enabled:
            return wrap(grad.data * self.out)
        return grad * self.saved_output()


class Log(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).log(x)

    def backward(self, grad):
        if not grad_mode.state.enabled:
            return wrap(grad.data / self.inputs[0].data)
        return grad / self.inputs[0]


class Tanh(Function):
    saves_output = True

    def forward(self, x):
        self.out = np.tanh(x) if type(x) is np.ndarray else xp_of(x).tanh(x)
        return self.out

    def backward(self, grad):
        # The fused kernel needs arrays; NumPy gives 0-d results as scalars.
        if not grad_mode.state.enabled and grad.data.ndim:
            if self.owns_grad and self.hooks is None:
                out = self.out
                slope = out * out
                np.subtract(1.0, slope, out=slope)
                np.multiply(grad.data, slope, out=grad.data)
                return grad
            return wrap(_backend.backend_of(grad.data).tanh_backward(grad.data, self.out))
        out = self.saved_output()
        return grad * (1.0 - out * out)


class Sigmoid(Function):
    saves_output = True

    def forward(self, x):
        self.out = sigmoid_array(x)
        return self.out

    def backward(self, grad):
        if not grad_mode.state.enabled and grad.data.ndim:
            return wrap(_backend.backend_of(grad.data).sigmoid_backward(grad.data, self.out))
        out = self.saved_output()
        return grad * out * (1.0 - out)


def sigmoid_array(x):
    """1 / (1 + exp(-x)) without overflow: exp of a non-positive number only."""
    xp = xp_of(x)
    exp_neg_abs = xp.exp(-xp.abs(x))
    positive = 1 / (1 + exp_neg_abs)
    return xp.where(x >= 0, positive, exp_neg_abs * positive)


class Relu(Function):
    """max(x, 0). Backward reads the output (x > 0 exactly where out > 0), which the next
    layer keeps anyway, so the input need not stay alive."""

    saves_output = True

    def forward(self, x):
        self.out = xp_of(x).maximum(x, 0)
        return self.out

    def backward(self, grad):
        if not grad_mode.state.enabled:
            if self.owns_grad and self.hooks is None and grad.data.ndim:
                np.multiply(grad.data, self.out > 0, out=grad.data)
                return grad
            return wrap(_backend.backend_of(grad.data).relu_backward(grad.data, self.out))
        return grad * (self.saved_output() > 0).to(grad.dtype)


# --- functional forms --------------------------------------------------------------------


def _binary(function_class, a, b):
    a, b = promote(a, b, function_class.__name__)
    return function_class.apply(a, b)


def add(input, other, alpha=1):
    if alpha != 1:
        other = mul(other, alpha)
    scalar = scalar_value(other)
    if scalar is not None:
        return AddScalar.apply(float_for_scalar(input, scalar), scalar)
    if not isinstance(input, Tensor):
        return add(other, input)
    return _binary(Add, input, to_tensor(other, input))


def sub(input, other, alpha=1):
    if alpha != 1:
        other = mul(other, alpha)
    scalar = scalar_value(other)
    if scalar is not None:
        return AddScalar.apply(float_for_scalar(input, scalar), -scalar)
    if not isinstance(input, Tensor):
        return rsub(other, input)
    return _binary(Sub, input, to_tensor(other, input))


def rsub(input, other):
    """other - input."""
    scalar = scalar_value(other)
    if scalar is not None:
        return RSubScalar.apply(float_for_scalar(input, scalar), scalar)
    return _binary(Sub, to_tensor(other, input), input)


def mul(input, other):
    scalar = scalar_value(other)
    if scalar is not None:
        return MulScalar.apply(float_for_scalar(input, scalar), scalar)
    if not isinstance(input, Tensor):
        return mul(other, input)
    return _binary(Mul, input, to_tensor(other, input))


def div(input, other):
    scalar = scalar_value(other)
    if scalar is not None:
        return DivScalar.apply(float_for_scalar(input, float(scalar)), scalar)
    if not isinstance(input, Tensor):
        return rdiv(other, input)
    input, other = _true_division_operands(input, to_tensor(other, input))
    return Div.apply(input, other)


def rdiv(input, other):
    """other / input."""
    scalar = scalar_value(other)
    if scalar is not None:
        return RDivScalar.apply(float_for_scalar(input, 1.0), scalar)
    numerator, denominator = _true_division_operands(to_tensor(other, input), input)
    return Div.apply(numerator, denominator)


def _true_division_operands(a, b):
    a, b = promote(a, b)
    if a.dtype.kind not in "fc":
        from rlgrad.ops._operands import DEFAULT_FLOAT, cast

        a, b = cast(a, DEFAULT_FLOAT), cast(b, DEFAULT_FLOAT)
    return a, b


def pow(input, exponent):
    scalar = scalar_value(exponent)
    if scalar is not None:
        return PowScalar.apply(float_for_scalar(input, scalar), scalar)
    if not isinstance(input, Tensor):
        return rpow(exponent, input)
    return _binary(Pow, input, to_tensor(exponent, input))


def rpow(input, base):
    """base ** input."""
    scalar = scalar_value(base)
    if scalar is not None:
        return RPowScalar.apply(float_for_scalar(input, 1.0), scalar)
    return _binary(Pow, to_tensor(base, input), input)


def maximum(input, other):
    return _binary(Maximum, input, to_tensor(other, input))


def minimum(input, other):
    return _binary(Minimum, input, to_tensor(other, input))


def neg(input):
    return Neg.apply(input)


def exp(input):
    return Exp.apply(floating(input))


def log(input):
    return Log.apply(floating(input))


def tanh(input):
    data = input.data
    if type(data) is np.ndarray and data.dtype is _FLOAT32:
        if not grad_mode.state.enabled:  # inference: no node to build
            return wrap(np.tanh(data))
        return Tanh.apply(input)
    return Tanh.apply(floating(input))


def sigmoid(input):
    return Sigmoid.apply(floating(input))


def relu(input):
    data = input.data
    if not grad_mode.state.enabled and type(data) is np.ndarray:  # inference: no node
        return wrap(np.maximum(data, 0))
    return Relu.apply(input)


def floating(tensor):
    """Integer inputs of transcendental functions compute in the default float dtype."""
    dtype = tensor.data.dtype
    if dtype is _FLOAT32 or dtype is _FLOAT64 or tensor.dtype.kind in "fc":
        return tensor
    from rlgrad.ops._operands import DEFAULT_FLOAT, cast

    return cast(tensor, DEFAULT_FLOAT)


_FLOAT32 = np.dtype(np.float32)
_FLOAT64 = np.dtype(np.float64)


# --- where and comparisons (comparisons carry no gradient) --------------------------------


class Where(Function):
    n_tensors = 3

    def forward(self, condition, a, b):
        self.condition = condition
        return _backend.namespace(a).where(condition, a, b)

    def backward(self, grad):
        condition = wrap(self.condition)
        zero = grad * 0.0
        return (None,
                where(condition, grad, zero) if self.needs_grad(1) else None,
                where(condition, zero, grad) if self.needs_grad(2) else None)


def where(condition, input, other):
    """Elements of `input` where `condition` holds, else of `other` (broadcast together)."""
    reference = input if isinstance(input, Tensor) else other
    if not isinstance(reference, Tensor):
        reference = to_tensor(condition, condition) if isinstance(condition, Tensor) else None
    condition = to_tensor(condition, reference)
    input, other = _where_operands(input, other, condition)
    return Where.apply(condition, input, other)


def _where_operands(input, other, condition):
    from rlgrad.factories import full_like

    if not isinstance(input, Tensor):
        input = full_like(other, scalar_value(input)) if scalar_value(input) is not None \
            else to_tensor(input, condition)
    if not isinstance(other, Tensor):
        other = full_like(input, scalar_value(other)) if scalar_value(other) is not None \
            else to_tensor(other, condition)
    return promote(input, other)


def _compare(name):
    def compare(input, other):
        if isinstance(other, Tensor):
            _backend.check_same_device([input.data, other.data], name)
            other = other.data
        elif type(other) is bool:
            pass
        elif scalar_value(other) is not None:
            other = scalar_value(other)
        else:
            other = to_tensor(other, input).data
        return wrap(getattr(input.data, name)(other))
    compare.__name__ = name.strip("_")
    compare.__doc__ = f"Elementwise {compare.__name__} comparison; the result carries no gradient."
    return compare


eq = _compare("__eq__")
ne = _compare("__ne__")
lt = _compare("__lt__")
le = _compare("__le__")
gt = _compare("__gt__")
ge = _compare("__ge__")


# --- logical operators on boolean (or integer) tensors, without gradient -------------------


def _logical(name, boolean_function, integer_function):
    def logical(input, other):
        a = input.data
        if isinstance(other, Tensor):
            b = other.data
        else:  # a Python bool stays a bool here: it must meet boolean arrays
            b = other if type(other) is bool else scalar_value(other)
        if b is None:
            b = to_tensor(other, input).data
        xp = xp_of(a)
        function = boolean_function if xp.isdtype(a.dtype, "bool") else integer_function
        return wrap(getattr(xp, function)(a, b))
    logical.__name__ = name
    logical.__doc__ = f"Elementwise {name} of boolean or integer tensors; no gradient."
    return logical


logical_and = _logical("logical_and", "logical_and", "bitwise_and")
logical_or = _logical("logical_or", "logical_or", "bitwise_or")
logical_xor = _logical("logical_xor", "logical_xor", "bitwise_xor")


def logical_not(input):
    """`~input`: negation of a boolean tensor, bitwise inversion of an integer one."""
    a = input.data
    xp = xp_of(a)
    if xp.isdtype(a.dtype, "bool"):
        return wrap(xp.logical_not(a))
    if xp.isdtype(a.dtype, "integral"):
        return wrap(xp.bitwise_invert(a))
    raise TypeError(f"~ needs a boolean or integer tensor, got dtype {input.dtype}")
