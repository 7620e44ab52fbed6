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
