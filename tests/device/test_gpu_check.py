"""scripts/gpu_check.py, tried on the stand-in device: its table has every row it promises, and
a missing policy-gradient script is reported rather than fatal. (Its refusal on a machine
without a GPU is tested in test_without_gpu.py.)"""

import importlib.util
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "gpu_check.py")


def load_gpu_check():
    spec = importlib.util.spec_from_file_location("gpu_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_timings_table_on_the_stand_in_lists_both_models_on_both_devices():
    result = subprocess.run(
        [sys.executable, SCRIPT, "--device", "array_api_strict", "--batch", "4",
         "--skip", "tests", "pg", "--seconds-per-case", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for model in ("17-256-256-6", "512-1024-1024-512"):
        for device in ("array_api_strict", "cpu"):
            assert f"step {model} b4 rlgrad {device}" in result.stdout
        assert f"speed-up {model} array_api_strict vs cpu" in result.stdout
    assert "ms/step" in result.stdout


def test_missing_policy_gradient_script_is_a_row_of_the_table(tmp_path, monkeypatch):
    gpu_check = load_gpu_check()
    monkeypatch.setattr(gpu_check, "ROOT", str(tmp_path))
    [row] = gpu_check.check_policy_gradient("cuda")
    assert row[:3] == ("train_pg --device cuda", "MISSING",
                       "scripts/train_pg.py does not exist yet")


def test_a_failed_step_makes_the_check_fail(monkeypatch, capsys):
    gpu_check = load_gpu_check()
    monkeypatch.setattr(gpu_check, "check_tests",
                        lambda device: [("tests -k cpu", "FAILED", "1 failed", 1.0)])
    assert gpu_check.main(["--device", "cpu", "--skip", "bench", "pg"]) == 1
    assert "FAILED" in capsys.readouterr().out
