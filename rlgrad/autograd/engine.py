"""The backward pass: walk the graph in reverse topological order, without recursion.

Each node produces one tensor, so gradients are keyed by node. Dependency counts are found
by an iterative depth-first walk; a node runs once every consumer has sent its gradient (or
None, which counts as sent). Each gradient is reduced to its input's recorded shape if it was
broadcast, then checked against that shape and dtype.

When no graph is recorded, a node is told (`owns_grad`) whether the gradient it receives is
an array nothing else holds, so that elementwise backwards can work in place instead of
allocating: this keeps a training step's memory traffic close to hand-written NumPy.
"""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd import grad_mode
from rlgrad.autograd.function import Function
from rlgrad.tensor import Tensor, version_of, view_root, wrap


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate gradients of `tensors` into `.grad` of the leaves (or only of `inputs`)."""
    tensors, seeds = _seeds(tensors, grad_tensors)
    only = None if inputs is None else _as_tensor_list(inputs)
    _run(tensors, seeds, retain_graph, create_graph, capture=None, only=only)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Return d(outputs)/d(inputs) as a tuple, leaving every `.grad` untouched."""
    outputs, seeds = _seeds(outputs, grad_outputs)
    inputs = _as_tensor_list(inputs)
    for tensor in inputs:
        if not tensor.requires_grad:
            raise RuntimeError("every input of grad() must require grad")
    captured = {id(tensor): None for tensor in inputs}
    _run(outputs, seeds, retain_graph, create_graph, capture=captured, only=inputs)
    results = []
    for index, tensor in enumerate(inputs):
        value = captured[id(tensor)]
        if value is None and not allow_unused:
            raise RuntimeError(f"input {index} of grad() was not used to compute the outputs; "
                               "pass allow_unused=True to get None for it")
        results.append(value)
    return tuple(results)


def _as_tensor_list(items):
    return [items] if isinstance(items, Tensor) else list(items)


def _seeds(tensors, grad_tensors):
    tensors = _as_tensor_list(tensors)
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    grad_tensors = _as_tensor_list(grad_tensors) if not isinstance(grad_tensors, (list, tuple)) \
        else list(grad_tensors)
    seeds = []
    for tensor, seed in zip(tensors, grad_tensors):
        if not tensor.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and has no grad_fn; "
                               "did you compute it under no_grad() or from tensors without "
                               "requires_grad=True?")
        if seed is None:
            if tensor.numel() != 1:
                raise RuntimeError(f"grad can be implicitly created only for scalar outputs; "
                                   f"got shape {tensor.shape}, pass gradient=")
            xp = _backend.namespace(tensor.data)
            seed = wrap(xp.ones_like(tensor.data))
        elif not isinstance(seed, Tensor):
            from rlgrad.factories import as_tensor

            seed = as_tensor(seed, dtype=tensor.dtype, device=tensor.device)
        _check_grad(seed, tensor, "the gradient passed to backward")
        seeds.append(seed)
    return tensors, seeds


def _check_grad(grad_tensor, tensor, where):
    if grad_tensor.data.shape != tensor.data.shape or grad_tensor.data.dtype != tensor.data.dtype:
        raise RuntimeError(f"{where} has shape {grad_tensor.shape} and dtype {grad_tensor.dtype}, "
                           f"but the tensor has shape {tensor.shape} and dtype {tensor.dtype}")


def _dependencies(roots):
    """How many gradients each node reachable from `roots` will receive."""
    counts = {}
    stack = list(roots)
    seen = set(map(id, roots))
    while stack:
        node = stack.pop()
        for parent in node.parents:
            if isinstance(parent, Function):
                counts[parent] = counts.get(parent, 0) + 1
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
    return counts


def _run(tensors, seeds, retain_graph, create_graph, capture, only):
    if retain_graph is None:
        retain_graph = create_graph
    grads = {}
    leaf_seeds = []
    for tensor, seed in zip(tensors, seeds):
        if tensor._node is None:
            leaf_seeds.append((tensor, seed))
        elif tensor._node in grads:
            grads[tensor._node] = grads[tensor._node] + seed
        else:
            grads[tensor._node] = seed
    roots = list(grads)
    for root in roots:
        root.owns_grad = False  # a seed belongs to the caller
    pending = _dependencies(roots)
    ready = [node for node in roots if pending.get(node, 0) == 0]
    only_ids = None if only is None else {id(t) for t in only}
    only_nodes = None if only is None else {t._node: t for t in only if t._node is not None}

    with grad_mode.set_grad_enabled(create_graph):
        for leaf, seed in leaf_seeds:
            _deliver_to_leaf(leaf, seed, True, create_graph, capture, only_ids)
        while ready:
            node = ready.pop()
            grad_out = grads.pop(node, None)
            if grad_out is None:  # every consumer sent None: nothing flows through this node
                _skip(node, pending, ready)
                continue
            if node.hooks is not None or node.retained is not None:
                grad_out = _run_node_hooks(node, grad_out)
            if only_nodes is not None and node in only_nodes and capture is not None:
                capture[id(only_nodes[node])] = grad_out
                node.owns_grad = False
            input_grads = _node_backward(node, grad_out)
            specs = node.input_specs
            for index, parent in enumerate(node.parents):
                if parent is None:
                    continue
                input_grad = input_grads[index]
                if isinstance(parent, Function):
                    if input_grad is not None:
                        spec, grad_data = specs[index], input_grad.data
                        if grad_data.shape != spec[0] or grad_data.dtype != spec[1]:
                            input_grad = _fit(input_grad, spec, node, index)
                        previous = grads.get(parent)
                        if previous is None:
                            grads[parent] = input_grad
                            parent.owns_grad = not create_graph and _is_exclusive(
                                input_grad, grad_out, input_grads, index)
                        else:
                            total = grads[parent] = previous + input_grad
                            parent.owns_grad = not create_graph and type(total.data) is np.ndarray
                    count = pending[parent] - 1
                    pending[parent] = count
                    if count == 0:
                        ready.append(parent)
                elif input_grad is not None:
                    input_grad = _fit(input_grad, specs[index], node, index)
                    shared = _is_shared(input_grad, grad_out, input_grads, index)
                    _deliver_to_leaf(parent, input_grad, shared, create_graph, capture, only_ids)
            if not retain_graph:
                node.release()


def _skip(node, pending, ready):
    """Count a node that received no gradient as done for each of its parents."""
    for parent in node.parents:
        if isinstance(parent, Function):
            pending[parent] -= 1
            if pending[parent] == 0:
                ready.append(parent)


def _is_exclusive(input_grad, grad_out, input_grads, index):
    """Whether nothing but the engine holds `input_grad`'s array, so that the node receiving
    it may update it in place: a fresh NumPy array, not the incoming gradient passed through,
    not also sent to another input, not a view."""
    array = input_grad.data
    if type(array) is not np.ndarray or array.base is not None or not array.flags.writeable:
        return False
    if array is grad_out.data:
        return False
    for position, other in enumerate(input_grads):
        if position != index and other is not None and other.data is array:
            return False
    return True


def _is_shared(input_grad, grad_out, input_grads, index):
    """Whether `input_grad` is also held elsewhere (so a leaf must not keep it as its own)."""
    if input_grad is grad_out:
        return True
    for position in range(index):
        if input_grads[position] is input_grad:
            return True
    return False


def _node_backward(node, grad_out):
    if node.released:
        raise RuntimeError(f"trying to backward through the graph a second time ({node.name}): "
                           "its saved values were freed by the first backward; pass "
                           "retain_graph=True to the first backward if you need a second")
    if node.saves_inputs:
        for index, (tensor, version) in enumerate(zip(node.inputs, node.versions)):
            if version_of(tensor) != version:
                root = view_root(tensor)
                changed = tensor if root is None else root
                op_name = (changed._extra or {}).get("last_inplace_op", "an in-place operation")
                raise RuntimeError(
                    f"a value needed for gradient computation was modified by an in-place "
                    f"operation: input {index} of {node.name} (shape {tensor.shape}) was changed "
                    f"by {op_name} (version {version_of(tensor)}, expected {version}); use an "
                    f"out-of-place operation or clone() the tensor first")
    if node.output_modified_by is not None:
        raise RuntimeError(f"a value needed for gradient computation was modified by an in-place "
                           f"operation: the output of {node.name} was changed by "
                           f"{node.output_modified_by}; use an out-of-place operation instead")
    input_grads = node.backward(grad_out)
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    if len(input_grads) != len(node.parents):
        raise RuntimeError(f"{node.name} returned {len(input_grads)} gradients for "
                           f"{len(node.parents)} inputs")
    return input_grads


def _fit(input_grad, spec, node, index):
    """Reduce a broadcast gradient to its input's shape, then check shape and dtype."""
    shape, dtype = spec
    grad_data = input_grad.data
    if grad_data.shape == shape and grad_data.dtype == dtype:
        return input_grad
    if grad_data.shape != shape and _broadcasts_to(shape, grad_data.shape):
        from rlgrad.ops.shape import sum_to

        input_grad = sum_to(input_grad, shape)
    if input_grad.data.shape != shape or input_grad.data.dtype != dtype:
        raise RuntimeError(f"{node.name} produced a gradient of shape {input_grad.shape} and "
                           f"dtype {input_grad.dtype} for input {index} of shape {tuple(shape)} "
                           f"and dtype {_dtype_name(input_grad.data, dtype)}")
    return input_grad


def _dtype_name(like, dtype):
    """`dtype` as rlgrad names it (the stand-in device has dtype objects of its own)."""
    if type(like) is np.ndarray:
        return dtype
    return _backend.backend_of(like).canonical_dtype(dtype)


def _broadcasts_to(shape, target):
    """Whether an array of `shape` broadcasts to `target` (so its gradient can be summed)."""
    if len(shape) > len(target):
        return False
    lead = len(target) - len(shape)
    for position, extent in enumerate(shape):
        if extent != 1 and extent != target[lead + position]:
            return False
    return True


def _run_node_hooks(node, grad_out):
    hooks = node.hooks
    if hooks:
        for hook in list(hooks.values()):
            replaced = hook(grad_out)
            if replaced is not None:
                grad_out = replaced
    retained = node.retained
    if retained is not None and retained() is not None:
        owner = retained()
        value = grad_out if grad_mode.state.enabled else wrap(_owned_copy(grad_out.data))
        owner.grad = value if owner.grad is None else owner.grad + value
    return grad_out


def _deliver_to_leaf(leaf, grad_value, shared, create_graph, capture, only_ids):
    if only_ids is not None and id(leaf) not in only_ids:
        return
    hooks = (leaf._extra or {}).get("hooks")
    if hooks:
        for hook in list(hooks.values()):
            replaced = hook(grad_value)
            if replaced is not None:
                grad_value = replaced
                shared = False
    if capture is not None:
        previous = capture.get(id(leaf))
        capture[id(leaf)] = grad_value if previous is None else previous + grad_value
        return
    if leaf.grad is None:
        if not create_graph:
            array = grad_value.data
            backend = _backend.backend_of(array)
            if shared or not backend.is_owned_writeable(array):
                grad_value = wrap(_owned_copy(array))
            else:
                grad_value = wrap(array)
        leaf.grad = grad_value
    elif create_graph or leaf.grad.requires_grad:
        leaf.grad = leaf.grad + grad_value
    else:
        leaf.grad.data += grad_value.data


def _owned_copy(array):
    return _backend.namespace(array).asarray(array, copy=True)
