"""First checks of the core: a small graph's gradient, exactly, on every device."""

import numpy as np

import rlgrad
from rlgrad.gradcheck import gradcheck


def test_mlp_expression_gradient_matches_finite_differences(device):
    rng = np.random.default_rng(0)
    x = rlgrad.tensor(rng.standard_normal((3, 4)), device=device, requires_grad=True)
    w = rlgrad.tensor(rng.standard_normal(4), device=device, requires_grad=True)
    assert gradcheck(lambda a, b: ((a * b).tanh() @ b).exp(), (x, w))


def test_value_used_twice_gets_both_contributions(device):
    x = rlgrad.tensor(3.0, device=device, requires_grad=True)
    (x * x + x).backward()
    assert x.grad.item() == 7.0
