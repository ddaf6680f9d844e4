"""Behaviour cloning, and DAgger, from an expert's demonstrations, logged to TensorBoard.

    python scripts/collect.py --env LunarLander-v3 --episodes 10 --out lunar.npz
    python scripts/train_bc.py --env LunarLander-v3 --data lunar.npz
    python scripts/train_bc.py --env Pendulum-v1 --data pendulum.npz --dagger --n-iter 10

Iteration 0 fits the demonstrations; with --dagger each further iteration rolls out the
learner, relabels the states it visited with the expert's actions, aggregates and refits.
Every iteration evaluates the learner on --eval-episodes fixed seeds. Writes
runs/<env>__bc|dagger__<seed>__<time>/ with events, policy.safetensors and summary.json.
"""

import argparse
import importlib.util
import os
import pickle
import sys
import time

if importlib.util.find_spec("agents") is None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # sibling cli.py

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402
from tqdm import tqdm  # noqa: E402

import envs  # noqa: E402,F401  (registers the rlgrad/ environments)
import rlgrad  # noqa: E402
from agents.bc import BehaviourCloning  # noqa: E402
from agents.dagger import dagger_iteration  # noqa: E402
from agents.dataset import TransitionDataset  # noqa: E402
from agents.evaluation import evaluate  # noqa: E402
from agents.policies import policy_for_env  # noqa: E402
from cli import (HelpFormatter, device_name, find_expert, load_expert,  # noqa: E402
                 make_env_or_exit, positive_float, positive_int, seed_value)
from rlgrad.utils.files import create_run_dir, write_json  # noqa: E402
from rlgrad.utils.tensorboard import SummaryWriter  # noqa: E402

EVAL_SEED_OFFSET = 100_000  # evaluation episodes never reuse the seeds of the demonstrations


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--env", required=True, help="Gymnasium id of the task")
    parser.add_argument("--data", required=True,
                        help="demonstrations: an rlgrad .npz dataset or a CS285 .pkl file")
    parser.add_argument("--expert", default=None,
                        help="expert for DAgger labels and the reference return: a scripted "
                             "expert's name, or a saved policy's run folder (default: the "
                             "dataset's expert, else the env's)")
    parser.add_argument("--dagger", action="store_true", help="run DAgger after plain BC")
    parser.add_argument("--n-iter", type=positive_int, default=10,
                        help="DAgger iterations after BC")
    parser.add_argument("--episodes-per-iter", type=positive_int, default=2,
                        help="learner episodes collected per DAgger iteration")
    parser.add_argument("--train-steps", type=positive_int, default=2000,
                        help="gradient steps per iteration")
    parser.add_argument("--batch-size", type=positive_int, default=256,
                        help="transitions per gradient step")
    parser.add_argument("--lr", type=positive_float, default=1e-3, help="Adam learning rate")
    parser.add_argument("--hidden", type=positive_int, nargs="*", default=[64, 64],
                        help="hidden layer sizes of the policy MLP")
    parser.add_argument("--activation", choices=["tanh", "relu"], default="tanh",
                        help="activation between hidden layers")
    parser.add_argument("--policy", choices=["auto", "gaussian", "deterministic"],
                        default="auto", help="for Box actions: Gaussian NLL or MSE "
                                             "(auto: deterministic); Discrete uses cross-entropy")
    parser.add_argument("--eval-episodes", type=positive_int, default=20,
                        help="evaluation episodes per iteration, on fixed seeds")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="seeds the network, minibatches and episodes")
    parser.add_argument("--device", type=device_name, default="cpu",
                        help="cpu, cuda, cuda:N or array_api_strict")
    parser.add_argument("--run-dir", default="runs", help="parent folder of run folders")
    return parser.parse_args(argv)


def load_demonstrations(path, env):
    """The demonstrations at `path`, checked against `env`'s spaces."""
    try:
        if path.endswith(".pkl"):
            from agents.cs285_import import load_cs285_expert_data

            return load_cs285_expert_data(path, env.spec.id)
        return TransitionDataset.load(path, env=env)
    except (OSError, ValueError, TypeError, pickle.UnpicklingError) as error:
        raise SystemExit(f"cannot use {path} as demonstrations for {env.spec.id}: {error}")


def make_policy(args, env):
    if args.policy != "auto" and not isinstance(env.action_space, gym.spaces.Box):
        raise SystemExit(f"--policy {args.policy} needs Box actions; {args.env} has "
                         f"{env.action_space} (Discrete actions use a categorical policy)")
    try:
        return policy_for_env(env, args.policy, args.hidden, args.activation, args.device)
    except ValueError as error:
        raise SystemExit(f"{args.env}: {error}") from None


def choose_expert(args, dataset):
    """--expert if given; else the dataset's expert or the env's scripted expert, if either is
    known. BC can run without one (the demonstrations' returns are the reference); DAgger
    cannot, since it asks the expert to label the learner's states."""
    if args.expert:
        return load_expert(args.expert, env_id=args.env)
    for candidate in (dataset.metadata.get("expert"), args.env):
        expert = find_expert(candidate) if candidate else None
        if expert is not None and expert.env_id == args.env:
            return expert
    if args.dagger:
        raise SystemExit(f"DAgger labels the learner's states with an expert, and none is known "
                         f"for {args.env}; pass --expert NAME or a saved policy's run folder")
    return None


def reference_returns(expert, dataset, env, episodes, seed):
    """What the learner is compared with: the expert on the evaluation seeds, or else the
    returns of the demonstrations' episodes."""
    if expert is not None:
        return evaluate(env, expert.act, episodes, seed=seed), expert.name
    return dataset.episode_returns(), "the demonstrations"


def relative_to_expert(value, expert_value):
    """"(92% of expert)" where that reads right: when the expert's return is positive."""
    if expert_value > 0:
        return f"({value / expert_value:.0%} of expert)"
    return f"({value - expert_value:+.1f} from expert)"


def log_iteration(writer, iteration, returns, loss, env_steps):
    writer.add_scalar("Eval_AverageReturn", returns.mean(), iteration)
    writer.add_scalar("Eval_StdReturn", returns.std(), iteration)
    writer.add_scalar("Train_EnvstepsSoFar", env_steps, iteration)
    writer.add_scalar("Training_Loss", loss, iteration)
    writer.add_scalar("charts/eval_return", returns.mean(), iteration)
    writer.add_scalar("losses/bc_loss", loss, iteration)


def train(args, env, policy, expert, dataset, trainer, writer, eval_seed, reference, history):
    """Fit (iteration 0), then for DAgger collect, relabel, aggregate and refit; evaluate and
    log every iteration, appending it to `history` (so an interruption keeps what was done)."""
    act = lambda obs: policy.act(obs, deterministic=True)  # noqa: E731
    env_steps = 0
    iterations = 1 + (args.n_iter if args.dagger else 0)
    for iteration in tqdm(range(iterations), desc="iterations", unit="iter", disable=None):
        if iteration == 0:
            losses = trainer.train(dataset, args.train_steps)
        else:
            dataset, visited, losses = dagger_iteration(
                env, policy, expert, dataset, trainer, args.episodes_per_iter,
                args.train_steps, seed=args.seed * 1000 + iteration * args.episodes_per_iter)
            env_steps += sum(len(episode) for episode in visited)
        returns = evaluate(env, act, args.eval_episodes, seed=eval_seed)
        loss = float(np.mean(losses[-100:]))
        log_iteration(writer, iteration, returns, loss, env_steps)
        history.append({"iteration": iteration, "eval_mean": float(returns.mean()),
                        "eval_std": float(returns.std()), "loss": loss,
                        "dataset_size": len(dataset), "env_steps": env_steps})
        tqdm.write(f"iter {iteration:2d}  data {len(dataset):6d}  loss {loss:.4f}  "
                   f"eval {returns.mean():8.1f} +- {returns.std():6.1f}  "
                   f"{relative_to_expert(returns.mean(), reference.mean())}")


def main(argv=None):
    args = parse_args(argv)
    rlgrad.manual_seed(args.seed)
    env = make_env_or_exit(args.env)
    dataset = load_demonstrations(args.data, env)
    expert = choose_expert(args, dataset)
    policy = make_policy(args, env)
    algorithm = "dagger" if args.dagger else "bc"
    run_path = create_run_dir(args.run_dir, f"{args.env.replace('/', '-')}__{algorithm}__"
                                            f"{args.seed}__{int(time.time())}")
    writer = SummaryWriter(run_path)
    start = time.perf_counter()

    eval_seed = EVAL_SEED_OFFSET + args.seed
    reference, reference_name = reference_returns(expert, dataset, env, args.eval_episodes,
                                                  eval_seed)
    print(f"reference ({reference_name}): {reference.mean():.1f} +- {reference.std():.1f} "
          f"over {len(reference)} episodes; demonstrations: {len(dataset)} steps, "
          f"{dataset.num_episodes} episodes")

    trainer = BehaviourCloning(policy, lr=args.lr, batch_size=args.batch_size, seed=args.seed)
    history = []
    interrupted = False
    try:
        train(args, env, policy, expert, dataset, trainer, writer, eval_seed, reference, history)
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: saving the policy as it is")

    wall_seconds = time.perf_counter() - start
    rlgrad.save(policy.state_dict(), os.path.join(run_path, "policy.safetensors"))
    last = history[-1] if history else {"eval_mean": None, "eval_std": None, "env_steps": 0}
    summary = {
        "env": args.env, "algorithm": algorithm, "seed": args.seed, "expert": reference_name,
        "expert_return_mean": float(reference.mean()),
        "expert_return_std": float(reference.std()),
        "demonstration_steps": len(dataset),
        "final_eval_mean": last["eval_mean"], "final_eval_std": last["eval_std"],
        "env_steps": last["env_steps"], "wall_seconds": round(wall_seconds, 3),
        "interrupted": interrupted, "history": history, "config": vars(args),
    }
    write_json(os.path.join(run_path, "summary.json"), summary)
    writer.close()
    env.close()
    if last["eval_mean"] is not None:
        print(f"final: {last['eval_mean']:.1f} +- {last['eval_std']:.1f} "
              f"{relative_to_expert(last['eval_mean'], reference.mean())}, "
              f"reference {reference.mean():.1f}; saved to {run_path}")
    return summary


if __name__ == "__main__":
    main()
