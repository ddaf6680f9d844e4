"""`MLP`: the multilayer perceptron that policies and value functions are made of."""

from rlgrad.nn.activation import ACTIVATIONS_BY_NAME
from rlgrad.nn.container import Sequential
from rlgrad.nn.linear import Linear
from rlgrad.nn.module import Module


def _activation_factory(activation):
    if isinstance(activation, str):
        factory = ACTIVATIONS_BY_NAME.get(activation.lower())
        if factory is None:
            raise ValueError(f"unknown activation {activation!r}; expected one of "
                             f"{', '.join(sorted(ACTIVATIONS_BY_NAME))} or a Module class")
        return factory
    if isinstance(activation, type) and issubclass(activation, Module):
        return activation
    if callable(activation):
        return activation
    raise TypeError(f"activation must be a name or a Module class, got {activation!r}")


class MLP(Sequential):
    """Linear layers of sizes in_dim -> hidden... -> out_dim with `activation` between them
    (none after the last, unless `output_activation` is given).

    `activation` is a Module class (`nn.Tanh`), a callable returning a module, or a name
    ("tanh", "relu", "elu", "gelu", ...).
    """

    def __init__(self, in_dim, out_dim, hidden=(64, 64), activation="tanh",
                 output_activation=None, device=None, dtype=None):
        make_activation = _activation_factory(activation)
        sizes = [in_dim] + list(hidden) + [out_dim]
        layers = []
        for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Linear(fan_in, fan_out, device=device, dtype=dtype))
            if index < len(sizes) - 2:
                layers.append(make_activation())
        if output_activation is not None:
            layers.append(_activation_factory(output_activation)())
        super().__init__(*layers)
        self.in_dim, self.out_dim, self.hidden = in_dim, out_dim, tuple(hidden)
