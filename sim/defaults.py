"""The library's defaults and limits that more than one layer uses, each written once.

The command line shows them in ``--help`` and the scenario schema checks against them; the
functions of every layer take them as their defaults.

* :data:`MAX_NOISE` — execution noise ε of a scenario, a tournament or a sweep lies in
  [0, 0.5]: beyond ½ an intended action is more likely flipped than played, which is the
  opposite strategy under noise 1 − ε (the Markov-chain functions of :mod:`sim.play` accept
  any probability in [0, 1], as mathematics does).
* :data:`MORAN_FITNESS` — the Moran process maps payoffs to fitness by ``exp(β·π)``
  (Traulsen, Shoresh & Nowak 2008) unless told ``"linear"`` (``1 − w + w·π``, Nowak et al.
  2004): the exponential map is defined for every payoff, and utilities with relative gains
  are often negative, where the linear map has no meaning.
* :data:`MORAN_MAX_STEPS` — a simulated Moran run stops after 10⁷ steps if no type has
  fixed (with mutation it always runs that long); a coexistence game keeps a population of 60
  mixed for about that long already (Chicken: 2.4·10⁷ steps on average).
* :data:`TOURNAMENT_TURNS`, :data:`TOURNAMENT_REPETITIONS` — 200 turns per match (Axelrod
  1980) and 20 Monte Carlo repetitions, enough for Student-t intervals on the scores.
"""

MAX_NOISE = 0.5
MORAN_FITNESS = "exponential"
MORAN_MAX_STEPS = 10**7
TOURNAMENT_TURNS = 200
TOURNAMENT_REPETITIONS = 20
