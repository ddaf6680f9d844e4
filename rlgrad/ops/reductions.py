"""Reductions over dimensions: `sum`, `mean`, `var`/`std`, `amax`/`amin`, `max`/`min`, `prod`,
`norm`, `logsumexp`, and the non-differentiable `argmax`/`argmin`, `any`/`all`.

Names follow PyTorch, so several shadow Python builtins here; the builtins are reached as
`builtins.max` and so on.

`dim` (alias `axis`) may be an int, a tuple or None for all dimensions, negative allowed;
`keepdim` (alias `keepdims`) keeps reduced dimensions with size 1.
"""

import builtins

import numpy as np

from rlgrad import _backend
from rlgrad.autograd import grad_mode
from rlgrad.autograd.function import Function
from rlgrad.tensor import wrap


def normalize_dims(dim, ndim):
    """`dim` as a sorted tuple of non-negative dimensions (None means all)."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    normalized = []
    for item in dims:
        if not -builtins.max(ndim, 1) <= item < builtins.max(ndim, 1):
            raise IndexError(f"dimension {item} is out of range for a tensor with {ndim} "
                             f"dimensions")
        normalized.append(item % ndim if ndim else 0)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"dimension repeated in {dim}")
    return tuple(sorted(normalized)) if ndim else ()


def resolve_dim_args(dim, axis, keepdim, keepdims):
    """Merge PyTorch's (`dim`, `keepdim`) with NumPy's aliases (`axis`, `keepdims`)."""
    if axis is not None:
        if dim is not None:
            raise TypeError("pass either dim or axis, not both")
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    return dim, bool(keepdim)


def kept_shape(shape, dims):
    """`shape` with each reduced dimension set to 1."""
    return tuple(1 if index in dims else extent for index, extent in enumerate(shape))


def expand_reduced(grad, input_shape, dims, keepdim):
    """Broadcast the gradient of a reduction back over the reduced dimensions."""
    if not keepdim:
        grad = grad.reshape(kept_shape(input_shape, dims))
    return grad.expand(input_shape)


def expand_reduced_array(grad, input_shape, dims, keepdim):
    """`expand_reduced` on arrays: the fast path of a backward that is not recorded.

    On NumPy the result is a new array rather than a broadcast view: np.broadcast_to costs
    several microseconds, and an array of its own can be updated in place downstream."""
    if type(grad) is np.ndarray:
        if not keepdim and grad.ndim:
            grad = grad.reshape(kept_shape(input_shape, dims))
        expanded = np.empty(input_shape, dtype=grad.dtype)
        np.copyto(expanded, grad)
        return expanded
    xp = _backend.namespace(grad)
    if not keepdim:
        grad = xp.reshape(grad, kept_shape(input_shape, dims))
    return xp.broadcast_to(grad, input_shape)


class Sum(Function):
    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim, self.input_shape = dims, keepdim, x.shape
        return _backend.namespace(x).sum(x, axis=dims, keepdims=keepdim)

    def backward(self, grad):
        shape = self.input_shape
        if not grad_mode.state.enabled:
            return wrap(expand_reduced_array(grad.data, shape, self.dims, self.keepdim))
        return expand_reduced(grad, shape, self.dims, self.keepdim)


class Mean(Function):
    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim, self.input_shape = dims, keepdim, x.shape
        return _backend.namespace(x).mean(x, axis=dims, keepdims=keepdim)

    def backward(self, grad):
        shape = self.input_shape
        count = 1
        for index in self.dims:
            count *= shape[index]
        # An empty input has an empty gradient, so the count is only guarded against zero.
        count = builtins.max(count, 1)
        if not grad_mode.state.enabled:
            return wrap(expand_reduced_array(_as_array(grad.data / count), shape, self.dims,
                                             self.keepdim))
        return expand_reduced(grad / count, shape, self.dims, self.keepdim)


def _as_array(value):
    """NumPy arithmetic on 0-d arrays gives scalars; turn one back into an array."""
    if isinstance(value, np.generic):
        return np.asarray(value)
    return value


def sum(input, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None):
    dim, keepdim = resolve_dim_args(dim, axis, keepdim, keepdims)
    if dtype is not None:
        input = input.to(dtype)
    return Sum.apply(input, normalize_dims(dim, input.ndim), keepdim)


def mean(input, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None):
    dim, keepdim = resolve_dim_args(dim, axis, keepdim, keepdims)
    if dtype is not None:
        input = input.to(dtype)
    if input.dtype.kind not in "fc":
        raise RuntimeError(f"mean() needs a floating-point tensor, got dtype {input.dtype}; "
                           "convert it with .float() first")
    return Mean.apply(input, normalize_dims(dim, input.ndim), keepdim)


class Extreme(Function):
    """amax/amin over `dims`. The gradient is split evenly among tied extreme elements."""

    saves_inputs = True
    saves_output = True

    def forward(self, x, dims, keepdim, largest):
        self.dims, self.keepdim = dims, keepdim
        xp = _backend.namespace(x)
        if x.size == 0 and dims:
            raise RuntimeError(f"{'amax' if largest else 'amin'}: cannot reduce an empty "
                               f"tensor of shape {tuple(x.shape)} over dims {dims}")
        reduce = xp.max if largest else xp.min
        self.out = reduce(x, axis=dims, keepdims=keepdim)
        return self.out

    def backward(self, grad):
        from rlgrad.ops.unary import mask_like

        x = self.inputs[0].data
        xp = _backend.namespace(x)
        extreme = self.out if self.keepdim else xp.reshape(self.out, kept_shape(x.shape,
                                                                                self.dims))
        hits = mask_like(grad, x == extreme)
        counts = hits.data if not self.dims else xp.sum(hits.data, axis=self.dims, keepdims=True)
        share = wrap(hits.data / counts)
        return expand_reduced(grad, x.shape, self.dims, self.keepdim) * share


class Prod(Function):
    """Product over `dims`; the gradient is the product of the other elements, exact when
    some elements are zero."""

    saves_inputs = True
    saves_output = True

    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim = dims, keepdim
        self.out = _backend.namespace(x).prod(x, axis=dims, keepdims=keepdim)
        return self.out

    def backward(self, grad):
        x = self.inputs[0]
        xp = _backend.namespace(x.data)
        grad = expand_reduced(grad, x.shape, self.dims, self.keepdim)
        if not bool(xp.any(x.data == 0)):
            out = expand_reduced(self.saved_output(), x.shape, self.dims, self.keepdim)
            return grad * out / x
        return grad * _products_of_others(x, self.dims)


def _products_of_others(x, dims):
    """For each element, the product of the other elements of its reduced slice, computed
    without division: the slice is repeated along a new axis with the element set to 1.
    TODO: O(n^2) in the slice length; only taken when the input holds zeros."""
    from rlgrad.factories import eye
    from rlgrad.ops.elementwise import where

    kept = [axis for axis in range(x.ndim) if axis not in dims]
    order = kept + list(dims)
    moved = x.permute(*order) if x.ndim else x
    outer = moved.shape[:len(kept)]
    length = 1
    for axis in dims:
        length *= x.shape[axis]
    rows = moved.reshape(outer + (1, length)).expand(outer + (length, length))
    diagonal = eye(length, dtype=x.dtype, device=x.device) > 0
    others = where(diagonal, 1.0, rows).prod(-1)
    inverse = [0] * len(order)
    for position, axis in enumerate(order):
        inverse[axis] = position
    others = others.reshape(moved.shape)
    return others.permute(*inverse) if x.ndim else others


class Norm2(Function):
    """Euclidean norm over `dims`; its gradient x / norm is 0 (not nan) at the zero vector."""

    saves_inputs = True
    saves_output = True

    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim = dims, keepdim
        xp = _backend.namespace(x)
        self.out = xp.sqrt(xp.sum(x * x, axis=dims, keepdims=keepdim))
        return self.out

    def backward(self, grad):
        from rlgrad.ops.elementwise import where

        x = self.inputs[0]
        norm = expand_reduced(self.saved_output(), x.shape, self.dims, self.keepdim)
        safe_norm = where(norm == 0, 1.0, norm)
        return expand_reduced(grad, x.shape, self.dims, self.keepdim) * x / safe_norm


def _reduction_args(input, dim, axis, keepdim, keepdims):
    dim, keepdim = resolve_dim_args(dim, axis, keepdim, keepdims)
    return normalize_dims(dim, input.ndim), keepdim


def amax(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    dims, keepdim = _reduction_args(input, dim, axis, keepdim, keepdims)
    return Extreme.apply(input, dims, keepdim, True)


def amin(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    dims, keepdim = _reduction_args(input, dim, axis, keepdim, keepdims)
    return Extreme.apply(input, dims, keepdim, False)


class ValuesIndices(tuple):
    """(values, indices), as returned by `max(dim)`/`min(dim)`; unpacks like a tuple."""

    __slots__ = ()

    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]


def max(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """With no dim: the largest element (ties share the gradient). With `dim` (an int):
    (values, indices), the gradient going to the element at `indices`, as in PyTorch.
    With a tensor as second argument: the elementwise maximum."""
    return _extreme_with_indices(input, dim, keepdim, axis, keepdims, True)


def min(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """Mirror of `max`: smallest element, (values, indices) along `dim`, or elementwise."""
    return _extreme_with_indices(input, dim, keepdim, axis, keepdims, False)


def _extreme_with_indices(input, dim, keepdim, axis, keepdims, largest):
    from rlgrad.tensor import Tensor

    if isinstance(dim, Tensor):
        from rlgrad.ops import elementwise

        return (elementwise.maximum if largest else elementwise.minimum)(input, dim)
    dim, keepdim = resolve_dim_args(dim, axis, keepdim, keepdims)
    if dim is None:
        return Extreme.apply(input, normalize_dims(None, input.ndim), False, largest)
    (dim,) = normalize_dims(dim, input.ndim)
    indices = (argmax if largest else argmin)(input, dim, keepdim=True)
    values = input.take_along_dim(indices, dim)
    if not keepdim:
        values, indices = values.squeeze(dim), indices.squeeze(dim)
    return ValuesIndices(values, indices)


def argmax(input, dim=None, keepdim=False):
    """Index of the largest element (of the flattened tensor when dim is None); no gradient."""
    return _arg_extreme(input, dim, keepdim, True)


def argmin(input, dim=None, keepdim=False):
    return _arg_extreme(input, dim, keepdim, False)


def _arg_extreme(input, dim, keepdim, largest):
    x = input.data
    xp = _backend.namespace(x)
    find = xp.argmax if largest else xp.argmin
    if dim is None:
        flat = find(xp.reshape(x, (-1,)))
        result = xp.reshape(flat, (1,) * x.ndim) if keepdim else flat
    else:
        (dim,) = normalize_dims(dim, input.ndim)
        result = find(x, axis=dim, keepdims=keepdim)
    return wrap(xp.astype(result, _index_dtype(x)))


def _index_dtype(array):
    from rlgrad.ops._operands import native_dtype
    import numpy as np

    return native_dtype(array, np.dtype(np.int64))


def prod(input, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None):
    if dtype is not None:
        input = input.to(dtype)
    dims, keepdim = _reduction_args(input, dim, axis, keepdim, keepdims)
    return Prod.apply(input, dims, keepdim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None):
    """Variance over `dim` with Bessel's `correction` (default 1; `unbiased=False` means 0)."""
    if correction is None:
        correction = 0 if unbiased is False else 1
    dims, keepdim = _reduction_args(input, dim, axis, keepdim, keepdims)
    count = 1
    for index in dims:
        count *= input.shape[index]
    centered = input - input.mean(dims, keepdim=True)
    squares = (centered * centered).sum(dims, keepdim=keepdim)
    # Like PyTorch, too few elements for the correction give inf or nan, not an error.
    divisor = count - correction
    return squares / divisor if divisor > 0 else squares * float("nan" if count == 0 or
                                                                  divisor < 0 else "inf")


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None):
    return var(input, dim, unbiased, keepdim, correction=correction, axis=axis,
               keepdims=keepdims).sqrt()


def norm(input, p=2, dim=None, keepdim=False):
    """The p-norm over `dim` (all elements when None): p = 2 (or "fro"), 1, inf, -inf or any
    positive number. The 2-norm's gradient at the zero vector is 0."""
    import math

    dims = normalize_dims(dim, input.ndim)
    if p in (2, "fro"):
        return Norm2.apply(input, dims, keepdim)
    magnitude = input.abs()
    if p == 1:
        return magnitude.sum(dims, keepdim=keepdim)
    if p == math.inf:
        return amax(magnitude, dims, keepdim)
    if p == -math.inf:
        return amin(magnitude, dims, keepdim)
    if isinstance(p, (int, float)) and p > 0:
        return (magnitude ** p).sum(dims, keepdim=keepdim) ** (1.0 / p)
    raise ValueError(f"norm: p must be a positive number, inf, -inf or 'fro', got {p!r}")


def any(input, dim=None, keepdim=False):
    """Whether any element (along `dim`) is nonzero, as a boolean tensor; no gradient."""
    return _logical_reduction(input, dim, keepdim, "any")


def all(input, dim=None, keepdim=False):
    return _logical_reduction(input, dim, keepdim, "all")


def _logical_reduction(input, dim, keepdim, name):
    x = input.data
    xp = _backend.namespace(x)
    if not xp.isdtype(x.dtype, "bool"):
        x = x != 0
    return wrap(getattr(xp, name)(x, axis=normalize_dims(dim, input.ndim), keepdims=keepdim))


def logsumexp(input, dim=None, keepdim=False):
    from rlgrad.functional import logsumexp as stable_logsumexp

    return stable_logsumexp(input, dim, keepdim)
