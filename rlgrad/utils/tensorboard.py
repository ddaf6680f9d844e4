"""`SummaryWriter`: TensorBoard logging in the spirit of `torch.utils.tensorboard`.

Built on tensorboardX's event writer. Values may be rlgrad tensors (on any device), NumPy
arrays and scalars, or Python numbers. Every writer still open when the interpreter exits is
flushed and closed, so a script that ends (or fails) without calling `close()` loses no point.
"""

import atexit
import itertools
import logging
import os
import weakref

import numpy as np

logger = logging.getLogger(__name__)

_open_writers = weakref.WeakSet()
_writer_numbers = itertools.count()


def _to_numpy(value):
    """A host NumPy value for tensors, arrays and numbers (device tensors are copied)."""
    from rlgrad.tensor import Tensor

    if isinstance(value, Tensor):
        return value.detach()._host_array()
    return np.asarray(value)


def _to_scalar(value, tag):
    array = _to_numpy(value)
    if array.size != 1:
        raise ValueError(f"add_scalar('{tag}') needs one number, got an array of shape "
                         f"{array.shape}")
    return float(array.reshape(()))


class SummaryWriter:
    """Writes TensorBoard event files under `log_dir` (default `runs/<time>_<host>`).

    `flush_secs` bounds how long a point may wait in memory before it reaches the disk.
    Each writer's file name ends in the process id and a counter, so two writers opened in
    the same second (in one process or several) never write to the same file.
    """

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=10,
                 filename_suffix=""):
        from tensorboardX import SummaryWriter as EventWriter

        unique_suffix = f".{os.getpid()}.{next(_writer_numbers)}{filename_suffix}"
        self._writer = EventWriter(logdir=log_dir, comment=comment, purge_step=purge_step,
                                   max_queue=max_queue, flush_secs=flush_secs,
                                   filename_suffix=unique_suffix)
        self.log_dir = self._writer.logdir
        self._closed = False
        _open_writers.add(self)
        logger.debug("writing TensorBoard events to %s", self.log_dir)

    def get_logdir(self):
        return self.log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None):
        """Log one number under `tag` at `global_step`."""
        self._check_open()
        self._writer.add_scalar(tag, _to_scalar(scalar_value, tag), _step(global_step),
                                walltime=walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Log several numbers in one chart, as `main_tag/<key>`."""
        self._check_open()
        values = {key: _to_scalar(value, f"{main_tag}/{key}")
                  for key, value in tag_scalar_dict.items()}
        self._writer.add_scalars(main_tag, values, _step(global_step), walltime=walltime)

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None):
        self._check_open()
        self._writer.add_histogram(tag, _to_numpy(values).astype(np.float64).reshape(-1),
                                   _step(global_step), bins=bins, walltime=walltime)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        self._check_open()
        self._writer.add_text(tag, text_string, _step(global_step), walltime=walltime)

    def add_hparams(self, hparam_dict, metric_dict, name=None, global_step=None):
        self._check_open()
        metrics = {key: _to_scalar(value, key) for key, value in metric_dict.items()}
        self._writer.add_hparams(hparam_dict, metrics, name=name, global_step=global_step)

    def _check_open(self):
        if self._closed:
            raise RuntimeError(f"this SummaryWriter ({self.log_dir}) is closed; open a new one "
                               "to log more")

    def flush(self):
        if not self._closed:
            self._writer.flush()

    def close(self):
        if not self._closed:
            self._writer.close()
            self._closed = True
            _open_writers.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False


def _step(global_step):
    return None if global_step is None else int(_to_numpy(global_step).reshape(()))


@atexit.register
def _close_open_writers():
    for writer in list(_open_writers):
        try:
            writer.close()
        except Exception:  # one broken writer must not stop the others from flushing
            logger.exception("could not close a SummaryWriter at exit")
