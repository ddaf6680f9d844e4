"""`Dropout`: random zeroing while training, the identity in `eval()` mode."""

from rlgrad.nn import functional as F
from rlgrad.nn.module import Module


class Dropout(Module):
    """Zero each element with probability `p` in training and scale the rest by 1 / (1 - p).

    Draws from rlgrad's default generator of the input's device (seeded by
    `rlgrad.manual_seed`), or from `generator` if one is given.
    """

    def __init__(self, p=0.5, inplace=False, generator=None):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p
        self.inplace = inplace
        self.generator = generator

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.generator)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
