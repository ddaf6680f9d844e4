"""rlgrad's own Gymnasium environments, registered under the ``rlgrad/`` namespace.

Importing this package is enough to make ``gymnasium.make("rlgrad/PointMass-v0")`` work.
Registration is skipped for ids already present, so re-importing (or reloading) the package
neither raises nor makes Gymnasium warn about overriding an environment.
"""

import gymnasium


# id, entry point, time limit in steps, mean return that counts as solved. The scripted
# experts score about -9 on PointMass (random actions: about -100) and about 0.77 on
# GridReach, the optimum (random actions: about -1.9).
ENVIRONMENTS = (
    ("rlgrad/PointMass-v0", "envs.point_mass:PointMassEnv", 100, -15.0),
    ("rlgrad/GridReach-v0", "envs.grid_reach:GridReachEnv", 50, 0.7),
)


def register_environments():
    """Register every environment in ``ENVIRONMENTS`` that Gymnasium does not know yet."""
    for env_id, entry_point, max_episode_steps, reward_threshold in ENVIRONMENTS:
        if env_id in gymnasium.registry:
            continue
        gymnasium.register(
            id=env_id,
            entry_point=entry_point,
            max_episode_steps=max_episode_steps,
            reward_threshold=reward_threshold,
        )


register_environments()
