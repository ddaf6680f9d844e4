"""Scripted experts that need no download, found by name or by environment id.

>>> expert = make_expert("CartPole-v1")      # or make_expert("cartpole_lqr")
>>> action = expert.act(obs)                 # one obs, or a (batch, obs_dim) array
"""

from envs.experts.base import Expert
from envs.experts.cartpole import CartPoleExpert
from envs.experts.grid_reach import GridReachExpert
from envs.experts.lunar_lander import LunarLanderExpert
from envs.experts.mountain_car import MountainCarExpert
from envs.experts.pendulum import PendulumExpert
from envs.experts.point_mass import PointMassExpert


EXPERTS = (
    CartPoleExpert,
    PendulumExpert,
    LunarLanderExpert,
    MountainCarExpert,
    PointMassExpert,
    GridReachExpert,
)


def expert_names():
    """Return the names ``make_expert`` accepts, with the environment each one plays."""
    return {expert.name: expert.env_id for expert in EXPERTS}


def make_expert(name_or_env_id):
    """Build the expert called ``name_or_env_id``, or the expert for that environment id."""
    for expert in EXPERTS:
        if name_or_env_id in (expert.name, expert.env_id):
            return expert()
    known = ", ".join(f"{name} ({env_id})" for name, env_id in expert_names().items())
    raise ValueError(f"no expert named or playing {name_or_env_id!r}; known experts: {known}")


__all__ = ["Expert", "EXPERTS", "expert_names", "make_expert"]
