"""CartPole-v1 expert: the sign of a linear-quadratic regulator's force.

The gain comes from Gymnasium's CartPole equations linearised about the upright pole and
discretised with its own Euler step; the bang-bang force (push left or right, 10 N) then
follows the sign of the regulator's continuous force.
"""

import numpy as np

from envs.experts.base import Expert


# Physical constants of Gymnasium's CartPole-v1.
GRAVITY = 9.8
CART_MASS = 1.0
POLE_MASS = 0.1
POLE_HALF_LENGTH = 0.5
TIME_STEP = 0.02

# Costs on (x, x_dot, theta, theta_dot) and on the force. Keeping the cart near the centre
# matters as much as the angle: 500 steps of drift would run the cart off the track.
STATE_COST = np.diag([1.0, 1.0, 10.0, 1.0])
FORCE_COST = 0.1


def linearised_dynamics():
    """Return ``(A, B)`` of ``s' = A s + B F`` for the state ``(x, x_dot, theta, theta_dot)``."""
    total_mass = CART_MASS + POLE_MASS
    # From the CartPole equations with sin(theta) ~ theta, cos(theta) ~ 1, theta_dot^2 ~ 0.
    denominator = POLE_HALF_LENGTH * (4.0 / 3.0 - POLE_MASS / total_mass)
    theta_acc_per_theta = GRAVITY / denominator
    theta_acc_per_force = -1.0 / (total_mass * denominator)
    pole_share = POLE_MASS * POLE_HALF_LENGTH / total_mass
    x_acc_per_theta = -pole_share * theta_acc_per_theta
    x_acc_per_force = 1.0 / total_mass - pole_share * theta_acc_per_force

    derivative = np.array([
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, x_acc_per_theta, 0.0],
        [0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, theta_acc_per_theta, 0.0],
    ])
    force_effect = np.array([[0.0], [x_acc_per_force], [0.0], [theta_acc_per_force]])
    return np.eye(4) + TIME_STEP * derivative, TIME_STEP * force_effect


def lqr_gain(transition, control, state_cost, control_cost, iterations=5000):
    """Solve the discrete Riccati equation by fixed-point iteration; return ``K`` in ``u = -K s``.

    Iteration is plenty for a 4-state system and avoids a SciPy dependency.
    """
    cost_to_go = state_cost.copy()
    for _ in range(iterations):
        gain = np.linalg.solve(
            control_cost + control.T @ cost_to_go @ control,
            control.T @ cost_to_go @ transition,
        )
        updated = state_cost + transition.T @ cost_to_go @ (transition - control @ gain)
        if np.allclose(updated, cost_to_go, rtol=1e-12, atol=1e-12):
            break
        cost_to_go = updated
    return gain


class CartPoleExpert(Expert):
    """Push right (action 1) when the LQR force is positive, left (action 0) otherwise."""

    name = "cartpole_lqr"
    env_id = "CartPole-v1"
    obs_dim = 4
    discrete = True

    def __init__(self):
        transition, control = linearised_dynamics()
        self.gain = lqr_gain(transition, control, STATE_COST, np.array([[FORCE_COST]]))[0]

    def act_batch(self, obs):
        force = -obs @ self.gain
        return (force > 0.0).astype(np.int64)
