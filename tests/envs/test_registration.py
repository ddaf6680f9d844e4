"""The rlgrad/ namespace is registered with Gymnasium once, however often envs is imported."""

import importlib
import warnings

import gymnasium

import envs


def test_environments_are_registered_with_their_time_limits():
    assert gymnasium.spec("rlgrad/PointMass-v0").max_episode_steps == 100
    assert gymnasium.spec("rlgrad/GridReach-v0").max_episode_steps == 50


def test_reimporting_envs_keeps_the_registration_and_warns_nothing():
    spec_before = gymnasium.spec("rlgrad/PointMass-v0")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        importlib.reload(envs)
        envs.register_environments()

    assert gymnasium.spec("rlgrad/PointMass-v0") is spec_before


def test_make_wraps_the_environment_in_a_time_limit():
    env = gymnasium.make("rlgrad/GridReach-v0")
    assert isinstance(env.unwrapped, envs.grid_reach.GridReachEnv)
    assert env.spec.reward_threshold == 0.7
