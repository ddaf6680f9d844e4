"""Ops along one dimension: `cumsum` (running sums, e.g. of rewards) and `flip` (reversal)."""

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.ops.reductions import normalize_dims


class Flip(Function):
    def forward(self, x, dims):
        self.dims = dims
        return _backend.namespace(x).flip(x, axis=dims)

    def backward(self, grad):
        return Flip.apply(grad, self.dims)


class CumSum(Function):
    def forward(self, x, dim):
        self.dim = dim
        return _backend.namespace(x).cumulative_sum(x, axis=dim)

    def backward(self, grad):
        # Each input feeds every later running sum: the gradient is a reversed running sum.
        reversed_grad = Flip.apply(grad, (self.dim,))
        return Flip.apply(CumSum.apply(reversed_grad, self.dim), (self.dim,))


def flip(input, dims):
    """`input` reversed along each of `dims` (an int or a sequence), as torch.flip."""
    dims = normalize_dims(dims, input.ndim)
    if not dims or input.ndim == 0:
        return input
    return Flip.apply(input, dims)


def cumsum(input, dim):
    """Running sums along `dim`: out[..., i, ...] = sum of input[..., :i+1, ...]."""
    if input.ndim == 0:
        return input.clone()
    (dim,) = normalize_dims(dim, input.ndim)
    if input.dtype.kind == "b":
        from rlgrad.ops.conversion import to

        input = to(input, "int64")
    return CumSum.apply(input, dim)
