"""Optimizers: the first three steps of each on a scalar, written out by hand.

Unless said otherwise the gradient is a constant g, set before each step, so that each
update can be followed with pencil and paper.
"""

import math

import numpy as np
import pytest

import rlgrad
import rlgrad.nn as nn
import rlgrad.optim as optim


def scalar_parameter(value, device):
    return nn.Parameter(rlgrad.tensor([value], dtype=rlgrad.float64, device=device))


def run_steps(optimizer, parameter, gradient, steps=3):
    """Values of `parameter` after each step; `gradient(p)` gives the gradient at p."""
    trajectory = []
    for _ in range(steps):
        current = parameter.detach().cpu().numpy()[0]
        parameter.grad = rlgrad.tensor([gradient(current)], dtype=parameter.dtype,
                                       device=parameter.device)
        optimizer.step()
        trajectory.append(float(parameter.detach().cpu().numpy()[0]))
    return trajectory


def test_sgd_on_a_quadratic(device):
    p = scalar_parameter(1.0, device)
    # f(p) = p^2: p <- p - 0.1 * 2p = 0.8 p
    assert run_steps(optim.SGD([p], lr=0.1), p, lambda x: 2 * x) == pytest.approx(
        [0.8, 0.64, 0.512])


def test_sgd_momentum(device):
    p = scalar_parameter(0.0, device)
    # b = 1, 1.9, 2.71; p -= 0.1 b
    assert run_steps(optim.SGD([p], lr=0.1, momentum=0.9), p, lambda x: 1.0) == pytest.approx(
        [-0.1, -0.29, -0.561])


def test_sgd_nesterov(device):
    p = scalar_parameter(0.0, device)
    # step uses g + 0.9 b with b = 1, 1.9, 2.71: 1.9, 2.71, 3.439
    optimizer = optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True)
    assert run_steps(optimizer, p, lambda x: 1.0) == pytest.approx([-0.19, -0.461, -0.8049])


def test_sgd_dampening_skips_the_first_step(device):
    p = scalar_parameter(0.0, device)
    # b = 1 (first step undamped), 0.9 + 0.5 = 1.4, 1.26 + 0.5 = 1.76
    optimizer = optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5)
    assert run_steps(optimizer, p, lambda x: 1.0) == pytest.approx([-0.1, -0.24, -0.416])


def test_sgd_weight_decay_adds_to_the_gradient(device):
    p = scalar_parameter(1.0, device)
    # g = 0 + 0.1 p: p <- 0.99 p
    optimizer = optim.SGD([p], lr=0.1, weight_decay=0.1)
    assert run_steps(optimizer, p, lambda x: 0.0) == pytest.approx([0.99, 0.9801, 0.970299])


def test_sgd_rejects_nesterov_without_momentum():
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([scalar_parameter(0.0, "cpu")], lr=0.1, nesterov=True)


def test_adam_constant_gradient_moves_lr_per_step(device):
    p = scalar_parameter(0.0, device)
    # bias-corrected m / sqrt(v) = 4 / 4 = 1 at every step (up to eps)
    trajectory = run_steps(optim.Adam([p], lr=0.1), p, lambda x: 4.0)
    assert trajectory == pytest.approx([-0.1, -0.2, -0.3], rel=1e-8)


def test_adam_in_float32_gives_the_same_first_steps(device):
    p = nn.Parameter(rlgrad.tensor([0.0], device=device))
    trajectory = run_steps(optim.Adam([p], lr=0.1), p, lambda x: 4.0)
    assert trajectory == pytest.approx([-0.1, -0.2, -0.3], rel=1e-6)


def test_adam_with_a_changing_gradient(device):
    p = scalar_parameter(0.0, device)
    gradients = iter([1.0, -1.0, 2.0])
    trajectory = run_steps(optim.Adam([p], lr=0.01, betas=(0.5, 0.75), eps=0.0), p,
                           lambda x: next(gradients))
    # m = 0.5, 0.25 - 0.5 = -0.25, -0.125 + 1 = 0.875
    # v = 0.25, 0.1875 + 0.25 = 0.4375, 0.328125 + 1 = 1.328125
    # step_t = 0.01 * (m / (1 - 0.5^t)) / sqrt(v / (1 - 0.75^t))
    step1 = 0.01 * 1.0 / 1.0
    step2 = 0.01 * (-0.25 / 0.75) / math.sqrt(0.4375 / 0.4375)
    step3 = 0.01 * (0.875 / 0.875) / math.sqrt(1.328125 / (1 - 0.75 ** 3))
    expected = np.cumsum([-step1, -step2, -step3])
    assert trajectory == pytest.approx(expected.tolist(), rel=1e-12)


def test_adamw_decays_weights_directly(device):
    p = scalar_parameter(1.0, device)
    # p <- 0.99 p - 0.1 (the Adam step is lr with a constant gradient)
    optimizer = optim.AdamW([p], lr=0.1, weight_decay=0.1)
    assert run_steps(optimizer, p, lambda x: 4.0) == pytest.approx(
        [0.89, 0.7811, 0.673289], rel=1e-8)


def test_adam_weight_decay_is_an_l2_gradient_term(device):
    p = scalar_parameter(2.0, device)
    # g = 0 + 0.5 * 2 = 1 on the first step: Adam moves by lr whatever the gradient's size
    optimizer = optim.Adam([p], lr=0.1, weight_decay=0.5)
    assert run_steps(optimizer, p, lambda x: 0.0, steps=1) == pytest.approx([1.9], rel=1e-8)


def test_rmsprop(device):
    p = scalar_parameter(0.0, device)
    # v = 0.04, 0.0796, 0.118804; p -= 0.01 * 2 / sqrt(v)
    v = [0.04, 0.0796, 0.118804]
    expected = np.cumsum([-0.01 * 2 / math.sqrt(x) for x in v])
    assert run_steps(optim.RMSprop([p], lr=0.01), p, lambda x: 2.0) == pytest.approx(
        expected.tolist(), rel=1e-6)


def test_rmsprop_centered(device):
    p = scalar_parameter(0.0, device)
    # v as above, m = 0.02, 0.0398, 0.059402; p -= 0.01 * 2 / sqrt(v - m^2)
    v = [0.04, 0.0796, 0.118804]
    m = [0.02, 0.0398, 0.059402]
    expected = np.cumsum([-0.01 * 2 / math.sqrt(a - b * b) for a, b in zip(v, m)])
    optimizer = optim.RMSprop([p], lr=0.01, centered=True)
    assert run_steps(optimizer, p, lambda x: 2.0) == pytest.approx(expected.tolist(), rel=1e-6)


def test_rmsprop_momentum(device):
    p = scalar_parameter(0.0, device)
    steps = [2 / math.sqrt(x) for x in (0.04, 0.0796, 0.118804)]
    buffers = [steps[0], 0.9 * steps[0] + steps[1]]
    buffers.append(0.9 * buffers[1] + steps[2])
    expected = np.cumsum([-0.01 * b for b in buffers])
    optimizer = optim.RMSprop([p], lr=0.01, momentum=0.9)
    assert run_steps(optimizer, p, lambda x: 2.0) == pytest.approx(expected.tolist(), rel=1e-6)


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.01),
    lambda ps: optim.AdamW(ps, lr=0.01),
    lambda ps: optim.RMSprop(ps, lr=0.01, centered=True, momentum=0.5, weight_decay=0.01),
], ids=["sgd", "adam", "adamw", "rmsprop"])
def test_optimizers_agree_with_pytorch_over_twenty_steps(make):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    start = rng.standard_normal((3, 2))
    ours = nn.Parameter(rlgrad.tensor(start, dtype=rlgrad.float64))
    theirs = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    torch_make = {optim.SGD: torch.optim.SGD, optim.Adam: torch.optim.Adam,
                  optim.AdamW: torch.optim.AdamW, optim.RMSprop: torch.optim.RMSprop}
    optimizer = make([ours])
    hyper = {k: v for k, v in optimizer.param_groups[0].items() if k != "params"}
    reference = torch_make[type(optimizer)]([theirs], **hyper)
    for _ in range(20):
        gradient = rng.standard_normal((3, 2))
        ours.grad = rlgrad.tensor(gradient, dtype=rlgrad.float64)
        theirs.grad = torch.tensor(gradient, dtype=torch.float64)
        optimizer.step()
        reference.step()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)


def test_parameter_groups_keep_their_own_hyper_parameters():
    a, b = scalar_parameter(0.0, "cpu"), scalar_parameter(0.0, "cpu")
    optimizer = optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    a.grad = rlgrad.tensor([1.0], dtype=rlgrad.float64)
    b.grad = rlgrad.tensor([1.0], dtype=rlgrad.float64)
    optimizer.step()
    assert a.item() == pytest.approx(-0.1) and b.item() == pytest.approx(-1.0)


def test_a_parameter_in_two_groups_is_refused():
    a = scalar_parameter(0.0, "cpu")
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [a]}, {"params": [a]}], lr=0.1)


def test_parameters_without_gradients_are_skipped():
    a = scalar_parameter(1.0, "cpu")
    optimizer = optim.Adam([a], lr=0.1)
    optimizer.step()
    assert a.item() == 1.0 and a not in optimizer.state


def test_zero_grad_sets_gradients_to_none_by_default():
    a = scalar_parameter(1.0, "cpu")
    a.grad = rlgrad.tensor([1.0], dtype=rlgrad.float64)
    optimizer = optim.SGD([a], lr=0.1)
    optimizer.zero_grad()
    assert a.grad is None
    a.grad = rlgrad.tensor([1.0], dtype=rlgrad.float64)
    optimizer.zero_grad(set_to_none=False)
    assert a.grad.item() == 0.0


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), lambda ps: optim.Adam(ps),
    lambda ps: optim.RMSprop(ps, centered=True, momentum=0.9)], ids=["sgd", "adam", "rmsprop"])
def test_optimizer_state_lives_on_the_parameter_device(make, device):
    p = nn.Parameter(rlgrad.zeros(2, device=device))
    p.grad = rlgrad.ones(2, device=device)
    optimizer = make([p])
    optimizer.step()
    for value in optimizer.state[p].values():
        if isinstance(value, rlgrad.Tensor):
            assert value.device == rlgrad.device(device)


def test_training_a_linear_regression_converges(device):
    rlgrad.manual_seed(0)
    model = nn.Linear(2, 1).to(device)
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    x = rlgrad.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 1.0]], device=device)
    y = rlgrad.tensor([[1.0], [2.0], [3.0], [5.0]], device=device)  # y = 2 x0 + x1
    for _ in range(600):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    assert loss.item() < 1e-3


def test_load_state_dict_refuses_state_of_another_shape():
    source = nn.Parameter(rlgrad.zeros(3))
    source.grad = rlgrad.ones(3)
    optimizer = optim.Adam([source])
    optimizer.step()
    other = optim.Adam([nn.Parameter(rlgrad.zeros(2))])
    with pytest.raises(ValueError, match=r"'exp_avg' has shape \(3,\) but its parameter has "
                                         r"shape \(2,\)"):
        other.load_state_dict(optimizer.state_dict())


def test_load_state_dict_refuses_a_different_number_of_groups():
    optimizer = optim.SGD([nn.Parameter(rlgrad.zeros(1))], lr=0.1)
    state = optimizer.state_dict()
    state["param_groups"].append(dict(state["param_groups"][0]))
    with pytest.raises(ValueError, match="2 parameter groups, the optimizer has 1"):
        optimizer.load_state_dict(state)
