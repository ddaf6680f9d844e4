"""The "array_api_strict" stand-in catches the two mistakes a GPU would punish: handing a device
array to NumPy, and mixing a device array with one made on the default (host) device. On "cpu"
both mistakes run silently, which is why every core test also runs on the stand-in."""

import numpy as np
import pytest

import rlgrad
from rlgrad import _backend
from rlgrad.autograd.function import Function


class ExpThroughNumpy(Function):
    """A deliberately wrong exp: calls NumPy on whatever array it gets."""

    def forward(self, x):
        return np.exp(x)


class ScaleByHostConstant(Function):
    """A deliberately wrong scaling: its constant is made without naming the input's device."""

    def forward(self, x):
        xp = _backend.namespace(x)
        return x * xp.asarray(2.0, dtype=x.dtype)


def test_numpy_call_on_a_device_array_fails_on_the_stand_in():
    x = rlgrad.tensor([0.0, 1.0], device="array_api_strict")
    with pytest.raises(RuntimeError, match="Can't convert array on the .*device1.* NumPy array"):
        ExpThroughNumpy.apply(x)


def test_the_same_numpy_call_passes_silently_on_cpu():
    x = rlgrad.tensor([0.0, 1.0])
    np.testing.assert_allclose(ExpThroughNumpy.apply(x).numpy(), np.exp([0.0, 1.0]))


def test_the_real_exp_passes_on_the_stand_in():
    x = rlgrad.tensor([0.0, 1.0], device="array_api_strict")
    np.testing.assert_allclose(x.exp().cpu().numpy(), np.exp([0.0, 1.0]), rtol=1e-6)


def test_constant_made_on_the_host_fails_on_the_stand_in():
    x = rlgrad.tensor([1.0, 2.0], device="array_api_strict")
    with pytest.raises(ValueError, match="Arrays from two different devices"):
        ScaleByHostConstant.apply(x)


def test_the_same_host_constant_passes_silently_on_cpu():
    assert ScaleByHostConstant.apply(rlgrad.tensor([1.0, 2.0])).tolist() == [2.0, 4.0]
