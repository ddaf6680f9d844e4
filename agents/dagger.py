"""DAgger: roll out the learner, label the states it visits with the expert's actions,
aggregate them with all earlier data, and refit (Ross, Gordon and Bagnell, 2011)."""

import numpy as np

from agents.dataset import FIELDS, TransitionDataset
from agents.episodes import run_episode


def relabel(episodes, expert, metadata=None):
    """The learner's episodes as a dataset whose actions are the expert's at those states."""
    visited = TransitionDataset.from_episodes(episodes)
    expert_actions = np.asarray(expert.act(np.asarray(visited.observations)))
    arrays = {name: getattr(visited, name) for name in FIELDS}
    arrays["actions"] = expert_actions.astype(visited.actions.dtype).reshape(
        visited.actions.shape)
    return TransitionDataset(**arrays, metadata=metadata)


def dagger_iteration(env, learner, expert, dataset, trainer, episodes, train_steps, seed):
    """Collect `episodes` with the learner, relabel, aggregate, refit. Returns the new
    dataset, the learner's episodes and the losses."""
    act = lambda obs: learner.act(obs, deterministic=True)  # noqa: E731
    visited = [run_episode(env, act, seed=seed + index) for index in range(episodes)]
    dataset = dataset.append(relabel(visited, expert, dataset.metadata))
    losses = trainer.train(dataset, train_steps)
    return dataset, visited, losses
