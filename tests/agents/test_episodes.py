"""run_episode records whole episodes with the right flags, shapes and dtypes."""

import gymnasium
import numpy as np

import envs  # noqa: F401  (registers the rlgrad/ environments)
from agents.episodes import run_episode, run_episodes


def test_time_limit_end_is_recorded_as_truncation():
    env = gymnasium.make("rlgrad/PointMass-v0")
    episode = run_episode(env, lambda obs: np.zeros(2, np.float32), seed=0)

    assert len(episode) == 100
    assert episode.truncations.tolist() == [False] * 99 + [True]
    assert not episode.terminations.any()


def test_terminal_end_is_recorded_as_termination():
    env = gymnasium.make("CartPole-v1")
    episode = run_episode(env, lambda obs: 0, seed=0)

    assert episode.terminations[-1] and not episode.terminations[:-1].any()
    assert not episode.truncations.any()


def test_arrays_follow_the_spaces():
    env = gymnasium.make("CartPole-v1")
    episode = run_episode(env, lambda obs: 1, seed=0)
    steps = len(episode)

    assert episode.observations.shape == (steps, 4)
    assert episode.observations.dtype == np.float32
    assert episode.actions.shape == (steps,) and episode.actions.dtype == np.int64
    np.testing.assert_array_equal(episode.observations[1:], episode.next_observations[:-1])


def test_each_episode_gets_its_own_seed():
    env = gymnasium.make("rlgrad/GridReach-v0")
    stay = lambda obs: 0  # noqa: E731
    episodes = list(run_episodes(env, stay, 3, seed=10))

    assert [episode.seed for episode in episodes] == [10, 11, 12]
    replay = run_episode(env, stay, seed=11)
    np.testing.assert_array_equal(replay.observations, episodes[1].observations)
