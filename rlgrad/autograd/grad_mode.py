"""Whether operations record the graph: `no_grad`, `enable_grad`, `set_grad_enabled`.

The switch is one attribute read by every operation. It is process-wide, not per thread.
TODO: make the switch thread-local if rlgrad ever runs ops from several threads; a
threading.local lookup would cost every op on the fast path, and nothing here uses threads.
"""

import functools


class _GradMode:
    enabled = True


state = _GradMode()


def is_grad_enabled():
    """True when operations record the graph for backward."""
    return state.enabled


class _ModeContext:
    """Base of the switches: a context manager that is also a decorator."""

    mode = True

    def __enter__(self):
        self.previous = state.enabled
        state.enabled = self.mode
        return self

    def __exit__(self, *exc_info):
        state.enabled = self.previous
        return False

    def __call__(self, function):
        context = enable_grad if self.mode else no_grad

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with context():
                return function(*args, **kwargs)
        return wrapper


class no_grad(_ModeContext):
    """Record no graph inside this block: for inference and for in-place parameter updates."""

    mode = False


class enable_grad(_ModeContext):
    """Record the graph inside this block, even within `no_grad`."""

    mode = True


class set_grad_enabled(_ModeContext):
    """Turn graph recording on or off: as a plain call it takes effect at once (as PyTorch's
    does); as a context manager or decorator it restores the previous mode afterwards."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.previous = state.enabled
        state.enabled = self.mode

    def __enter__(self):
        return self

    def __call__(self, function):
        state.enabled = self.previous
        return super().__call__(function)
