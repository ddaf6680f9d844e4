"""scripts/bench_pg.py on a smoke run: one iteration per framework, JSON of the right shape.

No timing is asserted: speed is compared in the benchmark's own output, never in tests.
"""

import importlib.util
import json
import math
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "bench_pg.py")

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                                reason="bench_pg.py compares with PyTorch, not installed here")

RUN_KEYS = {"solved", "steps_to_solve", "env_steps", "iterations", "final_mean_return",
            "wall_seconds", "rollout_seconds", "update_seconds", "steps_per_second",
            "wall_us_per_step", "rollout_us_per_step", "update_us_per_step"}


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    """Runs --quick with a 1-step limit, so each framework does exactly one 5,000-step
    iteration; returns (stdout, report)."""
    out = tmp_path_factory.mktemp("bench_pg") / "bench.json"
    result = subprocess.run([sys.executable, SCRIPT, "--quick", "--max-steps", "1",
                             "--out", str(out)], capture_output=True, text=True, check=True)
    return result.stdout, json.loads(out.read_text())


def test_quick_run_benchmarks_one_seed_with_rlgrad_first(quick_report):
    _, report = quick_report
    assert report["config"]["seeds"] == [0] and report["config"]["max_steps"] == 1
    (seed_result,) = report["per_seed"]
    assert seed_result["seed"] == 0 and seed_result["order"] == ["rlgrad", "torch"]


@pytest.mark.parametrize("framework", ["rlgrad", "torch"])
def test_each_framework_reports_one_whole_iteration(quick_report, framework):
    _, report = quick_report
    run = report["per_seed"][0][framework]
    assert set(run) == RUN_KEYS
    assert run["iterations"] == 1 and run["env_steps"] >= 5000
    assert not run["solved"] and run["steps_to_solve"] is None
    assert run["final_mean_return"] > 0


@pytest.mark.parametrize("framework", ["rlgrad", "torch"])
def test_times_are_positive_and_split_into_rollout_and_update(quick_report, framework):
    _, report = quick_report
    run = report["per_seed"][0][framework]
    assert run["rollout_seconds"] > 0 and run["update_seconds"] > 0
    assert math.isclose(run["wall_seconds"], run["rollout_seconds"] + run["update_seconds"])
    assert math.isclose(run["steps_per_second"], run["env_steps"] / run["wall_seconds"])


def test_summary_has_solve_counts_and_finite_ratios(quick_report):
    _, report = quick_report
    summary = report["summary"]
    assert summary["seeds"] == 1
    assert summary["rlgrad"]["solved"] == 0 and summary["torch"]["solved"] == 0
    for key in ("wall_us_per_step", "rollout_us_per_step", "update_us_per_step"):
        ratio = summary[f"ratio_of_medians_{key}"]
        assert math.isfinite(ratio) and ratio > 0
        assert math.isclose(summary[f"median_paired_ratio_{key}"], ratio)


def test_progress_and_table_are_printed(quick_report):
    stdout, _ = quick_report
    assert "rlgrad seed 0  iter   1" in stdout and "torch  seed 0  iter   1" in stdout
    assert "rlgrad/torch wall time per env step" in stdout
