"""The elementwise ops nn and distributions define until the core has them: values against
the math module, first and second derivatives against finite differences."""

import math

import numpy as np
import pytest

import rlgrad
import rlgrad.nn.functional as F
from rlgrad.gradcheck import gradcheck, gradgradcheck
from rlgrad.nn import _stopgap_ops as ops


def values(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


POINTS = [-3.0, -0.7, 0.2, 1.5, 4.0]


@pytest.mark.parametrize("op, reference", [
    (ops.sqrt, math.sqrt), (ops.log1p, math.log1p), (ops.expm1, math.expm1),
    (ops.softplus, lambda x: math.log1p(math.exp(x))), (ops.abs, abs)],
    ids=["sqrt", "log1p", "expm1", "softplus", "abs"])
def test_values_match_the_math_module(op, reference, device):
    points = [abs(p) for p in POINTS] if op in (ops.sqrt, ops.log1p) else POINTS
    x = rlgrad.tensor(points, dtype=rlgrad.float64, device=device)
    np.testing.assert_allclose(values(op(x)), [reference(p) for p in points], rtol=1e-14)


def test_erf_is_accurate_to_float32_precision(device):
    grid = np.linspace(-6, 6, 2001)
    x = rlgrad.tensor(grid, dtype=rlgrad.float64, device=device)
    expected = np.array([math.erf(p) for p in grid])
    np.testing.assert_allclose(values(ops.erf(x)), expected, atol=2e-7)


@pytest.mark.parametrize("op", [ops.log1p, ops.expm1, ops.softplus, ops.erf, ops.abs,
                                lambda x: ops.sqrt(x * x + 0.5),
                                lambda x: ops.clamp(x, -1.0, 2.0)],
                         ids=["log1p", "expm1", "softplus", "erf", "abs", "sqrt", "clamp"])
@pytest.mark.parametrize("shape", [(5,), (1, 5), (0, 3)], ids=["flat", "size1", "empty"])
def test_first_and_second_derivatives_match_finite_differences(op, shape, device):
    count = int(np.prod(shape))
    data = np.array(POINTS[:count] if count else [], dtype=np.float64).reshape(shape)
    if op is ops.log1p:
        data = np.abs(data)
    x = rlgrad.tensor(data, dtype=rlgrad.float64, device=device, requires_grad=True)
    assert gradcheck(op, (x,))
    assert gradgradcheck(op, (x,))


def test_clamp_passes_the_gradient_at_the_bounds_and_zero_outside():
    x = rlgrad.tensor([-2.0, -1.0, 0.5, 2.0, 3.0], requires_grad=True)
    ops.clamp(x, -1.0, 2.0).sum().backward()
    assert values(x.grad).tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_one_hot(device):
    classes = rlgrad.tensor([2, 0], device=device)
    assert values(F.one_hot(classes, 3)).tolist() == [[0, 0, 1], [1, 0, 0]]
    assert F.one_hot(classes).shape == (2, 3)
