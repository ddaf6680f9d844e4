"""Scripted experts reach each task's solved score on fixed seeds, one obs or a batch."""

import gymnasium
import numpy as np
import pytest

import envs  # noqa: F401  (registers the rlgrad/ environments)
from envs.experts import EXPERTS, Expert, expert_names, make_expert
from agents.episodes import run_episodes

# env id, episodes, seed of the first episode, lowest acceptable mean return. Seeds differ
# from the ones the experts were tuned on; the measured means sit well above these bounds.
SOLVED = [
    ("CartPole-v1", 5, 0, 500.0),  # every episode must last the full 500 steps
    ("Pendulum-v1", 5, 0, -200.0),
    ("LunarLander-v3", 10, 0, 200.0),
    ("MountainCarContinuous-v0", 5, 0, 90.0),
    ("rlgrad/PointMass-v0", 5, 0, gymnasium.spec("rlgrad/PointMass-v0").reward_threshold),
]


def episode_returns(env_id, num_episodes, seed):
    env = gymnasium.make(env_id)
    expert = make_expert(env_id)
    return np.array([e.episode_return for e in run_episodes(env, expert, num_episodes, seed)])


@pytest.mark.parametrize("env_id, num_episodes, seed, threshold", SOLVED)
def test_expert_mean_return_reaches_solved_score(env_id, num_episodes, seed, threshold):
    returns = episode_returns(env_id, num_episodes, seed)
    assert returns.mean() >= threshold, f"{env_id}: returns {returns}"


def test_cartpole_expert_balances_every_episode_for_500_steps():
    np.testing.assert_array_equal(episode_returns("CartPole-v1", 5, 100), 500.0)


def test_grid_reach_expert_walks_the_shortest_path():
    env = gymnasium.make("rlgrad/GridReach-v0")
    expert = make_expert("rlgrad/GridReach-v0")
    for seed in range(20):
        distance = env.reset(seed=seed)[1]["distance"]
        episode = next(run_episodes(env, expert, 1, seed))
        assert len(episode) == distance
        assert episode.episode_return == pytest.approx(1.0 - 0.05 * (distance - 1))


@pytest.mark.parametrize("expert_class", EXPERTS, ids=lambda expert: expert.name)
def test_expert_batch_of_observations_matches_one_at_a_time(expert_class):
    expert = expert_class()
    env = gymnasium.make(expert.env_id)
    env.observation_space.seed(0)
    batch = np.stack([env.observation_space.sample() for _ in range(16)])

    actions = expert.act(batch)
    singles = [expert.act(obs) for obs in batch]

    assert len(actions) == 16
    np.testing.assert_array_equal(actions, np.array(singles))
    assert all(env.action_space.contains(action) for action in singles)


def test_expert_acts_on_a_vector_environment():
    vector_env = gymnasium.make_vec("CartPole-v1", num_envs=3, vectorization_mode="sync")
    expert = make_expert("cartpole_lqr")
    obs, _ = vector_env.reset(seed=0)
    for _ in range(50):
        obs, *_ = vector_env.step(expert.act(obs))
    vector_env.close()


def test_make_expert_finds_by_name_or_env_id():
    assert isinstance(make_expert("LunarLander-v3"), Expert)
    assert type(make_expert("lunar_lander_tilt")) is type(make_expert("LunarLander-v3"))
    assert expert_names()["point_mass_pd"] == "rlgrad/PointMass-v0"


def test_make_expert_unknown_name_lists_known_experts():
    with pytest.raises(ValueError, match="cartpole_lqr"):
        make_expert("Humanoid-v5")


def test_expert_rejects_observation_of_wrong_size():
    with pytest.raises(ValueError, match=r"expects obs of shape \(4,\)"):
        make_expert("CartPole-v1").act(np.zeros(3))
