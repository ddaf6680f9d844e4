"""`Module`: the base of layers and models, holding parameters, buffers and submodules in
registration order, with PyTorch's `parameters()`, `state_dict()`, `train()`/`eval()`."""

from collections import OrderedDict

from rlgrad.nn.parameter import Parameter
from rlgrad.tensor import Tensor


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
            self._forget(name)
            registry = self._parameters if isinstance(value, Parameter) else self._modules
            registry[name] = value
        elif name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"buffer '{name}' must be a tensor or None, "
                                f"got {type(value).__name__}")
            self._buffers[name] = value
        elif name in self._parameters or name in self._modules:
            if value is not None:
                kind = "parameter" if name in self._parameters else "submodule"
                raise TypeError(f"cannot assign {type(value).__name__} to {kind} '{name}'; "
                                f"expected a {'Parameter' if kind == 'parameter' else 'Module'}"
                                " or None")
            (self._parameters if name in self._parameters else self._modules)[name] = None
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)

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
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, parameter):
        if parameter is None:
            self._parameters[name] = None
        else:
            setattr(self, name, parameter)

    def register_buffer(self, name, tensor, persistent=True):
        """Register non-trainable state (running statistics, masks) saved in `state_dict`."""
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name, module):
        self._modules[name] = module

    # --- traversal ---------------------------------------------------------------------

    def named_modules(self, prefix=""):
        """(qualified name, module) for this module and all below it, each once."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child_name}" if name else child_name, child)
                         for child_name, child in module._modules.items() if child is not None]
            stack.extend(reversed(children))

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def named_parameters(self, prefix="", recurse=True):
        """(qualified name, parameter) in registration order, each parameter once."""
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, parameter in module._parameters.items():
                if parameter is None or id(parameter) in seen:
                    continue
                seen.add(id(parameter))
                yield (f"{module_name}.{name}" if module_name else name), parameter

    def parameters(self, recurse=True):
        for _, parameter in self.named_parameters(recurse=recurse):
            yield parameter

    def named_buffers(self, prefix="", recurse=True):
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self, recurse=True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # --- modes and gradients -----------------------------------------------------------

    def train(self, mode=True):
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        for parameter in self.parameters():
            if set_to_none:
                parameter.grad = None
            elif parameter.grad is not None:
                parameter.grad = parameter.grad.detach()
                parameter.grad.zero_()

    def requires_grad_(self, requires_grad=True):
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    def apply(self, function):
        """Call `function(module)` on every submodule (children first) and on self."""
        for module in reversed(list(self.modules())):
            function(module)
        return self

    # --- state -------------------------------------------------------------------------

    def state_dict(self, prefix=""):
        """Parameters and persistent buffers by qualified name (the tensors, detached)."""
        state = OrderedDict()
        for module_name, module in self.named_modules(prefix.rstrip(".")):
            for name, parameter in module._parameters.items():
                if parameter is not None:
                    state[_join(module_name, name)] = parameter.detach()
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent:
                    state[_join(module_name, name)] = buffer.detach()
        return state

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from `state_dict` into this module's parameters and buffers.

        With `strict`, missing and unexpected keys raise one error listing them all; a
        shape mismatch always raises. Returns (missing_keys, unexpected_keys).
        """
        from rlgrad.autograd.grad_mode import no_grad

        own = self.state_dict()
        targets = dict(self._state_targets())
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        problems = []
        for key, value in state_dict.items():
            if key in own:
                shape = tuple(getattr(value, "shape", ()))
                if shape != own[key].shape:
                    problems.append(f"{key}: checkpoint shape {shape}, model shape "
                                    f"{own[key].shape}")
        if strict and missing:
            problems.append("missing keys: " + ", ".join(missing))
        if strict and unexpected:
            problems.append("unexpected keys: " + ", ".join(unexpected))
        if problems:
            raise RuntimeError(f"error loading state_dict into {type(self).__name__}:\n  "
                               + "\n  ".join(problems))
        with no_grad():
            for key, value in state_dict.items():
                if key in targets:
                    targets[key].copy_(value)
        return missing, unexpected

    def _state_targets(self):
        for module_name, module in self.named_modules():
            for name, tensor in list(module._parameters.items()) + list(module._buffers.items()):
                if tensor is not None:
                    yield _join(module_name, name), tensor

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
                    module._buffers[name] = tensor_to(buffer, *new_args, **new_kwargs)
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
        lines = []
        for name, module in self._modules.items():
            child = repr(module).replace("\n", "\n  ")
            lines.append(f"({name}): {child}")
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"


def _join(prefix, name):
    return f"{prefix}.{name}" if prefix else name


def _is_device(arg):
    from rlgrad._backend import device

    return isinstance(arg, (str, device))
