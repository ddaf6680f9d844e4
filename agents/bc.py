"""Behaviour cloning: fit a policy to an expert's (observation, action) pairs.

The loss is the policy's `imitation_loss`: cross-entropy for discrete actions, negative
log-likelihood for a Gaussian policy, mean squared error for a deterministic one.
"""

import numpy as np

import rlgrad


class BehaviourCloning:
    """Minibatch Adam on `policy.imitation_loss` over a `TransitionDataset`."""

    def __init__(self, policy, lr=1e-3, batch_size=256, seed=0):
        self.policy = policy
        self.optimizer = rlgrad.optim.Adam(policy.parameters(), lr=lr)
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)

    def _device_batch(self, observations, actions, rows):
        device = self.policy.device
        obs = rlgrad.as_tensor(observations[rows], device=device)
        batch_actions = actions[rows]
        dtype = np.int64 if batch_actions.dtype.kind in "iu" else np.float32
        return obs, rlgrad.as_tensor(batch_actions.astype(dtype, copy=False), device=device)

    def train(self, dataset, steps):
        """`steps` gradient steps on shuffled minibatches; returns the loss of each step.

        The policy's observation normalisation is first refitted to the whole dataset, so
        that data aggregated by DAgger is scaled as well as the first demonstrations.
        """
        observations = np.asarray(dataset.observations, dtype=np.float32)
        actions = np.asarray(dataset.actions)
        if len(observations) == 0:
            raise ValueError("behaviour cloning needs a dataset with at least one transition")
        self.policy.set_obs_normalization(observations)
        order = self.rng.permutation(len(observations))
        position = 0
        losses = []
        self.policy.train()
        for _ in range(steps):
            if position >= len(order):
                order = self.rng.permutation(len(observations))
                position = 0
            rows = order[position:position + self.batch_size]
            position += self.batch_size

            obs, expert_actions = self._device_batch(observations, actions, rows)
            loss = self.policy.imitation_loss(obs, expert_actions)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            losses.append(loss.item())
        self.policy.eval()
        return losses
