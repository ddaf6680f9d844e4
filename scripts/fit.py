"""Fit an MLP to (x, y) arrays by minibatch gradient descent on ||f(x) - y||^2.

    python scripts/fit.py                                   # default job, see below
    python scripts/fit.py --data xy.npz                     # arrays `x` and `y`
    python scripts/fit.py --data table.csv --targets 2      # last 2 columns are y

The default job learns the one-step dynamics of Pendulum-v1: from transitions it collects
itself with random actions, predict the change of observation from observation and action,
and compare the validation MSE with predicting no change. Writes runs/fit__<name>__<seed>__
<time>/ with TensorBoard curves, model.safetensors and summary.json.
"""

import argparse
import importlib.util
import os
import sys
import time

if importlib.util.find_spec("agents") is None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # sibling cli.py

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

import rlgrad  # noqa: E402
from agents.regression import Regressor, fit, mean_squared_error  # noqa: E402
from cli import (HelpFormatter, device_name, positive_float, positive_int,  # noqa: E402
                 seed_value)
from rlgrad.utils.files import create_run_dir, write_json  # noqa: E402
from rlgrad.utils.tensorboard import SummaryWriter  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--data", default=None,
                        help=".npz with arrays x and y, or .csv (default: Pendulum dynamics)")
    parser.add_argument("--targets", type=positive_int, default=1,
                        help="for .csv: how many trailing columns are targets")
    parser.add_argument("--x-key", default="x", help="for .npz: the array of inputs")
    parser.add_argument("--y-key", default="y", help="for .npz: the array of targets")
    parser.add_argument("--transitions", type=positive_int, default=20_000,
                        help="default job: Pendulum-v1 transitions to collect")
    parser.add_argument("--hidden", type=positive_int, nargs="*", default=[128, 128],
                        help="hidden layer sizes of the MLP")
    parser.add_argument("--activation", choices=["tanh", "relu"], default="relu",
                        help="activation between hidden layers")
    parser.add_argument("--epochs", type=positive_int, default=30)
    parser.add_argument("--batch-size", type=positive_int, default=256)
    parser.add_argument("--lr", type=positive_float, default=1e-3, help="Adam learning rate")
    parser.add_argument("--val-fraction", type=float, default=0.2,
                        help="share of rows held out for validation")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="seeds the split, the network, the minibatches and the data")
    parser.add_argument("--device", type=device_name, default="cpu",
                        help="cpu, cuda, cuda:N or array_api_strict")
    parser.add_argument("--run-dir", default="runs", help="parent folder of run folders")
    args = parser.parse_args(argv)
    if not 0 < args.val_fraction < 1:
        parser.error(f"--val-fraction must be in (0, 1), got {args.val_fraction}")
    return args


def pendulum_dynamics(transitions, seed):
    """x = (obs, action), y = next_obs - obs, from Pendulum-v1 under uniform random actions."""
    env = gym.make("Pendulum-v1")
    env.action_space.seed(seed)
    inputs, changes = [], []
    obs, _ = env.reset(seed=seed)
    for _ in tqdm(range(transitions), desc="collecting Pendulum-v1", unit="step", disable=None):
        action = env.action_space.sample()
        next_obs, _, terminated, truncated, _ = env.step(action)
        inputs.append(np.concatenate([obs, action]))
        changes.append(next_obs - obs)
        obs = env.reset()[0] if terminated or truncated else next_obs
    env.close()
    return np.asarray(inputs, np.float32), np.asarray(changes, np.float32)


def load_arrays(args):
    """(x, y) as float32 2-D arrays from --data, with errors that name what is wrong."""
    path = args.data
    if not os.path.isfile(path):
        raise SystemExit(f"--data {path}: no such file")
    if path.endswith(".npz"):
        x, y = _load_npz(path, args.x_key, args.y_key)
    elif path.endswith(".csv"):
        x, y = _load_csv(path, args.targets)
    else:
        raise SystemExit(f"--data must be a .npz or .csv file, got {path}")
    if len(x) == 0 or len(y) == 0:
        raise SystemExit(f"{path} holds no rows (x has shape {np.shape(x)}, y {np.shape(y)})")
    x = np.asarray(x, np.float32).reshape(len(x), -1)
    y = np.asarray(y, np.float32).reshape(len(y), -1)
    if len(x) != len(y):
        raise SystemExit(f"{path}: x has {len(x)} rows but y has {len(y)}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise SystemExit(f"{path} contains NaN or infinite values")
    return x, y


def _load_npz(path, x_key, y_key):
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [key for key in (x_key, y_key) if key not in archive.files]
            if missing:
                raise SystemExit(f"{path} has arrays {archive.files}; missing {missing} "
                                 f"(choose them with --x-key/--y-key)")
            x, y = archive[x_key], archive[y_key]
    except (OSError, ValueError, EOFError) as error:
        raise SystemExit(f"{path} is not a readable .npz of numeric arrays: {error}") from None
    for key, array in ((x_key, x), (y_key, y)):
        if array.dtype.kind not in "biuf" or array.ndim == 0:
            raise SystemExit(f"{path}: array {key!r} must be numeric with one row per "
                             f"sample, got dtype {array.dtype} and shape {array.shape}")
    return x, y


def _load_csv(path, targets):
    """Comma-separated numbers, one sample per row; a first row that is not numeric is a
    header. The last `targets` columns are y."""
    with open(path) as handle:
        lines = [line.strip() for line in handle if line.strip()]
    if lines and not _numeric_row(lines[0]):
        lines = lines[1:]
    if not lines:
        raise SystemExit(f"{path} has no data rows")
    rows = [line.split(",") for line in lines]
    widths = sorted({len(row) for row in rows})
    if len(widths) > 1:
        raise SystemExit(f"{path}: rows have different numbers of columns ({widths})")
    try:
        table = np.array([[float(cell) for cell in row] for row in rows])
    except ValueError as error:
        raise SystemExit(f"{path}: every cell must be a number ({error})") from None
    if not targets < table.shape[1]:
        raise SystemExit(f"{path} has {table.shape[1]} comma-separated columns; --targets "
                         f"{targets} must leave at least one input column")
    return table[:, :-targets], table[:, -targets:]


def _numeric_row(line):
    try:
        [float(cell) for cell in line.split(",")]
        return True
    except ValueError:
        return False


def split(x, y, val_fraction, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    val_count = max(1, int(round(len(x) * val_fraction)))
    if val_count >= len(x):
        raise SystemExit(f"{len(x)} rows with --val-fraction {val_fraction} leave no training "
                         f"rows; give more data or a smaller --val-fraction")
    val_rows, train_rows = order[:val_count], order[val_count:]
    return (x[train_rows], y[train_rows]), (x[val_rows], y[val_rows])


def main(argv=None):
    args = parse_args(argv)
    rlgrad.manual_seed(args.seed)
    if args.data is None:
        name = "pendulum_dynamics"
        x, y = pendulum_dynamics(args.transitions, args.seed)
    else:
        name = os.path.splitext(os.path.basename(args.data))[0]
        x, y = load_arrays(args)
    train, val = split(x, y, args.val_fraction, args.seed)
    run_path = create_run_dir(args.run_dir, f"fit__{name}__{args.seed}__{int(time.time())}")
    writer = SummaryWriter(run_path)
    print(f"{name}: {len(train[0])} training and {len(val[0])} validation rows, "
          f"x {x.shape[1]} -> y {y.shape[1]}")

    model = Regressor(x.shape[1], y.shape[1], tuple(args.hidden), args.activation,
                      device=args.device)
    model.set_normalization(*train)
    baseline_mse = float((val[1] ** 2).mean())  # predicting zero: no change / zero target
    mean_mse = float(((val[1] - train[1].mean(0)) ** 2).mean())
    start = time.perf_counter()
    progress = tqdm(total=args.epochs, desc="fitting", unit="epoch", disable=None)

    def on_epoch(epoch, train_loss, val_mse):
        writer.add_scalar("losses/train_loss", train_loss, epoch)
        writer.add_scalar("losses/val_mse", val_mse, epoch)
        progress.set_postfix(train_loss=f"{train_loss:.4g}", val_mse=f"{val_mse:.4g}")
        progress.update()
        if progress.disable:  # no terminal for a bar: one line per epoch instead
            print(f"epoch {epoch + 1:3d}/{args.epochs}  train loss {train_loss:.4g}  "
                  f"validation MSE {val_mse:.4g}", flush=True)

    history = fit(model, train, val, args.epochs, args.batch_size, args.lr, args.seed,
                  on_epoch)
    progress.close()
    wall_seconds = time.perf_counter() - start
    val_mse = mean_squared_error(model, *val)
    rlgrad.save(model.state_dict(), os.path.join(run_path, "model.safetensors"))
    summary = {
        "data": args.data or "Pendulum-v1 one-step dynamics (collected)",
        "train_rows": len(train[0]), "val_rows": len(val[0]),
        "val_mse": val_mse, "zero_prediction_val_mse": baseline_mse,
        "mean_prediction_val_mse": mean_mse,
        "improvement_over_zero_prediction": baseline_mse / max(val_mse, 1e-30),
        "final_train_loss": history.train_loss[-1], "wall_seconds": round(wall_seconds, 3),
        "config": vars(args),
    }
    write_json(os.path.join(run_path, "summary.json"), summary)
    writer.close()
    zero_name = "no change" if args.data is None else "zero"
    print(f"validation MSE {val_mse:.6g}; predicting {zero_name}: {baseline_mse:.6g} "
          f"({summary['improvement_over_zero_prediction']:.1f}x better); predicting the mean: "
          f"{mean_mse:.6g}; saved to {run_path}")
    return summary


if __name__ == "__main__":
    main()
