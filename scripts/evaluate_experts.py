"""Measure every scripted expert (or the chosen ones) over many seeded episodes.

    python scripts/evaluate_experts.py --episodes 100 --seed 1000 [--expert NAME ...]

Prints mean, standard deviation and minimum return per expert, next to the environment's
solved score where Gymnasium defines one. The test suite runs a few episodes; this is the
longer check.
"""

import argparse
import importlib.util
import os
import sys

if importlib.util.find_spec("envs") is None:
    # Run from a checkout without `pip install -e .`: make the repository root importable.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # sibling cli.py

import gymnasium  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

import envs  # noqa: E402,F401  (registers the rlgrad/ environments)
from envs.experts import expert_names, make_expert  # noqa: E402
from agents.episodes import run_episodes  # noqa: E402
from cli import positive_int, seed_value  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=positive_int, default=100,
                        help="episodes per expert")
    parser.add_argument("--seed", type=seed_value, default=1000,
                        help="seed of the first episode")
    parser.add_argument(
        "--expert", action="append", choices=sorted(expert_names()), help="repeatable"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for name in args.expert or list(expert_names()):
        expert = make_expert(name)
        env = gymnasium.make(expert.env_id)
        episodes = run_episodes(env, expert, args.episodes, args.seed)
        returns = np.array(
            [episode.episode_return for episode in tqdm(episodes, total=args.episodes, desc=name)]
        )
        env.close()
        print(
            f"{name:20s} {expert.env_id:26s} seeds {args.seed}-{args.seed + args.episodes - 1}: "
            f"mean {returns.mean():8.2f}  std {returns.std():7.2f}  min {returns.min():8.2f}  "
            f"solved at {env.spec.reward_threshold}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
