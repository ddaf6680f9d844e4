"""`Module.to` moves parameters, buffers and gradients in place, and optimizers keep their state
on each parameter's device."""

import numpy as np
import pytest

import rlgrad
from rlgrad import nn, optim
from rlgrad.nn.functional import mse_loss


def _mlp(device="cpu"):
    rlgrad.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4, device=device), nn.ReLU(), nn.Linear(4, 2, device=device))


def _batch(device):
    rng = np.random.default_rng(1)
    inputs = rlgrad.tensor(rng.standard_normal((5, 3)), dtype=rlgrad.float32, device=device)
    targets = rlgrad.tensor(rng.standard_normal((5, 2)), dtype=rlgrad.float32, device=device)
    return inputs, targets


def _train(model, device, steps=3):
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    inputs, targets = _batch(device)
    for _ in range(steps):
        optimizer.zero_grad()
        mse_loss(model(inputs), targets).backward()
        optimizer.step()
    return optimizer


def test_module_to_moves_parameters_in_place(device):
    model = _mlp()
    parameters = list(model.parameters())
    before = [p.tolist() for p in parameters]
    assert model.to(device) is model
    assert list(model.parameters()) == parameters  # the same objects: optimizers keep them
    for parameter, values in zip(parameters, before):
        assert parameter.device == rlgrad.device(device)
        assert parameter.requires_grad
        np.testing.assert_array_equal(parameter.cpu().detach().numpy(), values)


def test_module_to_moves_gradients(device):
    model = _mlp()
    inputs, targets = _batch("cpu")
    mse_loss(model(inputs), targets).backward()
    expected = [p.grad.tolist() for p in model.parameters()]
    model.to(device)
    for parameter, values in zip(model.parameters(), expected):
        assert parameter.grad.device == rlgrad.device(device)
        np.testing.assert_array_equal(parameter.grad.cpu().numpy(), values)


def test_module_to_moves_buffers_and_keeps_integer_buffers_integer(device):
    model = nn.Linear(2, 2)
    model.register_buffer("scale", rlgrad.ones(2))
    model.register_buffer("count", rlgrad.tensor([3]))
    model.to(device, rlgrad.float64)
    assert model.scale.device == model.count.device == rlgrad.device(device)
    assert (model.scale.dtype, model.count.dtype) == (rlgrad.float64, rlgrad.int64)


def test_module_to_a_model_device_then_back_round_trips(device):
    model = _mlp()
    before = [p.tolist() for p in model.parameters()]
    model.to(device).cpu()
    assert [p.tolist() for p in model.parameters()] == before


def test_adam_state_lives_on_the_parameter_device(device):
    model = _mlp(device)
    optimizer = _train(model, device, steps=1)
    for state in optimizer.state.values():
        assert state["exp_avg"].device == state["exp_avg_sq"].device == rlgrad.device(device)


def test_training_on_a_device_matches_cpu(device):
    on_cpu = _mlp()
    _train(on_cpu, "cpu")
    on_device = _mlp(device)
    _train(on_device, device)
    for expected, got in zip(on_cpu.parameters(), on_device.parameters()):
        np.testing.assert_allclose(got.cpu().detach().numpy(), expected.detach().numpy(),
                                   rtol=1e-5, atol=1e-6)


def test_optimizer_made_before_module_to_keeps_working(device):
    model = _mlp()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    model.to(device)
    inputs, targets = _batch(device)
    before = model[0].weight.cpu().detach().numpy().copy()
    mse_loss(model(inputs), targets).backward()
    optimizer.step()
    assert model[0].weight.device == rlgrad.device(device)
    assert not np.array_equal(model[0].weight.cpu().detach().numpy(), before)


def test_adam_on_a_device_matches_pytorch(device):
    torch = pytest.importorskip("torch", reason="PyTorch is the reference for Adam's arithmetic")
    start = np.array([0.5, -1.5, 2.0])
    grads = [np.array([0.1, -0.2, 0.3]), np.array([-0.4, 0.0, 0.6]), np.array([1.0, 1.0, -1.0])]
    ours = rlgrad.tensor(start, device=device, requires_grad=True)
    theirs = torch.tensor(start, requires_grad=True)
    our_adam, their_adam = optim.Adam([ours], lr=0.1), torch.optim.Adam([theirs], lr=0.1)
    for grad in grads:
        ours.grad = rlgrad.tensor(grad, device=device)
        theirs.grad = torch.tensor(grad)
        our_adam.step()
        their_adam.step()
    np.testing.assert_allclose(ours.detach().cpu().numpy(), theirs.detach().numpy(), rtol=1e-12)
