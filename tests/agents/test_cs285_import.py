"""CS285 homework-1 expert files load as -v5 datasets; pickles that ask for code are refused."""

import os
import pickle

import gymnasium
import numpy as np
import pytest

from agents.cs285_import import UnsafePickleError, load_cs285_expert_data
from agents.dataset import TransitionDataset


def recorded_trajectory(env_id, steps, seed, terminal_last=True):
    """Roll random actions in a real env and store them the way CS285 does (float32 arrays)."""
    env = gymnasium.make(env_id)
    env.action_space.seed(seed)
    obs, _ = env.reset(seed=seed)
    observations, actions, rewards, next_observations = [], [], [], []
    for _ in range(steps):
        action = env.action_space.sample()
        next_obs, reward, _, _, _ = env.step(action)
        observations.append(obs)
        actions.append(action)
        rewards.append(reward)
        next_observations.append(next_obs)
        obs = next_obs
    terminals = np.zeros(steps, dtype=np.float32)
    terminals[-1] = float(terminal_last)
    return {
        "observation": np.array(observations, dtype=np.float32),
        "image_obs": np.array([], dtype=np.uint8),
        "reward": np.array(rewards, dtype=np.float32),
        "action": np.array(actions, dtype=np.float32),
        "next_observation": np.array(next_observations, dtype=np.float32),
        "terminal": terminals,
    }


def write_pickle(path, payload, protocol=pickle.DEFAULT_PROTOCOL):
    with open(path, "wb") as handle:
        pickle.dump(payload, handle, protocol=protocol)
    return path


@pytest.fixture(scope="module")
def hopper_trajectories():
    return [recorded_trajectory("Hopper-v5", 6, seed=0), recorded_trajectory("Hopper-v5", 4, 1)]


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_hopper_file_loads_as_hopper_v5_dataset(tmp_path, hopper_trajectories, protocol):
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", hopper_trajectories, protocol)

    dataset = load_cs285_expert_data(path)

    assert dataset.metadata["env_id"] == "Hopper-v5"
    assert dataset.observations.shape == (10, 11) and dataset.observations.dtype == np.float64
    assert dataset.actions.shape == (10, 3) and dataset.actions.dtype == np.float32
    np.testing.assert_array_equal(
        dataset.observations[:6], hopper_trajectories[0]["observation"].astype(np.float64)
    )
    np.testing.assert_array_equal(dataset.rewards[6:], hopper_trajectories[1]["reward"])
    assert dataset.num_episodes == 2


def test_short_terminal_trajectory_is_a_termination(tmp_path, hopper_trajectories):
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", hopper_trajectories)
    dataset = load_cs285_expert_data(path)

    assert np.flatnonzero(dataset.terminations).tolist() == [5, 9]
    assert not dataset.truncations.any()


def test_terminal_at_the_time_limit_is_a_truncation(tmp_path, hopper_trajectories):
    # CS285 marks the last step terminal whenever the rollout stops, time limit included.
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", hopper_trajectories)
    dataset = load_cs285_expert_data(path, time_limit=6)

    assert np.flatnonzero(dataset.truncations).tolist() == [5]
    assert np.flatnonzero(dataset.terminations).tolist() == [9]


def test_last_step_not_marked_terminal_is_a_truncation(tmp_path):
    trajectory = recorded_trajectory("Hopper-v5", 3, seed=2, terminal_last=False)
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", [trajectory])
    dataset = load_cs285_expert_data(path)

    assert dataset.truncations.tolist() == [False, False, True]
    assert not dataset.terminations.any()


def test_ant_with_contact_forces_drops_the_world_body_columns(tmp_path):
    rng = np.random.default_rng(0)
    observations = rng.normal(size=(4, 111)).astype(np.float32)
    observations[:, 27:33] = 0.0  # the world body's external force, always zero in Ant-v4
    trajectory = {
        "observation": observations,
        "action": rng.uniform(-1, 1, size=(4, 8)).astype(np.float32),
        "reward": np.ones(4, dtype=np.float32),
        "next_observation": observations,
        "terminal": np.array([0, 0, 0, 1], dtype=np.float32),
    }
    path = write_pickle(tmp_path / "expert_data_Ant-v4.pkl", [trajectory])

    dataset = load_cs285_expert_data(path)

    assert dataset.metadata["env_id"] == "Ant-v5" and dataset.metadata["env_kwargs"] == {}
    assert dataset.observations.shape == (4, 105)
    np.testing.assert_array_equal(dataset.observations[:, :27], observations[:, :27])
    np.testing.assert_array_equal(dataset.observations[:, 27:], observations[:, 33:])


def test_ant_without_contact_forces_maps_to_ant_v5_without_cfrc_ext(tmp_path):
    trajectory = recorded_trajectory("Ant-v5", 3, seed=0)
    trajectory["observation"] = trajectory["observation"][:, :27]
    trajectory["next_observation"] = trajectory["next_observation"][:, :27]
    path = write_pickle(tmp_path / "expert_data_Ant-v4.pkl", [trajectory])

    dataset = load_cs285_expert_data(path)

    assert dataset.metadata["env_kwargs"] == {"include_cfrc_ext_in_observation": False}
    env = gymnasium.make("Ant-v5", **dataset.metadata["env_kwargs"])
    dataset.check_spaces(env.observation_space, env.action_space)


def test_observation_width_that_fits_no_layout_is_refused(tmp_path, hopper_trajectories):
    trajectory = dict(hopper_trajectories[0])
    trajectory["observation"] = np.zeros((6, 12), dtype=np.float32)
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", [trajectory])

    with pytest.raises(ValueError, match=r"width 12; expected one of \[11\]"):
        load_cs285_expert_data(path)


def test_action_width_mismatch_names_the_field(tmp_path, hopper_trajectories):
    trajectory = dict(hopper_trajectories[0])
    trajectory["action"] = np.zeros((6, 4), dtype=np.float32)
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", [trajectory])

    with pytest.raises(ValueError, match=r"actions: expected shape \(6, 3\).*got shape \(6, 4\)"):
        load_cs285_expert_data(path)


def test_terminal_before_the_last_step_is_refused(tmp_path, hopper_trajectories):
    trajectory = dict(hopper_trajectories[0])
    trajectory["terminal"] = np.array([0, 1, 0, 0, 0, 1], dtype=np.float32)
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", [trajectory])

    with pytest.raises(ValueError, match="trajectory 0 is marked terminal at step 1 of 6"):
        load_cs285_expert_data(path)


def test_unknown_environment_lists_the_known_ones(tmp_path, hopper_trajectories):
    path = write_pickle(tmp_path / "data.pkl", hopper_trajectories)
    with pytest.raises(ValueError, match="pass env_id"):
        load_cs285_expert_data(path)
    with pytest.raises(ValueError, match="known ids: .*'Hopper-v4'"):
        load_cs285_expert_data(path, env_id="Humanoid-v4")


@pytest.mark.parametrize("env_id", ["Hopper-v4", "Hopper-v5"])
def test_env_id_may_be_the_cs285_or_the_v5_id(tmp_path, hopper_trajectories, env_id):
    path = write_pickle(tmp_path / "hopper_demos.pkl", hopper_trajectories)
    assert load_cs285_expert_data(path, env_id).metadata["env_id"] == "Hopper-v5"


def test_env_id_that_contradicts_the_file_name_is_refused(tmp_path, hopper_trajectories):
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", hopper_trajectories)
    with pytest.raises(ValueError, match="holds Hopper-v4 data, but Walker2d-v5 was asked for"):
        load_cs285_expert_data(path, "Walker2d-v5")


def test_file_that_is_not_a_list_of_trajectories_is_refused(tmp_path):
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", {"observation": np.zeros(3)})
    with pytest.raises(ValueError, match="expected a non-empty list of trajectory dicts, got dict"):
        load_cs285_expert_data(path)


def test_imported_dataset_saves_and_loads_against_the_env(tmp_path, hopper_trajectories):
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", hopper_trajectories)
    load_cs285_expert_data(path).save(tmp_path / "hopper.npz")

    loaded = TransitionDataset.load(tmp_path / "hopper.npz", env=gymnasium.make("Hopper-v5"))

    assert len(loaded) == 10 and loaded.metadata["expert"] == "cs285:Hopper-v4"


class ShellCommand:
    """Unpickling this runs a shell command, as a booby-trapped data file would."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


class EvalExpression:
    """Unpickling this evaluates Python source through builtins.eval."""

    def __init__(self, source):
        self.source = source

    def __reduce__(self):
        return eval, (self.source,)


@pytest.mark.parametrize("protocol", [2, 5])
def test_pickle_calling_os_system_is_refused_before_running(
    tmp_path, hopper_trajectories, protocol
):
    marker = tmp_path / "marker"
    trajectory = dict(hopper_trajectories[0], image_obs=ShellCommand(f"touch {marker}"))
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", [trajectory], protocol)

    with pytest.raises(UnsafePickleError, match=rf"refused global {os.name}\.system"):
        load_cs285_expert_data(path)
    assert not marker.exists()


def test_pickle_calling_eval_is_refused_before_running(tmp_path, hopper_trajectories):
    marker = tmp_path / "marker"
    source = f"open({str(marker)!r}, 'w').close()"
    path = write_pickle(tmp_path / "expert_data_Hopper-v4.pkl", [EvalExpression(source)])

    with pytest.raises(UnsafePickleError, match=r"refused global builtins\.eval"):
        load_cs285_expert_data(path)
    assert not marker.exists()


def test_harmful_pickle_really_would_create_the_marker(tmp_path):
    # Guards the two tests above: the booby traps do act under a plain, trusting pickle.load.
    marker = tmp_path / "marker"
    pickle.loads(pickle.dumps(ShellCommand(f"touch {marker}")))
    assert marker.exists()
