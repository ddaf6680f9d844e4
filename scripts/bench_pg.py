"""Time rlgrad's policy-gradient job on CartPole-v1 against the same algorithm in PyTorch.

Both sides run in this one process, single-threaded (the thread variables are set before NumPy
or PyTorch is imported), with the settings of scripts/train_pg.py's defaults: whole episodes
until at least 5,000 steps per iteration, a 64-64 tanh MLP, Adam lr 5e-3, gamma 0.99,
discounted reward-to-go, normalised advantages. Each seed trains each framework until the mean
return of the last 20 training episodes reaches 475 or --max-steps env steps are done. The
order alternates by seed (rlgrad first on even seeds) so that a noisy machine hurts both alike.

Timed per run: the training loop only (network and env construction excluded), split into
rollout (env steps with per-step inference) and update (advantages, forward, backward, Adam).
No TensorBoard or checkpoint I/O on either side. Prints a table per seed and a summary with
medians and rlgrad/torch ratios per env step; writes everything as JSON with --out.

Usage: python scripts/bench_pg.py [--seeds 0 1 2 3 4] [--max-steps 250000] [--out FILE]
       python scripts/bench_pg.py --quick   (1 seed, 20,000 steps: a smoke run)
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
from collections import deque  # noqa: E402

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # sibling cli.py

import rlgrad  # noqa: E402
from agents.pg import PolicyGradient  # noqa: E402
from agents.policies import CategoricalPolicy  # noqa: E402
from agents.rollout import EpisodeCollector  # noqa: E402
from cli import positive_int  # noqa: E402

try:
    import torch
    torch.set_num_threads(1)
except ImportError:  # reported in main: the comparison needs it
    torch = None

ENV_ID = "CartPole-v1"
BATCH_SIZE = 5000
HIDDEN = (64, 64)
LR = 5e-3
GAMMA = 0.99
RETURN_WINDOW = 20
STOP_RETURN = 475.0
FRAMEWORKS = ("rlgrad", "torch")


# --- rlgrad: the library pieces, wired as scripts/train_pg.py wires them -------------------


def make_rlgrad_job(seed):
    """(collect, update) for rlgrad; collect() gives a Batch, update(batch) trains on it."""
    rlgrad.manual_seed(seed)
    env = gym.make(ENV_ID)
    policy = CategoricalPolicy(env.observation_space.shape[0], int(env.action_space.n),
                               HIDDEN, "tanh")
    policy.seed(seed)
    agent = PolicyGradient(policy, lr=LR, gamma=GAMMA)
    collector = EpisodeCollector(env, seed=seed)
    return (lambda: collector.collect(policy, BATCH_SIZE)), agent.update


# --- PyTorch: the same algorithm as a user would write it -----------------------------------


class TorchEpisodes:
    """Whole episodes back to back: arrays of shape (steps, ...) and each episode's return."""

    def __init__(self, observations, actions, rewards, dones, episode_returns):
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
        self.dones = dones
        self.episode_returns = episode_returns

    def __len__(self):
        return len(self.rewards)


class TorchPolicyGradient:
    """REINFORCE with reward-to-go and normalised advantages, in plain PyTorch on the CPU."""

    def __init__(self, seed):
        torch.manual_seed(seed)
        self.env = gym.make(ENV_ID)
        self.reset_seed = seed  # used on the first reset only
        obs_dim = self.env.observation_space.shape[0]
        n_actions = int(self.env.action_space.n)
        self.logits_net = torch.nn.Sequential(
            torch.nn.Linear(obs_dim, HIDDEN[0]), torch.nn.Tanh(),
            torch.nn.Linear(HIDDEN[0], HIDDEN[1]), torch.nn.Tanh(),
            torch.nn.Linear(HIDDEN[1], n_actions))
        self.optimizer = torch.optim.Adam(self.logits_net.parameters(), lr=LR)

    def act(self, obs):
        with torch.no_grad():
            logits = self.logits_net(torch.as_tensor(obs, dtype=torch.float32))
            return torch.distributions.Categorical(logits=logits).sample().item()

    def collect(self):
        observations, actions, rewards, dones, episode_returns = [], [], [], [], []
        while len(rewards) < BATCH_SIZE:
            obs, _ = self.env.reset(seed=self.reset_seed)
            self.reset_seed = None
            episode_return = 0.0
            done = False
            while not done:
                action = self.act(obs)
                next_obs, reward, terminated, truncated, _ = self.env.step(action)
                done = terminated or truncated
                observations.append(obs)
                actions.append(action)
                rewards.append(reward)
                dones.append(done)
                episode_return += float(reward)
                obs = next_obs
            episode_returns.append(episode_return)
        return TorchEpisodes(np.asarray(observations, dtype=np.float32),
                             np.asarray(actions, dtype=np.int64),
                             np.asarray(rewards, dtype=np.float32),
                             np.asarray(dones, dtype=bool), episode_returns)

    @staticmethod
    def reward_to_go(rewards, dones):
        """Discounted sum of the rewards from each step to its episode's end, (steps,)."""
        returns = np.zeros(len(rewards), dtype=np.float32)
        running = 0.0
        for step in reversed(range(len(rewards))):
            running = rewards[step] + GAMMA * running * (1.0 - dones[step])
            returns[step] = running
        return returns

    def update(self, batch):
        advantages = self.reward_to_go(batch.rewards, batch.dones)
        advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)

        obs = torch.as_tensor(batch.observations)
        actions = torch.as_tensor(batch.actions)
        distribution = torch.distributions.Categorical(logits=self.logits_net(obs))
        log_probs = distribution.log_prob(actions)
        loss = -(log_probs * torch.as_tensor(advantages)).mean()

        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()

        # logged like rlgrad's update does, so both sides do the same work
        with torch.no_grad():
            entropy = distribution.entropy().mean()
        return {"policy_loss": loss.item(), "entropy": entropy.item()}


def make_torch_job(seed):
    """(collect, update) for PyTorch, like make_rlgrad_job."""
    agent = TorchPolicyGradient(seed)
    return agent.collect, agent.update


JOB_MAKERS = {"rlgrad": make_rlgrad_job, "torch": make_torch_job}


# --- one training run, timed the same way for both -----------------------------------------


def train(framework, seed, max_steps):
    """Train until solved or `max_steps` env steps; returns the run's numbers as a dict."""
    collect, update = JOB_MAKERS[framework](seed)
    recent_returns = deque(maxlen=RETURN_WINDOW)
    steps, iteration, solved_at = 0, 0, None
    rollout_seconds = update_seconds = 0.0
    mean_return = float("nan")

    while steps < max_steps:
        iteration += 1
        rollout_start = time.perf_counter()
        batch = collect()
        update_start = time.perf_counter()
        update(batch)
        update_end = time.perf_counter()
        rollout_seconds += update_start - rollout_start
        update_seconds += update_end - update_start

        steps += len(batch)
        recent_returns.extend(batch.episode_returns)
        mean_return = float(np.mean(recent_returns))
        print(f"  {framework:6s} seed {seed}  iter {iteration:3d}  steps {steps:7d}  "
              f"return(last {len(recent_returns)}) {mean_return:6.1f}  "
              f"SPS {len(batch) / (update_end - rollout_start):7,.0f}", flush=True)
        if len(recent_returns) == RETURN_WINDOW and mean_return >= STOP_RETURN:
            solved_at = steps
            break

    wall_seconds = rollout_seconds + update_seconds
    return {"solved": solved_at is not None, "steps_to_solve": solved_at, "env_steps": steps,
            "iterations": iteration, "final_mean_return": mean_return,
            "wall_seconds": wall_seconds, "rollout_seconds": rollout_seconds,
            "update_seconds": update_seconds, "steps_per_second": steps / wall_seconds,
            "wall_us_per_step": 1e6 * wall_seconds / steps,
            "rollout_us_per_step": 1e6 * rollout_seconds / steps,
            "update_us_per_step": 1e6 * update_seconds / steps}


def bench_seed(seed, max_steps):
    order = FRAMEWORKS if seed % 2 == 0 else FRAMEWORKS[::-1]
    print(f"seed {seed}: {' then '.join(order)}", flush=True)
    result = {"seed": seed, "order": list(order)}
    for framework in order:
        result[framework] = train(framework, seed, max_steps)
    result["rlgrad_over_torch"] = {
        key: result["rlgrad"][key] / result["torch"][key]
        for key in ("wall_us_per_step", "rollout_us_per_step", "update_us_per_step")}
    return result


# --- report ---------------------------------------------------------------------------------


def summarize(seed_results):
    """Medians over seeds per framework, their ratios, paired ratios and solve counts."""
    summary = {"seeds": len(seed_results)}
    for framework in FRAMEWORKS:
        runs = [result[framework] for result in seed_results]
        solved_steps = [run["steps_to_solve"] for run in runs if run["solved"]]
        summary[framework] = {
            "solved": len(solved_steps),
            "median_steps_to_solve": statistics.median(solved_steps) if solved_steps else None,
            **{f"median_{key}": statistics.median(run[key] for run in runs)
               for key in ("wall_seconds", "steps_per_second", "wall_us_per_step",
                           "rollout_us_per_step", "update_us_per_step")}}
    for key in ("wall_us_per_step", "rollout_us_per_step", "update_us_per_step"):
        summary[f"ratio_of_medians_{key}"] = (summary["rlgrad"][f"median_{key}"]
                                              / summary["torch"][f"median_{key}"])
        summary[f"median_paired_ratio_{key}"] = statistics.median(
            result["rlgrad_over_torch"][key] for result in seed_results)
    return summary


def print_table(seed_results, summary):
    print(f"\n{'seed':>4s} {'framework':9s} {'solved at':>10s} {'steps':>7s} {'wall s':>7s} "
          f"{'SPS':>7s} {'rollout s':>9s} {'update s':>8s} {'us/step':>8s} {'roll us/st':>10s}")
    for result in seed_results:
        for framework in FRAMEWORKS:
            run = result[framework]
            solved = f"{run['steps_to_solve']:,}" if run["solved"] else "not solved"
            print(f"{result['seed']:4d} {framework:9s} {solved:>10s} {run['env_steps']:7d} "
                  f"{run['wall_seconds']:7.1f} {run['steps_per_second']:7,.0f} "
                  f"{run['rollout_seconds']:9.1f} {run['update_seconds']:8.1f} "
                  f"{run['wall_us_per_step']:8.1f} {run['rollout_us_per_step']:10.1f}")
        ratios = result["rlgrad_over_torch"]
        print(f"{'':4s} {'ratio':9s} rlgrad/torch per step: wall {ratios['wall_us_per_step']:.2f}"
              f", rollout {ratios['rollout_us_per_step']:.2f}, "
              f"update {ratios['update_us_per_step']:.2f}")

    print(f"\nsummary over {summary['seeds']} seed(s), medians:")
    for framework in FRAMEWORKS:
        numbers = summary[framework]
        steps = numbers["median_steps_to_solve"]
        print(f"  {framework:6s} solved {numbers['solved']}/{summary['seeds']}"
              f" (median steps to solve {'-' if steps is None else f'{steps:,.0f}'}), "
              f"wall {numbers['median_wall_seconds']:.1f} s, "
              f"SPS {numbers['median_steps_per_second']:,.0f}, per step: "
              f"wall {numbers['median_wall_us_per_step']:.1f} us, "
              f"rollout {numbers['median_rollout_us_per_step']:.1f} us, "
              f"update {numbers['median_update_us_per_step']:.1f} us")
    for key, label in (("wall_us_per_step", "wall time per env step"),
                       ("rollout_us_per_step", "rollout time per env step"),
                       ("update_us_per_step", "update time per env step")):
        print(f"  rlgrad/torch {label}: {summary[f'ratio_of_medians_{key}']:.2f} "
              f"(ratio of medians), {summary[f'median_paired_ratio_{key}']:.2f} "
              f"(median of per-seed ratios)")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=None,
                        help="seeds to run (default 0 1 2 3 4; 0 with --quick)")
    parser.add_argument("--max-steps", type=positive_int, default=None,
                        help="env steps at most per run (default 250000; 20000 with --quick)")
    parser.add_argument("--out", default=None, help="write the results as JSON here")
    parser.add_argument("--quick", action="store_true", help="one seed, 20,000 steps at most")
    args = parser.parse_args(argv)
    if args.seeds is None:
        args.seeds = [0] if args.quick else [0, 1, 2, 3, 4]
    if args.max_steps is None:
        args.max_steps = 20_000 if args.quick else 250_000
    return args


def main(argv=None):
    args = parse_args(argv)
    if torch is None:
        raise SystemExit("bench_pg.py compares with PyTorch, which is not importable here")

    print(f"{ENV_ID}, batch {BATCH_SIZE}, seeds {args.seeds}, at most {args.max_steps:,} "
          f"steps, stop at mean return {STOP_RETURN} over {RETURN_WINDOW} episodes; numpy "
          f"{np.__version__}, torch {torch.__version__}, gymnasium {gym.__version__}, "
          f"single-threaded", flush=True)
    seed_results = [bench_seed(seed, args.max_steps) for seed in args.seeds]
    summary = summarize(seed_results)
    print_table(seed_results, summary)

    if args.out:
        report = {
            "config": {"env": ENV_ID, "batch_size": BATCH_SIZE, "hidden": list(HIDDEN),
                       "lr": LR, "gamma": GAMMA, "return_window": RETURN_WINDOW,
                       "stop_return": STOP_RETURN, "max_steps": args.max_steps,
                       "seeds": args.seeds},
            "versions": {"python": platform.python_version(), "numpy": np.__version__,
                         "torch": torch.__version__, "gymnasium": gym.__version__},
            "machine": platform.machine(), "threads": 1,
            "per_seed": seed_results, "summary": summary}
        with open(args.out, "w") as file:
            json.dump(report, file, indent=2)
        print(f"wrote {args.out}")
    return seed_results, summary


if __name__ == "__main__":
    main()
