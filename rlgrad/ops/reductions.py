"""Reductions over dimensions: `sum`, `mean`.

`dim` (alias `axis`) may be an int, a tuple or None for all dimensions, negative allowed;
`keepdim` (alias `keepdims`) keeps reduced dimensions with size 1.
"""

from rlgrad import _backend
from rlgrad.autograd.function import Function


def normalize_dims(dim, ndim):
    """`dim` as a sorted tuple of non-negative dimensions (None means all)."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    normalized = []
    for item in dims:
        if not -max(ndim, 1) <= item < max(ndim, 1):
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


class Sum(Function):
    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim = dims, keepdim
        return _backend.namespace(x).sum(x, axis=dims, keepdims=keepdim)

    def backward(self, grad):
        return expand_reduced(grad, self.inputs[0].shape, self.dims, self.keepdim)


class Mean(Function):
    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim = dims, keepdim
        return _backend.namespace(x).mean(x, axis=dims, keepdims=keepdim)

    def backward(self, grad):
        shape = self.inputs[0].shape
        count = 1
        for index in self.dims:
            count *= shape[index]
        # An empty input has an empty gradient, so the count is only guarded against zero.
        return expand_reduced(grad / max(count, 1), shape, self.dims, self.keepdim)


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
