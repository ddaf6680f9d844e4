"""Compare rlgrad with PyTorch (CPU, float64) on randomly generated expression graphs.

Each graph starts from a few leaves of broadcast-compatible shapes, applies a random sequence
of operations drawn from the table below (both libraries spell them alike), and reduces to a
scalar with fixed random weights. Values and the gradients of every leaf must agree to
rtol 1e-7 / atol 1e-9. Exits 1 on any mismatch, 0 when all agree, and 0 with a notice when
PyTorch is not installed (the check is optional).

Usage: python scripts/crosscheck_torch.py [--graphs 200] [--seed 0] [--verbose]
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import rlgrad  # noqa: E402


def _positive(t):
    return t.abs() + 0.5


# name -> function(lib, F, t) where lib is rlgrad or torch and F its functional namespace
UNARY = {
    "neg": lambda lib, F, t: -t,
    "exp": lambda lib, F, t: (t * 0.5).exp(),
    "log": lambda lib, F, t: _positive(t).log(),
    "sqrt": lambda lib, F, t: _positive(t).sqrt(),
    "log1p": lambda lib, F, t: t.abs().log1p(),
    "expm1": lambda lib, F, t: t.expm1(),
    "tanh": lambda lib, F, t: t.tanh(),
    "sigmoid": lambda lib, F, t: t.sigmoid(),
    "relu": lambda lib, F, t: t.relu(),
    "abs": lambda lib, F, t: t.abs(),
    "sin": lambda lib, F, t: t.sin(),
    "cos": lambda lib, F, t: t.cos(),
    "erf": lambda lib, F, t: lib.erf(t),
    "softplus": lambda lib, F, t: F.softplus(t, beta=2.0),
    "gelu": lambda lib, F, t: F.gelu(t),
    "gelu_tanh": lambda lib, F, t: F.gelu(t, approximate="tanh"),
    "silu": lambda lib, F, t: F.silu(t),
    "elu": lambda lib, F, t: F.elu(t),
    "leaky_relu": lambda lib, F, t: F.leaky_relu(t, 0.1),
    "clamp": lambda lib, F, t: t.clamp(-0.5, 0.5),
    "square": lambda lib, F, t: t ** 2,
    "cube": lambda lib, F, t: t ** 3,
    "rsqrt_pow": lambda lib, F, t: _positive(t) ** -0.5,
    "scalar_ops": lambda lib, F, t: (2.0 - t) / 3.0 + 1.5 * t,
    "sum": lambda lib, F, t: t.sum(-1, keepdim=True),
    "mean": lambda lib, F, t: t.mean(0, keepdim=True),
    "amax": lambda lib, F, t: t.amax(-1, keepdim=True),
    "amin": lambda lib, F, t: t.amin(0, keepdim=True),
    "logsumexp": lambda lib, F, t: t.logsumexp(-1, keepdim=True),
    "var": lambda lib, F, t: t.var(-1, keepdim=True) if t.shape[-1] > 1 else t,
    "std": lambda lib, F, t: (t.std(0, keepdim=True) if t.shape[0] > 1 else t) + 0.1,
    "norm": lambda lib, F, t: t.norm(dim=-1, keepdim=True),
    "prod": lambda lib, F, t: t.prod(-1, keepdim=True),
    "softmax": lambda lib, F, t: F.softmax(t, dim=-1),
    "log_softmax": lambda lib, F, t: F.log_softmax(t, dim=0),
    "max_dim": lambda lib, F, t: t.max(-1, keepdim=True).values,
    "transpose_back": lambda lib, F, t: t.transpose(0, 1).transpose(0, 1) * 1.0,
    "flip_slice": lambda lib, F, t: t[..., ::-1] if lib is rlgrad else t.flip(-1),
}

BINARY = {
    "add": lambda lib, F, a, b: a + b,
    "sub": lambda lib, F, a, b: a - b,
    "mul": lambda lib, F, a, b: a * b,
    "div": lambda lib, F, a, b: a / _positive(b),
    "pow": lambda lib, F, a, b: _positive(a) ** (b * 0.5),
    "maximum": lambda lib, F, a, b: lib.maximum(a, b),
    "minimum": lambda lib, F, a, b: lib.minimum(a, b),
    "where": lambda lib, F, a, b: lib.where(a > b, a * 2.0, b),
    "row_dot": lambda lib, F, a, b: (a * b).sum(-1, keepdim=True),
    "clamp_tensor": lambda lib, F, a, b: a.clamp(min=b - 0.3, max=b + 0.3),
}

SHAPES = [(2, 3), (1, 3), (2, 1), (3,), (1, 1)]


class Graph:
    """A random program: leaf shapes and a list of (op name, argument positions)."""

    def __init__(self, rng):
        count = int(rng.integers(1, 4))
        self.leaf_shapes = [SHAPES[int(rng.integers(len(SHAPES)))] for _ in range(count)]
        self.leaf_shapes[0] = (2, 3)  # every graph has one full-size operand
        self.leaves = [rng.standard_normal(shape) for shape in self.leaf_shapes]
        self.steps = []
        values = count
        for _ in range(int(rng.integers(2, 7))):
            if rng.random() < 0.55:
                name = sorted(UNARY)[int(rng.integers(len(UNARY)))]
                self.steps.append((name, (int(rng.integers(values)),)))
            else:
                name = sorted(BINARY)[int(rng.integers(len(BINARY)))]
                self.steps.append((name, (int(rng.integers(values)), int(rng.integers(values)))))
            values += 1
        self.weights_seed = int(rng.integers(2 ** 31))

    def run(self, lib, F, make_leaf):
        leaves = [make_leaf(array) for array in self.leaves]
        values = [_as_2d(leaf) for leaf in leaves]
        for name, positions in self.steps:
            function = UNARY[name] if len(positions) == 1 else BINARY[name]
            values.append(_as_2d(function(lib, F, *(values[p] for p in positions))))
        result = values[-1]
        weights = np.random.default_rng(self.weights_seed).standard_normal(tuple(result.shape))
        total = (result * make_leaf(weights, requires_grad=False)).sum()
        total.backward()
        return total, leaves

    def describe(self):
        return f"leaves {self.leaf_shapes}, steps {self.steps}"


def _as_2d(value):
    return value if value.ndim == 2 else value.reshape(1, -1)


def _rlgrad_leaf(array, requires_grad=True):
    return rlgrad.tensor(array, dtype=rlgrad.float64, requires_grad=requires_grad)


def _torch_leaf(torch):
    def make(array, requires_grad=True):
        return torch.tensor(np.ascontiguousarray(array), dtype=torch.float64,
                            requires_grad=requires_grad)
    return make


def compare(graph, torch):
    """None if both libraries agree on `graph`, else a message naming the difference."""
    total, leaves = graph.run(rlgrad, rlgrad.functional, _rlgrad_leaf)
    expected_total, expected_leaves = graph.run(torch, torch.nn.functional, _torch_leaf(torch))
    if not np.allclose(total.item(), expected_total.item(), rtol=1e-7, atol=1e-9):
        return f"value {total.item()!r} != torch {expected_total.item()!r}"
    for index, (leaf, expected) in enumerate(zip(leaves, expected_leaves)):
        got = np.zeros(leaf.shape) if leaf.grad is None else leaf.grad.numpy()
        want = np.zeros(leaf.shape) if expected.grad is None else expected.grad.numpy()
        if not np.allclose(got, want, rtol=1e-7, atol=1e-9):
            return f"gradient of leaf {index}: {got.tolist()} != torch {want.tolist()}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed; skipping the cross-check (pip install torch)")
        return 0
    rng = np.random.default_rng(args.seed)
    failures = 0
    used = set()
    for number in range(args.graphs):
        graph = Graph(rng)
        used.update(name for name, _ in graph.steps)
        message = compare(graph, torch)
        if message is not None:
            failures += 1
            print(f"graph {number} MISMATCH: {message}\n  {graph.describe()}")
        elif args.verbose:
            print(f"graph {number} ok: {graph.describe()}")
    print(f"{args.graphs - failures}/{args.graphs} graphs agree with torch {torch.__version__}; "
          f"{len(used)} of {len(UNARY) + len(BINARY)} operations exercised")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
