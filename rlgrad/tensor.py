"""`Tensor`: one array plus, when it needs a gradient, the node of the graph that made it.

Operations are defined in `rlgrad.ops` and bound as methods in `rlgrad._methods`; this file
holds the state of a tensor, its conversions and its in-place updates.
"""

import numpy as np

from rlgrad import _backend
from rlgrad.autograd import grad_mode


def wrap(array):
    """A tensor around `array`, with no graph (the fast path of every operation)."""
    if type(array) is not np.ndarray and isinstance(array, np.generic):
        array = np.asarray(array)  # NumPy turns 0-d results into scalars
    tensor = object.__new__(Tensor)
    tensor.data = array
    tensor.grad = None
    tensor.requires_grad = False
    tensor._node = None
    tensor._version = 0
    tensor._extra = None
    return tensor


_GRAD_DTYPE_KINDS = "fc"


def mark_view(result, base, detached=False):
    """Record that `result` may share memory with `base` (reshape, permute, expand, basic
    indexing, detach), so that an in-place change through either is seen by the versions
    that guard saved values. Returns `result`."""
    if result is base:
        return result
    if type(result.data) is np.ndarray and not np.may_share_memory(result.data, base.data):
        return result
    root = base._extra.get("view_of", base) if base._extra else base
    extra = result._extras()
    extra["view_of"] = root
    extra["view_version"] = root._version
    extra["detached"] = detached
    return result


def check_view_current(tensor, op_name):
    """Refuse to record an op on a view whose base was changed in place after the view was
    taken (not through the view): the view's recorded history no longer describes its values,
    so its gradient would be wrong. Detached views carry no history and are always fine.

    TODO: a view taken while neither it nor its base required grad is only checked when an
    input of the op requires grad, so after `z[2] = w` gives its base a gradient, the view
    still feeds later ops as a constant. Catching that needs each base to know its live
    views (a weak set per base), which would cost every reshape and slice.
    """
    extra = tensor._extra
    root = extra.get("view_of")
    if root is None or extra["detached"] or root._version == extra["view_version"]:
        return
    if tensor.requires_grad or root.requires_grad:
        changed_by = (root._extra or {}).get("last_inplace_op", "an in-place operation")
        raise RuntimeError(f"{op_name} uses a view taken before its base was changed in place "
                           f"by {changed_by}; the view's history is stale and its gradient "
                           f"would be wrong. Take the view again after the change")


def view_root(tensor):
    """The tensor whose memory `tensor` views, or None if it is not a view."""
    return tensor._extra.get("view_of") if tensor._extra else None


def version_of(tensor):
    """The version that guards `tensor`'s values: a view shares its base's counter."""
    if tensor._extra is None:
        return tensor._version
    root = tensor._extra.get("view_of")
    return tensor._version if root is None else root._version


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    `data` is the array (NumPy on "cpu"); `grad` is filled by `backward()` for leaves with
    `requires_grad=True`. Create tensors with `rlgrad.tensor(...)` or the factories.
    """

    __slots__ = ("data", "grad", "requires_grad", "_node", "_version", "_extra", "__weakref__")
    __array_priority__ = 1000  # NumPy scalars and arrays defer to our operators

    def __init__(self, data, dtype=None, device=None, requires_grad=False):
        from rlgrad.factories import as_array

        self._init_leaf(as_array(data, dtype, device), requires_grad)

    def _init_leaf(self, array, requires_grad):
        """Set every slot of a new leaf holding `array`."""
        self.data = array
        self.grad = None
        self.requires_grad = False
        self._node = None
        self._version = 0
        self._extra = None
        if requires_grad:
            self.requires_grad_(True)

    # --- description -------------------------------------------------------------------

    @property
    def shape(self):
        return tuple(self.data.shape)

    def size(self, dim=None):
        shape = tuple(self.data.shape)
        return shape if dim is None else shape[dim]

    @property
    def ndim(self):
        return self.data.ndim

    def dim(self):
        return self.data.ndim

    def numel(self):
        count = 1
        for extent in self.data.shape:
            count *= extent
        return count

    @property
    def dtype(self):
        dtype = self.data.dtype
        if type(self.data) is np.ndarray:
            return dtype
        return _backend.backend_of(self.data).canonical_dtype(dtype)

    @property
    def device(self):
        return _backend.device_of(self.data)

    @property
    def is_leaf(self):
        return self._node is None

    @property
    def grad_fn(self):
        return self._node

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    def is_floating_point(self):
        return self.dtype.kind == "f"

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __repr__(self):
        values = np.array2string(self._host_array(), separator=", ", prefix="tensor(")
        extras = []
        if self.dtype not in (np.float32, np.int64, np.bool_):
            extras.append(f"dtype={self.dtype}")
        if self.device != _backend.CPU:
            extras.append(f"device='{self.device}'")
        if self._node is not None:
            extras.append(f"grad_fn={self._node}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([values] + extras) + ")"

    __hash__ = object.__hash__

    # --- conversions -------------------------------------------------------------------

    def _host_array(self):
        data = self.data
        if type(data) is np.ndarray:
            return data
        return _backend.backend_of(data).to_host(data)

    def numpy(self):
        """The NumPy array behind a cpu tensor (shared, not copied), as PyTorch's numpy()."""
        if self.requires_grad:
            raise RuntimeError("can't call numpy() on a tensor that requires grad; "
                               "use tensor.detach().numpy()")
        if type(self.data) is not np.ndarray:
            raise TypeError(f"can't convert a tensor on {self.device} to NumPy; "
                            "call .cpu() first to copy it to host memory")
        return self.data

    def item(self):
        """The value of a one-element tensor as a Python number (copied from the device)."""
        if self.numel() != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        value = self._host_array().reshape(()).item()
        return value

    def tolist(self):
        return self._host_array().tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be an index")
        return int(self.item())

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError(f"the truth value of a tensor with {self.numel()} elements is "
                               "ambiguous; use .any() or .all()")
        return bool(self.item())

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.numpy(), dtype=dtype)

    def detach(self):
        """A tensor sharing this one's array (and its version counter), cut from the graph."""
        return mark_view(wrap(self.data), self, detached=True)

    def detach_(self):
        self._node = None
        self.requires_grad = False
        return self

    # --- gradients ---------------------------------------------------------------------

    def requires_grad_(self, requires_grad=True):
        """Mark a leaf as needing a gradient (only floating-point tensors can)."""
        if self._node is not None and not requires_grad:
            raise RuntimeError("requires_grad can only be turned off on a leaf tensor; "
                               "use detach() to cut a result from the graph")
        if requires_grad and self.dtype.kind not in _GRAD_DTYPE_KINDS:
            raise RuntimeError(f"only floating-point tensors can require gradients, "
                               f"got dtype {self.dtype}")
        self.requires_grad = bool(requires_grad)
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires grad."""
        from rlgrad.autograd.engine import backward

        backward([self], None if gradient is None else [gradient],
                 retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)

    def register_hook(self, hook):
        """Call `hook(grad)` when this tensor's gradient is computed; a returned tensor
        replaces the gradient. Returns a handle whose `remove()` unregisters the hook."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that does not require grad")
        hooks = self._extras().setdefault("hooks", {}) if self._node is None \
            else self._node.__dict__.setdefault("hooks", {})
        handle = _HookHandle(hooks)
        hooks[handle.key] = hook
        return handle

    def retain_grad(self):
        """Keep `.grad` for this non-leaf tensor after backward, as PyTorch's retain_grad()."""
        if self._node is None:
            return
        import weakref

        self._node.__dict__["retained"] = weakref.ref(self)

    def _extras(self):
        if self._extra is None:
            self._extra = {}
        return self._extra

    # --- in-place updates --------------------------------------------------------------

    def _check_inplace(self, op_name):
        if grad_mode.state.enabled and self.requires_grad and self._node is None:
            raise RuntimeError(f"a leaf tensor that requires grad is used in the in-place "
                               f"operation {op_name}; wrap it in rlgrad.no_grad() or use "
                               f"the out-of-place form")

    def _check_view_inplace(self, op_name, other=None):
        """Refuse an in-place change of a view while gradients are recorded through it or its
        base: the base's graph would not see the change and its gradient would be wrong."""
        root = view_root(self)
        if root is None or not grad_mode.state.enabled:
            return
        if root.requires_grad or self.requires_grad or getattr(other, "requires_grad", False):
            raise RuntimeError(f"{op_name} changes a view (a reshape, slice, transpose, expand "
                               f"or detach) while gradients are recorded through it (its base "
                               f"requires grad, or the new value does); rlgrad cannot carry "
                               f"that change back to the base's graph. Use an out-of-place "
                               f"operation, or clone() the view first")

    def _bump_version(self, op_name):
        root = view_root(self)
        for tensor in (self, root):
            if tensor is None:
                continue
            tensor._version += 1
            tensor._extras()["last_inplace_op"] = op_name
            if tensor._node is not None and tensor._node.saves_output:
                tensor._node.output_modified_by = op_name
        if root is not None:
            self._extra["view_version"] = root._version  # this view saw its own change

    def _assign_result(self, result, op_name):
        """Make `self` hold `result` (computed out of place), keeping the array's identity."""
        self._check_inplace(op_name)
        new_data = result.data
        if new_data.shape != self.data.shape:
            raise RuntimeError(f"{op_name}: result of shape {tuple(new_data.shape)} cannot be "
                               f"written in place into a tensor of shape {self.shape}")
        if result.dtype != self.dtype:
            new_data = result.to(self.dtype).data
        self._bump_version(op_name)
        self.data[...] = new_data
        if result._node is not None:
            self._node = result._node
            self.requires_grad = True
        elif self._node is not None:
            # The new value depends on nothing recorded (fill_, copy_ of a constant): the old
            # history no longer describes this tensor, and no gradient reaches it.
            self._node = None
            self.requires_grad = False
        return self

    def _inplace_binary(self, function, other, op_name):
        self._check_view_inplace(op_name, other)
        if grad_mode.state.enabled and (self.requires_grad or getattr(other, "requires_grad",
                                                                      False)):
            previous = self._snapshot()
            return self._assign_result(function(previous, other), op_name)
        with grad_mode.no_grad():
            return self._assign_result(function(self, other), op_name)

    def _snapshot(self):
        """A copy of this tensor's value that takes its place in the graph."""
        copy = wrap(_copy_array(self.data))
        copy.requires_grad = self.requires_grad
        copy._node = self._node
        return copy

    def add_(self, other, alpha=1):
        if alpha != 1:
            other = other * alpha
        return self._inplace_binary(lambda a, b: a + b, other, "add_")

    def sub_(self, other, alpha=1):
        if alpha != 1:
            other = other * alpha
        return self._inplace_binary(lambda a, b: a - b, other, "sub_")

    def mul_(self, other):
        return self._inplace_binary(lambda a, b: a * b, other, "mul_")

    def div_(self, other):
        return self._inplace_binary(lambda a, b: a / b, other, "div_")

    # `x += y` and friends change x in place, as in PyTorch, so that a hand-written update
    # `p -= lr * p.grad` inside no_grad() changes the parameter itself.
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def pow_(self, exponent):
        return self._inplace_binary(lambda a, b: a ** b, exponent, "pow_")

    def clamp_(self, min=None, max=None):
        return self._inplace_binary(lambda a, _: a.clamp(min, max), None, "clamp_")

    def neg_(self):
        return self._inplace_binary(lambda a, _: -a, None, "neg_")

    def copy_(self, source):
        """Copy `source` (broadcast, possibly from another device) into this tensor."""
        from rlgrad.factories import as_tensor

        source = as_tensor(source, dtype=self.dtype, device=self.device) \
            if not isinstance(source, Tensor) else source.to(self.device)
        return self._inplace_binary(_overwrite, source, "copy_")

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        self._check_view_inplace("fill_")
        self._check_inplace("fill_")
        if grad_mode.state.enabled and (self.requires_grad or getattr(value, "requires_grad",
                                                                      False)):
            return self._inplace_binary(_overwrite, value, "fill_")
        self._bump_version("fill_")
        self.data[...] = value
        return self

    def __setitem__(self, index, value):
        from rlgrad.ops.indexing import setitem

        setitem(self, index, value)


def _overwrite(target, value):
    """`value` cast to `target`'s dtype and broadcast to its shape: the out-of-place result of
    copy_ and fill_, recorded so that a gradient reaches `value` and none reaches `target`."""
    from rlgrad.factories import full_like

    if not isinstance(value, Tensor):
        return full_like(target, value)
    result = value.to(target.dtype).expand(*target.shape)
    return result.clone() if result is value else result  # a node, even for a leaf value


def _copy_array(array):
    if type(array) is np.ndarray:
        return array.copy()
    return _backend.namespace(array).asarray(array, copy=True)


class _HookHandle:
    _next_key = 0

    def __init__(self, hooks):
        self.hooks = hooks
        self.key = _HookHandle._next_key
        _HookHandle._next_key += 1

    def remove(self):
        self.hooks.pop(self.key, None)
