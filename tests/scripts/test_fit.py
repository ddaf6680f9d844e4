"""scripts/fit.py: the default Pendulum dynamics job and user data from .npz and .csv."""

import json
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "fit.py")


def _fit(*args, cwd, check=True):
    return subprocess.run([sys.executable, SCRIPT, *args, "--run-dir", str(cwd)],
                          capture_output=True, text=True, check=check, cwd=cwd)


def _summary(folder):
    (name,) = [entry for entry in os.listdir(folder) if entry.startswith("fit__")]
    return json.loads((folder / name / "summary.json").read_text()), folder / name


def test_default_job_beats_predicting_no_change_tenfold(tmp_path):
    _fit("--transitions", "3000", "--epochs", "15", cwd=tmp_path)
    summary, run_path = _summary(tmp_path)
    assert summary["val_rows"] == 600 and summary["train_rows"] == 2400
    assert summary["val_mse"] * 10 < summary["zero_prediction_val_mse"]
    assert (run_path / "model.safetensors").exists()


def test_npz_data_with_a_linear_target_is_fitted_closely(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1000, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32) + 3.0
    np.savez(tmp_path / "linear.npz", x=x, y=y)
    _fit("--data", str(tmp_path / "linear.npz"), "--epochs", "20", cwd=tmp_path)
    summary, _ = _summary(tmp_path)
    assert summary["val_mse"] < 0.01 * summary["mean_prediction_val_mse"]


def test_csv_with_header_uses_trailing_columns_as_targets(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (400, 2))
    table = np.column_stack([x, x[:, 0] * x[:, 1], x.sum(1)])
    np.savetxt(tmp_path / "table.csv", table, delimiter=",", header="a,b,ab,sum", comments="")
    _fit("--data", str(tmp_path / "table.csv"), "--targets", "2", "--epochs", "2",
         cwd=tmp_path)
    summary, _ = _summary(tmp_path)
    assert summary["train_rows"] + summary["val_rows"] == 400


def test_npz_without_the_named_arrays_says_which_are_missing(tmp_path):
    np.savez(tmp_path / "bad.npz", inputs=np.zeros((4, 2)))
    result = _fit("--data", str(tmp_path / "bad.npz"), cwd=tmp_path, check=False)
    assert result.returncode != 0
    assert "missing ['x', 'y']" in result.stderr
