"""Shared helpers of the core tests: float64 tensors on a device and value domains that keep
finite differences away from kinks and poles."""

import numpy as np
from hypothesis import HealthCheck, settings

import rlgrad
from rlgrad import gradcheck, gradgradcheck


def values(rng, shape, domain):
    """Random float64 values of `shape` drawn from a named domain.

    "any": (-2, 2); "positive": (0.3, 2); "nonzero": |x| in (0.3, 2);
    "off_half": |x| in (0.1, 0.4) or (0.6, 2), away from the clamp bounds +-0.5 and from 0.
    """
    if domain == "any":
        return rng.uniform(-2, 2, shape)
    if domain == "positive":
        return rng.uniform(0.3, 2, shape)
    signs = rng.choice([-1.0, 1.0], shape)
    if domain == "nonzero":
        return signs * rng.uniform(0.3, 2, shape)
    if domain == "off_half":
        low = rng.uniform(0.1, 0.4, shape)
        high = rng.uniform(0.6, 2, shape)
        return signs * np.where(rng.random(shape) < 0.5, low, high)
    raise ValueError(f"unknown domain {domain!r}")


def leaf(array, device, requires_grad=True):
    return rlgrad.tensor(np.asarray(array, dtype=np.float64), dtype=rlgrad.float64,
                         device=device, requires_grad=requires_grad)


def host(tensor):
    """A tensor's values as a NumPy array, from any device."""
    return np.asarray(tensor.detach().cpu().numpy())


def check_gradients(fn, inputs, second_order=True):
    """First and (unless told otherwise) second derivatives against finite differences."""
    assert gradcheck(fn, inputs)
    if second_order:
        assert gradgradcheck(fn, inputs)


# The `device` fixture is a plain string, so reusing it across generated examples is safe.
SETTINGS = settings(max_examples=4, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
