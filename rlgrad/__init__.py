"""rlgrad: tensors with reverse-mode automatic differentiation over NumPy (CuPy on a GPU),
with PyTorch's names: `tensor`, `backward()`, `.grad`, `no_grad()`, `nn`, `optim`."""

import numpy as _np


from rlgrad._backend import device
from rlgrad.autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from rlgrad.tensor import Tensor
from rlgrad import _methods  # noqa: F401  (binds the operations to Tensor)
from rlgrad import autograd, cuda
from rlgrad import distributions, nn, optim  # noqa: E402
from rlgrad.factories import (arange, as_tensor, empty, empty_like, eye, from_numpy, full,
                              full_like, linspace, ones, ones_like, tensor, zeros, zeros_like)
from rlgrad.functional import log_softmax, logsumexp, softmax
from rlgrad.ops.activations import elu, gelu, leaky_relu, silu, softplus
from rlgrad.ops.conversion import clone
from rlgrad.ops.elementwise import (add, div, eq, exp, ge, gt, le, log, lt, maximum, minimum,
                                    mul, ne, neg, pow, relu, sigmoid, sub, tanh, where)
from rlgrad.ops.indexing import gather, index_select, take_along_dim
from rlgrad.ops.joining import cat, chunk, pad, split, stack
from rlgrad.ops.scan import cumsum, flip
from rlgrad.ops.linalg import einsum, matmul, outer
from rlgrad.ops.reductions import (all, amax, amin, any, argmax, argmin, max, mean, min, norm,
                                   prod, std, sum, var)
from rlgrad.ops.shape import (broadcast_to, expand, flatten, permute, reshape, squeeze,
                              transpose, unsqueeze)
from rlgrad.ops.unary import abs, clamp, clip, cos, erf, expm1, log1p, sign, sin, sqrt
# `rlgrad.gradcheck` is the function, as `torch.autograd.gradcheck` is; the module of the same
# name stays importable (`from rlgrad.gradcheck import gradcheck, GradcheckError`).
from rlgrad.gradcheck import GradcheckError, gradcheck, gradgradcheck
from rlgrad.random import (Generator, manual_seed, rand, rand_like, randint, randint_like, randn,
                           randn_like)
from rlgrad.serialization import load, save

float32 = _np.dtype("float32")
float64 = _np.dtype("float64")
float16 = _np.dtype("float16")
int8 = _np.dtype("int8")
int16 = _np.dtype("int16")
int32 = _np.dtype("int32")
int64 = _np.dtype("int64")
uint8 = _np.dtype("uint8")
bool = _np.dtype("bool")
float = float32
double = float64
long = int64

__version__ = "0.1.0"
