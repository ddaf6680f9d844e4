"""`rlgrad.device`: parsing, equality, hashing and printing follow PyTorch's `torch.device`."""

import pytest

import rlgrad


def test_cpu_device_has_no_index():
    cpu = rlgrad.device("cpu")
    assert (cpu.type, cpu.index) == ("cpu", None)


def test_cuda_without_index_means_gpu_zero():
    assert rlgrad.device("cuda") == rlgrad.device("cuda:0")


def test_cuda_index_is_parsed():
    gpu = rlgrad.device("cuda:1")
    assert (gpu.type, gpu.index) == ("cuda", 1)


def test_device_equals_its_string():
    assert rlgrad.device("cuda:1") == "cuda:1"
    assert rlgrad.device("cpu") != "cuda"


def test_different_gpus_are_different_devices():
    assert rlgrad.device("cuda:0") != rlgrad.device("cuda:1")


def test_equal_devices_hash_alike():
    assert len({rlgrad.device("cuda"), rlgrad.device("cuda:0"), rlgrad.device("cpu")}) == 2


def test_device_str_and_repr():
    assert str(rlgrad.device("cuda:1")) == "cuda:1"
    assert str(rlgrad.device("array_api_strict")) == "array_api_strict"
    assert repr(rlgrad.device("cpu")) == "device(type='cpu')"
    assert repr(rlgrad.device("cuda")) == "device(type='cuda', index=0)"


def test_device_copies_another_device():
    assert rlgrad.device(rlgrad.device("cuda:2")) == "cuda:2"


def test_unknown_device_type_is_rejected_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown device 'tpu'.*cpu, cuda, array_api_strict"):
        rlgrad.device("tpu")


def test_malformed_index_is_rejected():
    with pytest.raises(ValueError, match="non-negative integer, got 'cuda:x'"):
        rlgrad.device("cuda:x")


def test_device_from_a_non_string_is_rejected():
    with pytest.raises(TypeError, match="got int"):
        rlgrad.device(0)


def test_tensor_reports_its_device(device):
    assert rlgrad.tensor([1.0], device=device).device == rlgrad.device(device)
    assert rlgrad.tensor([1.0], device=device).is_cuda == (device == "cuda")


def test_repr_names_a_non_cpu_device(device):
    text = repr(rlgrad.tensor([1.0], device=device))
    assert (f"device='{rlgrad.device(device)}'" in text) == (device != "cpu")
