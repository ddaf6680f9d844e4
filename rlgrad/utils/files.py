"""Writing files atomically: readers see the old file or the new one, never a partial one."""

import contextlib
import json
import math
import os
import tempfile


@contextlib.contextmanager
def atomic_write(path, mode="wb"):
    """Open a temporary file beside `path` for writing; on success fsync it, rename it over
    `path` and fsync the folder so the rename survives a crash. On any error the temporary
    file is removed and `path` is left as it was."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"cannot write {path}: the folder {directory} does not exist")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.",
                                             suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory):
    """Make a rename durable; not every platform can open a folder (Windows cannot)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_json(path, payload):
    """Write `payload` as indented JSON to `path`, atomically. NaN and infinities, which
    JSON does not have, are written as null."""
    with atomic_write(path, "w") as handle:
        json.dump(_finite(payload), handle, indent=2, allow_nan=False)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def create_run_dir(parent, name):
    """Create and return a new folder `parent/name`; if that exists (another run started in
    the same second), `name-1`, `name-2`, ... so that no run overwrites another's files."""
    os.makedirs(parent, exist_ok=True)
    suffix = 0
    while True:
        path = os.path.join(parent, name if suffix == 0 else f"{name}-{suffix}")
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            suffix += 1
