"""The backward pass: walk the graph in reverse topological order, without recursion.

Each node produces one tensor, so gradients are keyed by node. Dependency counts are found
by an iterative depth-first walk; a node runs once every consumer has sent its gradient.
"""

from rlgrad import _backend
from rlgrad.autograd import grad_mode
from rlgrad.autograd.function import Function
from rlgrad.tensor import Tensor, wrap


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
    pending = _dependencies(roots)
    ready = [node for node in roots if pending.get(node, 0) == 0]
    only_ids = None if only is None else {id(t) for t in only}
    only_nodes = None if only is None else {t._node: t for t in only if t._node is not None}

    with grad_mode.set_grad_enabled(create_graph):
        for leaf, seed in leaf_seeds:
            _deliver_to_leaf(leaf, seed, True, create_graph, capture, only_ids)
        while ready:
            node = ready.pop()
            grad_out = grads.pop(node)
            grad_out = _run_node_hooks(node, grad_out)
            if only_nodes is not None and node in only_nodes and capture is not None:
                capture[id(only_nodes[node])] = grad_out
            input_grads = _node_backward(node, grad_out, retain_graph)
            for index, parent in enumerate(node.parents):
                if parent is None:
                    continue
                input_grad = input_grads[index]
                if input_grad is None:
                    continue
                input_grad = _fit(input_grad, node.inputs_shape[index], node, index)
                if isinstance(parent, Function):
                    if parent in grads:
                        grads[parent] = grads[parent] + input_grad
                    else:
                        grads[parent] = input_grad
                    pending[parent] -= 1
                    if pending[parent] == 0:
                        ready.append(parent)
                else:
                    shared = input_grad is grad_out or any(
                        input_grad is other for other in input_grads[:index])
                    _deliver_to_leaf(parent, input_grad, shared, create_graph, capture, only_ids)
            if not retain_graph:
                node.release()


def _node_backward(node, grad_out, retain_graph):
    if node.released:
        raise RuntimeError(f"trying to backward through the graph a second time ({node.name}): "
                           "its saved values were freed by the first backward; pass "
                           "retain_graph=True to the first backward if you need a second")
    if node.saves_inputs:
        for index, (tensor, version) in enumerate(zip(node.inputs, node.versions)):
            if tensor._version != version:
                op_name = (tensor._extra or {}).get("last_inplace_op", "an in-place operation")
                raise RuntimeError(
                    f"a value needed for gradient computation was modified by an in-place "
                    f"operation: input {index} of {node.name} (shape {tensor.shape}) was changed "
                    f"by {op_name} (version {tensor._version}, expected {version}); use an "
                    f"out-of-place operation or clone() the tensor first")
    if node.output_modified_by is not None:
        raise RuntimeError(f"a value needed for gradient computation was modified by an in-place "
                           f"operation: the output of {node.name} was changed by "
                           f"{node.output_modified_by}; use an out-of-place operation instead")
    node.inputs_shape = [tensor.data.shape for tensor in node.inputs]
    input_grads = node.backward(grad_out)
    if not isinstance(input_grads, tuple):
        input_grads = (input_grads,)
    if len(input_grads) != len(node.parents):
        raise RuntimeError(f"{node.name} returned {len(input_grads)} gradients for "
                           f"{len(node.parents)} inputs")
    return input_grads


def _fit(input_grad, shape, node, index):
    """Reduce a broadcast gradient to its input's shape, then check shape and dtype."""
    if input_grad.data.shape != shape and _broadcasts_to(shape, input_grad.data.shape):
        from rlgrad.ops.shape import sum_to

        input_grad = sum_to(input_grad, shape)
    tensor = node.inputs[index]
    if input_grad.data.shape != tensor.data.shape or input_grad.data.dtype != tensor.data.dtype:
        raise RuntimeError(f"{node.name} produced a gradient of shape {input_grad.shape} and "
                           f"dtype {input_grad.dtype} for input {index} of shape {tensor.shape} "
                           f"and dtype {tensor.dtype}")
    return input_grad


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
    hooks = node.__dict__.get("hooks")
    if hooks:
        for hook in list(hooks.values()):
            replaced = hook(grad_out)
            if replaced is not None:
                grad_out = replaced
    retained = node.__dict__.get("retained")
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
