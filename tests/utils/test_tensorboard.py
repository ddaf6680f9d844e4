"""SummaryWriter: values of every kind reach the event file, read back by TensorBoard."""

import subprocess
import sys
import textwrap

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import rlgrad
from rlgrad.utils.tensorboard import SummaryWriter


def _scalars(log_dir, tag):
    accumulator = EventAccumulator(str(log_dir))
    accumulator.Reload()
    return [(event.step, event.value) for event in accumulator.Scalars(tag)]


def test_scalars_of_tensors_numpy_and_python_numbers_are_read_back(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_scalar("a/tensor", rlgrad.tensor(1.5), 0)
        writer.add_scalar("a/tensor", rlgrad.tensor([2.5]), 1)
        writer.add_scalar("a/numpy", np.float32(3.5), 2)
        writer.add_scalar("a/python", 4, global_step=np.int64(3))
    assert _scalars(tmp_path, "a/tensor") == [(0, 1.5), (1, 2.5)]
    assert _scalars(tmp_path, "a/numpy") == [(2, 3.5)]
    assert _scalars(tmp_path, "a/python") == [(3, 4.0)]


def test_tensor_that_requires_grad_is_logged_without_error(tmp_path):
    weight = rlgrad.tensor(2.0, requires_grad=True)
    with SummaryWriter(str(tmp_path)) as writer:
        writer.add_scalar("loss", weight * 3, 7)
    assert _scalars(tmp_path, "loss") == [(7, 6.0)]


def test_non_scalar_value_is_refused_with_its_shape(tmp_path):
    with SummaryWriter(str(tmp_path)) as writer:
        try:
            writer.add_scalar("bad", np.zeros(3), 0)
        except ValueError as error:
            assert "(3,)" in str(error)
        else:
            raise AssertionError("a 3-element array was accepted as a scalar")


def test_script_ending_without_close_loses_no_point(tmp_path):
    script = textwrap.dedent(f"""
        import rlgrad
        from rlgrad.utils.tensorboard import SummaryWriter
        writer = SummaryWriter({str(tmp_path)!r}, flush_secs=3600, max_queue=10_000)
        for step in range(500):
            writer.add_scalar("charts/x", rlgrad.tensor(float(step)), step)
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    points = _scalars(tmp_path, "charts/x")
    assert [step for step, _ in points] == list(range(500))
    assert points[-1][1] == 499.0


def test_two_writers_on_one_folder_keep_both_points(tmp_path):
    first, second = SummaryWriter(str(tmp_path)), SummaryWriter(str(tmp_path))
    first.add_scalar("x", 1.0, 0)
    second.add_scalar("x", 2.0, 1)
    first.close()
    second.close()
    assert sorted(_scalars(tmp_path, "x")) == [(0, 1.0), (1, 2.0)]


def test_logging_after_close_raises_and_keeps_the_file(tmp_path):
    writer = SummaryWriter(str(tmp_path))
    writer.add_scalar("x", 5.0, 0)
    writer.close()
    try:
        writer.add_scalar("x", 6.0, 1)
    except RuntimeError as error:
        assert "closed" in str(error)
    else:
        raise AssertionError("a closed writer accepted a point")
    assert _scalars(tmp_path, "x") == [(0, 5.0)]
