"""Moving tensors between devices: `to`, `cpu`, `cuda`, `numpy`, `item`, and the errors a
user meets when mixing devices."""

import numpy as np
import pytest

import rlgrad


def test_to_and_back_keeps_values_and_dtype(device):
    x = rlgrad.tensor([[1.5, -2.0], [3.25, 0.0]], dtype=rlgrad.float64)
    there = x.to(device)
    back = there.cpu()
    assert there.device == rlgrad.device(device)
    assert there.dtype == back.dtype == rlgrad.float64
    np.testing.assert_array_equal(back.numpy(), [[1.5, -2.0], [3.25, 0.0]])


def test_to_the_same_device_returns_the_tensor_itself(device):
    x = rlgrad.tensor([1.0], device=device)
    assert x.to(device) is x


def test_to_with_copy_returns_a_new_tensor(device):
    x = rlgrad.tensor([1.0], device=device)
    copied = x.to(device, copy=True)
    assert copied is not x
    assert copied.tolist() == [1.0]


def test_to_dtype_keeps_the_device(device):
    x = rlgrad.tensor([1.7, -2.0], device=device).to(rlgrad.int64)
    assert (x.device, x.dtype) == (rlgrad.device(device), rlgrad.int64)
    assert x.tolist() == [1, -2]


def test_to_device_and_dtype_together(device):
    x = rlgrad.tensor([1, 2]).to(device, rlgrad.float64)
    assert (x.device, x.dtype) == (rlgrad.device(device), rlgrad.float64)


def test_to_another_tensor_takes_its_device_and_dtype(device):
    other = rlgrad.tensor([0.0], dtype=rlgrad.float64, device=device)
    x = rlgrad.tensor([3.0]).to(other)
    assert (x.device, x.dtype) == (other.device, rlgrad.float64)


def test_gradient_flows_back_to_the_source_device(device):
    x = rlgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x.to(device) * rlgrad.tensor([2.0, 3.0, 4.0], device=device)).sum().backward()
    assert x.grad.device == rlgrad.device("cpu")
    assert x.grad.tolist() == [2.0, 3.0, 4.0]


def test_gradient_of_a_device_leaf_stays_on_its_device(device):
    x = rlgrad.tensor([1.0, 2.0], device=device, requires_grad=True)
    (x.cpu() ** 2).sum().backward()
    assert x.grad.device == rlgrad.device(device)
    assert x.grad.tolist() == [2.0, 4.0]


def test_cast_after_move_sends_gradient_in_the_source_dtype(device):
    x = rlgrad.tensor([1.0, 2.0], requires_grad=True)
    x.to(device, rlgrad.float64).sum().backward()
    assert (x.grad.dtype, x.grad.tolist()) == (rlgrad.float32, [1.0, 1.0])


def test_numpy_of_a_device_tensor_says_to_call_cpu_first():
    x = rlgrad.tensor([1.0], device="array_api_strict")
    with pytest.raises(TypeError, match=r"tensor on array_api_strict to NumPy; call \.cpu\(\)"):
        x.numpy()


def test_numpy_asarray_of_a_device_tensor_refuses_too():
    with pytest.raises(TypeError, match=r"call \.cpu\(\) first"):
        np.asarray(rlgrad.tensor([1.0], device="array_api_strict"))


def test_cpu_copies_a_device_tensor_into_numpy():
    x = rlgrad.tensor([1.0, 2.0], device="array_api_strict")
    host = x.cpu().numpy()
    host[0] = 9.0
    assert x.tolist() == [1.0, 2.0]


def test_cpu_of_a_cpu_tensor_shares_memory_as_in_pytorch():
    x = rlgrad.tensor([1.0, 2.0])
    x.cpu().numpy()[0] = 9.0
    assert x.tolist() == [9.0, 2.0]


def test_item_copies_from_the_device(device):
    value = rlgrad.tensor([[2.5]], device=device).item()
    assert value == 2.5 and type(value) is float


def test_tensor_of_a_device_tensor_copies_onto_another_device(device):
    source = rlgrad.tensor([1.0, 2.0], device=device)
    assert rlgrad.tensor(source).device == rlgrad.device("cpu")
    assert rlgrad.tensor(source, device=device).tolist() == [1.0, 2.0]


def test_mixing_devices_names_both_devices():
    on_device = rlgrad.tensor([1.0], device="array_api_strict")
    with pytest.raises(RuntimeError, match="same device, got array_api_strict and cpu in Add"):
        on_device + rlgrad.tensor([1.0])


def test_mixing_devices_in_matmul_names_both_devices():
    on_device = rlgrad.ones(2, 2, device="array_api_strict")
    with pytest.raises(RuntimeError, match="got cpu and array_api_strict"):
        rlgrad.ones(2, 2) @ on_device


def test_cuda_without_a_gpu_says_why():
    if rlgrad.cuda.is_available():
        pytest.skip("a GPU is present, so cuda tensors can be made")
    with pytest.raises(RuntimeError, match="device 'cuda' is not available: CuPy"):
        rlgrad.tensor([1.0]).cuda()
