"""Optimizers and learning-rate schedules with PyTorch's names and update rules."""

from rlgrad.optim import lr_scheduler
from rlgrad.optim.adam import Adam
from rlgrad.optim.adamw import AdamW
from rlgrad.optim.optimizer import Optimizer
from rlgrad.optim.rmsprop import RMSprop
from rlgrad.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "lr_scheduler"]
