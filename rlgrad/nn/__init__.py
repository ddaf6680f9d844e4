"""Neural-network building blocks with PyTorch's names."""

from rlgrad.nn import functional, init, utils
from rlgrad.nn.activation import ELU, GELU, LeakyReLU, ReLU, Sigmoid, SiLU, Softplus, Tanh
from rlgrad.nn.container import ModuleDict, ModuleList, Sequential
from rlgrad.nn.dropout import Dropout
from rlgrad.nn.embedding import Embedding
from rlgrad.nn.linear import Linear
from rlgrad.nn.loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, GaussianNLLLoss,
                            HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss)
from rlgrad.nn.mlp import MLP
from rlgrad.nn.module import Module
from rlgrad.nn.normalization import LayerNorm
from rlgrad.nn.parameter import Parameter
from rlgrad.nn.passthrough import Flatten, Identity

__all__ = ["Module", "Parameter", "Linear", "Sequential", "ModuleList", "ModuleDict",
           "Identity", "Flatten", "LayerNorm", "Dropout", "Embedding", "MLP",
           "Tanh", "ReLU", "Sigmoid", "ELU", "LeakyReLU", "GELU", "SiLU", "Softplus",
           "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "NLLLoss", "CrossEntropyLoss",
           "BCELoss", "BCEWithLogitsLoss", "GaussianNLLLoss", "functional", "init", "utils"]
