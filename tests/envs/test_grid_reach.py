"""rlgrad/GridReach-v0: Gymnasium's API, seeding, moves, walls and rewards."""

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import envs  # noqa: F401  (registers the rlgrad/ environments)
from envs.grid_reach import GridReachEnv

UP, RIGHT, DOWN, LEFT = 0, 1, 2, 3


def place(env, agent, goal):
    """Put agent and goal on chosen cells after a reset."""
    env.reset(seed=0)
    env._agent, env._goal = agent, goal


@pytest.mark.parametrize("render_mode", [None, "rgb_array"])
def test_grid_reach_passes_gymnasium_env_checker(render_mode):
    check_env(gymnasium.make("rlgrad/GridReach-v0", render_mode=render_mode).unwrapped)


def test_grid_reach_same_seed_same_episode():
    first, second = GridReachEnv(), GridReachEnv()
    np.testing.assert_array_equal(first.reset(seed=7)[0], second.reset(seed=7)[0])
    for action in [0, 1, 2, 3, 1, 1, 2]:
        np.testing.assert_array_equal(first.step(action)[0], second.step(action)[0])


def test_grid_reach_observation_is_scaled_cells():
    env = GridReachEnv(size=8)
    place(env, agent=(0, 7), goal=(7, 0))
    obs, *_ = env.step(DOWN)
    np.testing.assert_allclose(obs, [1 / 7, 1.0, 1.0, 0.0])
    assert obs.dtype == np.float32


def test_grid_reach_move_into_wall_stays_and_costs_a_step():
    env = GridReachEnv(size=8)
    place(env, agent=(0, 0), goal=(5, 5))
    obs, reward, terminated, _, info = env.step(UP)
    np.testing.assert_array_equal(obs[:2], [0.0, 0.0])
    assert reward == -0.05 and not terminated and info["distance"] == 10


def test_grid_reach_reaching_goal_pays_and_terminates():
    env = GridReachEnv(size=8)
    place(env, agent=(3, 3), goal=(3, 4))
    _, reward, terminated, _, _ = env.step(RIGHT)
    assert reward == 1.0 and terminated


def test_grid_reach_rejects_actions_outside_the_space():
    env = GridReachEnv()
    env.reset(seed=0)
    with pytest.raises(ValueError, match="Discrete"):
        env.step(4)


def test_grid_reach_start_and_goal_differ_on_the_smallest_grid():
    env = GridReachEnv(size=2)
    for seed in range(20):
        _, info = env.reset(seed=seed)
        assert info["distance"] > 0
