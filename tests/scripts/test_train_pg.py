"""scripts/train_pg.py end to end on a short run: progress, events, checkpoint, summary."""

import json
import os
import subprocess
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "train_pg.py")

REQUIRED_TAGS = {"charts/episodic_return", "charts/episodic_length", "losses/policy_loss",
                 "losses/entropy", "charts/SPS"}


def test_short_run_writes_events_policy_and_summary(tmp_path):
    result = subprocess.run(
        [sys.executable, SCRIPT, "--env", "CartPole-v1", "--seed", "3", "--batch-size", "400",
         "--iterations", "3", "--run-dir", str(tmp_path)],
        capture_output=True, text=True, check=True, cwd=tmp_path)
    progress_lines = [line for line in result.stdout.splitlines() if line.startswith("iter")]
    assert len(progress_lines) == 3

    (run_name,) = os.listdir(tmp_path)
    assert run_name.startswith("CartPole-v1__pg__3__")
    run_path = tmp_path / run_name
    summary = json.loads((run_path / "summary.json").read_text())
    assert summary["env"] == "CartPole-v1" and summary["algorithm"] == "pg"
    assert summary["seed"] == 3 and summary["env_steps"] >= 1200
    assert summary["wall_seconds"] > 0 and summary["final_mean_return"] > 0
    assert (run_path / "policy.safetensors").stat().st_size > 0

    accumulator = EventAccumulator(str(run_path))
    accumulator.Reload()
    assert REQUIRED_TAGS <= set(accumulator.Tags()["scalars"])
    returns = accumulator.Scalars("charts/episodic_return")
    steps = [event.step for event in returns]
    assert steps == sorted(steps) and steps[-1] == summary["env_steps"]


def test_saved_policy_loads_into_a_fresh_policy(tmp_path):
    subprocess.run([sys.executable, SCRIPT, "--seed", "1", "--batch-size", "200",
                    "--iterations", "1", "--run-dir", str(tmp_path)],
                   capture_output=True, check=True, cwd=tmp_path)
    (run_name,) = os.listdir(tmp_path)
    sys.path.insert(0, ROOT)
    import rlgrad
    from agents.policies import CategoricalPolicy

    policy = CategoricalPolicy(4, 2)
    policy.load_state_dict(rlgrad.load(str(tmp_path / run_name / "policy.safetensors")))
    assert policy.act([0.0, 0.0, 0.0, 0.0]) in (0, 1)


def test_continuous_action_env_is_refused_with_its_space(tmp_path):
    result = subprocess.run([sys.executable, SCRIPT, "--env", "Pendulum-v1",
                             "--run-dir", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "Discrete" in result.stderr and "Box" in result.stderr


def test_run_on_the_stand_in_device_trains_and_saves(tmp_path):
    result = subprocess.run(
        [sys.executable, SCRIPT, "--device", "array_api_strict", "--batch-size", "200",
         "--iterations", "2", "--run-dir", str(tmp_path)],
        capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.count("\niter ") + result.stdout.startswith("iter ") == 2
    (run_name,) = os.listdir(tmp_path)
    summary = json.loads((tmp_path / run_name / "summary.json").read_text())
    assert summary["config"]["device"] == "array_api_strict"


def _fails_cleanly(tmp_path, *args):
    result = subprocess.run([sys.executable, SCRIPT, *args, "--run-dir", str(tmp_path / "r")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert not (tmp_path / "r").exists()  # nothing is created for a run that cannot start
    return result.stderr


def test_bad_numbers_are_argument_errors_naming_the_option(tmp_path):
    assert "--batch-size: must be at least 1" in _fails_cleanly(tmp_path, "--batch-size", "0")
    assert "--gamma: must be in [0, 1]" in _fails_cleanly(tmp_path, "--gamma", "1.5")
    assert "--lr: must be a finite number > 0" in _fails_cleanly(tmp_path, "--lr", "nan")


def test_unknown_env_and_unusable_device_fail_in_one_line(tmp_path):
    assert "cannot make environment 'Nope-v0'" in _fails_cleanly(tmp_path, "--env", "Nope-v0")
    assert "device 'tpu' cannot be used" in _fails_cleanly(tmp_path, "--device", "tpu")


def test_our_registered_envs_are_available(tmp_path):
    subprocess.run([sys.executable, SCRIPT, "--env", "rlgrad/GridReach-v0", "--batch-size",
                    "50", "--iterations", "1", "--run-dir", str(tmp_path)],
                   capture_output=True, check=True, cwd=tmp_path)
    (run_name,) = os.listdir(tmp_path)
    assert run_name.startswith("rlgrad-GridReach-v0__pg__0__")


def test_ctrl_c_saves_the_policy_and_summary(tmp_path):
    import signal

    process = subprocess.Popen(
        [sys.executable, SCRIPT, "--batch-size", "300", "--run-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in process.stdout:
        if line.startswith("iter"):
            process.send_signal(signal.SIGINT)
            break
    output = process.stdout.read()
    assert process.wait(timeout=60) == 0
    assert "interrupted: saving the policy as it is" in output
    (run_name,) = os.listdir(tmp_path)
    summary = json.loads((tmp_path / run_name / "summary.json").read_text())
    assert summary["interrupted"] is True
    assert (tmp_path / run_name / "policy.safetensors").exists()
