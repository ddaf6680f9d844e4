"""Numerically stable softmax-family functions shared by `nn.functional` and distributions,
and the one place `nn.functional` takes its activation functions from."""

from rlgrad import _backend
from rlgrad.autograd.function import Function
from rlgrad.ops.activations import elu, gelu, leaky_relu, silu, softplus
from rlgrad.ops.elementwise import relu, sigmoid, tanh, where
from rlgrad.ops.reductions import normalize_dims
from rlgrad.tensor import wrap


class LogSoftmax(Function):
    """x - logsumexp(x) along `dim`, shifted by the max so that exp never overflows.

    A row of only -inf (or with +inf) has no defined distribution and gives nan, as in
    PyTorch; a -inf entry beside finite ones gives -inf (probability 0).
    """

    saves_output = True

    def forward(self, x, dim):
        self.dim = dim
        xp = _backend.namespace(x)
        shifted = x - xp.max(x, axis=dim, keepdims=True) if x.shape[dim] else x
        self.out = shifted - xp.log(xp.sum(xp.exp(shifted), axis=dim, keepdims=True))
        return self.out

    def backward(self, grad):
        out = self.saved_output()
        return grad - out.exp() * grad.sum(self.dim, keepdim=True)


class LogSumExp(Function):
    saves_inputs = True
    saves_output = True

    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim = dims, keepdim
        xp = _backend.namespace(x)
        peak = _finite_max(xp, x, dims)
        total = xp.sum(xp.exp(x - peak), axis=dims, keepdims=True)
        result = xp.log(total) + peak
        self.out = result if keepdim else xp.squeeze(result, axis=dims)
        return self.out

    def backward(self, grad):
        from rlgrad.ops.reductions import kept_shape

        (x,) = self.inputs
        shape = kept_shape(x.shape, self.dims)
        out = self.saved_output().reshape(shape)
        # A group of only -inf has weight 0 everywhere, not exp(-inf - -inf) = nan.
        empty_group = wrap(_backend.namespace(out.data).isinf(out.data) & (out.data < 0))
        safe_out = where(empty_group, 0.0, out)
        return grad.reshape(shape) * (x - safe_out).exp()


def _finite_max(xp, x, dims):
    """The max along `dims` (kept), with -inf and +inf rows replaced by 0 so that
    x - max stays free of inf - inf."""
    if x.size == 0:
        return xp.zeros_like(xp.sum(x, axis=dims, keepdims=True))
    peak = xp.max(x, axis=dims, keepdims=True)
    return xp.where(xp.isfinite(peak), peak, xp.zeros_like(peak))


def log_softmax(input, dim=-1):
    (dim,) = normalize_dims(dim, input.ndim)
    return LogSoftmax.apply(input, dim)


def softmax(input, dim=-1):
    return log_softmax(input, dim).exp()


def logsumexp(input, dim=None, keepdim=False):
    return LogSumExp.apply(input, normalize_dims(dim, input.ndim), keepdim)


__all__ = ["log_softmax", "softmax", "logsumexp", "elu", "gelu", "leaky_relu", "silu",
           "softplus", "relu", "sigmoid", "tanh"]
