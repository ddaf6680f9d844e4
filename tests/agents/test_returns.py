"""Reward-to-go and advantage normalisation on batches written out by hand."""

import numpy as np
import pytest

from agents.returns import episode_returns, normalize, reward_to_go


def test_reward_to_go_restarts_at_each_episode_boundary():
    rewards = [1.0, 2.0, 3.0, 10.0, 20.0]
    dones = [False, False, True, False, True]
    # episode 1: 1 + .5*2 + .25*3 = 2.75, 2 + .5*3 = 3.5, 3; episode 2: 10 + .5*20 = 20, 20
    expected = [2.75, 3.5, 3.0, 20.0, 20.0]
    np.testing.assert_allclose(reward_to_go(rewards, dones, gamma=0.5), expected)


def test_reward_to_go_with_unfinished_last_episode_sums_to_the_end():
    np.testing.assert_allclose(reward_to_go([1.0, 1.0, 1.0], [True, False, False], 1.0),
                               [1.0, 2.0, 1.0])


def test_reward_to_go_is_float32():
    assert reward_to_go([1, 2], [False, True], 0.9).dtype == np.float32


def test_reward_to_go_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="shapes"):
        reward_to_go([1.0, 2.0], [True], 0.9)


def test_episode_returns_give_every_step_its_episode_total():
    rewards = [1.0, 2.0, 3.0, 10.0, 20.0]
    dones = [False, False, True, False, True]
    np.testing.assert_allclose(episode_returns(rewards, dones, 0.5),
                               [2.75, 2.75, 2.75, 20.0, 20.0])


def test_normalize_gives_zero_mean_unit_std():
    values = normalize([1.0, 2.0, 3.0, 4.0])
    assert abs(values.mean()) < 1e-6
    assert values.std() == pytest.approx(1.0, rel=1e-5)


@pytest.mark.parametrize("values", [[5.0], [2.0, 2.0, 2.0], []])
def test_normalize_never_produces_nan(values):
    result = normalize(values)
    assert not np.isnan(result).any()
    np.testing.assert_array_equal(result, np.zeros(len(values), dtype=np.float32))
