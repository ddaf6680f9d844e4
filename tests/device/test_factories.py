"""Factories make their arrays directly on the requested device, with PyTorch's default dtypes
and the same values on every device."""

import numpy as np
import pytest

import rlgrad

FACTORIES = {
    "zeros": lambda device: rlgrad.zeros(2, 3, device=device),
    "ones": lambda device: rlgrad.ones((2, 3), device=device),
    "empty": lambda device: rlgrad.empty(2, device=device),
    "full": lambda device: rlgrad.full((2,), 7.5, device=device),
    "arange": lambda device: rlgrad.arange(1, 7, 2, device=device),
    "linspace": lambda device: rlgrad.linspace(0.0, 1.0, 5, device=device),
    "eye": lambda device: rlgrad.eye(2, 3, device=device),
    "zeros_like": lambda device: rlgrad.zeros_like(rlgrad.ones(2, device=device)),
    "ones_like": lambda device: rlgrad.ones_like(rlgrad.zeros(2, device=device)),
    "full_like": lambda device: rlgrad.full_like(rlgrad.zeros(2, device=device), 3),
    "empty_like": lambda device: rlgrad.empty_like(rlgrad.zeros(2, device=device)),
    "rand": lambda device: rlgrad.rand(2, device=device),
    "randn": lambda device: rlgrad.randn(2, device=device),
    "randint": lambda device: rlgrad.randint(0, 5, (3,), device=device),
    "rand_like": lambda device: rlgrad.rand_like(rlgrad.zeros(2, device=device)),
    "randn_like": lambda device: rlgrad.randn_like(rlgrad.zeros(2, device=device)),
    "randint_like": lambda device: rlgrad.randint_like(rlgrad.zeros(2, device=device), 4),
}

EXPECTED_VALUES = {
    "zeros": [[0.0] * 3] * 2,
    "ones": [[1.0] * 3] * 2,
    "full": [7.5, 7.5],
    "arange": [1, 3, 5],
    "linspace": [0.0, 0.25, 0.5, 0.75, 1.0],
    "eye": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
    "zeros_like": [0.0, 0.0],
    "ones_like": [1.0, 1.0],
    "full_like": [3.0, 3.0],
}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factory_makes_its_tensor_on_the_device(name, device):
    assert FACTORIES[name](device).device == rlgrad.device(device)


@pytest.mark.parametrize("name", sorted(EXPECTED_VALUES))
def test_factory_values_are_the_same_on_every_device(name, device):
    assert FACTORIES[name](device).tolist() == EXPECTED_VALUES[name]


DIRECT_FACTORIES = {
    "zeros": lambda like: rlgrad.zeros(2, 3, device="array_api_strict"),
    "full": lambda like: rlgrad.full((2,), 7.5, device="array_api_strict"),
    "arange": lambda like: rlgrad.arange(1, 7, 2, device="array_api_strict"),
    "linspace": lambda like: rlgrad.linspace(0.0, 1.0, 5, device="array_api_strict"),
    "eye": lambda like: rlgrad.eye(2, 3, device="array_api_strict"),
    "ones_like": rlgrad.ones_like,
    "full_like": lambda like: rlgrad.full_like(like, 2.0),
}


@pytest.mark.parametrize("name", sorted(DIRECT_FACTORIES))
def test_factory_never_goes_through_the_host(name, monkeypatch):
    like = rlgrad.zeros(2, device="array_api_strict")

    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} copied an array from the host")

    monkeypatch.setattr(rlgrad._backend.backend_for("array_api_strict"), "from_host", refuse)
    assert DIRECT_FACTORIES[name](like).device == rlgrad.device("array_api_strict")


def test_host_trap_catches_a_copy_from_the_host(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("copied from the host")

    monkeypatch.setattr(rlgrad._backend.backend_for("array_api_strict"), "from_host", refuse)
    with pytest.raises(AssertionError, match="copied from the host"):
        rlgrad.tensor([1.0, 2.0], device="array_api_strict")


def test_float_factories_default_to_float32(device):
    for made in (rlgrad.zeros(1, device=device), rlgrad.full((1,), 0.5, device=device),
                 rlgrad.linspace(0, 1, 2, device=device), rlgrad.eye(1, device=device),
                 rlgrad.arange(0.0, 1.0, 0.5, device=device)):
        assert made.dtype == rlgrad.float32


def test_integer_fill_and_range_default_to_int64(device):
    assert rlgrad.full((1,), 3, device=device).dtype == rlgrad.int64
    assert rlgrad.arange(3, device=device).dtype == rlgrad.int64


def test_bool_fill_is_bool(device):
    assert rlgrad.full((1,), True, device=device).dtype == rlgrad.bool


def test_explicit_dtype_is_kept(device):
    assert rlgrad.eye(2, dtype=rlgrad.float64, device=device).dtype == rlgrad.float64
    assert rlgrad.ones(2, dtype=rlgrad.int32, device=device).dtype == rlgrad.int32


def test_like_factories_take_dtype_and_device_of_their_input(device):
    source = rlgrad.zeros(2, 1, dtype=rlgrad.float64, device=device)
    made = rlgrad.ones_like(source)
    assert (made.shape, made.dtype, made.device) == ((2, 1), rlgrad.float64, source.device)


def test_factory_with_requires_grad_makes_a_leaf(device):
    weights = rlgrad.zeros(3, device=device, requires_grad=True)
    (weights * 2.0).sum().backward()
    assert weights.grad.tolist() == [2.0, 2.0, 2.0]


def test_cuda_factory_without_a_gpu_says_why():
    if rlgrad.cuda.is_available():
        pytest.skip("a GPU is present, so cuda tensors can be made")
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        rlgrad.zeros(2, device="cuda")


def test_unsupported_dtype_on_the_stand_in_names_the_dtype():
    with pytest.raises(TypeError, match="dtype float16 is not supported on the array_api_strict"):
        rlgrad.zeros(2, dtype=rlgrad.float16, device="array_api_strict")


def test_float16_is_sampled_on_cpu():
    assert rlgrad.rand(3, dtype=rlgrad.float16).dtype == np.float16
