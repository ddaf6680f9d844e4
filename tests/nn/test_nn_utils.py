"""rlgrad.nn.utils: gradient clipping and flat parameter vectors."""

import math

import numpy as np
import pytest

import rlgrad
import rlgrad.nn as nn
from rlgrad.nn.utils import (clip_grad_norm_, clip_grad_value_, parameters_to_vector,
                             vector_to_parameters)


def values(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


def parameters_with_grads(device, grads):
    parameters = []
    for grad in grads:
        parameter = nn.Parameter(rlgrad.zeros(len(grad), device=device))
        parameter.grad = rlgrad.tensor(grad, device=device)
        parameters.append(parameter)
    return parameters


def test_clip_grad_norm_returns_total_norm_and_scales_to_max_norm(device):
    parameters = parameters_with_grads(device, [[3.0], [4.0, 0.0]])
    total = clip_grad_norm_(parameters, max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    scale = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(values(parameters[0].grad), [3 * scale], rtol=1e-6)
    np.testing.assert_allclose(values(parameters[1].grad), [4 * scale, 0.0], rtol=1e-6)


def test_clip_grad_norm_leaves_small_gradients_alone(device):
    parameters = parameters_with_grads(device, [[0.3, 0.4]])
    assert clip_grad_norm_(parameters, 1.0).item() == pytest.approx(0.5)
    np.testing.assert_allclose(values(parameters[0].grad), [0.3, 0.4], rtol=1e-7)


def test_clip_grad_norm_infinity_norm(device):
    parameters = parameters_with_grads(device, [[-3.0, 1.0], [2.0]])
    assert clip_grad_norm_(parameters, 1.5, norm_type=math.inf).item() == 3.0
    np.testing.assert_allclose(values(parameters[0].grad), [-1.5, 0.5], rtol=1e-6)


def test_clip_grad_norm_clips_in_place_after_backward():
    parameter = nn.Parameter(rlgrad.zeros(3))
    parameter.sum().backward()
    kept = parameter.grad
    clip_grad_norm_([parameter], 0.1)
    assert parameter.grad is kept
    np.testing.assert_allclose(values(kept), [0.1 / math.sqrt(3)] * 3, rtol=1e-5)


def test_clip_grad_norm_can_refuse_a_non_finite_norm():
    parameters = parameters_with_grads("cpu", [[math.inf]])
    with pytest.raises(RuntimeError, match="norm of the gradients is inf"):
        clip_grad_norm_(parameters, 1.0, error_if_nonfinite=True)


def test_clip_grad_value_clamps_each_element(device):
    parameters = parameters_with_grads(device, [[-3.0, 0.5, 2.0]])
    clip_grad_value_(parameters, 1.0)
    assert values(parameters[0].grad).tolist() == [-1.0, 0.5, 1.0]


def test_parameters_to_vector_and_back(device):
    model = nn.Linear(2, 2).to(device)
    vector = parameters_to_vector(model.parameters())
    assert vector.shape == (6,)
    np.testing.assert_array_equal(values(vector)[:4], values(model.weight).reshape(-1))
    vector_to_parameters(vector * 0.0 + 1.0, model.parameters())
    assert np.all(values(model.bias) == 1.0)


def test_parameters_to_vector_is_differentiable():
    a = nn.Parameter(rlgrad.tensor([1.0, 2.0]))
    b = nn.Parameter(rlgrad.tensor([[3.0]]))
    vector = parameters_to_vector([a, b])
    (vector * rlgrad.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert values(a.grad).tolist() == [1.0, 2.0] and values(b.grad).tolist() == [[3.0]]


def test_vector_to_parameters_checks_the_length():
    with pytest.raises(ValueError, match="1-D vector of 6 elements"):
        vector_to_parameters(rlgrad.zeros(5), nn.Linear(2, 2).parameters())
