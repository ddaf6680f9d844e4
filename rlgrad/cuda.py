"""`rlgrad.cuda`: whether a GPU can be used, as PyTorch's `torch.cuda`.

Importing rlgrad never imports CuPy; these functions do, on first call, and a CuPy installed
on a machine without a GPU or driver answers "not available" rather than raising.
"""

import importlib.util


def unavailable_reason():
    """Why "cuda" tensors cannot be made here (a sentence), or None when a GPU is usable."""
    if importlib.util.find_spec("cupy") is None:
        return "CuPy is not installed (pip install -e .[gpu])"
    try:
        import cupy

        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # CuPy without a driver raises several kinds of errors
        return f"CuPy found no usable GPU ({type(error).__name__}: {error})"
    if count < 1:
        return "CuPy found no GPU"
    return None


def is_available():
    """Whether CuPy is installed and sees at least one GPU."""
    return unavailable_reason() is None


def device_count():
    """How many GPUs CuPy sees; 0 without CuPy, a driver or a GPU."""
    if unavailable_reason() is not None:
        return 0
    import cupy

    return cupy.cuda.runtime.getDeviceCount()


def synchronize(device=None):
    """Wait until all work queued on a GPU (the current one by default) has finished."""
    from rlgrad import _backend

    target = None if device is None else _backend.as_device(device)
    _backend.backend_for("cuda").synchronize(target)
