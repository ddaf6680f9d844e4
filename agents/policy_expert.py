"""Any saved rlgrad policy as an expert: load a run folder written by the training scripts.

A run folder holds `policy.safetensors` and `summary.json`, whose `config` says how the
policy was built (environment, hidden sizes, activation, policy kind). The expert acts
deterministically: the most likely action, or the Gaussian's mean.
"""

import json
import os

import gymnasium as gym

import rlgrad
from agents.policies import policy_for_env


class PolicyExpert:
    """`act(obs)` of a trained policy, for one observation or a (batch, obs_dim) array.

    Its `name` is the run folder's absolute path, so a dataset collected with it names the
    expert in a way that `load` (and the scripts' --expert) can find again."""

    def __init__(self, policy, env_id, name):
        self.policy = policy
        self.env_id = env_id
        self.name = name

    @classmethod
    def load(cls, path, device=None):
        """Load from a run folder, or from the `policy.safetensors` inside one."""
        folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        summary_path = os.path.join(folder, "summary.json")
        weights_path = os.path.join(folder, "policy.safetensors")
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path} does not exist")
        for required in (summary_path, weights_path):
            if not os.path.exists(required):
                raise FileNotFoundError(f"{path} is not an rlgrad run folder: {required} is "
                                        f"missing")
        with open(summary_path) as handle:
            config = json.load(handle)["config"]
        env = gym.make(config["env"])
        policy = policy_for_env(env, config.get("policy", "auto"), config["hidden"],
                                config["activation"], device=device)
        env.close()
        policy.load_state_dict(rlgrad.load(weights_path, map_location=policy.device))
        policy.eval()
        return cls(policy, config["env"], os.path.abspath(folder))

    def act(self, obs):
        return self.policy.act(obs, deterministic=True)

    def __call__(self, obs):
        return self.act(obs)

    def __repr__(self):
        return f"PolicyExpert(name={self.name!r}, env_id={self.env_id!r})"

