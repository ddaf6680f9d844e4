"""rlgrad's transition dataset: demonstrations and aggregated experience as flat arrays.

On disk a dataset is one ``.npz`` archive that loads without pickle: six arrays with one row
per step, and a ``metadata`` array of UTF-8 JSON bytes that says where the data came from
(environment id and keyword arguments, spaces, expert) and what it scores (episode returns).
"""

import json
import logging
import os
import zipfile

import numpy as np
from gymnasium import spaces

from rlgrad.utils.files import atomic_write

logger = logging.getLogger(__name__)

FIELDS = (
    "observations",
    "actions",
    "rewards",
    "next_observations",
    "terminations",
    "truncations",
)
METADATA_FIELD = "metadata"
FORMAT_NAME = "rlgrad-transitions"
FORMAT_VERSION = 1
# Metadata that save() derives from the arrays; load() drops it so it can never go stale.
DERIVED_KEYS = (
    "format",
    "version",
    "num_transitions",
    "num_episodes",
    "episode_returns",
    "return_mean",
    "return_std",
)


def describe_space(space):
    """Return a JSON-ready description of a Gymnasium space: type, shape, dtype (and n)."""
    description = {
        "type": type(space).__name__,
        "shape": list(space.shape),
        "dtype": str(space.dtype),
    }
    if isinstance(space, spaces.Discrete):
        description["n"] = int(space.n)
        description["start"] = int(space.start)
    return description


class TransitionDataset:
    """Transitions ``(obs, action, reward, next_obs, terminated, truncated)`` as parallel arrays.

    Every array has one row per step, in episode order: ``observations`` and
    ``next_observations`` ``(steps, *obs_shape)``, ``actions`` ``(steps, *action_shape)``,
    ``rewards`` float32 ``(steps,)``, ``terminations`` and ``truncations`` bool ``(steps,)``.
    An episode ends at a step that is terminated or truncated. ``metadata`` is a JSON-ready
    dict describing the data's origin.
    """

    def __init__(
        self,
        observations,
        actions,
        rewards,
        next_observations,
        terminations,
        truncations,
        metadata=None,
    ):
        self.observations = np.asarray(observations)
        self.actions = np.asarray(actions)
        self.rewards = np.asarray(rewards, dtype=np.float32)
        self.next_observations = np.asarray(next_observations)
        self.terminations = as_flags(terminations, "terminations")
        self.truncations = as_flags(truncations, "truncations")
        self.metadata = dict(metadata or {})
        self._check_consistent()

    @classmethod
    def from_episodes(cls, episodes, metadata=None):
        """Concatenate episodes: any objects with the six arrays of ``FIELDS`` as attributes."""
        episodes = list(episodes)
        if not episodes:
            raise ValueError("from_episodes needs at least one episode")
        arrays = {
            name: np.concatenate([getattr(episode, name) for episode in episodes])
            for name in FIELDS
        }
        return cls(**arrays, metadata=metadata)

    @classmethod
    def concatenate(cls, datasets):
        """Join datasets end to end, e.g. to aggregate DAgger iterations.

        Every part but the last must end on an episode boundary, otherwise its unfinished
        episode would run on into the next part's first episode. The result keeps the
        metadata all parts agree on; differing expert names are joined with ``+``.
        """
        datasets = list(datasets)
        if not datasets:
            raise ValueError("concatenate needs at least one dataset")
        for index, part in enumerate(datasets[:-1]):
            if len(part) and not (part.terminations[-1] or part.truncations[-1]):
                raise ValueError(
                    f"part {index} ends mid-episode (its last step is neither terminated nor "
                    "truncated); mark that step truncated before concatenating"
                )
        for index, part in enumerate(datasets[1:], start=1):
            check_same_layout(datasets[0], part, index)

        arrays = {
            name: np.concatenate([getattr(part, name) for part in datasets]) for name in FIELDS
        }
        return cls(**arrays, metadata=merge_metadata([part.metadata for part in datasets]))

    def append(self, other):
        """Return a new dataset with ``other``'s transitions after this one's."""
        return type(self).concatenate([self, other])

    def __len__(self):
        return len(self.rewards)

    def __getitem__(self, index):
        """Select rows with a slice or an integer array; the result shares the metadata."""
        if isinstance(index, (int, np.integer)):
            raise TypeError("index with a slice or an array of indices, not a single integer")
        arrays = {name: getattr(self, name)[index] for name in FIELDS}
        return type(self)(**arrays, metadata=self.metadata)

    def __repr__(self):
        return (
            f"TransitionDataset({len(self)} transitions, {self.num_episodes} episodes, "
            f"env_id={self.metadata.get('env_id')!r})"
        )

    @property
    def num_episodes(self):
        """The number of complete episodes (a trailing unfinished one is not counted)."""
        return len(self.episode_ends())

    def episode_ends(self):
        """Indices of the last step of every complete episode, shape ``(num_episodes,)``."""
        return np.flatnonzero(self.terminations | self.truncations)

    def episodes(self):
        """Yield each complete episode as its own dataset (views, not copies)."""
        start = 0
        for end in self.episode_ends():
            yield self[start : end + 1]
            start = end + 1

    def episode_returns(self):
        """Undiscounted return of every complete episode, float64 ``(num_episodes,)``."""
        cumulative = np.concatenate([[0.0], np.cumsum(self.rewards, dtype=np.float64)])
        ends = self.episode_ends()
        starts = np.concatenate([[0], ends + 1])[: len(ends)].astype(np.int64)
        return cumulative[ends + 1] - cumulative[starts]

    def summary(self):
        """Counts and return statistics, as stored in the saved metadata."""
        returns = self.episode_returns()
        return {
            "num_transitions": len(self),
            "num_episodes": len(returns),
            "episode_returns": returns.tolist(),
            "return_mean": float(returns.mean()) if len(returns) else None,
            "return_std": float(returns.std()) if len(returns) else None,
        }

    def save(self, path):
        """Write the dataset to ``path`` as an ``.npz`` archive, atomically.

        The archive is written to a temporary file in the same directory and then renamed
        over ``path``, so a reader never sees a half-written file even if saving fails.
        """
        path = os.fspath(path)
        metadata = {**self.metadata, **self.summary()}
        metadata.update(format=FORMAT_NAME, version=FORMAT_VERSION)
        encoded = np.frombuffer(json.dumps(metadata, allow_nan=False).encode("utf-8"), np.uint8)
        arrays = {name: getattr(self, name) for name in FIELDS}

        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise FileNotFoundError(f"cannot save {path}: directory {directory} does not exist")
        with atomic_write(path, "wb") as handle:
            np.savez(handle, **arrays, **{METADATA_FIELD: encoded})
        logger.info("saved %d transitions to %s", len(self), path)

    @classmethod
    def load(cls, path, env=None, observation_space=None, action_space=None):
        """Read a dataset written by ``save``; check it against ``env``'s spaces if given.

        Pickled objects are refused (``allow_pickle=False``), so loading an untrusted file
        runs no code. Spaces may also be passed on their own, without an environment.
        """
        with open(path, "rb") as handle:
            signature = handle.read(4)
        if signature != b"PK\x03\x04":
            raise ValueError(f"{path} is not an rlgrad transition dataset: an .npz archive "
                             f"starts with the zip signature, this file starts with "
                             f"{signature!r}")
        try:
            archive = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
            raise ValueError(f"{path} is not an rlgrad transition dataset (.npz): "
                             f"{error}") from None
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError(f"{path} holds a single array, not an rlgrad transition dataset "
                             f"(.npz with arrays {[*FIELDS, METADATA_FIELD]})")
        with archive:
            missing = [name for name in (*FIELDS, METADATA_FIELD) if name not in archive.files]
            if missing:
                raise ValueError(
                    f"{path} is not an rlgrad transition dataset: it lacks {missing}; "
                    f"expected arrays {[*FIELDS, METADATA_FIELD]}"
                )
            arrays = {name: archive[name] for name in FIELDS}
            metadata = json.loads(archive[METADATA_FIELD].tobytes().decode("utf-8"))
        check_format(metadata, path)

        dataset = cls(**arrays, metadata=strip_derived(metadata))
        if env is not None:
            if observation_space is None:
                observation_space = env.observation_space
            if action_space is None:
                action_space = env.action_space
            warn_if_other_env(dataset.metadata.get("env_id"), env, path)
        dataset.check_spaces(observation_space, action_space)
        return dataset

    def check_spaces(self, observation_space=None, action_space=None):
        """Raise ``ValueError`` naming the field if the arrays do not fit the given spaces."""
        if observation_space is not None:
            for name in ("observations", "next_observations"):
                check_field(name, getattr(self, name), observation_space, "observation")
        if action_space is not None:
            check_field("actions", self.actions, action_space, "action")
            if isinstance(action_space, spaces.Discrete) and len(self):
                check_discrete_range(self.actions, action_space)

    def _check_consistent(self):
        for name in FIELDS:
            array = getattr(self, name)
            if array.dtype == object:
                raise TypeError(f"{name}: object arrays are not allowed (they need pickle)")
            if array.ndim == 0 or len(array) != len(self.rewards):
                raise ValueError(
                    f"{name}: expected {len(self.rewards)} rows like rewards, "
                    f"got shape {array.shape}"
                )
        for name in ("rewards", "terminations", "truncations"):
            if getattr(self, name).ndim != 1:
                shape = getattr(self, name).shape
                raise ValueError(f"{name}: expected shape (steps,), got {shape}")
        for name in ("observations", "actions", "rewards", "next_observations"):
            array = getattr(self, name)
            if array.dtype.kind == "f" and not np.isfinite(array).all():
                row = int(np.flatnonzero(~np.isfinite(array).reshape(len(array), -1).all(1))[0])
                raise ValueError(f"{name}: row {row} holds NaN or infinity ({array[row]!r})")
        if self.next_observations.shape[1:] != self.observations.shape[1:]:
            raise ValueError(
                f"next_observations: expected rows of shape {self.observations.shape[1:]} "
                f"like observations, got {self.next_observations.shape[1:]}"
            )


def as_flags(values, name):
    """Convert 0/1 or bool values to a bool array; anything else is an error, not a cast."""
    values = np.asarray(values)
    if values.dtype == bool:
        return values
    if values.size and not np.isin(values, (0, 1)).all():
        raise ValueError(f"{name}: expected booleans or 0/1 values, got {np.unique(values)[:5]}")
    return values.astype(bool)


def check_field(name, array, space, which):
    """Check ``array``'s rows against ``space``'s shape and dtype."""
    expected_shape = (len(array), *space.shape)
    if array.shape != expected_shape or array.dtype != space.dtype:
        raise ValueError(
            f"{name}: expected shape {expected_shape} and dtype {space.dtype} to match the "
            f"{which} space {space}, got shape {array.shape} and dtype {array.dtype}"
        )


def check_discrete_range(actions, space):
    """Check that discrete actions lie in ``[start, start + n)``."""
    low, high = int(space.start), int(space.start + space.n)
    if actions.min() < low or actions.max() >= high:
        raise ValueError(
            f"actions: expected values in [{low}, {high}) for {space}, "
            f"got values from {actions.min()} to {actions.max()}"
        )


def check_same_layout(first, other, index):
    """Check that ``other`` (part ``index``) can be stacked under ``first``."""
    for name in ("observations", "actions"):
        expected, actual = getattr(first, name), getattr(other, name)
        if expected.shape[1:] != actual.shape[1:] or expected.dtype != actual.dtype:
            raise ValueError(
                f"{name} of part {index}: expected rows of shape {expected.shape[1:]} and dtype "
                f"{expected.dtype} like part 0, got {actual.shape[1:]} and {actual.dtype}"
            )
    env_ids = first.metadata.get("env_id"), other.metadata.get("env_id")
    if None not in env_ids and env_ids[0] != env_ids[1]:
        raise ValueError(f"part {index} comes from {env_ids[1]!r}, part 0 from {env_ids[0]!r}")


def merge_metadata(metadatas):
    """Keep the entries all parts agree on; join differing expert names with ``+``."""
    merged = {
        key: value
        for key, value in metadatas[0].items()
        if all(key in other and other[key] == value for other in metadatas[1:])
    }
    experts = [metadata["expert"] for metadata in metadatas if "expert" in metadata]
    if experts:
        merged["expert"] = "+".join(dict.fromkeys(experts))
    return merged


def strip_derived(metadata):
    """Drop the entries ``save`` computes from the arrays."""
    return {key: value for key, value in metadata.items() if key not in DERIVED_KEYS}


def check_format(metadata, path):
    """Refuse archives of another format or of a newer version than this code reads."""
    if metadata.get("format") != FORMAT_NAME:
        raise ValueError(
            f"{path}: expected metadata format {FORMAT_NAME!r}, got {metadata.get('format')!r}"
        )
    if metadata.get("version", 0) > FORMAT_VERSION:
        raise ValueError(
            f"{path}: format version {metadata['version']} is newer than this code reads "
            f"({FORMAT_VERSION}); update rlgrad"
        )


def warn_if_other_env(env_id, env, path):
    """Log a warning when the data was recorded on another environment id than ``env``'s."""
    spec = getattr(env, "spec", None)
    if env_id is not None and spec is not None and spec.id != env_id:
        logger.warning("%s was recorded on %s but is loaded for %s", path, env_id, spec.id)
