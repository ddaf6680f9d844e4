"""Shape operations: `reshape`, `permute`/`transpose`, `expand`, and `sum_to`, the one place
where a broadcast gradient is reduced back to its operand's shape."""

from rlgrad import _backend
from rlgrad.autograd import grad_mode
from rlgrad.autograd.function import Function
from rlgrad.tensor import mark_view, wrap


class Reshape(Function):
    def forward(self, x, shape):
        self.input_shape = x.shape
        return _backend.namespace(x).reshape(x, shape)

    def backward(self, grad):
        if not grad_mode.state.enabled:
            return wrap(_backend.namespace(grad.data).reshape(grad.data, self.input_shape))
        return grad.reshape(self.input_shape)


class Permute(Function):
    def forward(self, x, dims):
        self.dims = dims
        return _backend.namespace(x).permute_dims(x, dims)

    def backward(self, grad):
        inverse = [0] * len(self.dims)
        for position, dim in enumerate(self.dims):
            inverse[dim] = position
        if not grad_mode.state.enabled:
            return wrap(_backend.namespace(grad.data).permute_dims(grad.data, tuple(inverse)))
        return grad.permute(*inverse)


class Expand(Function):
    def forward(self, x, shape):
        self.input_shape = tuple(x.shape)
        return _backend.namespace(x).broadcast_to(x, shape)

    def backward(self, grad):
        return sum_to(grad, self.input_shape)


class SumTo(Function):
    """Sum a broadcast array down to `shape` (leading dims dropped, size-1 dims kept)."""

    def forward(self, x, shape):
        self.input_shape = x.shape
        xp = _backend.namespace(x)
        lead = x.ndim - len(shape)
        dims = tuple(range(lead)) + tuple(
            lead + index for index, extent in enumerate(shape)
            if extent == 1 and x.shape[lead + index] != 1)
        result = xp.sum(x, axis=dims, keepdims=True) if dims else x
        return xp.reshape(result, shape) if lead or result.shape != shape else result

    def backward(self, grad):
        return grad.expand(self.input_shape)


def sum_to(tensor, shape):
    """Reduce `tensor` (broadcast from `shape`) back to `shape`."""
    shape = tuple(shape)
    if tensor.shape == shape:
        return tensor
    return SumTo.apply(tensor, shape)


def _shape_args(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def reshape(input, *shape):
    shape = _shape_args(shape)
    if shape == input.shape:
        return input
    return mark_view(Reshape.apply(input, shape), input)


def permute(input, *dims):
    dims = tuple(d % max(input.ndim, 1) for d in _shape_args(dims))
    if sorted(dims) != list(range(input.ndim)):
        raise ValueError(f"permute needs a permutation of 0..{input.ndim - 1}, got {dims}")
    return mark_view(Permute.apply(input, dims), input)


def transpose(input, dim0, dim1):
    ndim = input.ndim
    if ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):
        return input
    dims = list(range(ndim))
    dim0, dim1 = dim0 % ndim, dim1 % ndim
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return mark_view(Permute.apply(input, tuple(dims)), input)


def t(input):
    """Transpose of a matrix (a 0-d or 1-d tensor is returned as it is), as PyTorch's .T."""
    if input.ndim < 2:
        return input
    return permute(input, *reversed(range(input.ndim)))


def expand(input, *shape):
    shape = _shape_args(shape)
    lead = len(shape) - input.ndim
    if lead < 0:
        raise ValueError(f"expand: target shape {shape} has fewer dimensions than {input.shape}")
    shape = tuple(input.shape[index - lead] if extent == -1 else extent
                  for index, extent in enumerate(shape))
    if shape == input.shape:
        return input
    return mark_view(Expand.apply(input, shape), input)


def broadcast_to(input, shape):
    return expand(input, *_shape_args((shape,)))


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dimensions start_dim..end_dim into one (a 0-d tensor becomes shape (1,))."""
    if input.ndim == 0:
        return reshape(input, (1,))
    start, end = start_dim % input.ndim, end_dim % input.ndim
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    shape = input.shape
    merged = 1
    for extent in shape[start:end + 1]:
        merged *= extent
    return reshape(input, shape[:start] + (merged,) + shape[end + 1:])


def squeeze(input, dim=None):
    """Drop dimensions of size 1 (all of them, or those in `dim`, an int or tuple); a named
    dimension whose size is not 1 is kept, as in PyTorch."""
    shape = input.shape
    if dim is None:
        dims = {index for index, extent in enumerate(shape) if extent == 1}
    else:
        dims = {item % builtin_max(input.ndim, 1) for item in
                ((dim,) if isinstance(dim, int) else dim)}
        dims = {index for index in dims if index < len(shape) and shape[index] == 1}
    return reshape(input, tuple(extent for index, extent in enumerate(shape)
                                if index not in dims))


def unsqueeze(input, dim):
    """Insert a dimension of size 1 at `dim` (negative counts from the end of the result)."""
    ndim = input.ndim + 1
    if not -ndim <= dim < ndim:
        raise IndexError(f"unsqueeze: dim {dim} out of range for a result with {ndim} dims")
    dim %= ndim
    shape = input.shape
    return reshape(input, shape[:dim] + (1,) + shape[dim:])


def builtin_max(a, b):
    return a if a > b else b
