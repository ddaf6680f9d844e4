"""LunarLander-v3 expert (discrete actions): steer by tilting, brake the fall, settle on the pad.

The lander can only push along its own axis (main engine) or turn (side engines), so every
goal is expressed as a tilt or a thrust. To move left the main engine must point a little left,
which in Box2D's counter-clockwise angles means a positive tilt. The controller computes:

- a wanted horizontal speed that brings the lander over the pad (x = 0), and from the excess
  speed a wanted tilt, bounded so that the main engine still mostly lifts;
- a wanted descent speed that shrinks with height, and how much the lander falls too fast;
- how much it should turn to reach the wanted tilt, damped by its angular velocity.

Each step fires the engine whose need is largest, or none; once both legs touch it stays off.
Constants were tuned by random search on seeds 1000-1299 and checked on other seeds.
"""

import numpy as np

from envs.experts.base import Expert


# Discrete actions of LunarLander-v3. The left side engine raises the angle (turns the lander
# counter-clockwise), the right one lowers it.
NOOP, LEFT_ENGINE, MAIN_ENGINE, RIGHT_ENGINE = 0, 1, 2, 3

CENTERING_GAIN = 1.0  # wanted horizontal speed per unit of distance from the pad
MAX_SIDE_SPEED = 0.6
TILT_PER_SPEED_ERROR = 0.5  # radians of tilt per unit of excess horizontal speed
MAX_TILT = 0.3  # radians; more tilt leaves too little lift
MIN_DESCENT_SPEED = 0.04  # wanted sinking speed just above the ground
DESCENT_SPEED_PER_HEIGHT = 0.45
THRUST_GAIN = 1.0
TURN_GAIN = 0.8
TURN_DAMPING = 0.4
DEAD_BAND = 0.07  # needs smaller than this fire nothing and save fuel


class LunarLanderExpert(Expert):
    """Fire the main engine, a side engine or nothing, whichever is needed most."""

    name = "lunar_lander_tilt"
    env_id = "LunarLander-v3"
    obs_dim = 8
    discrete = True

    def act_batch(self, obs):
        x, y, x_speed, y_speed, angle, angular_speed = obs[:, :6].T
        left_leg_down, right_leg_down = obs[:, 6] > 0.5, obs[:, 7] > 0.5

        wanted_x_speed = np.clip(-CENTERING_GAIN * x, -MAX_SIDE_SPEED, MAX_SIDE_SPEED)
        wanted_tilt = np.clip(
            TILT_PER_SPEED_ERROR * (x_speed - wanted_x_speed), -MAX_TILT, MAX_TILT
        )
        # A leg on the ground: stop steering and just level out.
        wanted_tilt = np.where(left_leg_down | right_leg_down, 0.0, wanted_tilt)
        wanted_y_speed = -(MIN_DESCENT_SPEED + DESCENT_SPEED_PER_HEIGHT * y)

        thrust_need = THRUST_GAIN * (wanted_y_speed - y_speed)
        turn_need = TURN_GAIN * (wanted_tilt - angle) - TURN_DAMPING * angular_speed
        return choose_engine(thrust_need, turn_need, left_leg_down & right_leg_down)


def choose_engine(thrust_need, turn_need, landed):
    """Pick per row the action that serves the largest need; ``landed`` rows fire nothing."""
    actions = np.full(thrust_need.shape, NOOP, dtype=np.int64)
    actions[turn_need > DEAD_BAND] = LEFT_ENGINE
    actions[turn_need < -DEAD_BAND] = RIGHT_ENGINE
    thrust_first = thrust_need > np.maximum(np.abs(turn_need), DEAD_BAND)
    actions[thrust_first] = MAIN_ENGINE
    actions[landed] = NOOP
    return actions
