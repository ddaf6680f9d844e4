"""A saved policy is an expert: collect demonstrations from a train_pg run folder."""

import os
import subprocess
import sys

import numpy as np

from agents.dataset import TransitionDataset
from agents.policy_expert import PolicyExpert

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")


def _trained_run(folder):
    subprocess.run([sys.executable, os.path.join(SCRIPTS, "train_pg.py"), "--seed", "2",
                    "--batch-size", "300", "--iterations", "1", "--run-dir", str(folder)],
                   capture_output=True, check=True, cwd=folder)
    (name,) = os.listdir(folder)
    return folder / name


def test_policy_expert_acts_like_its_policy_on_one_and_many_observations(tmp_path):
    expert = PolicyExpert.load(str(_trained_run(tmp_path)))
    observations = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    batch_actions = expert.act(observations)
    assert batch_actions.shape == (5,)
    assert [expert.act(row) for row in observations] == batch_actions.tolist()
    assert expert.env_id == "CartPole-v1"


def test_collect_records_demonstrations_from_a_run_folder(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    run_path = _trained_run(runs)
    out = tmp_path / "demos.npz"
    subprocess.run([sys.executable, os.path.join(SCRIPTS, "collect.py"), "--env",
                    "CartPole-v1", "--expert", str(run_path), "--episodes", "2", "--out",
                    str(out)], capture_output=True, check=True, cwd=tmp_path)
    dataset = TransitionDataset.load(str(out))
    assert dataset.num_episodes == 2
    assert dataset.metadata["expert"] == str(run_path)


def test_a_folder_without_a_policy_is_refused_with_what_is_missing(tmp_path):
    try:
        PolicyExpert.load(str(tmp_path))
    except FileNotFoundError as error:
        assert "summary.json" in str(error)
    else:
        raise AssertionError("an empty folder was accepted as a policy")
