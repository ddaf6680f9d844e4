"""Import CS285 homework-1 expert data into a ``TransitionDataset``, without trusting pickle.

CS285 ships expert demonstrations as ``expert_data_<EnvId>.pkl``: a pickled list with one
dict per trajectory holding ``observation``, ``action``, ``reward``, ``next_observation`` and
``terminal`` arrays (plus ``image_obs``, usually empty). A pickle can name any importable
callable and have the loader call it, so the file is read by an unpickler that admits only
NumPy arrays and plain containers and refuses every other global before calling anything.

The data comes from Gymnasium's MuJoCo ``-v4`` environments; it is mapped to ``-v5`` ids with
the keyword arguments that keep the observation layout, and checked against their spaces.
"""

import collections
import logging
import os
import pickle
import re
from dataclasses import dataclass, field

import gymnasium
import numpy as np

from agents.dataset import TransitionDataset, describe_space

logger = logging.getLogger(__name__)

TRAJECTORY_KEYS = ("observation", "action", "reward", "next_observation", "terminal")
FILE_NAME_PATTERN = re.compile(r"expert_data_(?P<env_id>[A-Za-z0-9]+-v\d+)\.pkl$")


class UnsafePickleError(pickle.UnpicklingError):
    """A pickle named a global outside the allowlist; nothing it names was called."""


def allowed_globals():
    """Map ``(module, name)`` as written in a pickle to the object it may resolve to.

    NumPy arrays pickle as ``_reconstruct`` + ``ndarray`` + ``dtype`` (or ``_frombuffer``
    with protocol 5), scalars as ``scalar``; NumPy 1 wrote ``numpy.core``, NumPy 2 writes
    ``numpy._core``. Protocols 0-2 spell builtins ``__builtin__`` and pickle ``bytes`` through
    ``_codecs.encode(text, "latin1")``; that is a pure text-to-bytes conversion.
    """
    multiarray = np._core.multiarray
    numpy_objects = {
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
        ("multiarray", "_reconstruct"): multiarray._reconstruct,
        ("multiarray", "scalar"): multiarray.scalar,
        ("numeric", "_frombuffer"): np._core.numeric._frombuffer,
    }
    allowed = {}
    for (module, name), value in numpy_objects.items():
        if module == "numpy":
            allowed[module, name] = value
        else:
            allowed[f"numpy.core.{module}", name] = value
            allowed[f"numpy._core.{module}", name] = value
    for container in (list, dict, tuple, set, frozenset, bytes, bytearray):
        allowed["builtins", container.__name__] = container
        allowed["__builtin__", container.__name__] = container
    allowed["collections", "OrderedDict"] = collections.OrderedDict
    allowed["_codecs", "encode"] = _latin1_encode
    return allowed


def _latin1_encode(text, encoding="latin1"):
    """Stand-in for ``_codecs.encode`` that allows only the text-to-bytes use pickle makes."""
    if encoding not in ("latin1", "latin-1"):
        raise UnsafePickleError(f"refused _codecs.encode with encoding {encoding!r}")
    return text.encode("latin1")


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the globals of ``allowed_globals``."""

    allowed = allowed_globals()

    def find_class(self, module, name):
        try:
            return self.allowed[module, name]
        except KeyError:
            raise UnsafePickleError(
                f"refused global {module}.{name}: only NumPy arrays and plain containers may "
                "appear in CS285 expert data, and this file asks for something else "
                "(it was not called)"
            ) from None


def restricted_load(path):
    """Unpickle ``path`` with ``RestrictedUnpickler``."""
    with open(path, "rb") as handle:
        return RestrictedUnpickler(handle).load()


@dataclass(frozen=True)
class Cs285Layout:
    """How one CS285 environment's data maps onto a Gymnasium ``-v5`` environment."""

    cs285_env_id: str
    obs_dim: int
    env_id: str
    env_kwargs: dict = field(default_factory=dict)
    # Observation columns that the -v5 environment no longer has (always zero in the data).
    dropped_columns: tuple = ()


LAYOUTS = (
    Cs285Layout("Hopper-v4", 11, "Hopper-v5"),
    Cs285Layout("HalfCheetah-v4", 17, "HalfCheetah-v5"),
    Cs285Layout("Walker2d-v4", 17, "Walker2d-v5"),
    # CS285 builds Ant-v4 with use_contact_forces=True: 27 joint values then 14 bodies x 6
    # external forces. Ant-v5 includes the forces by default but drops the world body's six,
    # which are always zero: columns 27-32.
    Cs285Layout("Ant-v4", 111, "Ant-v5", {}, tuple(range(27, 33))),
    # Ant-v4 with its own default (no contact forces) matches Ant-v5 without cfrc_ext.
    Cs285Layout("Ant-v4", 27, "Ant-v5", {"include_cfrc_ext_in_observation": False}),
)


def find_layout(cs285_env_id, obs_dim):
    """Return the layout for data of ``cs285_env_id`` with ``obs_dim``-wide observations."""
    candidates = [layout for layout in LAYOUTS if layout.cs285_env_id == cs285_env_id]
    if not candidates:
        known = sorted({layout.cs285_env_id for layout in LAYOUTS})
        raise ValueError(f"no CS285 mapping for {cs285_env_id!r}; known ids: {known}")
    for layout in candidates:
        if layout.obs_dim == obs_dim:
            return layout
    widths = [layout.obs_dim for layout in candidates]
    raise ValueError(
        f"{cs285_env_id} data has observations of width {obs_dim}; expected one of {widths}"
    )


def env_id_from_file_name(path):
    """Read the CS285 env id from a name like ``expert_data_Hopper-v4.pkl``, else None."""
    match = FILE_NAME_PATTERN.search(os.path.basename(os.fspath(path)))
    return match.group("env_id") if match else None


def resolve_cs285_env_id(env_id, path):
    """Return the CS285 id meant by ``env_id`` (a CS285 or -v5 id) or by the file name."""
    from_file_name = env_id_from_file_name(path)
    if env_id is None and from_file_name is None:
        raise ValueError(f"cannot tell the environment from the file name {path}; pass env_id")
    to_cs285 = {layout.env_id: layout.cs285_env_id for layout in LAYOUTS}
    cs285_env_id = to_cs285.get(env_id, env_id) if env_id is not None else from_file_name
    if from_file_name is not None and from_file_name != cs285_env_id:
        raise ValueError(f"{path} holds {from_file_name} data, but {env_id} was asked for")
    return cs285_env_id


def check_trajectories(trajectories, path):
    """Check the unpickled object is a non-empty list of dicts with the CS285 keys."""
    if not isinstance(trajectories, (list, tuple)) or not trajectories:
        raise ValueError(
            f"{path}: expected a non-empty list of trajectory dicts, "
            f"got {type(trajectories).__name__}"
        )
    for index, trajectory in enumerate(trajectories):
        if not isinstance(trajectory, dict):
            raise ValueError(f"{path}: trajectory {index} is a {type(trajectory).__name__}")
        missing = [key for key in TRAJECTORY_KEYS if key not in trajectory]
        if missing:
            raise ValueError(f"{path}: trajectory {index} lacks {missing}")
        steps = len(trajectory["reward"])
        if steps == 0:
            raise ValueError(f"{path}: trajectory {index} has no steps")
        for key in TRAJECTORY_KEYS:
            if len(trajectory[key]) != steps:
                raise ValueError(
                    f"{path}: trajectory {index}: {key} has {len(trajectory[key])} rows, "
                    f"reward has {steps}"
                )


def episode_end_flags(terminal, time_limit, index):
    """Split CS285's ``terminal`` into termination and truncation flags for one trajectory.

    CS285 sets ``terminal`` on the last step whenever the rollout stopped, whether the
    environment terminated or the rollout hit its length limit. So a last step counts as a
    termination only if it is marked terminal and the trajectory is shorter than the time
    limit; otherwise (a full-length trajectory, or a last step not marked) it is truncated.
    """
    terminal = np.asarray(terminal).reshape(-1) != 0
    steps = len(terminal)
    if terminal[:-1].any():
        step = int(np.flatnonzero(terminal[:-1])[0])
        raise ValueError(f"trajectory {index} is marked terminal at step {step} of {steps}")
    terminations = np.zeros(steps, dtype=bool)
    truncations = np.zeros(steps, dtype=bool)
    if terminal[-1] and (time_limit is None or steps < time_limit):
        terminations[-1] = True
    else:
        truncations[-1] = True
    return terminations, truncations


def load_cs285_expert_data(path, env_id=None, time_limit=None):
    """Read a CS285 ``expert_data_*.pkl`` file into a ``TransitionDataset`` for a -v5 env.

    ``env_id`` names the task either as CS285 does (``"Ant-v4"``) or as the -v5 id the data
    is mapped to (``"Ant-v5"``); it defaults to the id in the file name. ``time_limit``
    defaults to the -v5 environment's ``max_episode_steps`` (1000 for all four). The arrays
    are cast to the -v5 spaces' dtypes (float32 observations become float64) and checked
    against them. The result's metadata holds the -v5 ``env_id`` and the ``env_kwargs`` to
    build a matching environment with.
    """
    cs285_env_id = resolve_cs285_env_id(env_id, path)
    trajectories = restricted_load(path)
    check_trajectories(trajectories, path)

    obs_dim = np.asarray(trajectories[0]["observation"]).shape[-1]
    layout = find_layout(cs285_env_id, obs_dim)
    env = gymnasium.make(layout.env_id, **layout.env_kwargs)
    try:
        time_limit = time_limit or env.spec.max_episode_steps
        dataset = build_dataset(trajectories, layout, env, time_limit)
        dataset.check_spaces(env.observation_space, env.action_space)
    finally:
        env.close()
    logger.info("imported %d CS285 trajectories from %s as %s", len(trajectories), path, dataset)
    return dataset


def build_dataset(trajectories, layout, env, time_limit):
    """Concatenate the trajectories, map the observation layout and derive the end flags."""
    obs_dtype = env.observation_space.dtype
    flags = [
        episode_end_flags(trajectory["terminal"], time_limit, index)
        for index, trajectory in enumerate(trajectories)
    ]
    return TransitionDataset(
        observations=map_observations(stack(trajectories, "observation"), layout, obs_dtype),
        actions=stack(trajectories, "action").astype(env.action_space.dtype),
        rewards=stack(trajectories, "reward").reshape(-1),
        next_observations=map_observations(
            stack(trajectories, "next_observation"), layout, obs_dtype
        ),
        terminations=np.concatenate([terminations for terminations, _ in flags]),
        truncations=np.concatenate([truncations for _, truncations in flags]),
        metadata={
            "env_id": layout.env_id,
            "env_kwargs": layout.env_kwargs,
            "observation_space": describe_space(env.observation_space),
            "action_space": describe_space(env.action_space),
            "expert": f"cs285:{layout.cs285_env_id}",
            "source": {"format": "cs285-hw1", "cs285_env_id": layout.cs285_env_id},
        },
    )


def stack(trajectories, key):
    """Concatenate one array of every trajectory, in order."""
    return np.concatenate([np.asarray(trajectory[key]) for trajectory in trajectories])


def map_observations(observations, layout, dtype):
    """Drop the columns -v5 lacks (checking they are all zero) and cast to -v5's dtype."""
    if observations.ndim != 2 or observations.shape[1] != layout.obs_dim:
        raise ValueError(
            f"observations: expected shape (steps, {layout.obs_dim}) for "
            f"{layout.cs285_env_id}, got {observations.shape}"
        )
    dropped = list(layout.dropped_columns)
    if dropped and np.any(observations[:, dropped] != 0):
        raise ValueError(
            f"observation columns {dropped[0]}-{dropped[-1]} of {layout.cs285_env_id} should "
            f"be all zero (they are absent from {layout.env_id}), but some are not"
        )
    return np.delete(observations, dropped, axis=1).astype(dtype)
