"""scripts/train_bc.py end to end: BC and DAgger on short runs, with the logged tags."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")

CS285_TAGS = {"Eval_AverageReturn", "Eval_StdReturn", "Train_EnvstepsSoFar", "Training_Loss"}
OUR_TAGS = {"charts/eval_return", "losses/bc_loss"}


def _run(script, *args, cwd):
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, script), *args],
                          capture_output=True, text=True, check=True, cwd=cwd)


@pytest.fixture(scope="module")
def cartpole_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    path = folder / "cartpole.npz"
    _run("collect.py", "--env", "CartPole-v1", "--episodes", "2", "--out", str(path),
         cwd=folder)
    return path


def _only_run(folder):
    (name,) = os.listdir(folder)
    return folder / name


def test_bc_run_logs_cs285_and_our_tags_and_saves(tmp_path, cartpole_data):
    _run("train_bc.py", "--env", "CartPole-v1", "--data", str(cartpole_data),
         "--train-steps", "300", "--eval-episodes", "2", "--run-dir", str(tmp_path),
         cwd=tmp_path)
    run_path = _only_run(tmp_path)
    assert run_path.name.startswith("CartPole-v1__bc__0__")
    summary = json.loads((run_path / "summary.json").read_text())
    assert summary["expert_return_mean"] == 500.0
    assert summary["demonstration_steps"] == 1000 and summary["env_steps"] == 0
    assert summary["final_eval_mean"] > 100  # far above a random policy's ~20
    assert (run_path / "policy.safetensors").exists()
    accumulator = EventAccumulator(str(run_path))
    accumulator.Reload()
    assert CS285_TAGS | OUR_TAGS <= set(accumulator.Tags()["scalars"])


def test_dagger_aggregates_learner_states_each_iteration(tmp_path, cartpole_data):
    _run("train_bc.py", "--env", "CartPole-v1", "--data", str(cartpole_data), "--dagger",
         "--n-iter", "2", "--episodes-per-iter", "1", "--train-steps", "50",
         "--eval-episodes", "1", "--run-dir", str(tmp_path), cwd=tmp_path)
    summary = json.loads((_only_run(tmp_path) / "summary.json").read_text())
    sizes = [entry["dataset_size"] for entry in summary["history"]]
    steps = [entry["env_steps"] for entry in summary["history"]]
    assert len(sizes) == 3 and sizes[0] == 1000
    assert sizes[1] > sizes[0] and sizes[2] > sizes[1]
    assert steps == [0, sizes[1] - sizes[0], sizes[2] - sizes[0]]


def test_data_of_another_env_is_refused_naming_the_field(tmp_path, cartpole_data):
    result = subprocess.run([sys.executable, os.path.join(SCRIPTS, "train_bc.py"), "--env",
                             "Pendulum-v1", "--data", str(cartpole_data), "--run-dir",
                             str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0
    assert "observations" in result.stderr


def test_gaussian_policy_on_continuous_actions_trains_by_likelihood(tmp_path):
    data = tmp_path / "pendulum.npz"
    _run("collect.py", "--env", "Pendulum-v1", "--episodes", "1", "--out", str(data),
         cwd=tmp_path)
    runs = tmp_path / "runs"
    _run("train_bc.py", "--env", "Pendulum-v1", "--data", str(data), "--policy", "gaussian",
         "--train-steps", "100", "--eval-episodes", "1", "--run-dir", str(runs), cwd=tmp_path)
    summary = json.loads((_only_run(runs) / "summary.json").read_text())
    losses = [entry["loss"] for entry in summary["history"]]
    assert summary["config"]["policy"] == "gaussian" and np.isfinite(losses).all()


def _random_acrobot_data(path):
    """Demonstrations for a task without a scripted expert (random actions, 2 episodes)."""
    import gymnasium

    from agents.dataset import TransitionDataset
    from agents.episodes import run_episode

    env = gymnasium.make("Acrobot-v1", max_episode_steps=30)
    env.action_space.seed(0)
    episodes = [run_episode(env, lambda obs: env.action_space.sample(), seed=seed)
                for seed in (0, 1)]
    TransitionDataset.from_episodes(episodes, metadata={"env_id": "Acrobot-v1"}).save(path)


def test_bc_without_a_known_expert_compares_with_the_demonstrations(tmp_path):
    data = tmp_path / "acrobot.npz"
    _random_acrobot_data(str(data))
    runs = tmp_path / "runs"
    result = _run("train_bc.py", "--env", "Acrobot-v1", "--data", str(data), "--train-steps",
                  "20", "--eval-episodes", "1", "--run-dir", str(runs), cwd=tmp_path)
    assert "reference (the demonstrations): -30.0" in result.stdout
    summary = json.loads((_only_run(runs) / "summary.json").read_text())
    assert summary["expert"] == "the demonstrations" and summary["expert_return_mean"] == -30.0


def test_dagger_without_an_expert_says_to_pass_one(tmp_path):
    data = tmp_path / "acrobot.npz"
    _random_acrobot_data(str(data))
    result = subprocess.run([sys.executable, os.path.join(SCRIPTS, "train_bc.py"), "--env",
                             "Acrobot-v1", "--data", str(data), "--dagger", "--run-dir",
                             str(tmp_path / "runs")], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode != 0 and "pass --expert" in result.stderr
    assert not (tmp_path / "runs").exists()


def test_expert_of_another_env_is_refused_before_any_run_folder(tmp_path, cartpole_data):
    result = subprocess.run([sys.executable, os.path.join(SCRIPTS, "train_bc.py"), "--env",
                             "CartPole-v1", "--data", str(cartpole_data), "--expert",
                             "lunar_lander_tilt", "--run-dir", str(tmp_path / "runs")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert "plays LunarLander-v3, not CartPole-v1" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "runs").exists()
