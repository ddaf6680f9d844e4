"""Elementwise ops that nn, losses and distributions need before the core has them.

Each is a small `Function` with its backward written in tensor operations (so it can be
differentiated twice), or a composition of existing ops.
TODO: replace each with the core op of the same name once `rlgrad.ops` provides it
(abs, sqrt, log1p, expm1, softplus, erf, clamp); the tests of nn and distributions cover them.
"""

import math

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.ops.elementwise import _floating, where
from rlgrad.tensor import wrap

xp_of = _backend.namespace


class _Abs(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).abs(x)

    def backward(self, grad):
        x = self.inputs[0].data
        return grad * wrap(xp_of(x).sign(x))  # the gradient at the kink is 0


class _Sqrt(Function):
    saves_output = True

    def forward(self, x):
        self.out = xp_of(x).sqrt(x)
        return self.out

    def backward(self, grad):
        return grad / (self.saved_output() * 2.0)


class _Log1p(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).log1p(x)

    def backward(self, grad):
        return grad / (self.inputs[0] + 1.0)


class _Expm1(Function):
    saves_inputs = True

    def forward(self, x):
        return xp_of(x).expm1(x)

    def backward(self, grad):
        return grad * self.inputs[0].exp()


class _Softplus(Function):
    """log(1 + exp(x)) computed as logaddexp(0, x): exact for large |x| of either sign."""

    saves_inputs = True

    def forward(self, x):
        xp = xp_of(x)
        return xp.logaddexp(xp.zeros_like(x), x)

    def backward(self, grad):
        return grad * self.inputs[0].sigmoid()


class _Erf(Function):
    """erf(x) from a Chebyshev fit of erfc (fractional error below 1.2e-7 everywhere).

    The array API standard has no erf; this uses only exp and polynomials so that it runs
    on every backend. Accurate to float32 precision, not to float64's.
    """

    saves_inputs = True

    def forward(self, x):
        xp = xp_of(x)
        z = xp.abs(x)
        t = 1.0 / (1.0 + 0.5 * z)
        poly = 0.17087277
        for coefficient in (-0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806,
                            0.09678418, 0.37409196, 1.00002368, -1.26551223):
            poly = coefficient + t * poly
        erfc_abs = t * xp.exp(-z * z + poly)
        return xp.where(x >= 0, 1.0 - erfc_abs, erfc_abs - 1.0)

    def backward(self, grad):
        x = self.inputs[0]
        return grad * (-(x * x)).exp() * (2.0 / math.sqrt(math.pi))


def abs(input):
    return _Abs.apply(input)


def sqrt(input):
    return _Sqrt.apply(_floating(input))


def log1p(input):
    return _Log1p.apply(_floating(input))


def expm1(input):
    return _Expm1.apply(_floating(input))


def softplus(input):
    return _Softplus.apply(_floating(input))


def erf(input):
    return _Erf.apply(_floating(input))


def clamp(input, min=None, max=None):
    """`input` limited to [min, max]; the gradient passes where min <= input <= max."""
    result = input
    if min is not None:
        result = where(result < min, min, result)
    if max is not None:
        result = where(result > max, max, result)
    return result
