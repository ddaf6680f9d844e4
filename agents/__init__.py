"""Reinforcement-learning agents built on rlgrad: data, losses, policies, algorithms."""
