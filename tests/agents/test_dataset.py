"""TransitionDataset: the .npz format, checks against spaces, and aggregation."""

import json
import os

import numpy as np
import pytest
from gymnasium import spaces

from agents.dataset import TransitionDataset


def two_episodes(env_id="Toy-v0", expert="scripted"):
    """Episode one: 3 steps ending in termination; episode two: 2 steps ending in truncation."""
    observations = np.arange(10, dtype=np.float32).reshape(5, 2)
    return TransitionDataset(
        observations=observations,
        actions=np.array([0, 1, 1, 0, 2]),
        rewards=[1.0, 2.0, 3.0, 4.0, 5.0],
        next_observations=observations + 100,
        terminations=[False, False, True, False, False],
        truncations=[0, 0, 0, 0, 1],
        metadata={"env_id": env_id, "expert": expert},
    )


OBS_SPACE = spaces.Box(-np.inf, np.inf, shape=(2,), dtype=np.float32)
ACTION_SPACE = spaces.Discrete(3)


def test_save_then_load_gives_the_same_arrays(tmp_path):
    dataset = two_episodes()
    dataset.save(tmp_path / "data.npz")

    loaded = TransitionDataset.load(tmp_path / "data.npz")

    for name in ("observations", "actions", "rewards", "next_observations"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(dataset, name))
    assert loaded.terminations.dtype == bool and loaded.rewards.dtype == np.float32
    assert loaded.metadata == {"env_id": "Toy-v0", "expert": "scripted"}


def test_saved_file_is_plain_arrays_with_json_metadata(tmp_path):
    two_episodes().save(tmp_path / "data.npz")

    with np.load(tmp_path / "data.npz", allow_pickle=False) as archive:
        assert archive["metadata"].dtype == np.uint8
        metadata = json.loads(archive["metadata"].tobytes().decode("utf-8"))

    assert metadata["episode_returns"] == [6.0, 9.0]
    assert metadata["return_mean"] == 7.5 and metadata["return_std"] == 1.5
    assert metadata["num_transitions"] == 5 and metadata["format"] == "rlgrad-transitions"


def test_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "data.npz"
    path.write_bytes(b"previous contents")

    def broken_savez(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        two_episodes().save(path)

    assert path.read_bytes() == b"previous contents"
    assert os.listdir(tmp_path) == ["data.npz"]


def test_save_into_missing_directory_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="directory .*missing does not exist"):
        two_episodes().save(tmp_path / "missing" / "data.npz")


def test_load_checks_against_spaces(tmp_path):
    two_episodes().save(tmp_path / "data.npz")
    loaded = TransitionDataset.load(
        tmp_path / "data.npz", observation_space=OBS_SPACE, action_space=ACTION_SPACE
    )
    assert len(loaded) == 5


def test_load_names_the_field_and_both_shapes_on_mismatch(tmp_path):
    two_episodes().save(tmp_path / "data.npz")
    wide = spaces.Box(-1.0, 1.0, shape=(3,), dtype=np.float32)

    expected = r"observations: expected shape \(5, 3\).*got shape \(5, 2\)"
    with pytest.raises(ValueError, match=expected):
        TransitionDataset.load(tmp_path / "data.npz", observation_space=wide)


def test_load_names_the_dtype_on_mismatch(tmp_path):
    two_episodes().save(tmp_path / "data.npz")
    float64_space = spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float64)

    with pytest.raises(ValueError, match="dtype float64 .* got shape .* and dtype float32"):
        TransitionDataset.load(tmp_path / "data.npz", observation_space=float64_space)


def test_load_refuses_discrete_actions_out_of_range(tmp_path):
    two_episodes().save(tmp_path / "data.npz")
    with pytest.raises(ValueError, match=r"actions: expected values in \[0, 2\)"):
        TransitionDataset.load(tmp_path / "data.npz", action_space=spaces.Discrete(2))


def test_load_refuses_archives_that_need_pickle(tmp_path):
    path = tmp_path / "data.npz"
    two_episodes().save(path)
    with np.load(path) as archive:
        arrays = dict(archive)
    arrays["observations"] = np.array([{"a": 1}] * 5, dtype=object)
    np.savez(path, **arrays)  # numpy pickles the object array

    with pytest.raises(ValueError, match="allow_pickle=False"):
        TransitionDataset.load(path)


def test_load_names_missing_arrays(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, observations=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="lacks .*'actions'"):
        TransitionDataset.load(path)


def test_episode_returns_and_episodes():
    dataset = two_episodes()

    np.testing.assert_array_equal(dataset.episode_returns(), [6.0, 9.0])
    assert [len(episode) for episode in dataset.episodes()] == [3, 2]
    assert dataset.num_episodes == 2


def test_trailing_unfinished_episode_is_not_counted():
    dataset = two_episodes()[:4]
    assert dataset.num_episodes == 1
    np.testing.assert_array_equal(dataset.episode_returns(), [6.0])


def test_concatenate_aggregates_rows_and_episodes():
    joined = TransitionDataset.concatenate([two_episodes(), two_episodes(expert="dagger")])

    assert len(joined) == 10 and joined.num_episodes == 4
    np.testing.assert_array_equal(joined.episode_returns(), [6.0, 9.0, 6.0, 9.0])
    assert joined.metadata == {"env_id": "Toy-v0", "expert": "scripted+dagger"}


def test_append_is_concatenate_of_two():
    joined = two_episodes().append(two_episodes())
    np.testing.assert_array_equal(joined.rewards, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5])


def test_concatenate_refuses_a_part_that_ends_mid_episode():
    with pytest.raises(ValueError, match="part 0 ends mid-episode"):
        TransitionDataset.concatenate([two_episodes()[:4], two_episodes()])


def test_concatenate_refuses_different_environments():
    with pytest.raises(ValueError, match="part 1 comes from 'Other-v0'"):
        TransitionDataset.concatenate([two_episodes(), two_episodes(env_id="Other-v0")])


def test_concatenate_refuses_different_observation_shapes():
    other = two_episodes()
    other.observations = other.next_observations = np.zeros((5, 3), np.float32)
    with pytest.raises(ValueError, match=r"observations of part 1: expected rows of shape \(2,\)"):
        TransitionDataset.concatenate([two_episodes(), other])


def test_constructor_refuses_arrays_of_different_lengths():
    expected = r"actions: expected 5 rows like rewards, got shape \(4,\)"
    with pytest.raises(ValueError, match=expected):
        TransitionDataset(
            observations=np.zeros((5, 2)),
            actions=np.zeros(4),
            rewards=np.zeros(5),
            next_observations=np.zeros((5, 2)),
            terminations=np.zeros(5, bool),
            truncations=np.zeros(5, bool),
        )


def test_constructor_refuses_flags_that_are_not_zero_or_one():
    with pytest.raises(ValueError, match="terminations: expected booleans or 0/1 values"):
        TransitionDataset(
            observations=np.zeros((2, 2)),
            actions=np.zeros(2),
            rewards=np.zeros(2),
            next_observations=np.zeros((2, 2)),
            terminations=[0.0, 0.5],
            truncations=[0, 0],
        )


def test_index_with_an_array_selects_rows():
    batch = two_episodes()[np.array([4, 0])]
    np.testing.assert_array_equal(batch.rewards, [5.0, 1.0])
    assert batch.metadata["env_id"] == "Toy-v0"
