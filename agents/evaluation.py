"""Evaluating a policy: whole episodes on fixed seeds, returns summarised."""

import numpy as np

from agents.episodes import run_episode


def evaluate(env, act, episodes, seed=0):
    """Returns of `episodes` episodes of `act(obs) -> action`, reset with seeds seed, seed+1..."""
    returns = [run_episode(env, act, seed=seed + index).episode_return
               for index in range(episodes)]
    return np.asarray(returns, dtype=np.float64)
