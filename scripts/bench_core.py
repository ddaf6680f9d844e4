"""Time rlgrad's core against PyTorch (CPU) and a hand-written NumPy floor, side by side.

Every framework runs single-threaded (the thread variables are set before NumPy or PyTorch is
imported) on the same float32 shapes; rounds alternate between frameworks so that a noisy
machine hurts them alike. Prints the median time per call and the ratios rlgrad/PyTorch and
rlgrad/NumPy floor, and writes everything as JSON with --out.

Usage: python scripts/bench_core.py [--rounds 7] [--out bench_core.json] [--quick]
"""

import os

for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                  "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import rlgrad  # noqa: E402
import rlgrad.nn as rnn  # noqa: E402
import rlgrad.optim as roptim  # noqa: E402
from rlgrad.nn import functional as rF  # noqa: E402

try:
    import torch
    torch.set_num_threads(1)
except ImportError:  # the comparison is optional
    torch = None

# (name, layer sizes, activation, batch, what is timed)
CASES = [
    ("mlp4-64-64-2 tanh inference b1", (4, 64, 64, 2), "tanh", 1, "inference"),
    ("mlp4-64-64-2 tanh train b1000", (4, 64, 64, 2), "tanh", 1000, "train"),
    ("mlp17-256-256-6 relu train b256", (17, 256, 256, 6), "relu", 256, "train"),
    ("mlp17-256-256-6 relu train b4096", (17, 256, 256, 6), "relu", 4096, "train"),
    ("mlp512-1024-1024-512 relu train b1024", (512, 1024, 1024, 512), "relu", 1024, "train"),
    ("tiny op: a * b, 4 floats", None, None, 4, "tiny"),
]

TARGETS = {"inference": ("torch", 0.5), "train_small": ("torch", 1.0),
           "train_large": ("numpy", 1.15)}


# --- the NumPy floor: forward, backward and Adam written by hand ---------------------------


class NumpyMLP:
    """An MLP trained with MSE and Adam in plain NumPy, the least work a step can do."""

    def __init__(self, sizes, activation, rng):
        self.activation = activation
        self.params = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            bound = 1 / np.sqrt(fan_in)
            self.params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
            self.params.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
        self.exp_avg = [np.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [np.zeros_like(p) for p in self.params]
        self.step_count = 0

    def forward(self, x):
        activations = [x]
        count = len(self.params) // 2
        for layer in range(count):
            weight, bias = self.params[2 * layer], self.params[2 * layer + 1]
            x = x @ weight.T
            x += bias
            if layer < count - 1:
                x = np.tanh(x) if self.activation == "tanh" else np.maximum(x, 0)
            activations.append(x)
        return activations

    def train_step(self, x, target, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        activations = self.forward(x)
        output = activations[-1]
        grad = (output - target) * (2.0 / output.size)
        grads = [None] * len(self.params)
        count = len(self.params) // 2
        for layer in reversed(range(count)):
            inputs = activations[layer]
            grads[2 * layer] = grad.T @ inputs
            grads[2 * layer + 1] = grad.sum(0)
            if layer:
                grad = grad @ self.params[2 * layer]
                if self.activation == "tanh":
                    grad *= 1 - inputs * inputs
                else:
                    grad *= inputs > 0
        self._adam(grads, lr, betas, eps)

    def _adam(self, grads, lr, betas, eps):
        self.step_count += 1
        beta1, beta2 = betas
        step_size = lr / (1 - beta1 ** self.step_count)
        denom_scale = np.sqrt(1 - beta2 ** self.step_count)
        for param, grad, exp_avg, exp_avg_sq in zip(self.params, grads, self.exp_avg,
                                                    self.exp_avg_sq):
            exp_avg *= beta1
            exp_avg += (1 - beta1) * grad
            exp_avg_sq *= beta2
            grad *= grad
            exp_avg_sq += (1 - beta2) * grad
            denom = np.sqrt(exp_avg_sq)
            denom /= denom_scale
            denom += eps
            np.divide(exp_avg, denom, out=denom)
            denom *= step_size
            param -= denom


# --- one callable per framework and case ----------------------------------------------------


def rlgrad_callable(sizes, activation, batch, kind, rng):
    if kind == "tiny":
        a, b = rlgrad.tensor(rng.standard_normal(batch)), rlgrad.tensor(rng.standard_normal(batch))
        return lambda: a * b
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(rnn.Linear(fan_in, fan_out))
        if index < len(sizes) - 2:
            layers.append(rnn.Tanh() if activation == "tanh" else rnn.ReLU())
    model = rnn.Sequential(*layers)
    x = rlgrad.tensor(rng.standard_normal((batch, sizes[0])).astype(np.float32))
    if kind == "inference":
        def infer():
            with rlgrad.no_grad():
                return model(x)
        return infer
    target = rlgrad.tensor(rng.standard_normal((batch, sizes[-1])).astype(np.float32))
    optimizer = roptim.Adam(model.parameters(), lr=1e-3)

    def train():
        optimizer.zero_grad()
        loss = rF.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
    return train


def torch_callable(sizes, activation, batch, kind, rng):
    if kind == "tiny":
        a = torch.tensor(rng.standard_normal(batch), dtype=torch.float32)
        b = torch.tensor(rng.standard_normal(batch), dtype=torch.float32)
        return lambda: a * b
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if index < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    x = torch.tensor(rng.standard_normal((batch, sizes[0])), dtype=torch.float32)
    if kind == "inference":
        def infer():
            with torch.no_grad():
                return model(x)
        return infer
    target = torch.tensor(rng.standard_normal((batch, sizes[-1])), dtype=torch.float32)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def train():
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
    return train


def numpy_callable(sizes, activation, batch, kind, rng):
    if kind == "tiny":
        a = rng.standard_normal(batch).astype(np.float32)
        b = rng.standard_normal(batch).astype(np.float32)
        return lambda: a * b
    model = NumpyMLP(sizes, activation, rng)
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    if kind == "inference":
        return lambda: model.forward(x)[-1]
    target = rng.standard_normal((batch, sizes[-1])).astype(np.float32)
    return lambda: model.train_step(x, target)


# --- timing ---------------------------------------------------------------------------------


def calls_per_round(function, budget_s):
    """How many calls fill about `budget_s` seconds (at least 3)."""
    function()
    start = time.perf_counter()
    function()
    once = max(time.perf_counter() - start, 1e-7)
    return max(3, int(budget_s / once))


def time_round(function, calls):
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls


def bench_case(case, rounds, budget_s):
    name, sizes, activation, batch, kind = case
    makers = {"rlgrad": rlgrad_callable, "numpy": numpy_callable}
    if torch is not None:
        makers["torch"] = torch_callable
    functions = {framework: make(sizes, activation, batch, kind, np.random.default_rng(0))
                 for framework, make in makers.items()}
    calls = {framework: calls_per_round(function, budget_s)
             for framework, function in functions.items()}
    samples = {framework: [] for framework in functions}
    for _ in range(rounds):
        for framework, function in functions.items():
            samples[framework].append(time_round(function, calls[framework]))
    return {framework: statistics.median(times) for framework, times in samples.items()}


def target_for(case):
    name, sizes, _, batch, kind = case
    if kind == "inference":
        return TARGETS["inference"]
    if kind == "train" and sizes == (4, 64, 64, 2):
        return TARGETS["train_small"]
    if kind == "train":
        return TARGETS["train_large"]
    return None


def format_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:9.1f} us"
    return f"{seconds * 1e3:9.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--budget", type=float, default=0.2,
                        help="seconds per framework per round and case")
    parser.add_argument("--out", default=None, help="write the results as JSON here")
    parser.add_argument("--quick", action="store_true", help="3 rounds of 0.05 s (smoke run)")
    parser.add_argument("--only", default=None,
                        help="run only the cases whose name contains this text")
    args = parser.parse_args()
    rounds, budget = (3, 0.05) if args.quick else (args.rounds, args.budget)

    print(f"numpy {np.__version__}, torch {torch.__version__ if torch else 'absent'}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"{rounds} rounds, single-threaded")
    header = f"{'case':40s} {'rlgrad':>12s} {'torch':>12s} {'numpy':>12s} {'/torch':>7s} " \
             f"{'/numpy':>7s}  target"
    print(header)
    results = []
    for case in CASES:
        if args.only and args.only not in case[0]:
            continue
        medians = bench_case(case, rounds, budget)
        target = target_for(case)
        ratio_torch = medians["rlgrad"] / medians["torch"] if "torch" in medians else None
        ratio_numpy = medians["rlgrad"] / medians["numpy"]
        verdict = ""
        if target is not None:
            against, bound = target
            ratio = ratio_torch if against == "torch" else ratio_numpy
            verdict = "n/a" if ratio is None else \
                f"<= {bound} x {against}: {'met' if ratio <= bound else 'MISSED'}"
        print(f"{case[0]:40s} {format_time(medians['rlgrad'])} "
              f"{format_time(medians['torch']) if 'torch' in medians else '       absent'} "
              f"{format_time(medians['numpy'])} "
              f"{ratio_torch if ratio_torch is not None else float('nan'):7.2f} "
              f"{ratio_numpy:7.2f}  {verdict}", flush=True)
        results.append({"case": case[0], "median_s": medians, "rlgrad_over_torch": ratio_torch,
                        "rlgrad_over_numpy": ratio_numpy,
                        "target": None if target is None else {"against": target[0],
                                                               "ratio": target[1]}})
    if args.out:
        report = {"numpy": np.__version__, "torch": torch.__version__ if torch else None,
                  "python": platform.python_version(), "rounds": rounds,
                  "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"), "cases": results}
        with open(args.out, "w") as file:
            json.dump(report, file, indent=2)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
