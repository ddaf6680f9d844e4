"""Train a policy-gradient agent on a Gymnasium task with rlgrad, logging to TensorBoard.

    python scripts/train_pg.py --env CartPole-v1 --seed 0

Writes runs/<env>__pg__<seed>__<time>/ with TensorBoard events, policy.safetensors and
summary.json. Stops at the environment's reward threshold (mean of the last 20 training
episodes) unless --no-early-stop is given, and in any case after --total-steps.
"""

import argparse
import os
import sys
import time
from collections import deque

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # sibling cli.py

# One BLAS thread, set before NumPy loads: a 64-unit policy gains nothing from more, and sums
# computed by several threads round differently, so a seed's run would depend on the machine.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402

import rlgrad  # noqa: E402
from agents.pg import PolicyGradient  # noqa: E402
from agents.policies import CategoricalPolicy  # noqa: E402
from agents.rollout import EpisodeCollector  # noqa: E402
from cli import (HelpFormatter, device_name, make_env_or_exit, positive_float,  # noqa: E402
                 positive_int, seed_value, unit_interval)
from rlgrad.utils.files import create_run_dir, write_json  # noqa: E402
from rlgrad.utils.tensorboard import SummaryWriter  # noqa: E402

RETURN_WINDOW = 20


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--env", default="CartPole-v1", help="Gymnasium id (Discrete actions)")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="seeds the env, the network and the action sampling")
    parser.add_argument("--batch-size", type=positive_int, default=5000,
                        help="environment steps per iteration (whole episodes, at least this)")
    parser.add_argument("--total-steps", type=positive_int, default=250_000,
                        help="stop after this many environment steps")
    parser.add_argument("--iterations", type=positive_int, default=None,
                        help="stop after this many iterations (default: by --total-steps)")
    parser.add_argument("--lr", type=positive_float, default=5e-3, help="Adam learning rate")
    parser.add_argument("--gamma", type=unit_interval, default=0.99, help="discount factor")
    parser.add_argument("--hidden", type=positive_int, nargs="*", default=[64, 64],
                        help="hidden layer sizes of the policy MLP")
    parser.add_argument("--activation", choices=["tanh", "relu"], default="tanh",
                        help="activation between hidden layers")
    parser.add_argument("--no-reward-to-go", action="store_true",
                        help="weight by the whole episode's return instead of reward-to-go")
    parser.add_argument("--no-normalize-advantages", action="store_true",
                        help="use raw returns as weights instead of normalising them")
    parser.add_argument("--stop-return", type=float, default=None,
                        help="stop when the mean of the last 20 episodes reaches this "
                             "(default: the env's reward threshold)")
    parser.add_argument("--no-early-stop", action="store_true",
                        help="train for --total-steps even after reaching --stop-return")
    parser.add_argument("--device", type=device_name, default="cpu",
                        help="cpu, cuda, cuda:N or array_api_strict")
    parser.add_argument("--run-dir", default="runs", help="parent folder of run folders")
    return parser.parse_args(argv)


def make_env(env_id):
    env = make_env_or_exit(env_id)
    if not isinstance(env.action_space, gym.spaces.Discrete):
        raise SystemExit(f"train_pg.py needs a Discrete action space; {env_id} has "
                         f"{env.action_space}")
    if len(env.observation_space.shape or ()) != 1:
        raise SystemExit(f"train_pg.py needs flat (1-D Box) observations; {env_id} has "
                         f"{env.observation_space}")
    return env


def main(argv=None):
    args = parse_args(argv)
    rlgrad.manual_seed(args.seed)
    env = make_env(args.env)
    stop_return = None if args.no_early_stop else (
        args.stop_return if args.stop_return is not None else env.spec.reward_threshold)

    policy = CategoricalPolicy(env.observation_space.shape[0], int(env.action_space.n),
                               tuple(args.hidden), args.activation, device=args.device)
    policy.seed(args.seed)
    agent = PolicyGradient(policy, lr=args.lr, gamma=args.gamma,
                           use_reward_to_go=not args.no_reward_to_go,
                           normalize_advantages=not args.no_normalize_advantages)
    collector = EpisodeCollector(env, seed=args.seed)
    run_name = f"{args.env.replace('/', '-')}__pg__{args.seed}__{int(time.time())}"
    run_path = create_run_dir(args.run_dir, run_name)
    writer = SummaryWriter(run_path)
    writer.add_text("hyperparameters", "\n".join(f"|{k}|{v}|" for k, v in vars(args).items()))
    recent_returns = deque(maxlen=RETURN_WINDOW)
    start = time.perf_counter()
    iteration = 0
    solved_at = None

    print(f"run folder: {run_path}")
    interrupted = False
    try:
        while collector.total_steps < args.total_steps:
            if args.iterations is not None and iteration >= args.iterations:
                break
            iteration += 1
            batch_start = time.perf_counter()
            batch = collector.collect(policy, args.batch_size)
            losses = agent.update(batch)
            steps = collector.total_steps

            episodes = zip(batch.episode_returns, batch.episode_lengths, batch.episode_end_steps)
            for episode_return, length, end_step in episodes:
                writer.add_scalar("charts/episodic_return", episode_return, end_step)
                writer.add_scalar("charts/episodic_length", length, end_step)
                recent_returns.append(episode_return)
            sps = len(batch) / (time.perf_counter() - batch_start)
            writer.add_scalar("losses/policy_loss", losses["policy_loss"], steps)
            writer.add_scalar("losses/entropy", losses["entropy"], steps)
            writer.add_scalar("charts/SPS", sps, steps)
            mean_return = float(np.mean(recent_returns))
            print(f"iter {iteration:3d}  steps {steps:7d}  return(last {len(recent_returns)}) "
                  f"{mean_return:7.1f}  loss {losses['policy_loss']:+.4f}  "
                  f"entropy {losses['entropy']:.3f}  SPS {sps:,.0f}", flush=True)
            if stop_return is not None and len(recent_returns) == RETURN_WINDOW \
                    and mean_return >= stop_return:
                solved_at = steps
                print(f"reached mean return {mean_return:.1f} >= {stop_return} at {steps} steps")
                break
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: saving the policy as it is")

    wall_seconds = time.perf_counter() - start
    rlgrad.save(policy.state_dict(), os.path.join(run_path, "policy.safetensors"))
    summary = {
        "env": args.env, "algorithm": "pg", "seed": args.seed,
        "env_steps": collector.total_steps, "iterations": iteration,
        "wall_seconds": round(wall_seconds, 3),
        "final_mean_return": float(np.mean(recent_returns)) if recent_returns else None,
        "return_window": RETURN_WINDOW, "solved_at_steps": solved_at,
        "interrupted": interrupted,
        "config": vars(args),
    }
    write_json(os.path.join(run_path, "summary.json"), summary)
    writer.close()
    env.close()
    final = summary["final_mean_return"]
    print(f"done: {collector.total_steps} steps in {wall_seconds:.1f} s, mean return of the "
          f"last {len(recent_returns)} episodes {'-' if final is None else f'{final:.1f}'}; "
          f"saved to {run_path}")
    return summary


if __name__ == "__main__":
    main()
