"""MountainCarContinuous-v0 expert: always push the way the car already moves.

Pushing along the velocity adds energy on every swing until the car clears the right hill.
The force is deliberately gentle: the environment charges ``0.1 * force^2`` per step, so a
third of full force climbs in more swings but spends far less (about 97.7 versus 89.4 mean
return at full force, measured on seeds 0-299).
"""

import numpy as np

from envs.experts.base import Expert


PUSH = 0.3


class MountainCarExpert(Expert):
    """Bang-bang energy pumping with force ``PUSH`` in the direction of the velocity."""

    name = "mountain_car_pump"
    env_id = "MountainCarContinuous-v0"
    obs_dim = 2

    def act_batch(self, obs):
        velocity = obs[:, 1]
        # At rest (the start state) push right; either side works, right is the goal's side.
        push = np.where(velocity >= 0.0, PUSH, -PUSH)
        return push.astype(np.float32)[:, None]
