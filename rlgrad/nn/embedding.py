"""`Embedding`: a learned table of vectors looked up by integer index."""

from rlgrad.factories import empty
from rlgrad.nn import functional as F
from rlgrad.nn import init
from rlgrad.nn.module import Module
from rlgrad.nn.parameter import Parameter


class Embedding(Module):
    """Rows of `weight` (num_embeddings, embedding_dim), initialised N(0, 1) as in PyTorch;
    input of integer shape (...) gives (..., embedding_dim)."""

    def __init__(self, num_embeddings, embedding_dim, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.weight = Parameter(empty(num_embeddings, embedding_dim, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.normal_(self.weight)

    def forward(self, input):
        return F.embedding(input, self.weight)

    def extra_repr(self):
        return f"{self.num_embeddings}, {self.embedding_dim}"
