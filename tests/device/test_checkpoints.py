"""Checkpoints move between devices: a state dict saved on one device loads onto another with
`map_location`, and into a model and an optimizer that live there."""

import numpy as np
import pytest

import rlgrad
from rlgrad import nn, optim
from rlgrad.nn.functional import mse_loss

pytestmark = pytest.mark.skipif(not hasattr(rlgrad, "save"),
                                reason="rlgrad.save/load (serialization) is not merged here yet")


def _trained(device):
    rlgrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4, device=device), nn.Tanh(), nn.Linear(4, 1,
                                                                             device=device))
    optimizer = optim.Adam(model.parameters(), lr=0.1)
    inputs = rlgrad.ones(2, 3, device=device)
    mse_loss(model(inputs), rlgrad.zeros(2, 1, device=device)).backward()
    optimizer.step()
    return model, optimizer


def _host_values(state):
    return {name: tensor.cpu().detach().numpy() for name, tensor in state.items()}


@pytest.mark.parametrize("direction", ["to_cpu", "from_cpu"])
def test_checkpoint_moves_between_cpu_and_device(direction, device, tmp_path):
    source, target = (device, "cpu") if direction == "to_cpu" else ("cpu", device)
    model, optimizer = _trained(source)
    path = tmp_path / "checkpoint.safetensors"
    rlgrad.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)

    loaded = rlgrad.load(path, map_location=target)
    fresh, fresh_optimizer = _trained(target)
    fresh.load_state_dict(loaded["model"])
    fresh_optimizer.load_state_dict(loaded["optimizer"])

    expected = _host_values(model.state_dict())
    for name, tensor in fresh.state_dict().items():
        assert tensor.device == rlgrad.device(target)
        np.testing.assert_array_equal(tensor.cpu().detach().numpy(), expected[name])
    for state in fresh_optimizer.state.values():
        assert state["exp_avg"].device == rlgrad.device(target)


def test_checkpoint_without_map_location_returns_to_its_device(device, tmp_path):
    model, _ = _trained(device)
    rlgrad.save(model.state_dict(), tmp_path / "model.safetensors")
    for tensor in rlgrad.load(tmp_path / "model.safetensors").values():
        assert tensor.device == rlgrad.device(device)
