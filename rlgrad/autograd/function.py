"""`Function`: one recorded operation of the graph, its forward and backward side by side.

An op subclasses `Function`, computes its result from arrays in `forward(self, *arrays,
*params)`, keeps on `self` only what its backward needs, and returns the gradients of its
inputs from `backward(self, grad)`, written with tensor operations so that a backward run
with `create_graph=True` is itself recorded. Gradients may keep the broadcast shape of the
output: the engine reduces each one to its input's shape in a single shared place.

A backward returns new arrays (or views): when no graph is recorded the engine may let the
next node update a returned array in place, so an array the node keeps for later (or one the
caller owns) must not be returned as it is.
"""

import numpy as np

from rlgrad._backend import check_same_device
from rlgrad.autograd import grad_mode
from rlgrad.tensor import Tensor, check_view_current, version_of, wrap

_state = grad_mode.state  # read by every op: one global lookup instead of two
_new_object = object.__new__


class Function:
    """Base of all operations. A node holds its parents, the shape and dtype of each input
    (`input_specs`), and what backward needs.

    `parents[i]` is the node that made input i, the input itself when it is a leaf that
    requires grad, or None when no gradient flows to it. Class flags:
    `saves_inputs`: backward reads input values: they are kept in `self.inputs` and their
    versions are checked;
    `saves_output`: backward reads the output array kept in `self.out`.
    """

    saves_inputs = False
    saves_output = False
    released = False
    output_modified_by = None
    hooks = None  # {key: hook} set by Tensor.register_hook on the node's result
    retained = None  # weak reference to the result, set by Tensor.retain_grad
    # Set by the engine when the gradient passed to backward is a NumPy array nothing else
    # holds: backward may then compute its result in that array's memory.
    owns_grad = False
    n_tensors = 1  # how many leading arguments of apply() are tensors; None: count them

    @classmethod
    def apply(cls, *args):
        """Run forward on the leading tensor arguments (params follow them) and record it."""
        count = cls.n_tensors
        if count is None:
            count = 0
            for item in args:
                if not isinstance(item, Tensor):
                    break
                count += 1
        node = object.__new__(cls)
        # The common arities are spelled out: no slicing or star-calls on the fast path.
        if count == 1:
            first = args[0]
            if len(args) == 1:
                out = node.forward(first.data)
            else:
                out = node.forward(first.data, *args[1:])
            if _state.enabled and first.requires_grad:
                return node._attach(out, args[:1])
        elif count == 2:
            first, second = args[0].data, args[1].data
            if type(first) is not np.ndarray or type(second) is not np.ndarray:
                check_same_device([first, second], cls.__name__)
            if len(args) == 2:
                out = node.forward(first, second)
            else:
                out = node.forward(first, second, *args[2:])
            if _state.enabled and (args[0].requires_grad or args[1].requires_grad):
                return node._attach(out, args[:2])
        else:
            if count == 3:
                first, second, third = args[0].data, args[1].data, args[2].data
                if (type(first) is not np.ndarray or type(second) is not np.ndarray
                        or type(third) is not np.ndarray):
                    check_same_device([first, second, third], cls.__name__)
                if len(args) == 3:
                    out = node.forward(first, second, third)
                else:
                    out = node.forward(first, second, third, *args[3:])
            else:
                arrays = [tensor.data for tensor in args[:count]]
                check_same_device(arrays, cls.__name__)
                out = node.forward(*arrays, *args[count:])
            if _state.enabled:
                tensors = args[:count]
                for tensor in tensors:
                    if tensor.requires_grad:
                        return node._attach(out, tensors)

        # `wrap(out)`, inlined: this is the no-graph fast path of every operation.
        if type(out) is not np.ndarray and isinstance(out, np.generic):
            out = np.asarray(out)
        result = _new_object(Tensor)
        result.data = out
        result.grad = None
        result.requires_grad = False
        result._node = None
        result._version = 0
        result._extra = None
        return result

    def _attach(self, out, tensors):
        parents = []
        specs = []
        for tensor in tensors:
            if tensor._extra is not None:
                check_view_current(tensor, type(self).__name__)
            node = tensor._node
            parents.append(node if node is not None else
                           (tensor if tensor.requires_grad else None))
            data = tensor.data
            specs.append((data.shape, data.dtype))
        self.parents = parents
        # What the engine checks each gradient against. The inputs themselves are kept only
        # by ops whose backward reads them, so that no other op keeps its input alive.
        self.input_specs = specs
        if self.saves_inputs:
            self.inputs = tensors
            self.versions = [t._version if t._extra is None else version_of(t) for t in tensors]
        result = wrap(out)
        result.requires_grad = True
        result._node = self
        return result

    def needs_grad(self, index):
        """Whether input `index` receives a gradient."""
        return self.parents[index] is not None

    def saved_output(self):
        """The saved output as a tensor recorded as this node's result (for double backward)."""
        out = wrap(self.out)
        if grad_mode.state.enabled:
            out.requires_grad = True
            out._node = self
        return out

    def forward(self, *arrays):
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def backward(self, grad):
        raise NotImplementedError(f"{type(self).__name__} is not differentiable")

    @property
    def name(self):
        return f"{type(self).__name__}Backward"

    def release(self):
        """Drop everything backward needed, keeping only the links used to walk the graph."""
        parents = self.parents
        self.__dict__.clear()
        self.parents = parents
        self.released = True

    def __repr__(self):
        return f"<{self.name}>"
