"""Unary elementwise functions: `abs`, `sign`, `sqrt`, `log1p`, `expm1`, `sin`, `cos`, `erf`,
and `clamp` with scalar or tensor bounds.

Each backward is written with tensor operations, so it can be differentiated again. Masks that
select where a gradient flows are constants of the graph (`mask_like`). At a kink the gradient
is 0: `abs` at 0, and `clamp` where the input equals a bound.
"""

import math

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.ops._erf import erf_array
from rlgrad.ops._operands import native_dtype, to_tensor, wrap
from rlgrad.ops.elementwise import floating, promote
from rlgrad.tensor import Tensor

xp_of = _backend.namespace


def mask_like(grad, condition):
    """`condition` (a boolean array) as a constant tensor of `grad`'s dtype, 1 where True."""
    xp = xp_of(grad.data)
    # asarray: NumPy turns comparisons of 0-d arrays into scalars.
    return wrap(xp.astype(xp.asarray(condition), grad.data.dtype))


class Abs(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).abs(x)

    def backward(self, grad):
        return grad * sign(self.inputs[0])


class Sign(Function):
    def forward(self, x):
        return xp_of(x).sign(x)

    def backward(self, grad):
        return grad * 0.0


class Sqrt(Function):
    saves_output = True

    def forward(self, x):
        self.out = xp_of(x).sqrt(x)
        return self.out

    def backward(self, grad):
        return grad / (self.saved_output() * 2.0)


class Log1p(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).log1p(x)

    def backward(self, grad):
        return grad / (self.inputs[0] + 1.0)


class Expm1(Function):
    saves_output = True

    def forward(self, x):
        self.out = xp_of(x).expm1(x)
        return self.out

    def backward(self, grad):
        return grad * (self.saved_output() + 1.0)


class Sin(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).sin(x)

    def backward(self, grad):
        return grad * self.inputs[0].cos()


class Cos(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).cos(x)

    def backward(self, grad):
        return -(grad * self.inputs[0].sin())


class Erf(Function):
    saves_inputs = True

    def forward(self, x):
        return erf_array(x)

    def backward(self, grad):
        x = self.inputs[0]
        return grad * ((x * x).neg().exp() * (2.0 / math.sqrt(math.pi)))


class ClampScalar(Function):
    """clamp(x, low, high) with Python-number bounds (either may be None)."""

    saves_inputs = True

    def forward(self, x, low, high):
        self.low, self.high = low, high
        return xp_of(x).clip(x, low, high)

    def backward(self, grad):
        x = self.inputs[0].data
        inside = None
        if self.low is not None:
            inside = x > self.low
        if self.high is not None:
            below = x < self.high
            inside = below if inside is None else inside & below
        return grad * mask_like(grad, inside)


class ClampTensor(Function):
    """min(max(x, low), high) with tensor bounds, broadcast together. The gradient goes to
    whichever operand the result was taken from; where x equals a bound, to the bound."""

    n_tensors = 3
    saves_inputs = True

    def forward(self, x, low, high):
        xp = xp_of(x)
        return xp.minimum(xp.maximum(x, low), high)

    def backward(self, grad):
        x, low, high = (tensor.data for tensor in self.inputs)
        xp = xp_of(x)
        from_high = xp.maximum(x, low) >= high
        from_low = (x <= low) & ~from_high
        from_x = ~(from_high | from_low)
        return (grad * mask_like(grad, from_x) if self.needs_grad(0) else None,
                grad * mask_like(grad, from_low) if self.needs_grad(1) else None,
                grad * mask_like(grad, from_high) if self.needs_grad(2) else None)


def abs(input):
    return Abs.apply(input)


def sign(input):
    return Sign.apply(input)


def sqrt(input):
    return Sqrt.apply(floating(input))


def log1p(input):
    return Log1p.apply(floating(input))


def expm1(input):
    return Expm1.apply(floating(input))


def sin(input):
    return Sin.apply(floating(input))


def cos(input):
    return Cos.apply(floating(input))


def erf(input):
    return Erf.apply(floating(input))


def clamp(input, min=None, max=None):
    """Limit `input` to [min, max]; bounds are numbers, tensors or None (unbounded)."""
    if min is None and max is None:
        raise ValueError("clamp needs at least one of min and max")
    if not isinstance(min, Tensor) and not isinstance(max, Tensor):
        return ClampScalar.apply(input, _bound(min), _bound(max))
    low = _tensor_bound(min, input, -math.inf)
    high = _tensor_bound(max, input, math.inf)
    input, low = promote(input, low)
    input, high = promote(input, high)
    return ClampTensor.apply(input, low, high)


def _bound(value):
    if value is None:
        return None
    return value.item() if hasattr(value, "item") else value


def _tensor_bound(bound, like, unbounded):
    if bound is None:
        xp = xp_of(like.data)
        return wrap(xp.asarray(unbounded, dtype=native_dtype(like.data, like.dtype),
                               **_device_kwargs(like.data)))
    return to_tensor(bound, like)


def _device_kwargs(array):
    return {} if type(array).__module__ == "numpy" else {"device": array.device}


clip = clamp
