"""Probability distributions for policies, with PyTorch's names."""

from rlgrad.distributions.categorical import Categorical

__all__ = ["Categorical"]
