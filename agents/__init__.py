"""Agents built only on rlgrad: rollouts, returns and advantages, policies, algorithms."""
