"""Random numbers: `manual_seed`, `Generator`, and the sampling factories `rand`, `randn`,
`randint`, `rand_like`, `randn_like`, `randint_like`.

Each device type draws from its own generator (on "cuda" the numbers are drawn on the GPU);
`manual_seed(s)` reseeds all of them, so a run is reproducible from one seed.
"""

import numpy as np

from rlgrad import _backend
from rlgrad.factories import DEFAULT_FLOAT, _size
from rlgrad.tensor import wrap


class Generator:
    """A source of random numbers for one device, as PyTorch's `torch.Generator`."""

    def __init__(self, device="cpu"):
        self.device = _backend.as_device(device)
        self.initial_seed_value = int(np.random.SeedSequence().entropy % (2 ** 63))
        self._rng = _backend.backend_for(self.device).make_rng(self.initial_seed_value)

    def manual_seed(self, seed):
        self.initial_seed_value = int(seed)
        self._rng = _backend.backend_for(self.device).make_rng(int(seed))
        return self

    def initial_seed(self):
        return self.initial_seed_value

    def _draw(self, method, shape, dtype, **kwargs):
        """Draw on the generator's backend and move the result to its device."""
        backend = _backend.backend_for(self.device)
        array = getattr(self._rng, method)(size=shape, **kwargs)
        if dtype is not None:
            array = array.astype(dtype, copy=False)
        return backend.rng_to_device(array, self.device)

    def uniform(self, shape, low=0.0, high=1.0, dtype=DEFAULT_FLOAT):
        return self._draw("uniform", shape, dtype, low=low, high=high)

    def normal(self, shape, mean=0.0, std=1.0, dtype=DEFAULT_FLOAT):
        return self._draw("normal", shape, dtype, loc=mean, scale=std)

    def integers(self, shape, low, high, dtype=np.int64):
        return self._draw("integers", shape, dtype, low=low, high=high)


_default_generators = {}
_global_seed = None


def default_generator(device="cpu"):
    """The global generator of a device, created on first use from the last manual seed."""
    device = _backend.as_device(device)
    key = str(device)
    if key not in _default_generators:
        generator = Generator(device)
        if _global_seed is not None:
            generator.manual_seed(_global_seed)
        _default_generators[key] = generator
    return _default_generators[key]


def manual_seed(seed):
    """Seed the generators of every device; returns the cpu generator."""
    global _global_seed
    _global_seed = int(seed)
    for generator in _default_generators.values():
        generator.manual_seed(seed)
    return default_generator("cpu")


def _generator(generator, device):
    return generator if generator is not None else default_generator(device)


def _finish(array, requires_grad):
    result = wrap(array)
    return result.requires_grad_() if requires_grad else result


def rand(*shape, generator=None, dtype=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1)."""
    source = _generator(generator, device)
    return _finish(source.uniform(_size(shape), dtype=np.dtype(dtype or DEFAULT_FLOAT)),
                   requires_grad)


def randn(*shape, generator=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples."""
    source = _generator(generator, device)
    return _finish(source.normal(_size(shape), dtype=np.dtype(dtype or DEFAULT_FLOAT)),
                   requires_grad)


def randint(low, high=None, size=(), generator=None, dtype=None, device=None):
    """Integers in [low, high); with one bound, in [0, low)."""
    if high is None:
        low, high = 0, low
    source = _generator(generator, device)
    return wrap(source.integers(tuple(size), low, high, dtype=np.dtype(dtype or np.int64)))


def rand_like(input, generator=None, dtype=None, device=None):
    return rand(input.shape, generator=generator, dtype=dtype or input.dtype,
                device=device or input.device)


def randn_like(input, generator=None, dtype=None, device=None):
    return randn(input.shape, generator=generator, dtype=dtype or input.dtype,
                 device=device or input.device)


def randint_like(input, low, high=None, generator=None, dtype=None, device=None):
    return randint(low, high, input.shape, generator=generator, dtype=dtype or input.dtype,
                   device=device or input.device)
