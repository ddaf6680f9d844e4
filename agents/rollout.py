"""Collecting experience: whole episodes from one Gymnasium environment, flattened."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Batch:
    """Steps of several episodes back to back; `dones[t]` marks each episode's last step."""

    observations: np.ndarray   # (steps, *obs_shape)
    actions: np.ndarray        # (steps, *action_shape)
    rewards: np.ndarray        # (steps,) float32
    terminations: np.ndarray   # (steps,) bool: the MDP ended (no future reward)
    truncations: np.ndarray    # (steps,) bool: cut by a time limit
    episode_returns: list = field(default_factory=list)
    episode_lengths: list = field(default_factory=list)
    episode_end_steps: list = field(default_factory=list)  # index in the batch of each end

    @property
    def dones(self):
        return self.terminations | self.truncations

    def __len__(self):
        return len(self.rewards)


class EpisodeCollector:
    """Runs a policy in `env` and returns whole episodes totalling at least `min_steps`.

    The environment is seeded once, on its first reset, so a run is reproducible from `seed`.
    `policy.act(obs)` takes one observation and returns one action.
    """

    def __init__(self, env, seed=None):
        self.env = env
        self.seed = seed
        self.total_steps = 0

    def _reset(self):
        obs, _ = self.env.reset(seed=self.seed)
        self.seed = None
        return obs

    def collect(self, policy, min_steps):
        observations, actions, rewards, terminations, truncations = [], [], [], [], []
        batch = Batch(None, None, None, None, None)
        while len(rewards) < min_steps:
            obs = self._reset()
            episode_return, episode_length = 0.0, 0
            while True:
                action = policy.act(obs)
                next_obs, reward, terminated, truncated, _ = self.env.step(action)
                observations.append(obs)
                actions.append(action)
                rewards.append(reward)
                terminations.append(terminated)
                truncations.append(truncated)
                episode_return += float(reward)
                episode_length += 1
                obs = next_obs
                if terminated or truncated:
                    break
            self.total_steps += episode_length
            batch.episode_returns.append(episode_return)
            batch.episode_lengths.append(episode_length)
            batch.episode_end_steps.append(self.total_steps)
        batch.observations = np.asarray(observations, dtype=np.float32)
        batch.actions = np.asarray(actions)
        batch.rewards = np.asarray(rewards, dtype=np.float32)
        batch.terminations = np.asarray(terminations, dtype=bool)
        batch.truncations = np.asarray(truncations, dtype=bool)
        return batch
