"""scripts/collect.py end to end: a short real rollout saved and loaded back."""

import importlib.util
import pathlib
import subprocess
import sys

import gymnasium
import numpy as np
import pytest

import envs  # noqa: F401  (registers the rlgrad/ environments)
from agents.dataset import TransitionDataset

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "collect.py"


def load_script():
    spec = importlib.util.spec_from_file_location("collect_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_collect_runs_from_the_repository_root(tmp_path):
    out = tmp_path / "point_mass.npz"
    command = [
        sys.executable, str(SCRIPT),
        "--env", "rlgrad/PointMass-v0", "--episodes", "3", "--out", str(out), "--seed", "5",
    ]

    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert "3 episodes by point_mass_pd" in result.stdout
    dataset = TransitionDataset.load(out, env=gymnasium.make("rlgrad/PointMass-v0"))
    assert dataset.num_episodes == 3
    assert dataset.metadata["expert"] == "point_mass_pd" and dataset.metadata["seed"] == 5


def test_collect_main_saves_a_dataset_the_env_accepts(tmp_path, capsys):
    out = tmp_path / "nested" / "cartpole.npz"

    exit_code = load_script().main(["--env", "CartPole-v1", "--episodes", "2", "--out", str(out)])

    assert exit_code == 0
    dataset = TransitionDataset.load(out, env=gymnasium.make("CartPole-v1"))
    assert len(dataset) == 1000
    np.testing.assert_array_equal(dataset.episode_returns(), [500.0, 500.0])
    assert "return 500.00 +- 0.00" in capsys.readouterr().out


def test_collect_refuses_an_expert_for_another_env(tmp_path):
    argv = ["--env", "CartPole-v1", "--expert", "pendulum_energy", "--out", str(tmp_path / "x.npz")]
    with pytest.raises(SystemExit, match="plays Pendulum-v1, not CartPole-v1"):
        load_script().main(argv)
