"""Reverse-mode automatic differentiation: grad mode, the graph's nodes and the engine."""

from rlgrad.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of `tensors` into the leaves' `.grad`."""
    from rlgrad.autograd import engine

    engine.backward(tensors, grad_tensors, retain_graph, create_graph, inputs)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """The gradients of `outputs` with respect to `inputs`, without touching `.grad`."""
    from rlgrad.autograd import engine

    return engine.grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused)


__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled"]
