"""Evolutionary dynamics on a payoff matrix among strategies: does cooperation emerge?

- :mod:`.replicator` — replicator dynamics, one population and two populations, batched;
- :mod:`.rest_points` — rest points of the replicator dynamics and their stability;
- :mod:`.moran` — the Moran process with two types: exact fixation probabilities and times;
- :mod:`.moran_simulation` — the Moran process with any number of types, simulated;
- :mod:`.generational` — "Evolution of Trust" generational play (Case, 2017);
- :mod:`.measures` — emergence measures for sweeps (cooperator share, takeover, basins).

Every function takes payoff matrices ``M[i, j]`` (payoff of strategy ``i`` against ``j``);
the strategies and the repeated play that produce them live in other modules.
"""

from .generational import GenerationalResult, generational
from .measures import Basin, cooperation_basin, cooperation_rate, cooperator_share, takeover
from .moran import (MoranTwoTypes, fitness_map, fixation_probability, fixation_times,
                    log_fixation_probability, moran_two_types, one_third_rule,
                    stationary_distribution)
from .moran_simulation import MoranSimulation, moran_simulation
from .replicator import (ReplicatorResult, payoff_scale, replicator,
                         replicator_two_populations)
from .rest_points import RestPoints, rest_points, rest_points_two_populations

__all__ = [
    "Basin", "GenerationalResult", "MoranSimulation", "MoranTwoTypes", "ReplicatorResult",
    "RestPoints", "cooperation_basin", "cooperation_rate", "cooperator_share", "fitness_map",
    "fixation_probability", "fixation_times", "generational", "log_fixation_probability", "moran_simulation",
    "moran_two_types", "one_third_rule", "payoff_scale", "replicator", "replicator_two_populations",
    "rest_points", "rest_points_two_populations", "stationary_distribution", "takeover",
]
