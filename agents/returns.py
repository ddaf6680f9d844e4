"""Returns and advantages on a flattened batch that holds several episodes back to back.

`dones[t]` is True on the last step of an episode (terminated or truncated), so sums never
run across an episode boundary. Everything here is NumPy: no graph is needed for targets.
"""

import numpy as np


def reward_to_go(rewards, dones, gamma):
    """sum_{t' >= t} gamma^(t'-t) r[t'] within each episode, shape (steps,), float32."""
    rewards = np.asarray(rewards, dtype=np.float64)
    dones = np.asarray(dones, dtype=bool)
    if rewards.shape != dones.shape or rewards.ndim != 1:
        raise ValueError(f"rewards and dones must be 1-D of one length, got shapes "
                         f"{rewards.shape} and {dones.shape}")
    returns = np.empty_like(rewards)
    running = 0.0
    for step in range(len(rewards) - 1, -1, -1):
        if dones[step]:
            running = 0.0
        running = rewards[step] + gamma * running
        returns[step] = running
    return returns.astype(np.float32)


def episode_returns(rewards, dones, gamma):
    """The discounted return of each step's whole episode (the non-reward-to-go estimator)."""
    rewards = np.asarray(rewards, dtype=np.float64)
    dones = np.asarray(dones, dtype=bool)
    to_go = reward_to_go(rewards, dones, gamma).astype(np.float64)
    result = np.empty_like(rewards)
    start = 0
    for end in np.flatnonzero(dones).tolist() + ([len(rewards) - 1] if len(rewards) and
                                                 not dones[-1] else []):
        result[start:end + 1] = to_go[start]
        start = end + 1
    return result.astype(np.float32)


def normalize(values, eps=1e-8):
    """(values - mean) / (std + eps): zero mean and unit spread, never NaN.

    A batch of one, or of equal values, has std 0 and becomes all zeros.
    """
    values = np.asarray(values, dtype=np.float32)
    if values.size == 0:
        return values
    centered = values - values.mean()
    return (centered / (centered.std() + eps)).astype(np.float32)
