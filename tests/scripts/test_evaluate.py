"""scripts/evaluate.py: scores a scripted expert or a saved run folder."""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")


def _evaluate(*args, cwd):
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, "evaluate.py"), *args],
                          capture_output=True, text=True, check=True, cwd=cwd).stdout


def test_scripted_expert_holds_cartpole(tmp_path):
    output = _evaluate("cartpole_lqr", "--episodes", "2", cwd=tmp_path)
    assert "cartpole_lqr on CartPole-v1: return 500.00 +- 0.00" in output


def test_saved_run_folder_is_evaluated_on_its_env(tmp_path):
    subprocess.run([sys.executable, os.path.join(SCRIPTS, "train_pg.py"), "--batch-size", "200",
                    "--iterations", "1", "--run-dir", str(tmp_path)], check=True,
                   capture_output=True, cwd=tmp_path)
    (run_name,) = os.listdir(tmp_path)
    output = _evaluate(str(tmp_path / run_name), "--episodes", "3", cwd=tmp_path)
    assert re.search(r"on CartPole-v1: return \d+\.\d\d \+- \d+\.\d\d .* over 3 episodes", output)
