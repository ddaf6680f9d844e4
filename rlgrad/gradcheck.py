"""Checking gradients against central finite differences: `gradcheck`, `gradgradcheck`.

The check compares a vector-Jacobian product, v^T J for a fixed random v, computed by
backward with the same product from finite differences, one input element at a time. A random
v makes a wrong Jacobian entry show up unless the error happens to cancel, which a continuous
random v avoids with probability one. Inputs should be float64: in float32 the rounding error
of a difference quotient (about 1e-7 / eps) swamps the tolerances.
"""

import numpy as np

from rlgrad.autograd import engine
from rlgrad.autograd.grad_mode import enable_grad, no_grad
from rlgrad.factories import tensor as make_tensor
from rlgrad.tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when an analytical gradient disagrees with the numerical one."""


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,) if isinstance(value, Tensor) \
        else tuple(value)


def _projection(fn, inputs, cotangents):
    """sum over outputs of <output, cotangent>, as a tensor (graph kept)."""
    outputs = _as_tuple(fn(*inputs))
    total = None
    for output, cotangent in zip(outputs, cotangents):
        if output.dtype.kind not in "fc":
            continue
        term = (output * cotangent).sum()
        total = term if total is None else total + term
    return total, outputs


def _cotangents(fn, inputs, seed):
    with no_grad():
        outputs = _as_tuple(fn(*inputs))
    rng = np.random.default_rng(seed)
    return [make_tensor(rng.standard_normal(o.shape), dtype=o.dtype, device=o.device)
            for o in outputs]


def _numerical(fn, inputs, cotangents, index, eps):
    """d<fn(inputs), v>/d inputs[index] by central differences, as a NumPy array."""
    base = inputs[index]
    host = np.array(base._host_array(), dtype=np.float64)
    result = np.zeros_like(host)
    flat_host = host.reshape(-1)
    flat_result = result.reshape(-1)
    for position in range(flat_host.size):
        original = flat_host[position]
        values = []
        for step in (eps, -eps):
            flat_host[position] = original + step
            shifted = list(inputs)
            shifted[index] = make_tensor(host, dtype=base.dtype, device=base.device,
                                         requires_grad=base.requires_grad)
            with no_grad():
                total, _ = _projection(fn, shifted, cotangents)
            values.append(0.0 if total is None else float(total.item()))
        flat_host[position] = original
        flat_result[position] = (values[0] - values[1]) / (2 * eps)
    return result


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """True if backward through `fn(*inputs)` matches finite differences for every input that
    requires grad; otherwise raise `GradcheckError` naming the input and the worst element."""
    inputs = _as_tuple(inputs)
    cotangents = _cotangents(fn, inputs, seed)
    checked = [i for i, item in enumerate(inputs)
               if isinstance(item, Tensor) and item.requires_grad]
    if not checked:
        raise ValueError("gradcheck needs at least one input with requires_grad=True")
    with enable_grad():
        total, _ = _projection(fn, inputs, cotangents)
    if total is None or not total.requires_grad:
        analytical = [None] * len(checked)
    else:
        analytical = engine.grad(total, [inputs[i] for i in checked], allow_unused=True)
    for position, index in enumerate(checked):
        expected = _numerical(fn, inputs, cotangents, index, eps)
        got = analytical[position]
        got = np.zeros_like(expected) if got is None else np.asarray(got._host_array(),
                                                                     dtype=np.float64)
        if got.shape != expected.shape:
            return _fail(raise_exception, f"gradient of input {index} has shape {got.shape}, "
                                          f"expected {expected.shape}")
        if not np.allclose(got, expected, atol=atol, rtol=rtol, equal_nan=True):
            worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
            return _fail(raise_exception,
                         f"gradient of input {index} differs from finite differences: at "
                         f"{tuple(int(i) for i in worst)} analytical {got[worst]!r}, numerical "
                         f"{expected[worst]!r} (atol={atol}, rtol={rtol})")
    return True


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """gradcheck of the gradient itself (computed with create_graph=True): second derivatives."""
    inputs = _as_tuple(inputs)
    cotangents = _cotangents(fn, inputs, seed + 1)
    differentiable = [i for i, item in enumerate(inputs)
                      if isinstance(item, Tensor) and item.requires_grad]

    def first_gradient(*values):
        with enable_grad():
            total, _ = _projection(fn, values, cotangents)
            grads = engine.grad(total, [values[i] for i in differentiable], create_graph=True,
                                allow_unused=True)
        return tuple(g if g is not None else values[i] * 0.0
                     for g, i in zip(grads, differentiable))

    return gradcheck(first_gradient, inputs, eps=eps, atol=atol, rtol=rtol, seed=seed,
                     raise_exception=raise_exception)


def _fail(raise_exception, message):
    if raise_exception:
        raise GradcheckError(message)
    return False
