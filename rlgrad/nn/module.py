"""`Module`: the base of layers and models, holding parameters, buffers and submodules in
registration order, with PyTorch's `parameters()`, `state_dict()`, `train()`/`eval()`."""

from collections import OrderedDict, namedtuple

from rlgrad.nn.parameter import Parameter
from rlgrad.tensor import Tensor

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    """Base class of every layer. Assigning a `Parameter`, a `Module` or a buffer (through
    `register_buffer`) to an attribute registers it; order of assignment is the order of
    `parameters()` and of `state_dict()` keys."""

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # --- registration ------------------------------------------------------------------

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"call super().__init__() in {type(self).__name__}.__init__ "
                                 "before assigning attributes")
        if isinstance(value, (Parameter, Module)):
            registry = self._parameters if isinstance(value, Parameter) else self._modules
            if name not in registry:  # a re-assignment keeps its place in the order
                self._forget(name)
            self._store(registry, name, value)
        elif name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"buffer '{name}' must be a tensor or None, "
                                f"got {type(value).__name__}")
            self._store(self._buffers, name, value)
        elif name in self._parameters or name in self._modules:
            if value is not None:
                kind = "parameter" if name in self._parameters else "submodule"
                raise TypeError(f"cannot assign {type(value).__name__} to {kind} '{name}'; "
                                f"expected a {'Parameter' if kind == 'parameter' else 'Module'}"
                                " or None")
            self._store(self._parameters if name in self._parameters else self._modules, name,
                        None)
        else:
            object.__setattr__(self, name, value)

    def _store(self, registry, name, value):
        """Register `value` and mirror it in the instance dict, so that reading
        `self.weight` in forward is a plain attribute lookup, not a `__getattr__` call."""
        registry[name] = value
        self.__dict__[name] = value

    def _forget(self, name):
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        self._non_persistent.discard(name)

    def __getattr__(self, name):
        registries = self.__dict__
        for registry_name in ("_parameters", "_buffers", "_modules"):
            registry = registries.get(registry_name)
            if registry is not None and name in registry:
                return registry[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                self.__dict__.pop(name, None)
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, parameter):
        """Register `parameter` (a `Parameter` or None) under `name`."""
        _check_name(name, "parameter")
        if parameter is not None and not isinstance(parameter, Parameter):
            raise TypeError(f"cannot register {type(parameter).__name__} as parameter "
                            f"'{name}'; wrap it in nn.Parameter")
        self._forget(name)
        self._store(self._parameters, name, parameter)

    def register_buffer(self, name, tensor, persistent=True):
        """Register non-trainable state (running statistics, masks) saved in `state_dict`
        unless `persistent` is False."""
        _check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"buffer '{name}' must be a tensor or None, "
                            f"got {type(tensor).__name__}")
        self._forget(name)
        self._store(self._buffers, name, tensor)
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name, module):
        """Register `module` (a `Module` or None) as a child under `name`."""
        _check_name(name, "submodule")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"submodule '{name}' must be a Module, got {type(module).__name__}")
        if name not in self._modules:  # replacing a child keeps its place in the order
            self._forget(name)
        self._store(self._modules, name, module)

    register_module = add_module

    def get_submodule(self, target):
        """The submodule at dotted path `target` ("" is this module)."""
        module = self
        for part in target.split(".") if target else ():
            child = module._modules.get(part)
            if child is None:
                raise AttributeError(f"{type(module).__name__} has no submodule '{part}' "
                                     f"(looking up '{target}')")
            module = child
        return module

    # --- traversal ---------------------------------------------------------------------

    def named_modules(self, prefix="", remove_duplicate=True):
        """(qualified name, module) for this module and all below it, depth first in
        registration order; a module reached twice is listed once unless asked otherwise."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in seen:
                    continue
                seen.add(id(module))
            yield name, module
            children = [(_join(name, child_name), child)
                        for child_name, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(qualified name, parameter) in registration order, each parameter once."""
        seen = set()
        modules = self.named_modules(prefix, remove_duplicate) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, parameter in module._parameters.items():
                if parameter is None:
                    continue
                if remove_duplicate:
                    if id(parameter) in seen:
                        continue
                    seen.add(id(parameter))
                yield _join(module_name, name), parameter

    def parameters(self, recurse=True):
        for _, parameter in self.named_parameters(recurse=recurse):
            yield parameter

    def named_buffers(self, prefix="", recurse=True):
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None and id(buffer) not in seen:
                    seen.add(id(buffer))
                    yield _join(module_name, name), buffer

    def buffers(self, recurse=True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # --- modes and gradients -----------------------------------------------------------

    def train(self, mode=True):
        """Set training mode (dropout active) on this module and all below it."""
        if not isinstance(mode, bool):
            raise TypeError(f"train() expects a bool, got {type(mode).__name__}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        for parameter in self.parameters():
            if set_to_none:
                parameter.grad = None
            elif parameter.grad is not None:
                parameter.grad.detach_()
                parameter.grad.data[...] = 0

    def requires_grad_(self, requires_grad=True):
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    def apply(self, function):
        """Call `function(module)` on every submodule, children before parents (as PyTorch),
        then return self. Used for custom initialisation."""
        for child in self.children():
            child.apply(function)
        function(self)
        return self

    # --- state -------------------------------------------------------------------------

    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """Parameters and persistent buffers by qualified name, in registration order.

        Tensors are detached (sharing memory) unless `keep_vars`. A module shared under two
        names appears under both, so a checkpoint loads into either layout.
        """
        state = OrderedDict() if destination is None else destination
        for module_name, module in self.named_modules(prefix.rstrip("."), False):
            for name, parameter in module._parameters.items():
                if parameter is not None:
                    state[_join(module_name, name)] = parameter if keep_vars \
                        else parameter.detach()
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent:
                    state[_join(module_name, name)] = buffer if keep_vars else buffer.detach()
        return state

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from `state_dict` into this module's parameters and buffers, in place
        (so optimizers keep pointing at them), converting dtype and device as needed.

        Nothing is copied if any problem is found: shape mismatches always raise, and with
        `strict` missing and unexpected keys raise too, all listed in one error.
        Returns (missing_keys, unexpected_keys).
        """
        targets = self._state_targets()
        missing = [key for key in targets if key not in state_dict]
        unexpected = [key for key in state_dict if key not in targets]
        problems = []
        for key, value in state_dict.items():
            if key in targets:
                shape = tuple(getattr(value, "shape", ()))
                if shape != targets[key].shape:
                    problems.append(f"size mismatch for {key}: checkpoint has shape {shape}, "
                                    f"the model has {targets[key].shape}")
        if strict and missing:
            problems.append("missing keys: " + ", ".join(missing))
        if strict and unexpected:
            problems.append("unexpected keys: " + ", ".join(unexpected))
        if problems:
            raise RuntimeError(f"error loading state_dict into {type(self).__name__}:\n  "
                               + "\n  ".join(problems))
        for key, value in state_dict.items():
            if key in targets:
                _copy_into(targets[key], value)
        return IncompatibleKeys(missing, unexpected)

    def _state_targets(self):
        """Every tensor `state_dict()` would list, by key, as the objects themselves."""
        return self.state_dict(keep_vars=True)

    # --- conversion --------------------------------------------------------------------

    def to(self, *args, **kwargs):
        """Move parameters, buffers and their gradients to a device and/or dtype, in place."""
        from rlgrad.autograd.grad_mode import no_grad
        from rlgrad.ops.conversion import to as tensor_to

        with no_grad():
            for module in self.modules():
                for name, parameter in module._parameters.items():
                    if parameter is None:
                        continue
                    moved = tensor_to(parameter.detach(), *args, **kwargs)
                    if moved.dtype.kind not in "fc" and parameter.dtype.kind in "fc":
                        continue
                    parameter.data = moved.data
                    if parameter.grad is not None:
                        parameter.grad = tensor_to(parameter.grad, *args, **kwargs)
                for name, buffer in module._buffers.items():
                    if buffer is None:
                        continue
                    floating = buffer.dtype.kind in "fc"
                    new_args = [a for a in args if floating or _is_device(a)]
                    new_kwargs = {k: v for k, v in kwargs.items() if floating or k == "device"}
                    module._store(module._buffers, name,
                                  tensor_to(buffer, *new_args, **new_kwargs))
        return self

    def float(self):
        import numpy as np

        return self.to(np.float32)

    def double(self):
        import numpy as np

        return self.to(np.float64)

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        return self.to("cuda" if device is None else f"cuda:{device}")

    # --- display -----------------------------------------------------------------------

    def extra_repr(self):
        return ""

    def __repr__(self):
        """PyTorch's layout: extra_repr, then one indented line per child."""
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        for name, module in self._modules.items():
            child = repr(module).replace("\n", "\n  ")
            lines.append(f"({name}): {child}")
        if not lines:
            return f"{type(self).__name__}()"
        if len(lines) == 1 and not self._modules:
            return f"{type(self).__name__}({lines[0]})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


def _join(prefix, name):
    return f"{prefix}.{name}" if prefix else name


def _check_name(name, kind):
    if not isinstance(name, str) or not name or "." in name:
        raise KeyError(f"{kind} name must be a non-empty string without '.', got {name!r}")


def _copy_into(target, value):
    """Write `value` (tensor or array-like) into `target`'s array in place."""
    from rlgrad.factories import as_tensor

    source = value if isinstance(value, Tensor) else as_tensor(value)
    source = source.detach().to(target.device, target.dtype)
    target.data[...] = source.data
    target._version += 1


def _is_device(arg):
    from rlgrad._backend import device

    return isinstance(arg, (str, device))
