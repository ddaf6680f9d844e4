"""A walker on a square grid that must reach a goal cell with four discrete moves.

The discrete-action counterpart of the point mass: tiny, exact optimal behaviour is known
(walk the Manhattan distance), and a random policy almost never gets there in time.
"""

import numpy as np
import gymnasium
from gymnasium import spaces


# Row and column change of each action: up, right, down, left.
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))


class GridReachEnv(gymnasium.Env):
    """Walk from a random cell to a random goal cell on a ``size`` x ``size`` grid.

    Observation, float32 ``(4,)`` in ``[0, 1]``: agent ``(row, col)`` then goal ``(row, col)``,
    divided by ``size - 1`` so that the scale does not depend on the grid size.
    Action, ``Discrete(4)``: up, right, down, left (see ``MOVES``); moves into a wall do nothing.
    Reward: ``goal_reward`` on the step that reaches the goal, ``-step_cost`` on every other
    step. The episode terminates at the goal; the time limit comes from the registration
    (``rlgrad/GridReach-v0``: 50 steps).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 8}

    def __init__(self, render_mode=None, size=8, goal_reward=1.0, step_cost=0.05):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(
                f"render_mode must be None or one of {self.metadata['render_modes']}, "
                f"got {render_mode!r}"
            )
        if size < 2:
            raise ValueError(f"size must be at least 2 so start and goal can differ, got {size}")
        self.render_mode = render_mode
        self.size = int(size)
        self.goal_reward = float(goal_reward)
        self.step_cost = float(step_cost)

        self.observation_space = spaces.Box(0.0, 1.0, shape=(4,), dtype=np.float32)
        self.action_space = spaces.Discrete(len(MOVES))

        # Cells are plain Python ints: on a 2-D grid they are cheaper than NumPy arrays.
        self._agent = (0, 0)
        self._goal = (0, 0)

    def reset(self, *, seed=None, options=None):
        """Draw the agent and goal cells uniformly, never the same cell."""
        super().reset(seed=seed)
        first, second = self.np_random.choice(self.size * self.size, size=2, replace=False)
        self._agent = divmod(int(first), self.size)
        self._goal = divmod(int(second), self.size)
        return self._observation(), {"distance": self._distance_to_goal()}

    def step(self, action):
        """Move one cell (or stay against a wall) and pay the step cost or collect the goal."""
        if not self.action_space.contains(action):
            raise ValueError(f"expected an action in {self.action_space}, got {action!r}")
        row_change, column_change = MOVES[int(action)]
        row, column = self._agent
        last = self.size - 1
        self._agent = (
            min(max(row + row_change, 0), last),
            min(max(column + column_change, 0), last),
        )

        distance = self._distance_to_goal()
        terminated = distance == 0
        reward = self.goal_reward if terminated else -self.step_cost
        return self._observation(), reward, terminated, False, {"distance": distance}

    def render(self):
        """Draw the grid as RGB with 8x8 pixels per cell: goal in green, agent in blue."""
        if self.render_mode != "rgb_array":
            return None
        cells = np.full((self.size, self.size, 3), 255, dtype=np.uint8)
        cells[self._goal] = (40, 170, 60)
        cells[self._agent] = (40, 80, 200)
        return np.repeat(np.repeat(cells, 8, axis=0), 8, axis=1)

    def _distance_to_goal(self):
        return abs(self._goal[0] - self._agent[0]) + abs(self._goal[1] - self._agent[1])

    def _observation(self):
        cells = np.array(self._agent + self._goal, dtype=np.float32)
        cells /= self.size - 1
        return cells
