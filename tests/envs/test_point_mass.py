"""rlgrad/PointMass-v0: Gymnasium's API, seeding, and the physics the reward relies on."""

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import envs  # noqa: F401  (registers the rlgrad/ environments)
from envs.point_mass import PointMassEnv


@pytest.mark.parametrize("render_mode", [None, "rgb_array"])
def test_point_mass_passes_gymnasium_env_checker(render_mode):
    check_env(gymnasium.make("rlgrad/PointMass-v0", render_mode=render_mode).unwrapped)


def test_point_mass_rgb_array_frame_is_64_by_64():
    env = PointMassEnv(render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.shape == (64, 64, 3) and frame.dtype == np.uint8


def test_point_mass_same_seed_same_trajectory():
    first, second = PointMassEnv(), PointMassEnv()
    obs_first, _ = first.reset(seed=123)
    obs_second, _ = second.reset(seed=123)
    np.testing.assert_array_equal(obs_first, obs_second)

    actions = np.random.default_rng(0).uniform(-1, 1, size=(30, 2)).astype(np.float32)
    for action in actions:
        obs_first, reward_first, *_ = first.step(action)
        obs_second, reward_second, *_ = second.step(action)
        np.testing.assert_array_equal(obs_first, obs_second)
        assert reward_first == reward_second


def test_point_mass_different_seeds_different_starts():
    env = PointMassEnv()
    assert not np.array_equal(env.reset(seed=1)[0], env.reset(seed=2)[0])


def test_point_mass_observation_is_float32_position_velocity_goal():
    env = PointMassEnv()
    obs, _ = env.reset(seed=0)
    assert obs.dtype == np.float32 and obs.shape == (6,)
    np.testing.assert_array_equal(obs[2:4], [0.0, 0.0])
    assert np.hypot(*(obs[4:6] - obs[0:2])) >= 2 * env.goal_radius


def test_point_mass_reward_is_minus_distance_minus_action_cost():
    env = PointMassEnv()
    env.reset(seed=0)
    env._state[:] = [0.0, 0.0, 0.0, 0.0, 0.5, 0.0]

    obs, reward, terminated, truncated, info = env.step(np.array([1.0, 0.0], np.float32))

    # velocity 0 + 0.1 * 1 = 0.1, position 0 + 0.1 * 0.1 = 0.01, distance 0.49
    np.testing.assert_allclose(obs[:4], [0.01, 0.0, 0.1, 0.0], rtol=1e-6)
    assert reward == pytest.approx(-0.49 - 0.01 * 1.0)
    assert info["distance"] == pytest.approx(0.49)
    assert not terminated and not truncated


def test_point_mass_out_of_range_force_is_clipped():
    clipped, raw = PointMassEnv(), PointMassEnv()
    clipped.reset(seed=0)
    raw.reset(seed=0)
    obs_clipped, reward_clipped, *_ = clipped.step(np.array([1.0, -1.0], np.float32))
    obs_raw, reward_raw, *_ = raw.step(np.array([5.0, -5.0], np.float32))
    np.testing.assert_array_equal(obs_clipped, obs_raw)
    assert reward_clipped == reward_raw


def test_point_mass_terminates_inside_goal_radius():
    env = PointMassEnv()
    env.reset(seed=0)
    env._state[:] = [0.0, 0.0, 0.0, 0.0, 0.05, 0.0]
    _, _, terminated, _, _ = env.step(np.zeros(2, np.float32))
    assert terminated


def test_point_mass_wall_stops_the_mass():
    env = PointMassEnv()
    env.reset(seed=0)
    env._state[:] = [0.99, 0.0, 1.0, 0.0, -0.5, 0.0]
    obs, *_ = env.step(np.array([1.0, 0.0], np.float32))
    assert obs[0] == 1.0 and obs[2] == 0.0


def test_point_mass_truncates_after_100_steps():
    env = gymnasium.make("rlgrad/PointMass-v0")
    env.reset(seed=0)
    for step in range(1, 101):
        _, _, terminated, truncated, _ = env.step(np.zeros(2, np.float32))
        assert not terminated
    assert truncated and step == 100
