"""Machines without a GPU: importing rlgrad never imports CuPy, and a CuPy installed without a
GPU or driver (simulated by a fake `cupy` package whose device query raises as CuPy's does)
makes "cuda" unavailable with a reason instead of an error. Each check runs in a fresh
interpreter so that this process's imports cannot hide an import of CuPy."""

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FAKE_RUNTIME = '''
class CUDARuntimeError(RuntimeError):
    """Stands in for CuPy's error when the driver finds no device."""


def getDeviceCount():
    raise CUDARuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")
'''


@pytest.fixture
def fake_cupy(tmp_path):
    """A folder holding a `cupy` package that is installed but finds no GPU."""
    package = tmp_path / "cupy"
    (package / "cuda").mkdir(parents=True)
    (package / "__init__.py").write_text("from cupy import cuda\n")
    (package / "cuda" / "__init__.py").write_text("from cupy.cuda import runtime\n")
    (package / "cuda" / "runtime.py").write_text(FAKE_RUNTIME)
    return str(tmp_path)


def run_python(args, extra_path=None):
    paths = ([extra_path] if extra_path else []) + [ROOT]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def run_code(code, extra_path=None):
    result = run_python(["-c", textwrap.dedent(code)], extra_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_import_rlgrad_does_not_import_cupy():
    assert run_code("""
        import sys
        import rlgrad
        rlgrad.tensor([1.0]).tanh().sum()
        print('cupy' in sys.modules)
    """).strip() == "False"


def test_import_rlgrad_does_not_import_an_installed_cupy(fake_cupy):
    assert run_code("""
        import importlib.util, sys
        import rlgrad
        print(importlib.util.find_spec('cupy') is not None, 'cupy' in sys.modules)
    """, fake_cupy).split() == ["True", "False"]


def test_cupy_without_a_gpu_is_not_available(fake_cupy):
    output = run_code("""
        import rlgrad
        print(rlgrad.cuda.is_available(), rlgrad.cuda.device_count())
        print(rlgrad.cuda.unavailable_reason())
    """, fake_cupy).splitlines()
    assert output[0] == "False 0"
    assert output[1].startswith("CuPy found no usable GPU (CUDARuntimeError: cudaErrorNoDevice")


def test_cuda_tensor_without_a_gpu_raises_with_the_reason(fake_cupy):
    output = run_code("""
        import rlgrad
        try:
            rlgrad.zeros(2, device='cuda')
        except RuntimeError as error:
            print(error)
    """, fake_cupy)
    assert "device 'cuda' is not available: CuPy found no usable GPU" in output


def test_cuda_tests_skip_with_a_reason_when_cupy_finds_no_gpu(fake_cupy):
    result = run_python(["-m", "pytest", "-p", "no:cacheprovider", "-rs",
                         "tests/device/test_device_spec.py", "-k", "reports_its_device"],
                        fake_cupy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed, 1 skipped" in result.stdout
    assert "CuPy found no GPU" in result.stdout


def test_gpu_check_without_cupy_exits_with_the_reason():
    result = run_python(["scripts/gpu_check.py"])
    assert result.returncode == 2
    assert "no usable GPU here: CuPy is not installed" in result.stderr


def test_gpu_check_with_cupy_but_no_gpu_exits_with_the_reason(fake_cupy):
    result = run_python(["scripts/gpu_check.py"], fake_cupy)
    assert result.returncode == 2
    assert "no usable GPU here: CuPy found no usable GPU (CUDARuntimeError" in result.stderr
