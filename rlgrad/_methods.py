"""Binds the operations of `rlgrad.ops` to `Tensor` as methods and operators, in one table."""

import numpy as np

from rlgrad import functional
from rlgrad.ops import (activations, conversion, elementwise, indexing, joining, linalg,
                        reductions, scan, shape, unary)
from rlgrad.tensor import Tensor


_METHODS = {
    # scans
    "cumsum": scan.cumsum, "flip": scan.flip,
    # arithmetic and operators
    "add": elementwise.add, "sub": elementwise.sub, "mul": elementwise.mul,
    "div": elementwise.div, "pow": elementwise.pow, "neg": elementwise.neg,
    "maximum": elementwise.maximum, "minimum": elementwise.minimum,
    "__add__": elementwise.add, "__radd__": elementwise.add,
    "__sub__": elementwise.sub, "__rsub__": elementwise.rsub,
    "__mul__": elementwise.mul, "__rmul__": elementwise.mul,
    "__truediv__": elementwise.div, "__rtruediv__": elementwise.rdiv,
    "__pow__": elementwise.pow, "__rpow__": elementwise.rpow,
    "__neg__": elementwise.neg,
    "__matmul__": linalg.matmul, "__rmatmul__": lambda self, other: linalg.matmul(
        elementwise.to_tensor(other, self), self),
    "matmul": linalg.matmul,
    "__eq__": elementwise.eq, "__ne__": elementwise.ne, "__lt__": elementwise.lt,
    "__le__": elementwise.le, "__gt__": elementwise.gt, "__ge__": elementwise.ge,
    "__and__": elementwise.logical_and, "__or__": elementwise.logical_or,
    "__xor__": elementwise.logical_xor, "__invert__": elementwise.logical_not,
    "logical_and": elementwise.logical_and, "logical_or": elementwise.logical_or,
    "logical_xor": elementwise.logical_xor, "logical_not": elementwise.logical_not,
    "eq": elementwise.eq, "ne": elementwise.ne, "lt": elementwise.lt,
    "le": elementwise.le, "gt": elementwise.gt, "ge": elementwise.ge,
    # unary functions
    "exp": elementwise.exp, "log": elementwise.log, "tanh": elementwise.tanh,
    "sigmoid": elementwise.sigmoid, "relu": elementwise.relu,
    "abs": unary.abs, "__abs__": unary.abs, "sign": unary.sign, "sqrt": unary.sqrt,
    "log1p": unary.log1p, "expm1": unary.expm1, "sin": unary.sin, "cos": unary.cos,
    "erf": unary.erf, "clamp": unary.clamp, "clip": unary.clamp,
    "softplus": activations.softplus, "leaky_relu": activations.leaky_relu,
    "elu": activations.elu, "gelu": activations.gelu, "silu": activations.silu,
    "where": lambda self, condition, other: elementwise.where(condition, self, other),
    # reductions
    "sum": reductions.sum, "mean": reductions.mean, "var": reductions.var,
    "std": reductions.std, "amax": reductions.amax, "amin": reductions.amin,
    "max": reductions.max, "min": reductions.min, "prod": reductions.prod,
    "argmax": reductions.argmax, "argmin": reductions.argmin, "norm": reductions.norm,
    "any": reductions.any, "all": reductions.all,
    "logsumexp": functional.logsumexp,
    "log_softmax": functional.log_softmax, "softmax": functional.softmax,
    # shape
    "reshape": shape.reshape, "view": shape.reshape, "permute": shape.permute,
    "transpose": shape.transpose, "t": shape.t, "expand": shape.expand,
    "expand_as": lambda self, other: shape.expand(self, other.shape),
    "broadcast_to": shape.broadcast_to, "flatten": shape.flatten, "squeeze": shape.squeeze,
    "unsqueeze": shape.unsqueeze, "split": joining.split, "chunk": joining.chunk,
    "__getitem__": indexing.getitem, "gather": indexing.gather,
    "index_select": indexing.index_select, "take_along_dim": indexing.take_along_dim,
    "outer": linalg.outer,
    # conversion
    "to": conversion.to, "cpu": conversion.cpu, "cuda": conversion.cuda,
    "clone": conversion.clone,
    "float": lambda self: conversion.to(self, np.float32),
    "double": lambda self: conversion.to(self, np.float64),
    "long": lambda self: conversion.to(self, np.int64),
    "int": lambda self: conversion.to(self, np.int32),
    "bool": lambda self: conversion.to(self, np.bool_),
}

for _name, _function in _METHODS.items():
    setattr(Tensor, _name, _function)

Tensor.T = property(shape.t)
Tensor.mT = property(lambda self: shape.transpose(self, -2, -1))
