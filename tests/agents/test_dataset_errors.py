"""Loading something that is not a transition dataset says what it is instead."""

import numpy as np
import pytest

from agents.dataset import TransitionDataset


@pytest.mark.parametrize("content, expected", [
    (b"", "starts with b''"),
    (b"# a text file\n", "starts with b'# a "),
])
def test_non_archive_file_is_refused_naming_its_first_bytes(tmp_path, content, expected):
    path = tmp_path / "data.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not an rlgrad transition dataset") as error:
        TransitionDataset.load(str(path))
    assert expected in str(error.value)


def test_npz_of_other_arrays_lists_the_missing_fields(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.zeros(3))
    with pytest.raises(ValueError, match="observations"):
        TransitionDataset.load(str(path))


def test_nan_in_observations_is_refused_naming_the_row():
    observations = np.zeros((4, 2), np.float32)
    observations[2, 1] = np.nan
    with pytest.raises(ValueError, match="observations: row 2 holds NaN"):
        TransitionDataset(observations, np.zeros(4, np.int64), np.zeros(4), observations.copy(),
                          np.zeros(4, bool), np.array([0, 0, 0, 1], bool))
