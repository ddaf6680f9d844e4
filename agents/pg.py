"""Vanilla policy gradient (REINFORCE) with reward-to-go and normalised advantages.

loss = -mean_t( log pi(a_t | s_t) * A_t ), where A_t is the (discounted) reward-to-go of
step t, or the whole episode's return, normalised over the batch.
"""

import numpy as np

import rlgrad
from agents.returns import episode_returns, normalize, reward_to_go


class PolicyGradient:
    """Updates `policy` (a module whose forward gives a distribution) from a `Batch`."""

    def __init__(self, policy, lr=5e-3, gamma=0.99, use_reward_to_go=True,
                 normalize_advantages=True):
        self.policy = policy
        self.optimizer = rlgrad.optim.Adam(policy.parameters(), lr=lr)
        self.gamma = gamma
        self.use_reward_to_go = use_reward_to_go
        self.normalize_advantages = normalize_advantages

    def advantages(self, batch):
        """Per-step weights of log-probabilities, shape (steps,), float32."""
        estimator = reward_to_go if self.use_reward_to_go else episode_returns
        values = estimator(batch.rewards, batch.dones, self.gamma)
        return normalize(values) if self.normalize_advantages else values

    def update(self, batch):
        """One gradient step; returns the losses as Python floats."""
        device = self.policy.device
        obs = rlgrad.as_tensor(batch.observations, device=device)
        actions = rlgrad.as_tensor(np.asarray(batch.actions, dtype=np.int64), device=device)
        advantages = rlgrad.as_tensor(self.advantages(batch), device=device)

        distribution = self.policy(obs)
        log_probs = distribution.log_prob(actions)
        policy_loss = -(log_probs * advantages).mean()

        self.optimizer.zero_grad()
        policy_loss.backward()
        self.optimizer.step()

        with rlgrad.no_grad():
            entropy = distribution.entropy().mean()
        return {"policy_loss": policy_loss.item(), "entropy": entropy.item()}
