"""`kl_divergence(p, q)`: closed forms for pairs of the same family, found by type."""

import numpy as np

from rlgrad.distributions.bernoulli import Bernoulli
from rlgrad.distributions.categorical import Categorical, finite_logits
from rlgrad.distributions.distribution import sum_rightmost
from rlgrad.distributions.independent import Independent
from rlgrad.distributions.normal import Normal
from rlgrad.ops.activations import softplus
from rlgrad.ops.elementwise import where

_KL_BY_TYPES = {}


def register_kl(type_p, type_q):
    """Decorator registering a function (p, q) -> KL(p || q) for these two types."""
    def register(function):
        _KL_BY_TYPES[(type_p, type_q)] = function
        return function
    return register


def kl_divergence(p, q):
    """KL(p || q) = E_p[log p - log q], of shape batch_shape (most specific types win)."""
    for type_p in type(p).__mro__:
        for type_q in type(q).__mro__:
            function = _KL_BY_TYPES.get((type_p, type_q))
            if function is not None:
                return function(p, q)
    raise NotImplementedError(f"no closed-form KL divergence between {type(p).__name__} and "
                              f"{type(q).__name__}")


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    """log(s_q / s_p) + (s_p^2 + (m_p - m_q)^2) / (2 s_q^2) - 1/2, with the log of the
    variance ratio taken from log-scales so that tiny scales stay finite."""
    scale_ratio = p.scale / q.scale
    shift = (p.loc - q.loc) / q.scale
    log_variance_ratio = (p.scale.log() - q.scale.log()) * 2.0
    return (scale_ratio * scale_ratio + shift * shift - 1.0 - log_variance_ratio) * 0.5


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    """sum_k p_k (log p_k - log q_k); terms with p_k = 0 are 0, with q_k = 0 < p_k infinite."""
    p_logits, q_logits = finite_logits(p.logits), finite_logits(q.logits)
    p_probs = p_logits.exp()
    terms = p_probs * (p_logits - q_logits)
    terms = where(p.logits == -np.inf, 0.0, terms)
    impossible = (q.logits == -np.inf).to(terms.dtype) * (p.logits > -np.inf).to(terms.dtype)
    return where(impossible.sum(-1) > 0, np.inf, terms.sum(-1))


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    """p (log p - log q) + (1 - p) (log(1 - p) - log(1 - q)), with log p = -softplus(-l)
    and log(1 - p) = -softplus(l)."""
    p_probs = p.probs
    positive = (softplus(-q.logits) - softplus(-p.logits)) * p_probs
    negative = (softplus(q.logits) - softplus(p.logits)) * (1.0 - p_probs)
    return positive + negative


@register_kl(Independent, Independent)
def _kl_independent_independent(p, q):
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError(f"KL between Independent distributions needs the same "
                                  f"reinterpreted_batch_ndims, got "
                                  f"{p.reinterpreted_batch_ndims} and "
                                  f"{q.reinterpreted_batch_ndims}")
    return sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)
