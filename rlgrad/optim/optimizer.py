"""`Optimizer`: parameter groups, per-parameter state, `zero_grad`, `step` and state dicts."""

import copy

from rlgrad.tensor import Tensor


class Optimizer:
    """Base of optimizers. `params` is an iterable of tensors or of dicts (parameter groups)
    with their own hyper-parameters; `defaults` fills what a group leaves out."""

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}
        self.param_groups = []
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        group = dict(group)
        params = group["params"]
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for parameter in group["params"]:
            if not isinstance(parameter, Tensor):
                raise TypeError(f"optimizer can only optimize tensors, got "
                                f"{type(parameter).__name__}")
            if not parameter.is_leaf:
                raise ValueError("can't optimize a non-leaf tensor")
        seen = {id(p) for existing in self.param_groups for p in existing["params"]}
        if any(id(p) in seen for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for parameter in group["params"]:
                if set_to_none:
                    parameter.grad = None
                elif parameter.grad is not None:
                    parameter.grad.detach_()
                    parameter.grad.data[...] = 0

    def step(self):
        raise NotImplementedError

    def state_dict(self):
        """{'state': {index: {name: value}}, 'param_groups': [...]} with parameters as indices,
        so that it can be saved and loaded into an optimizer over the same parameters."""
        index_of = {}
        groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            packed["params"] = []
            for parameter in group["params"]:
                index_of.setdefault(id(parameter), len(index_of))
                packed["params"].append(index_of[id(parameter)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for parameter in group["params"]:
                if parameter in self.state:
                    state[index_of[id(parameter)]] = {
                        key: value.clone().detach() if isinstance(value, Tensor) else value
                        for key, value in self.state[parameter].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore state saved by `state_dict()`, placing each tensor on its parameter's
        device and dtype; the groups must list the same number of parameters."""
        if set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"an optimizer state_dict has keys 'state' and 'param_groups', "
                             f"got {sorted(state_dict)}")
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"loaded state has {len(groups)} parameter groups, the optimizer "
                             f"has {len(self.param_groups)}")
        parameters = {}
        for saved, group in zip(groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"loaded group has {len(saved['params'])} parameters, the "
                                 f"optimizer's has {len(group['params'])}")
            for index, parameter in zip(saved["params"], group["params"]):
                parameters[int(index)] = parameter
            for key, value in saved.items():
                if key != "params":
                    group[key] = copy.deepcopy(value)
        self.state = {}
        for index, values in state_dict["state"].items():
            parameter = parameters[int(index)]
            self.state[parameter] = {
                key: _placed(value, parameter, key) for key, value in values.items()}

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {index}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        return "\n".join(lines + [")"])


def _placed(value, parameter, key):
    if not isinstance(value, Tensor):
        return value
    if key != "step" and value.shape != parameter.shape:
        raise ValueError(f"optimizer state '{key}' has shape {value.shape} but its parameter "
                         f"has shape {parameter.shape}; was the state saved from another model?")
    if key == "step":
        return value.to(parameter.device)
    return value.to(parameter.device, parameter.dtype).clone().detach()
