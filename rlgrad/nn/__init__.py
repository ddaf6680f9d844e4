"""Neural-network building blocks with PyTorch's names."""

from rlgrad.nn import functional, init
from rlgrad.nn.activation import ReLU, Sigmoid, Tanh
from rlgrad.nn.container import Sequential
from rlgrad.nn.linear import Linear
from rlgrad.nn.module import Module
from rlgrad.nn.parameter import Parameter

__all__ = ["Module", "Parameter", "Linear", "Sequential", "Tanh", "ReLU", "Sigmoid",
           "functional", "init"]
