"""Play a policy (an expert or any ``obs -> action`` callable) for whole episodes and record them.

Used to measure experts and policies and to collect demonstrations; the training batches of
policy-gradient agents are collected by `agents.rollout`.
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class Episode:
    """One episode's transitions, each array with one row per step."""

    observations: np.ndarray  # (steps, *obs_shape), the observation space's dtype
    actions: np.ndarray  # (steps, *action_shape), the action space's dtype
    rewards: np.ndarray  # (steps,) float64
    next_observations: np.ndarray  # (steps, *obs_shape)
    terminations: np.ndarray  # (steps,) bool, True only on a terminal last step
    truncations: np.ndarray  # (steps,) bool, True only on a time-limit last step
    seed: int | None = None  # the seed passed to env.reset, if any

    @property
    def episode_return(self):
        """The undiscounted sum of rewards."""
        return float(self.rewards.sum())

    def __len__(self):
        return len(self.rewards)


def run_episode(env, policy, seed=None):
    """Reset ``env`` with ``seed``, act with ``policy(obs)`` until the episode ends, record it."""
    obs, _ = env.reset(seed=seed)
    observations, actions, rewards, next_observations = [], [], [], []
    terminated = truncated = False
    while not (terminated or truncated):
        action = policy(obs)
        next_obs, reward, terminated, truncated, _ = env.step(action)
        observations.append(obs)
        actions.append(action)
        rewards.append(reward)
        next_observations.append(next_obs)
        obs = next_obs

    steps = len(rewards)
    last_step = np.arange(steps) == steps - 1
    obs_dtype = env.observation_space.dtype
    return Episode(
        observations=np.asarray(observations, dtype=obs_dtype),
        actions=np.asarray(actions, dtype=env.action_space.dtype),
        rewards=np.asarray(rewards, dtype=np.float64),
        next_observations=np.asarray(next_observations, dtype=obs_dtype),
        terminations=last_step & bool(terminated),
        truncations=last_step & bool(truncated and not terminated),
        seed=seed,
    )


def run_episodes(env, policy, num_episodes, seed=None):
    """Yield ``num_episodes`` episodes; episode ``i`` is reset with ``seed + i``.

    One seed per episode, rather than one seed for the first reset, makes every episode
    reproducible on its own: episode 7 of a run can be replayed without episodes 0-6.
    """
    for index in range(num_episodes):
        yield run_episode(env, policy, None if seed is None else seed + index)
