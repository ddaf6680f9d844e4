"""Evaluate a saved policy (a run folder of train_pg.py or train_bc.py) or a scripted expert.

    python scripts/evaluate.py runs/CartPole-v1__pg__0__1796404909 --episodes 20
    python scripts/evaluate.py lunar_lander_tilt --env LunarLander-v3

Plays whole episodes on seeds --seed, --seed + 1, ... with the most likely action (or, with
--sample, actions sampled from the policy) and prints the mean, std, min and max return.
"""

import argparse
import importlib.util
import os
import sys

if importlib.util.find_spec("agents") is None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # sibling cli.py

from agents.evaluation import evaluate  # noqa: E402
from cli import (HelpFormatter, load_expert, make_env_or_exit, positive_int,  # noqa: E402
                 seed_value)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("policy", help="a run folder with policy.safetensors, or an expert name")
    parser.add_argument("--env", default=None,
                        help="Gymnasium id (default: the one the policy or expert plays)")
    parser.add_argument("--episodes", type=positive_int, default=20)
    parser.add_argument("--seed", type=seed_value, default=100_000,
                        help="seed of the first episode")
    parser.add_argument("--sample", action="store_true",
                        help="sample actions from a saved policy instead of taking the mode")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    expert = load_expert(args.policy, env_id=args.env)
    env_id = args.env or expert.env_id
    env = make_env_or_exit(env_id)
    act = expert.act
    if args.sample:
        policy = getattr(expert, "policy", None)
        if policy is None:
            raise SystemExit("--sample needs a saved policy; scripted experts are deterministic")
        act = lambda obs: policy.act(obs, deterministic=False)  # noqa: E731
    returns = evaluate(env, act, args.episodes, seed=args.seed)
    env.close()
    print(f"{expert.name} on {env_id}: return {returns.mean():.2f} +- {returns.std():.2f} "
          f"(min {returns.min():.2f}, max {returns.max():.2f}) over {args.episodes} episodes")
    return returns


if __name__ == "__main__":
    main()
