"""Choosing an expert on the command line: a scripted expert's name or env id, or the run
folder of any saved rlgrad policy. Shared by collect.py and train_bc.py."""

import os

from agents.policy_expert import PolicyExpert
from envs.experts import make_expert


def load_expert(name_or_path):
    """The expert called `name_or_path`, or the saved policy in that run folder."""
    if os.path.exists(name_or_path):
        return PolicyExpert.load(name_or_path)
    try:
        return make_expert(name_or_path)
    except ValueError as error:
        raise SystemExit(str(error)) from None
