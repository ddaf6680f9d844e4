"""Shared fixtures: `device` runs a test on every available device.

"cpu" always; "array_api_strict" (the stand-in for a GPU: refuses conversion to NumPy and
mixing with cpu arrays) when the array-api-strict package is installed; "cuda" when CuPy
finds a GPU.
"""

import importlib.util

import pytest


def available_devices():
    devices = [pytest.param("cpu", id="cpu")]
    strict_reason = None if importlib.util.find_spec("array_api_strict") else \
        "array-api-strict is not installed (pip install -e .[test])"
    devices.append(pytest.param("array_api_strict", id="array_api_strict",
                                marks=pytest.mark.skipif(strict_reason is not None,
                                                         reason=str(strict_reason))))
    cuda_reason = _cuda_unavailable_reason()
    devices.append(pytest.param("cuda", id="cuda",
                                marks=pytest.mark.skipif(cuda_reason is not None,
                                                         reason=str(cuda_reason))))
    return devices


def _cuda_unavailable_reason():
    if importlib.util.find_spec("cupy") is None:
        return "CuPy is not installed"
    from rlgrad._backend_cupy import is_available

    return None if is_available() else "CuPy found no GPU"


@pytest.fixture(params=available_devices())
def device(request):
    return request.param
