"""The interface every scripted expert offers: ``act`` on one observation or on a batch."""

import numpy as np


class Expert:
    """A fixed, hand-written policy for one environment.

    Subclasses set ``name`` and ``env_id`` and implement ``act_batch`` on a batch of
    observations; ``act`` then accepts either a single observation, as a plain
    ``gymnasium.Env`` gives, or a batch, as a vector environment gives.
    """

    name = ""
    env_id = ""
    obs_dim = 0
    discrete = False

    def act(self, obs):
        """Return the action for ``obs`` of shape ``(obs_dim,)`` or ``(batch, obs_dim)``.

        A single observation gives a single action (a Python ``int`` for discrete actions, a
        float32 array otherwise); a batch gives an array with one action per row.
        """
        obs = np.asarray(obs, dtype=np.float64)
        if obs.shape[-1:] != (self.obs_dim,) or obs.ndim not in (1, 2):
            raise ValueError(
                f"{self.name} expects obs of shape ({self.obs_dim},) or (batch, {self.obs_dim}), "
                f"got {obs.shape}"
            )
        actions = self.act_batch(obs.reshape(-1, self.obs_dim))
        if obs.ndim == 2:
            return actions
        return int(actions[0]) if self.discrete else actions[0]

    def act_batch(self, obs):
        """Return actions for float64 ``obs`` of shape ``(batch, obs_dim)``.

        Discrete experts return int64 ``(batch,)``; continuous ones float32 ``(batch, act_dim)``.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement act_batch")

    def __call__(self, obs):
        return self.act(obs)

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r}, env_id={self.env_id!r})"
