"""Prove rlgrad on a real GPU with one command, within 8 minutes, and print one summary table.

    pip install -e .[gpu,test] && python scripts/gpu_check.py

Steps, each under its own time limit:
  1. the test suite on "cuda" (pytest -k cuda: the cuda parameter of every core test);
  2. the time of one training step (forward, MSE, backward, Adam) of two ReLU MLPs at batch
     4096, on the GPU and on the CPU, and in PyTorch on the GPU when it is installed with CUDA;
  3. a short policy-gradient run: scripts/train_pg.py --device cuda --iterations 3.

Exits 2 with the reason when no GPU is usable, 1 when a step failed, 0 when all passed.
`--device array_api_strict` (or cpu) runs the same steps on another device, to try the script
on a machine without a GPU.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MODELS = {"17-256-256-6": (17, 256, 256, 6), "512-1024-1024-512": (512, 1024, 1024, 512)}
TEST_SECONDS = 240
BENCH_SECONDS = 150
PG_SECONDS = 60
MAX_TIMED_STEPS = 10
HEADER = ("check", "result", "detail", "s")
SUMMARY_WORDS = (" passed", " failed", " error", " skipped", "no tests ran", " deselected")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", help="device to check (default cuda)")
    parser.add_argument("--batch", type=int, default=4096, help="batch of the timed MLP steps")
    parser.add_argument("--skip", nargs="*", default=[], choices=["tests", "bench", "pg"],
                        help="steps to leave out")
    parser.add_argument("--seconds-per-case", type=float, default=15.0,
                        help="time limit of the timed steps of one model on one device")
    parser.add_argument("--benchmark-child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- step 2: timings (run in a child process so that a hang cannot outlast its budget) -----


def rlgrad_step_seconds(sizes, device, batch, seconds_per_case):
    """Median seconds of one Adam training step of a ReLU MLP with layer widths `sizes`."""
    import rlgrad
    from rlgrad import nn, optim
    from rlgrad.nn.functional import mse_loss

    rlgrad.manual_seed(0)
    layers = []
    for index, (width_in, width_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(width_in, width_out, device=device))
        if index < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    inputs = rlgrad.randn(batch, sizes[0], device=device)
    targets = rlgrad.randn(batch, sizes[-1], device=device)

    def step():
        optimizer.zero_grad()
        mse_loss(model(inputs), targets).backward()
        optimizer.step()

    def wait():
        if rlgrad.device(device).type == "cuda":
            rlgrad.cuda.synchronize()

    return _timed(step, wait, seconds_per_case)


def torch_step_seconds(sizes, batch, seconds_per_case):
    """The same step in PyTorch on its GPU, as a reference."""
    import torch

    torch.manual_seed(0)
    layers = []
    for index, (width_in, width_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(width_in, width_out))
        if index < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    inputs = torch.randn(batch, sizes[0], device="cuda")
    targets = torch.randn(batch, sizes[-1], device="cuda")

    def step():
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()

    return _timed(step, torch.cuda.synchronize, seconds_per_case)


def _timed(step, wait, seconds_per_case):
    """Two warm-up steps (kernel compilation, allocator), then up to MAX_TIMED_STEPS timed
    steps within `seconds_per_case` (at least one); the median resists a noisy neighbour."""
    for _ in range(2):
        step()
    wait()
    times = []
    deadline = time.perf_counter() + seconds_per_case
    while len(times) < MAX_TIMED_STEPS and (not times or time.perf_counter() < deadline):
        start = time.perf_counter()
        step()
        wait()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def torch_cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def run_benchmark_child(device, batch, seconds_per_case):
    """Print one JSON line per measurement, most important first, flushing each."""
    cases = [(name, device, "rlgrad") for name in MODELS]
    if torch_cuda_available():
        cases += [(name, "cuda", "torch") for name in MODELS]
    if device != "cpu":
        cases += [(name, "cpu", "rlgrad") for name in MODELS]
    for name, case_device, library in cases:
        try:
            if library == "torch":
                seconds = torch_step_seconds(MODELS[name], batch, seconds_per_case)
            else:
                seconds = rlgrad_step_seconds(MODELS[name], case_device, batch,
                                              seconds_per_case)
            record = {"model": name, "device": case_device, "library": library,
                      "ms": seconds * 1000}
        except Exception as error:  # reported in the table, the other cases still run
            record = {"model": name, "device": case_device, "library": library,
                      "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(record), flush=True)


# --- the steps, seen from the parent -------------------------------------------------------


def run_limited(command, seconds, cwd=ROOT):
    """Run `command`; returns (exit code or None on timeout, output so far, seconds taken)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=seconds)
        return done.returncode, done.stdout + done.stderr, time.perf_counter() - start
    except subprocess.TimeoutExpired as expired:
        output = _text(expired.stdout) + _text(expired.stderr)
        return None, output, time.perf_counter() - start


def _text(data):
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


def check_tests(device):
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests", "-k", device]
    code, output, seconds = run_limited(command, TEST_SECONDS)
    summaries = [line.strip("= ") for line in output.splitlines()
                 if any(word in line for word in SUMMARY_WORDS)]
    summary = summaries[-1][:60] if summaries else "no summary line"
    if code is None:
        return [("tests -k " + device, "TIMEOUT", f"over {TEST_SECONDS} s", seconds)]
    ok = code == 0
    return [("tests -k " + device, "ok" if ok else "FAILED", summary, seconds)]


def check_benchmarks(device, batch, seconds_per_case):
    command = [sys.executable, os.path.abspath(__file__), "--benchmark-child",
               "--device", device, "--batch", str(batch),
               "--seconds-per-case", str(seconds_per_case)]
    code, output, seconds = run_limited(command, BENCH_SECONDS)
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    rows = []
    for record in records:
        label = f"step {record['model']} b{batch} {record['library']} {record['device']}"
        if "error" in record:
            rows.append((label, "FAILED", record["error"][:60], None))
        else:
            rows.append((label, "ok", f"{record['ms']:.2f} ms/step", None))
    rows += _speedups(records, device)
    if code is None:
        rows.append(("timings", "TIMEOUT", f"stopped after {BENCH_SECONDS} s", seconds))
    elif code != 0 or not records:
        last = output.strip().splitlines()[-1][:60] if output.strip() else "no output"
        rows.append(("timings", "FAILED", last, seconds))
    else:
        rows.append(("timings", "ok", f"{len(records)} cases", seconds))
    return rows


def _speedups(records, device):
    ms = {(r["model"], r["device"], r["library"]): r["ms"] for r in records if "ms" in r}
    rows = []
    for name in MODELS:
        ours = ms.get((name, device, "rlgrad"))
        on_cpu = ms.get((name, "cpu", "rlgrad"))
        reference = ms.get((name, "cuda", "torch"))
        if ours and on_cpu and device != "cpu":
            rows.append((f"speed-up {name} {device} vs cpu", "info", f"{on_cpu / ours:.1f}x",
                         None))
        if ours and reference:
            rows.append((f"time {name} rlgrad / torch", "info", f"{ours / reference:.2f}x",
                         None))
    return rows


def check_policy_gradient(device):
    script = os.path.join(ROOT, "scripts", "train_pg.py")
    label = f"train_pg --device {device}"
    if not os.path.exists(script):
        return [(label, "MISSING", "scripts/train_pg.py does not exist yet", None)]
    with tempfile.TemporaryDirectory() as run_dir:
        command = [sys.executable, script, "--device", device, "--iterations", "3",
                   "--run-dir", run_dir]
        code, output, seconds = run_limited(command, PG_SECONDS, cwd=run_dir)
    lines = [line for line in output.strip().splitlines() if line.strip()]
    last = lines[-1][:60] if lines else "no output"
    if code is None:
        return [(label, "TIMEOUT", f"over {PG_SECONDS} s", seconds)]
    return [(label, "ok" if code == 0 else "FAILED", last, seconds)]


def print_table(rows):
    widths = [max(len(str(row[column])) for row in rows + [HEADER]) for column in range(3)]
    for row in [HEADER] + rows:
        seconds = "" if row[3] is None else (row[3] if isinstance(row[3], str)
                                             else f"{row[3]:.0f}")
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row[:3], widths))
              + "  " + seconds)


def main(argv=None):
    args = parse_args(argv)
    if args.benchmark_child:
        run_benchmark_child(args.device, args.batch, args.seconds_per_case)
        return 0

    import rlgrad

    if rlgrad.device(args.device).type == "cuda" and not rlgrad.cuda.is_available():
        print(f"gpu_check: no usable GPU here: {rlgrad.cuda.unavailable_reason()}. Run it on a "
              "machine with an NVIDIA GPU after `pip install -e .[gpu,test]`.", file=sys.stderr)
        return 2

    print(f"gpu_check on {args.device}; steps limited to {TEST_SECONDS} + {BENCH_SECONDS} + "
          f"{PG_SECONDS} s", flush=True)
    rows = []
    if "tests" not in args.skip:
        rows += check_tests(args.device)
    if "bench" not in args.skip:
        rows += check_benchmarks(args.device, args.batch, args.seconds_per_case)
    if "pg" not in args.skip:
        rows += check_policy_gradient(args.device)
    print_table(rows)
    failed = [row for row in rows if row[1] not in ("ok", "info")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
