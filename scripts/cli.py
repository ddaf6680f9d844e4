"""Pieces shared by the command-line scripts: checked argument types (a bad value is an
argparse error naming the option, not a crash deep in training), environments and experts
chosen by name with one-line errors."""

import argparse
import math
import os


def positive_int(text):
    """An integer >= 1."""
    value = _parse(int, text, "an integer")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_float(text):
    """A finite number > 0."""
    value = _parse(float, text, "a number")
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


def unit_interval(text):
    """A number in [0, 1]."""
    value = _parse(float, text, "a number")
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1], got {text}")
    return value


def _parse(kind, text, description):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {description}, got {text!r}") from None


def device_name(text):
    """A device that exists here: "cpu", "cuda[:N]" with a GPU, or "array_api_strict"."""
    import rlgrad

    try:
        device = rlgrad.device(text)
        if device.type == "cuda" and not rlgrad.cuda.is_available():
            raise ValueError(f"{rlgrad.cuda.unavailable_reason()}")
        rlgrad.zeros(1, device=device)
    except (ValueError, TypeError, RuntimeError, ImportError) as error:
        raise argparse.ArgumentTypeError(f"device {text!r} cannot be used: {error}") from None
    return text


def make_env_or_exit(env_id, **kwargs):
    """gymnasium.make(env_id), with a one-line message instead of a traceback when the id
    is unknown or its dependencies are missing."""
    import gymnasium as gym

    import envs  # noqa: F401  (registers the rlgrad/ environments)

    try:
        return gym.make(env_id, **kwargs)
    except (gym.error.Error, ImportError, ModuleNotFoundError) as error:
        raise SystemExit(f"cannot make environment {env_id!r}: {error}") from None


def find_expert(name_or_path):
    """The expert called `name_or_path` (a scripted expert's name or env id), or the saved
    policy in that run folder; None if there is no such expert."""
    from agents.policy_expert import PolicyExpert
    from envs.experts import make_expert

    if os.path.exists(name_or_path):
        return PolicyExpert.load(name_or_path)
    try:
        return make_expert(name_or_path)
    except ValueError:
        return None


def load_expert(name_or_path, env_id=None):
    """`find_expert`, exiting with the known names when there is none, and checking that the
    expert plays `env_id` when given."""
    from envs.experts import expert_names

    expert = find_expert(name_or_path)
    if expert is None:
        known = ", ".join(f"{name} ({env})" for name, env in expert_names().items())
        raise SystemExit(f"no expert named or playing {name_or_path!r}; known experts: {known}; "
                         f"or give the run folder of a saved policy")
    if env_id is not None and expert.env_id != env_id:
        raise SystemExit(f"expert {expert.name} plays {expert.env_id}, not {env_id}")
    return expert


def seed_value(text):
    """A seed: an integer >= 0 (NumPy's and Gymnasium's generators take no negative seed)."""
    value = _parse(int, text, "an integer")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, except where there is none to show."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False:
            return action.help
        return super()._get_help_string(action)
