"""Probability distributions for policies, with PyTorch's names."""

from rlgrad.distributions.bernoulli import Bernoulli
from rlgrad.distributions.categorical import Categorical
from rlgrad.distributions.distribution import Distribution
from rlgrad.distributions.independent import DiagGaussian, Independent
from rlgrad.distributions.kl import kl_divergence, register_kl
from rlgrad.distributions.normal import Normal
from rlgrad.distributions.transformed import TransformedDistribution
from rlgrad.distributions.transforms import AffineTransform, TanhTransform, Transform

__all__ = ["Distribution", "Categorical", "Normal", "Bernoulli", "Independent", "DiagGaussian",
           "TransformedDistribution", "Transform", "TanhTransform", "AffineTransform",
           "kl_divergence", "register_kl"]
