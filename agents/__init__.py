"""Agents built only on rlgrad: rollouts, returns and advantages, policies, algorithms,
and the transition datasets they learn from."""
