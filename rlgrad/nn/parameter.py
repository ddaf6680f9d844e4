"""`Parameter`: a tensor that a `Module` registers as trainable."""

from rlgrad.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and is found by `Module.parameters()`."""

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        from rlgrad.factories import as_array

        if data is None:
            data = []
        # A tensor's array is shared, not copied, as torch.nn.Parameter(tensor) shares storage.
        self._init_leaf(data.data if isinstance(data, Tensor) else as_array(data), requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
