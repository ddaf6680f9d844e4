"""Learning-rate schedules: the rates of the first epochs, written out by hand."""

import math

import pytest

import rlgrad
import rlgrad.nn as nn
import rlgrad.optim as optim
from rlgrad.optim import lr_scheduler


def make_optimizer(lr=1.0, groups=1):
    params = [{"params": [nn.Parameter(rlgrad.zeros(1))]} for _ in range(groups)]
    return optim.SGD(params, lr=lr)


def rates(scheduler, epochs):
    """get_last_lr() of the first group at epochs 0..epochs-1."""
    collected = [scheduler.get_last_lr()[0]]
    for _ in range(epochs - 1):
        scheduler.optimizer.step()
        scheduler.step()
        collected.append(scheduler.get_last_lr()[0])
    return collected


def test_lambda_lr():
    scheduler = lr_scheduler.LambdaLR(make_optimizer(2.0), lambda epoch: 0.5 ** epoch)
    assert rates(scheduler, 4) == pytest.approx([2.0, 1.0, 0.5, 0.25])


def test_lambda_lr_one_function_per_group():
    optimizer = make_optimizer(1.0, groups=2)
    scheduler = lr_scheduler.LambdaLR(optimizer, [lambda e: 1.0, lambda e: e + 1.0])
    scheduler.step()
    assert scheduler.get_last_lr() == [1.0, 2.0]
    assert [group["lr"] for group in optimizer.param_groups] == [1.0, 2.0]


def test_step_lr():
    scheduler = lr_scheduler.StepLR(make_optimizer(1.0), step_size=2, gamma=0.1)
    assert rates(scheduler, 5) == pytest.approx([1.0, 1.0, 0.1, 0.1, 0.01])


def test_linear_lr_warms_up_then_holds():
    scheduler = lr_scheduler.LinearLR(make_optimizer(1.0), start_factor=0.5, end_factor=1.0,
                                      total_iters=4)
    assert rates(scheduler, 6) == pytest.approx([0.5, 0.625, 0.75, 0.875, 1.0, 1.0])


def test_exponential_lr():
    scheduler = lr_scheduler.ExponentialLR(make_optimizer(0.8), gamma=0.5)
    assert rates(scheduler, 3) == pytest.approx([0.8, 0.4, 0.2])


def test_cosine_annealing_lr():
    scheduler = lr_scheduler.CosineAnnealingLR(make_optimizer(1.0), T_max=4, eta_min=0.1)
    expected = [0.1 + 0.9 * (1 + math.cos(math.pi * t / 4)) / 2 for t in range(5)]
    assert rates(scheduler, 5) == pytest.approx(expected)
    assert expected[2] == pytest.approx(0.55) and expected[4] == pytest.approx(0.1)


def test_scheduler_sets_the_optimizer_learning_rate():
    optimizer = make_optimizer(1.0)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    scheduler.step()
    assert optimizer.param_groups[0]["lr"] == 0.5
    assert optimizer.param_groups[0]["initial_lr"] == 1.0


def test_scheduler_state_dict_resumes_the_schedule():
    first = lr_scheduler.CosineAnnealingLR(make_optimizer(1.0), T_max=10)
    for _ in range(3):
        first.step()
    state = first.state_dict()
    assert "optimizer" not in state and state["last_epoch"] == 3
    resumed = lr_scheduler.CosineAnnealingLR(make_optimizer(1.0), T_max=10)
    resumed.load_state_dict(state)
    assert resumed.get_last_lr() == first.get_last_lr()
    assert resumed.optimizer.param_groups[0]["lr"] == first.get_last_lr()[0]
    first.step()
    resumed.step()
    assert resumed.get_last_lr() == first.get_last_lr()


def test_lambda_lr_state_dict_leaves_out_the_functions():
    scheduler = lr_scheduler.LambdaLR(make_optimizer(), lambda e: 1.0)
    assert "lr_lambdas" not in scheduler.state_dict()
