"""Fused elementwise kernels: every backend's version against the plain formula, and the CuPy
kernels against their NumPy twins when a GPU is present."""

import math

import numpy as np
import pytest

import rlgrad
from rlgrad import _backend

RNG = np.random.default_rng(0)
GRAD = RNG.standard_normal((3, 5))
OUT_TANH = np.tanh(RNG.standard_normal((3, 5)))
OUT_SIGMOID = 1 / (1 + np.exp(-RNG.standard_normal((3, 5))))
X_RELU = np.array([[-1.0, 0.0, 2.0, -0.5, 3.0]] * 3)

UNARY_CASES = {
    "tanh_backward": (OUT_TANH, lambda grad, out: grad * (1 - out ** 2)),
    "sigmoid_backward": (OUT_SIGMOID, lambda grad, out: grad * out * (1 - out)),
    "relu_backward": (X_RELU, lambda grad, x: np.where(x > 0, grad, 0.0)),
}


def _on(device, array):
    return rlgrad.tensor(array, device=device).data


def _host(array):
    return _backend.backend_of(array).to_host(array)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(UNARY_CASES))
def test_backward_kernel_matches_its_formula(name, dtype, device):
    second, formula = UNARY_CASES[name]
    grad, second = GRAD.astype(dtype), second.astype(dtype)
    backend = _backend.backend_for(device)
    result = getattr(backend, name)(_on(device, grad), _on(device, second))
    assert _host(result).dtype == dtype
    np.testing.assert_allclose(_host(result), formula(grad, second), rtol=1e-6, atol=1e-7)


def test_relu_backward_passes_zero_at_the_kink(device):
    backend = _backend.backend_for(device)
    result = backend.relu_backward(_on(device, np.array([5.0])), _on(device, np.array([0.0])))
    assert _host(result).tolist() == [0.0]


def _adam_reference(param, grads, lr, beta1, beta2, eps):
    """Adam written out step by step, PyTorch's arithmetic, in float64."""
    exp_avg, exp_avg_sq = np.zeros_like(param), np.zeros_like(param)
    for step, grad in enumerate(grads, start=1):
        exp_avg = beta1 * exp_avg + (1 - beta1) * grad
        exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * grad ** 2
        corrected_avg = exp_avg / (1 - beta1 ** step)
        corrected_sq = exp_avg_sq / (1 - beta2 ** step)
        param = param - lr * corrected_avg / (np.sqrt(corrected_sq) + eps)
    return param, exp_avg, exp_avg_sq


def test_adam_kernel_matches_the_written_out_update(device):
    lr, beta1, beta2, eps = 0.01, 0.9, 0.99, 1e-8
    start = RNG.standard_normal(6)
    grads = [RNG.standard_normal(6) for _ in range(3)]
    backend = _backend.backend_for(device)
    param, exp_avg, exp_avg_sq = (_on(device, start), _on(device, np.zeros(6)),
                                  _on(device, np.zeros(6)))
    for step, grad in enumerate(grads, start=1):
        backend.adam_update(param, _on(device, grad), exp_avg, exp_avg_sq, beta1, beta2,
                            lr / (1 - beta1 ** step), eps, math.sqrt(1 - beta2 ** step))
    expected = _adam_reference(start, grads, lr, beta1, beta2, eps)
    for got, want in zip((param, exp_avg, exp_avg_sq), expected):
        np.testing.assert_allclose(_host(got), want, rtol=1e-12, atol=1e-15)


def test_tanh_backward_uses_the_kernel_of_its_device(monkeypatch):
    backend = _backend.backend_for("array_api_strict")
    calls = []
    original = backend.tanh_backward

    def spy(grad, out):
        calls.append(type(grad))
        return original(grad, out)

    monkeypatch.setattr(backend, "tanh_backward", spy)
    x = rlgrad.tensor([0.5, -1.0], device="array_api_strict", requires_grad=True)
    x.tanh().sum().backward()
    assert calls == [backend.array_type]
    np.testing.assert_allclose(x.grad.cpu().numpy(), 1 - np.tanh([0.5, -1.0]) ** 2, rtol=1e-6)


def _cuda_reason():
    return rlgrad.cuda.unavailable_reason() or ""


@pytest.mark.skipif(not rlgrad.cuda.is_available(), reason=f"needs a GPU: {_cuda_reason()}")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(UNARY_CASES) + ["adam_update"])
def test_cuda_kernel_matches_numpy_twin(name, dtype):
    cupy_backend = _backend.backend_for("cuda")
    numpy_backend = _backend.backend_for("cpu")
    if name == "adam_update":
        arrays = [RNG.standard_normal(1000).astype(dtype) for _ in range(2)]
        arrays += [np.abs(RNG.standard_normal(1000)).astype(dtype) * 0.1 for _ in range(2)]
        on_gpu = [cupy_backend.from_host(array.copy()) for array in arrays]
        param, grad, exp_avg, exp_avg_sq = arrays
        hyper = (0.9, 0.999, 0.003, 1e-8, 0.05)
        numpy_backend.adam_update(param, grad, exp_avg, exp_avg_sq, *hyper)
        cupy_backend.adam_update(on_gpu[0], on_gpu[1], on_gpu[2], on_gpu[3], *hyper)
        pairs = zip((param, exp_avg, exp_avg_sq), (on_gpu[0], on_gpu[2], on_gpu[3]))
    else:
        second, _ = UNARY_CASES[name]
        grad, second = GRAD.astype(dtype), second.astype(dtype)
        expected = getattr(numpy_backend, name)(grad, second)
        got = getattr(cupy_backend, name)(cupy_backend.from_host(grad),
                                          cupy_backend.from_host(second))
        pairs = [(expected, got)]
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    for expected, got in pairs:
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(cupy_backend.to_host(got), expected, rtol=tolerance,
                                   atol=tolerance)
