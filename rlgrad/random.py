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
    """A source of random numbers for one device, as PyTorch's `torch.Generator`.

    On "cuda" the generator is CuPy's and its numbers are drawn on the GPU; "cpu" and the
    stand-in device draw with NumPy's, so one seed gives the same numbers on both.
    """

    def __init__(self, device="cpu"):
        self.device = _backend.as_device(device)
        self._backend = _backend.backend_for(self.device)
        self.manual_seed(np.random.SeedSequence().entropy % (2 ** 63))

    def manual_seed(self, seed):
        self.initial_seed_value = int(seed)
        self._rng = self._backend.make_rng(self.initial_seed_value, self.device)
        return self

    def initial_seed(self):
        return self.initial_seed_value

    def uniform(self, shape, low=0.0, high=1.0, dtype=DEFAULT_FLOAT):
        """An array of samples of U(low, high) of a floating dtype, on the generator's device."""
        array = self._floats("random", shape, dtype)
        if (low, high) == (0.0, 1.0):
            return array
        return array * (high - low) + low

    def normal(self, shape, mean=0.0, std=1.0, dtype=DEFAULT_FLOAT):
        """An array of samples of N(mean, std^2) of a floating dtype, on the generator's device."""
        array = self._floats("standard_normal", shape, dtype)
        if (mean, std) == (0.0, 1.0):
            return array
        return array * std + mean

    def _floats(self, method, shape, dtype):
        """Draw float32 or float64 directly; other float dtypes are cast from float32."""
        direct = dtype in (np.float32, np.float64)
        array = self._backend.draw(self._rng, method, self.device, size=shape,
                                   dtype=dtype if direct else np.float32)
        return array if direct else self._cast(array, dtype)

    def _cast(self, array, dtype):
        return self._backend.xp.astype(array, self._backend.native_dtype(dtype))

    def integers(self, shape, low, high, dtype=np.int64):
        """Integers in [low, high), drawn as int64 and cast to `dtype`."""
        array = self._backend.draw(self._rng, "integers", self.device, low, high, size=shape,
                                   dtype=np.int64)
        return array if dtype == np.int64 else self._cast(array, dtype)

    def __repr__(self):
        return f"Generator(device='{self.device}')"


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
    """The generator to draw from: `generator` if given (on the requested device), else the
    default generator of `device`."""
    target = _backend.as_device(device)
    if generator is None:
        return default_generator(target)
    if generator.device != target:
        raise RuntimeError(f"expected a generator on {target}, got one on {generator.device}; "
                           f"pass device='{generator.device}' or a Generator(device='{target}')")
    return generator


def _finish(array, requires_grad):
    result = wrap(array)
    return result.requires_grad_() if requires_grad else result


def _float_dtype(dtype):
    dtype = np.dtype(dtype or DEFAULT_FLOAT)
    if dtype.kind != "f":
        raise TypeError(f"rand and randn make floating-point tensors, got dtype {dtype}")
    return dtype


def rand(*shape, generator=None, dtype=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1)."""
    source = _generator(generator, device)
    return _finish(source.uniform(_size(shape), dtype=_float_dtype(dtype)), requires_grad)


def randn(*shape, generator=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples."""
    source = _generator(generator, device)
    return _finish(source.normal(_size(shape), dtype=_float_dtype(dtype)), requires_grad)


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
