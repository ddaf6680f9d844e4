"""Atomic writes and run folders that never collide."""

import json
import math

import pytest

from rlgrad.utils.files import atomic_write, create_run_dir, write_json


def test_run_folders_of_the_same_name_get_numbered_suffixes(tmp_path):
    paths = [create_run_dir(str(tmp_path / "runs"), "CartPole-v1__pg__0__123") for _ in range(3)]
    assert [p.rsplit("/", 1)[1] for p in paths] == [
        "CartPole-v1__pg__0__123", "CartPole-v1__pg__0__123-1", "CartPole-v1__pg__0__123-2"]


def test_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "summary.json"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(str(path), "w") as handle:
            handle.write("half")
            raise RuntimeError("crash mid-write")
    assert path.read_text() == "old"
    assert [entry.name for entry in tmp_path.iterdir()] == ["summary.json"]


def test_write_json_turns_nan_and_infinity_into_null(tmp_path):
    path = tmp_path / "summary.json"
    write_json(str(path), {"loss": math.nan, "values": [1.0, math.inf], "name": "x"})
    assert json.loads(path.read_text()) == {"loss": None, "values": [1.0, None], "name": "x"}
