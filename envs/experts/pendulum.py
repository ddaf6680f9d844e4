"""Pendulum-v1 expert: pump energy until the pendulum can coast upright, then balance it.

Pendulum-v1 integrates ``theta_ddot = 3 g / (2 l) sin(theta) + 3 / (m l^2) u`` with theta = 0
upright. Along the torque-free motion ``E = theta_dot^2 / 2 + 3 g / (2 l) (cos(theta) - 1)``
is conserved, is 0 exactly when the pendulum rests upright, and changes at the rate
``3 / (m l^2) u theta_dot``; so a torque with the sign of ``-E theta_dot`` drives it towards 0.
Near the top a proportional-derivative law takes over and holds the pendulum up.
"""

import numpy as np

from envs.experts.base import Expert


GRAVITY = 10.0  # Pendulum-v1's default g.
LENGTH = 1.0
MAX_TORQUE = 2.0

# Gains of the energy pump (torque per unit of energy error times speed) and of the balancer.
PUMP_GAIN = 1.0
BALANCE_ANGLE_GAIN = 10.0
BALANCE_SPEED_GAIN = 2.0
# The balancer takes over when cos(theta) exceeds this, i.e. within about 30 degrees of upright.
BALANCE_COS = 0.85


class PendulumExpert(Expert):
    """Energy-shaping swing-up followed by a saturated PD balancer."""

    name = "pendulum_energy"
    env_id = "Pendulum-v1"
    obs_dim = 3

    def act_batch(self, obs):
        cos_theta, sin_theta, speed = obs[:, 0], obs[:, 1], obs[:, 2]
        theta = np.arctan2(sin_theta, cos_theta)

        energy = 0.5 * speed**2 + 1.5 * GRAVITY / LENGTH * (cos_theta - 1.0)
        # Hanging exactly at rest the pump would give no torque forever; a tiny stand-in
        # speed breaks that symmetry and the pump then builds up the swing.
        speed_or_nudge = np.where(np.abs(speed) < 1e-6, 1e-3, speed)
        pump = -PUMP_GAIN * energy * speed_or_nudge
        balance = -BALANCE_ANGLE_GAIN * theta - BALANCE_SPEED_GAIN * speed

        torque = np.where(cos_theta > BALANCE_COS, balance, pump)
        return np.clip(torque, -MAX_TORQUE, MAX_TORQUE).astype(np.float32)[:, None]
