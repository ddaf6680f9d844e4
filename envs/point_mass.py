"""A point mass pushed by a bounded 2-D force towards a goal on a square table.

Small and fast enough to debug a continuous-control learner in seconds, yet not trivial: the
mass keeps its velocity, so a policy must steer its momentum, not just point at the goal.
"""

import math

import numpy as np
import gymnasium
from gymnasium import spaces


class PointMassEnv(gymnasium.Env):
    """Reach a random goal with a damped point mass on the table ``[-1, 1]^2``.

    Observation, float32 ``(6,)``: position ``(x, y)``, velocity ``(vx, vy)``, goal ``(gx, gy)``.
    Action, float32 ``(2,)`` in ``[-1, 1]``: the force; larger values are clipped.
    Reward: minus the distance to the goal after the step, minus a small quadratic action cost.
    The episode terminates once the mass is within ``goal_radius`` of the goal; the time limit
    comes from the registration (``rlgrad/PointMass-v0``: 100 steps).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 20}

    def __init__(
        self,
        render_mode=None,
        goal_radius=0.1,
        action_cost=0.01,
        dt=0.1,
        damping=0.5,
        max_speed=2.0,
    ):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(
                f"render_mode must be None or one of {self.metadata['render_modes']}, "
                f"got {render_mode!r}"
            )
        self.render_mode = render_mode
        self.goal_radius = float(goal_radius)
        self.action_cost = float(action_cost)
        self.dt = float(dt)
        self.damping = float(damping)
        self.max_speed = float(max_speed)

        bound = np.array([1.0, 1.0, max_speed, max_speed, 1.0, 1.0], dtype=np.float32)
        self.observation_space = spaces.Box(-bound, bound, dtype=np.float32)
        self.action_space = spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)

        # The whole state lives in one float64 array laid out like the observation, so a step
        # updates it in place and the observation is a single cast.
        self._state = np.zeros(6)
        self._position = self._state[0:2]
        self._velocity = self._state[2:4]
        self._goal = self._state[4:6]

    def reset(self, *, seed=None, options=None):
        """Place the mass at rest and the goal at least two goal radii away from it."""
        super().reset(seed=seed)
        self._position[:] = self.np_random.uniform(-0.9, 0.9, size=2)
        self._velocity[:] = 0.0
        self._goal[:] = self._position
        while self._distance_to_goal() < 2.0 * self.goal_radius:
            self._goal[:] = self.np_random.uniform(-0.9, 0.9, size=2)
        return self._observation(), {"distance": self._distance_to_goal()}

    def step(self, action):
        """Apply the force for one time step (semi-implicit Euler) and score the new state."""
        # NOTE: np.minimum/np.maximum instead of np.clip: on 2-element arrays np.clip's Python
        # overhead is about twice the arithmetic of the whole step.
        force = np.minimum(np.maximum(action, -1.0), 1.0)

        self._velocity += self.dt * (force - self.damping * self._velocity)
        np.maximum(self._velocity, -self.max_speed, out=self._velocity)
        np.minimum(self._velocity, self.max_speed, out=self._velocity)
        self._position += self.dt * self._velocity
        self._stop_at_walls()

        distance = self._distance_to_goal()
        reward = -distance - self.action_cost * float(np.dot(force, force))
        terminated = distance < self.goal_radius
        return self._observation(), reward, terminated, False, {"distance": distance}

    def render(self):
        """Draw the table as a 64x64 RGB image: goal in green, mass in blue."""
        if self.render_mode != "rgb_array":
            return None
        size = 64
        image = np.full((size, size, 3), 255, dtype=np.uint8)
        for point, color in ((self._goal, (40, 170, 60)), (self._position, (40, 80, 200))):
            column, row = np.round((point + 1.0) * 0.5 * (size - 1)).astype(int)
            image[max(row - 2, 0) : row + 3, max(column - 2, 0) : column + 3] = color
        return image[::-1]

    def _stop_at_walls(self):
        """Keep the mass on the table; hitting an edge kills the velocity into that edge."""
        for axis in (0, 1):
            if abs(self._position[axis]) > 1.0:
                self._position[axis] = 1.0 if self._position[axis] > 0.0 else -1.0
                self._velocity[axis] = 0.0

    def _distance_to_goal(self):
        return math.hypot(*(self._goal - self._position))

    def _observation(self):
        return self._state.astype(np.float32)
