"""Policies: networks from observations to actions, with a fast `act` for rollouts.

Every policy normalises observations with buffers `obs_mean` and `obs_std` (identity until
`set_obs_normalization` is called; saved in the state dict), and offers:
- `act(obs, deterministic=False)`: one host action for one observation, no graph recorded;
- `imitation_loss(obs, actions)`: the behaviour-cloning loss on a batch.
"""

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


class Policy(nn.Module):
    """Shared plumbing: device, generator, observation normalisation, host conversion."""

    def __init__(self, obs_dim, device=None):
        super().__init__()
        self.obs_dim = obs_dim
        self.device = rlgrad.device(device or "cpu")
        self.register_buffer("obs_mean", rlgrad.zeros(obs_dim, device=self.device))
        self.register_buffer("obs_std", rlgrad.ones(obs_dim, device=self.device))
        self.generator = rlgrad.Generator(self.device)

    def seed(self, seed):
        self.generator.manual_seed(seed)

    def set_obs_normalization(self, observations, min_std=1e-2):
        """Normalise inputs by the mean and std of `observations`, shape (steps, obs_dim).

        A feature that barely varies in the data keeps std `min_std`, so that states outside
        the data (where it does vary) do not become huge inputs.
        """
        observations = np.asarray(observations, dtype=np.float64)
        std = np.maximum(observations.std(axis=0), min_std)
        self.obs_mean = rlgrad.tensor(observations.mean(axis=0), dtype=rlgrad.float32,
                                      device=self.device)
        self.obs_std = rlgrad.tensor(std, dtype=rlgrad.float32, device=self.device)

    def normalized(self, obs):
        return (obs - self.obs_mean) / self.obs_std

    def as_obs(self, obs):
        """Host observations as a float32 tensor on the policy's device (one transfer)."""
        obs = np.asarray(obs, dtype=np.float32)
        if obs.shape[-1:] != (self.obs_dim,):
            raise ValueError(f"expected obs of shape ({self.obs_dim},) or (batch, "
                             f"{self.obs_dim}), got {obs.shape}")
        return rlgrad.as_tensor(obs, device=self.device)


class CategoricalPolicy(Policy):
    """pi(a | s) for Discrete actions: an MLP gives logits of shape (batch, n_actions)."""

    def __init__(self, obs_dim, n_actions, hidden=(64, 64), activation="tanh", device=None):
        super().__init__(obs_dim, device)
        self.logits_net = mlp(obs_dim, n_actions, hidden, activation).to(self.device)

    def forward(self, obs, validate_args=None):
        """The action distribution for observations of shape (batch, obs_dim)."""
        return Categorical(logits=self.logits_net(self.normalized(obs)),
                           validate_args=validate_args)

    def act(self, obs, deterministic=False):
        """Sample (or take the most likely) action: an int for one observation, an int64
        array of shape (batch,) for a batch.

        Validation is off here: the logits come from our own network, and checking them
        would cost more than the rest of the step.
        """
        with rlgrad.no_grad():
            distribution = self(self.as_obs(obs), validate_args=False)
            if deterministic:
                actions = distribution.mode
            else:
                actions = distribution.sample(generator=self.generator)
        return actions.item() if actions.ndim == 0 else actions.cpu().numpy()

    def imitation_loss(self, obs, actions):
        """Cross-entropy of the expert's actions (integer tensor of shape (batch,))."""
        return -self(obs).log_prob(actions).mean()


class GaussianPolicy(Policy):
    """pi(a | s) = N(mlp(s), diag(exp(log_std))^2) for Box actions, clipped to the bounds
    when acting. `log_std` is one learned parameter per action dimension."""

    def __init__(self, obs_dim, action_space, hidden=(64, 64), activation="tanh",
                 initial_log_std=-0.5, device=None):
        super().__init__(obs_dim, device)
        action_dim = int(np.prod(action_space.shape))
        self.mean_net = mlp(obs_dim, action_dim, hidden, activation).to(self.device)
        self.log_std = nn.Parameter(rlgrad.full((action_dim,), float(initial_log_std),
                                                device=self.device))
        self.action_low = np.asarray(action_space.low, dtype=np.float32)
        self.action_high = np.asarray(action_space.high, dtype=np.float32)

    def forward(self, obs):
        from rlgrad.distributions import Independent, Normal

        mean = self.mean_net(self.normalized(obs))
        return Independent(Normal(mean, self.log_std.exp().expand(*mean.shape)), 1)

    def act(self, obs, deterministic=False):
        with rlgrad.no_grad():
            obs = self.as_obs(obs)
            if deterministic:
                action = self.mean_net(self.normalized(obs))
            else:
                action = self(obs).sample(generator=self.generator)
        return np.clip(action.cpu().numpy(), self.action_low, self.action_high)

    def imitation_loss(self, obs, actions):
        """Negative log-likelihood of the expert's actions, shape (batch, action_dim)."""
        return -self(obs).log_prob(actions).mean()


class DeterministicPolicy(Policy):
    """a = mlp(s) for Box actions, trained by mean squared error, clipped when acting."""

    def __init__(self, obs_dim, action_space, hidden=(64, 64), activation="tanh", device=None):
        super().__init__(obs_dim, device)
        action_dim = int(np.prod(action_space.shape))
        self.action_net = mlp(obs_dim, action_dim, hidden, activation).to(self.device)
        self.action_low = np.asarray(action_space.low, dtype=np.float32)
        self.action_high = np.asarray(action_space.high, dtype=np.float32)

    def forward(self, obs):
        return self.action_net(self.normalized(obs))

    def act(self, obs, deterministic=True):
        with rlgrad.no_grad():
            action = self(self.as_obs(obs))
        return np.clip(action.cpu().numpy(), self.action_low, self.action_high)

    def imitation_loss(self, obs, actions):
        return rlgrad.nn.functional.mse_loss(self(obs), actions)


def policy_for_env(env, kind="auto", hidden=(64, 64), activation="tanh", device=None):
    """The policy that fits `env`'s spaces: Categorical for Discrete actions; for Box
    actions a Gaussian (`kind="gaussian"`) or deterministic (`"auto"`, `"deterministic"`)."""
    import gymnasium as gym

    if len(env.observation_space.shape or ()) != 1:
        raise ValueError(f"policies take flat (1-D Box) observations; got "
                         f"{env.observation_space}")
    obs_dim = int(env.observation_space.shape[0])
    if isinstance(env.action_space, gym.spaces.Discrete):
        return CategoricalPolicy(obs_dim, int(env.action_space.n), tuple(hidden), activation,
                                 device=device)
    if not isinstance(env.action_space, gym.spaces.Box):
        raise ValueError(f"policies support Discrete and Box actions; got {env.action_space}")
    if kind not in ("auto", "gaussian", "deterministic"):
        raise ValueError(f"kind must be 'auto', 'gaussian' or 'deterministic', got {kind!r}")
    policy_class = GaussianPolicy if kind == "gaussian" else DeterministicPolicy
    return policy_class(obs_dim, env.action_space, tuple(hidden), activation, device=device)
