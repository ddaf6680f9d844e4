"""The error function on arrays of any backend, accurate to about 1e-15 in float64.

Neither NumPy nor the array API standard has `erf`, so it is computed from two expansions
that need only arithmetic and `exp`, each used where it converges fast:

- |x| < 2.5: erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)), a series of
  positive terms (no cancellation), whose term ratio 2x^2/(2n+3) makes 36 terms enough;
- |x| >= 2.5: erfc(x) = exp(-x^2) / (sqrt(pi) F(x)) with the continued fraction
  F(x) = x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), evaluated bottom-up at a fixed depth of 25.

Both constants were chosen by measuring the largest error against `math.erf` on a fine grid
over [-8, 8] (1.3e-15).
"""

import math

import numpy as np

from rlgrad import _backend

_SPLIT = 2.5
_SERIES_TERMS = 36
_FRACTION_DEPTH = 25
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_PI = math.sqrt(math.pi)


def erf_array(x):
    """erf of a floating-point array, elementwise, in the array's dtype."""
    if isinstance(x, np.generic):  # NumPy arithmetic on 0-d arrays gives scalars
        x = np.asarray(x)
    xp = _backend.namespace(x)
    magnitude = xp.abs(x)

    near = xp.minimum(magnitude, _SPLIT)
    square = near * near
    term = near
    total = near
    for n in range(1, _SERIES_TERMS):
        term = term * (square * (2.0 / (2 * n + 1)))
        total = total + term
    series = _TWO_OVER_SQRT_PI * xp.exp(-square) * total

    far = xp.maximum(magnitude, _SPLIT)
    fraction = far
    for k in range(_FRACTION_DEPTH, 0, -1):
        fraction = far + (k / 2) / fraction
    tail = 1.0 - xp.exp(-far * far) / (_SQRT_PI * fraction)

    return xp.sign(x) * xp.where(magnitude < _SPLIT, series, tail)
