"""Roll out a scripted expert and save its transitions as an rlgrad dataset (.npz).

    python scripts/collect.py --env LunarLander-v3 --expert lunar_lander_tilt \\
        --episodes 50 --out data/lunar_lander.npz --seed 0

Episode i is reset with seed S + i, so any episode of the dataset can be replayed alone.
"""

import argparse
import importlib.util
import os
import sys

if importlib.util.find_spec("envs") is None:
    # Run from a checkout without `pip install -e .`: make the repository root importable.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # sibling cli.py

import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

import envs  # noqa: E402,F401  (registers the rlgrad/ environments)
from agents.dataset import TransitionDataset, describe_space  # noqa: E402
from envs.experts import expert_names  # noqa: E402
from cli import HelpFormatter, load_expert, make_env_or_exit, seed_value  # noqa: E402
from agents.episodes import run_episodes  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--env", required=True, help="Gymnasium id, e.g. CartPole-v1")
    parser.add_argument(
        "--expert",
        help=f"expert name (default: the expert for --env), one of {sorted(expert_names())}, "
        "or the run folder of a saved rlgrad policy",
    )
    parser.add_argument("--episodes", type=int, default=10, help="episodes to record")
    parser.add_argument("--out", required=True, help="path of the .npz dataset to write")
    parser.add_argument("--seed", type=seed_value, default=0, help="seed of the first episode")
    args = parser.parse_args(argv)
    if args.episodes < 1:
        parser.error(f"--episodes must be at least 1, got {args.episodes}")
    if not args.out.endswith(".npz"):
        parser.error(f"--out must end in .npz (the dataset is an .npz archive), got {args.out}")
    return args


def collect(env, expert, num_episodes, seed):
    """Play ``num_episodes`` episodes with a progress bar showing the latest return."""
    episodes = []
    with tqdm(total=num_episodes, desc=f"{expert.name} on {env.spec.id}", unit="episode") as bar:
        for episode in run_episodes(env, expert, num_episodes, seed):
            episodes.append(episode)
            bar.set_postfix(episode_return=f"{episode.episode_return:.1f}", refresh=False)
            bar.update()
    return episodes


def main(argv=None):
    args = parse_args(argv)
    env = make_env_or_exit(args.env)
    expert = load_expert(args.expert or args.env, env_id=args.env)

    episodes = collect(env, expert, args.episodes, args.seed)
    env.close()
    returns = np.array([episode.episode_return for episode in episodes])
    dataset = TransitionDataset.from_episodes(
        episodes,
        metadata={
            "env_id": args.env,
            "env_kwargs": {},
            "observation_space": describe_space(env.observation_space),
            "action_space": describe_space(env.action_space),
            "expert": expert.name,
            "seed": args.seed,
        },
    )

    out_directory = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_directory, exist_ok=True)
    dataset.save(args.out)
    print(
        f"{args.env}: {len(returns)} episodes by {expert.name}, "
        f"return {returns.mean():.2f} +- {returns.std():.2f}, "
        f"{len(dataset)} transitions saved to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
