"""Activation functions: `softplus`, `leaky_relu`, `elu`, `gelu` (exact and tanh), `silu`.

Forward runs on arrays in one op; backward is written with tensor operations (constant masks
for the piecewise parts) so second derivatives work.
"""

import math

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.ops._erf import erf_array
from rlgrad.ops.elementwise import floating
from rlgrad.ops.unary import mask_like

xp_of = _backend.namespace

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715


class Softplus(Function):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (as PyTorch)."""

    saves_inputs = True

    def forward(self, x, beta, threshold):
        self.beta, self.threshold = beta, threshold
        xp = xp_of(x)
        scaled = x * beta
        smooth = (xp.log1p(xp.exp(-xp.abs(scaled))) + xp.maximum(scaled, 0.0)) / beta
        return xp.where(scaled > threshold, x, smooth)

    def backward(self, grad):
        x = self.inputs[0]
        linear = mask_like(grad, x.data * self.beta > self.threshold)
        return grad * ((x * self.beta).sigmoid() * (1.0 - linear) + linear)


class LeakyRelu(Function):
    saves_inputs = True

    def forward(self, x, negative_slope):
        self.negative_slope = negative_slope
        return xp_of(x).where(x > 0, x, x * negative_slope)

    def backward(self, grad):
        positive = mask_like(grad, self.inputs[0].data > 0)
        return grad * (positive + (1.0 - positive) * self.negative_slope)


class Elu(Function):
    saves_inputs = True

    def forward(self, x, alpha):
        self.alpha = alpha
        xp = xp_of(x)
        return xp.where(x > 0, x, xp.expm1(xp.minimum(x, 0.0)) * alpha)

    def backward(self, grad):
        x = self.inputs[0]
        positive = mask_like(grad, x.data > 0)
        negative_slope = x.clamp(max=0.0).exp() * self.alpha
        return grad * (positive + (1.0 - positive) * negative_slope)


class Gelu(Function):
    """x * Phi(x), Phi the standard normal CDF computed with erf."""

    saves_inputs = True

    def forward(self, x):
        return x * (erf_array(x * _SQRT_HALF) * 0.5 + 0.5)

    def backward(self, grad):
        x = self.inputs[0]
        cdf = (x * _SQRT_HALF).erf() * 0.5 + 0.5
        pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
        return grad * (cdf + x * pdf)


class GeluTanh(Function):
    """0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), GELU's tanh approximation."""

    saves_inputs = True

    def forward(self, x):
        xp = xp_of(x)
        inner = (x + x * x * x * _GELU_CUBIC) * _SQRT_2_OVER_PI
        return x * (xp.tanh(inner) * 0.5 + 0.5)

    def backward(self, grad):
        x = self.inputs[0]
        square = x * x
        inner_tanh = ((x + square * x * _GELU_CUBIC) * _SQRT_2_OVER_PI).tanh()
        inner_slope = (square * (3.0 * _GELU_CUBIC) + 1.0) * _SQRT_2_OVER_PI
        slope = (inner_tanh + 1.0) * 0.5 + x * (1.0 - inner_tanh * inner_tanh) * inner_slope * 0.5
        return grad * slope


class Silu(Function):
    """x * sigmoid(x)."""

    saves_inputs = True

    def forward(self, x):
        from rlgrad.ops.elementwise import sigmoid_array

        return x * sigmoid_array(x)

    def backward(self, grad):
        x = self.inputs[0]
        gate = x.sigmoid()
        return grad * (gate * (x * (1.0 - gate) + 1.0))


def softplus(input, beta=1.0, threshold=20.0):
    return Softplus.apply(floating(input), beta, threshold)


def leaky_relu(input, negative_slope=0.01):
    return LeakyRelu.apply(floating(input), negative_slope)


def elu(input, alpha=1.0):
    return Elu.apply(floating(input), alpha)


def gelu(input, approximate="none"):
    """GELU; `approximate` is "none" (exact, with erf) or "tanh", as in PyTorch."""
    if approximate == "none":
        return Gelu.apply(floating(input))
    if approximate == "tanh":
        return GeluTanh.apply(floating(input))
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(input):
    return Silu.apply(floating(input))
