"""Policies: a network from observations to an action distribution, and a fast `act`."""

import numpy as np

import rlgrad
from rlgrad import nn
from rlgrad.distributions import Categorical

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU}


def mlp(in_dim, out_dim, hidden=(64, 64), activation="tanh"):
    """in_dim -> hidden... -> out_dim, with `activation` between layers (not after the last)."""
    activation_class = ACTIVATIONS[activation] if isinstance(activation, str) else activation
    layers, width = [], in_dim
    for size in hidden:
        layers += [nn.Linear(width, size), activation_class()]
        width = size
    layers.append(nn.Linear(width, out_dim))
    return nn.Sequential(*layers)


class CategoricalPolicy(nn.Module):
    """pi(a | s) for Discrete actions: an MLP gives logits of shape (batch, n_actions)."""

    def __init__(self, obs_dim, n_actions, hidden=(64, 64), activation="tanh", device=None):
        super().__init__()
        self.logits_net = mlp(obs_dim, n_actions, hidden, activation)
        self.device = rlgrad.device(device or "cpu")
        self.logits_net.to(self.device)
        self.generator = rlgrad.Generator(self.device)

    def forward(self, obs):
        """The action distribution for observations of shape (batch, obs_dim)."""
        return Categorical(logits=self.logits_net(obs))

    def act(self, obs):
        """Sample one action for one observation, without recording a graph.

        The observation goes to the device once and the action comes back to the host once.
        """
        with rlgrad.no_grad():
            obs = rlgrad.as_tensor(np.asarray(obs, dtype=np.float32), device=self.device)
            action = Categorical(logits=self.logits_net(obs)).sample(generator=self.generator)
        return action.item()

    def seed(self, seed):
        self.generator.manual_seed(seed)
