"""`Parameter`: a tensor that a `Module` registers as trainable."""

from rlgrad.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and is found by `Module.parameters()`."""

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        from rlgrad.factories import as_array

        if data is None:
            data = []
        self.data = data.data if isinstance(data, Tensor) else as_array(data)
        self.grad = None
        self.requires_grad = False
        self._node = None
        self._version = 0
        self._extra = None
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
