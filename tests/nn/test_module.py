"""Module: registration, traversal order, modes, state dicts and repr, as in PyTorch."""

import numpy as np
import pytest

import rlgrad
import rlgrad.nn as nn


def values(tensor):
    return np.asarray(tensor.detach().cpu().numpy())


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Linear(2, 3)
        self.scale = nn.Parameter(rlgrad.ones(3))
        self.register_buffer("count", rlgrad.zeros(1))
        self.register_buffer("scratch", rlgrad.zeros(1), persistent=False)
        self.second = nn.Linear(3, 1)

    def forward(self, x):
        return self.second(self.first(x) * self.scale)


def test_parameters_follow_registration_order_depth_first():
    names = [name for name, _ in Block().named_parameters()]
    assert names == ["scale", "first.weight", "first.bias", "second.weight", "second.bias"]


def test_state_dict_lists_parameters_then_buffers_per_module_and_skips_non_persistent():
    keys = list(Block().state_dict())
    assert keys == ["scale", "count", "first.weight", "first.bias", "second.weight",
                    "second.bias"]


def test_reassigning_a_parameter_keeps_its_place():
    block = Block()
    block.scale = nn.Parameter(rlgrad.zeros(3))
    assert [n for n, _ in block.named_parameters()][0] == "scale"


def test_shared_parameter_is_listed_once_but_state_dict_has_both_names():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, shared)
    assert len(list(model.parameters())) == 2
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_named_modules_is_preorder_with_qualified_names():
    model = nn.Sequential(nn.Linear(1, 2), nn.Sequential(nn.Tanh(), nn.Linear(2, 1)))
    names = [name for name, _ in model.named_modules()]
    assert names == ["", "0", "1", "1.0", "1.1"]


def test_apply_visits_children_before_parents():
    model = nn.Sequential(nn.Sequential(nn.Tanh()), nn.ReLU())
    visited = []
    model.apply(lambda module: visited.append(type(module).__name__))
    assert visited == ["Tanh", "Sequential", "ReLU", "Sequential"]


def test_apply_can_initialise_every_linear_layer():
    model = nn.MLP(3, 2, hidden=(4,))

    def zero_linear(module):
        if isinstance(module, nn.Linear):
            nn.init.zeros_(module.weight)
            nn.init.constant_(module.bias, 0.5)

    model.apply(zero_linear)
    assert np.all(values(model(rlgrad.ones(1, 3))) == 0.5)


def test_requires_grad_false_freezes_every_parameter():
    model = Block().requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())


def test_to_float64_converts_parameters_and_float_buffers(device):
    model = Block().to(device).to(rlgrad.float64)
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    assert model.count.dtype == np.float64
    assert model.first.weight.device == rlgrad.device(device)
    out = model(rlgrad.ones(4, 2, dtype=rlgrad.float64, device=device))
    assert out.dtype == np.float64 and out.shape == (4, 1)


def test_eval_turns_training_off_everywhere():
    model = nn.Sequential(nn.Dropout(0.5), nn.Sequential(nn.Dropout(0.1)))
    model.eval()
    assert not any(module.training for module in model.modules())
    model.train()
    assert all(module.training for module in model.modules())


def test_load_state_dict_copies_values_in_place(device):
    source, target = Block().to(device), Block().to(device)
    weight_object = target.first.weight
    target.load_state_dict(source.state_dict())
    assert target.first.weight is weight_object
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(values(target.state_dict()[key]), values(value))


def test_load_state_dict_lists_missing_and_unexpected_keys():
    state = Block().state_dict()
    del state["first.bias"]
    state["extra"] = rlgrad.zeros(1)
    with pytest.raises(RuntimeError) as error:
        Block().load_state_dict(state)
    assert "missing keys: first.bias" in str(error.value)
    assert "unexpected keys: extra" in str(error.value)


def test_load_state_dict_non_strict_returns_the_incompatible_keys():
    state = Block().state_dict()
    del state["count"]
    state["extra"] = rlgrad.zeros(1)
    result = Block().load_state_dict(state, strict=False)
    assert result.missing_keys == ["count"] and result.unexpected_keys == ["extra"]


def test_load_state_dict_shape_mismatch_names_key_and_both_shapes_and_copies_nothing():
    model = Block()
    before = values(model.scale).copy()
    state = Block().state_dict()
    state["scale"] = rlgrad.full((3,), 7.0)
    state["first.weight"] = rlgrad.zeros(4, 2)
    with pytest.raises(RuntimeError, match=r"first\.weight: checkpoint has shape \(4, 2\), "
                                           r"the model has \(3, 2\)"):
        model.load_state_dict(state)
    np.testing.assert_array_equal(values(model.scale), before)


def test_repr_matches_pytorch_layout():
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.LayerNorm(8))
    assert repr(model) == ("Sequential(\n"
                           "  (0): Linear(in_features=4, out_features=8, bias=True)\n"
                           "  (1): Tanh()\n"
                           "  (2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
                           ")")


def test_register_parameter_rejects_a_plain_tensor():
    with pytest.raises(TypeError, match="nn.Parameter"):
        nn.Module().register_parameter("w", rlgrad.zeros(2))


def test_assigning_a_tensor_to_a_parameter_name_is_refused():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="parameter 'weight'"):
        layer.weight = rlgrad.zeros(2, 2)


def test_module_list_registers_its_modules():
    layers = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 1)])
    layers.append(nn.Linear(1, 2))
    assert len(layers) == 3 and layers[-1].out_features == 2
    assert len(list(layers.parameters())) == 6
    assert list(layers.state_dict())[:2] == ["0.weight", "0.bias"]


def test_module_dict_registers_under_its_keys():
    heads = nn.ModuleDict({"policy": nn.Linear(2, 3), "value": nn.Linear(2, 1)})
    assert list(heads.keys()) == ["policy", "value"]
    assert [n for n, _ in heads.named_parameters()][2:] == ["value.weight", "value.bias"]
    assert "value" in heads and heads["value"].out_features == 1


def test_sequential_indexing_and_slicing():
    model = nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 3))
    assert isinstance(model[1], nn.Tanh) and model[-1].out_features == 3
    assert len(model[:2]) == 2
    with pytest.raises(IndexError):
        model[3]


def test_zero_grad_set_to_none_false_gives_zero_gradients():
    model = nn.Linear(2, 1)
    model(rlgrad.ones(3, 2)).sum().backward()
    model.zero_grad(set_to_none=False)
    assert np.all(values(model.weight.grad) == 0)
    model.zero_grad()
    assert model.weight.grad is None


def test_get_submodule_follows_dotted_path():
    model = nn.Sequential(nn.Sequential(nn.Tanh()))
    assert isinstance(model.get_submodule("0.0"), nn.Tanh)


def test_deleting_from_a_module_dict_removes_the_attribute_too():
    modules = nn.ModuleDict({"policy": nn.Linear(2, 2), "value": nn.Linear(2, 1)})
    del modules["policy"]
    assert list(modules) == ["value"] and not hasattr(modules, "policy")
    assert len(list(modules.parameters())) == 2
