"""Activation modules, each a thin wrapper of the function of the same name in
`rlgrad.nn.functional`."""

from rlgrad.nn import functional as F
from rlgrad.nn.module import Module


class Tanh(Module):
    def forward(self, input):
        return input.tanh()


class ReLU(Module):
    def forward(self, input):
        return input.relu()


class Sigmoid(Module):
    def forward(self, input):
        return input.sigmoid()


class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, input):
        return F.elu(input, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class LeakyReLU(Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class GELU(Module):
    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, self.approximate)

    def extra_repr(self):
        return f"approximate='{self.approximate}'"


class SiLU(Module):
    def forward(self, input):
        return F.silu(input)


class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


ACTIVATIONS_BY_NAME = {
    "tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid, "elu": ELU, "leaky_relu": LeakyReLU,
    "gelu": GELU, "silu": SiLU, "swish": SiLU, "softplus": Softplus,
}
