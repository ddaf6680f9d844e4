"""Joining and splitting tensors: `cat`, `stack`, `split`, `chunk`, and constant `pad`.

The pieces of a split are slices (recorded by indexing), so their gradients scatter back
without a dedicated op; `cat` and `pad` send slices of their gradient back to each input.
"""

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.ops._operands import promote


class Cat(Function):
    """Concatenation along `dim` of the leading tensor arguments."""

    n_tensors = None

    def forward(self, *arrays_and_dim):
        *arrays, dim = arrays_and_dim
        self.dim = dim
        self.extents = [array.shape[dim] for array in arrays]
        return _backend.namespace(arrays[0]).concat(arrays, axis=dim)

    def backward(self, grad):
        grads = []
        start = 0
        lead = (slice(None),) * self.dim
        for index, extent in enumerate(self.extents):
            stop = start + extent
            grads.append(grad[lead + (slice(start, stop), Ellipsis)]
                         if self.needs_grad(index) else None)
            start = stop
        return tuple(grads)


def cat(tensors, dim=0):
    """Join tensors of equal shape except along `dim`, promoted to one dtype."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("cat needs at least one tensor")
    tensors = _promoted(tensors)
    ndim = tensors[0].ndim
    if ndim == 0:
        raise ValueError("cat cannot join 0-d tensors; use stack")
    dim %= ndim
    first = tensors[0].shape
    for position, tensor in enumerate(tensors):
        shape = tensor.shape
        if len(shape) != ndim or shape[:dim] + shape[dim + 1:] != first[:dim] + first[dim + 1:]:
            raise ValueError(f"cat: tensor {position} has shape {shape}, expected {first} "
                             f"except along dim {dim}")
    return Cat.apply(*tensors, dim)


def _promoted(tensors):
    reference = tensors[0]
    for tensor in tensors[1:]:
        reference, _ = promote(reference, tensor)
    dtype = reference.dtype
    return [tensor if tensor.dtype == dtype else tensor.to(dtype) for tensor in tensors]


def stack(tensors, dim=0):
    """Join tensors of one shape along a new dimension `dim`."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack needs at least one tensor")
    shape = tensors[0].shape
    for position, tensor in enumerate(tensors):
        if tensor.shape != shape:
            raise ValueError(f"stack: tensor {position} has shape {tensor.shape}, expected "
                             f"{shape}")
    return cat([tensor.unsqueeze(dim) for tensor in tensors], dim)


def split(tensor, split_size_or_sections, dim=0):
    """Pieces along `dim`: of `split_size` each (the last may be smaller), or of the given
    list of sizes, which must add up to the extent of `dim`."""
    dim %= tensor.ndim
    extent = tensor.shape[dim]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0:
            raise ValueError(f"split: split_size must be positive, got {size}")
        sizes = [size] * (extent // size) + ([extent % size] if extent % size else [])
        sizes = sizes or [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != extent:
            raise ValueError(f"split: sizes {sizes} add up to {sum(sizes)}, but dim {dim} has "
                             f"extent {extent}")
    lead = (slice(None),) * dim
    pieces = []
    start = 0
    for size in sizes:
        pieces.append(tensor[lead + (slice(start, start + size), Ellipsis)])
        start += size
    return tuple(pieces)


def chunk(tensor, chunks, dim=0):
    """At most `chunks` pieces of equal size ceil(extent / chunks) along `dim`."""
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    extent = tensor.shape[dim]
    size = max(-(-extent // chunks), 1)
    return split(tensor, size, dim)


class ConstantPad(Function):
    """Pad with a constant; `widths` is ((before, after), ...) for every dimension."""

    def forward(self, x, widths, value):
        self.widths, self.extents = widths, tuple(x.shape)
        xp = _backend.namespace(x)
        shape = tuple(extent + before + after
                      for extent, (before, after) in zip(x.shape, widths))
        kwargs = {} if type(x).__module__ == "numpy" else {"device": x.device}
        out = xp.full(shape, value, dtype=x.dtype, **kwargs)
        out[self._inner()] = x
        return out

    def _inner(self):
        return tuple(slice(before, before + extent) for (before, _), extent in
                     zip(self.widths, self.extents))

    def backward(self, grad):
        return grad[self._inner()]


def pad(input, pad, mode="constant", value=0.0):
    """PyTorch's pad: `pad` lists (before, after) pairs starting from the last dimension."""
    if mode != "constant":
        # TODO: reflect/replicate/circular modes; RL models here only pad with constants.
        raise NotImplementedError(f"pad: only mode='constant' is implemented, got {mode!r}")
    pad = list(pad)
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise ValueError(f"pad: expected an even number of widths for at most {input.ndim} "
                         f"dims, got {pad}")
    if any(width < 0 for width in pad):
        # TODO: negative widths (cropping) as PyTorch allows; slice the input instead.
        raise NotImplementedError(f"pad: negative widths are not supported, got {pad}")
    widths = [(0, 0)] * input.ndim
    for pair in range(len(pad) // 2):
        widths[input.ndim - 1 - pair] = (pad[2 * pair], pad[2 * pair + 1])
    return ConstantPad.apply(input, tuple(widths), value)
