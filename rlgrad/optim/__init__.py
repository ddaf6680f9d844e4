"""Optimizers with PyTorch's names and update rules."""

from rlgrad.optim.adam import Adam
from rlgrad.optim.optimizer import Optimizer
from rlgrad.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam"]
