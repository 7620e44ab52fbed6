"""Tasks on a scenario, as the library runs them: analyse, tournament, evolve, folk, trust,
robust, sweep.

Each task module resolves its settings (:mod:`.settings`: given > scenario section > library
default), checks them, calls the vectorised functions of the lower layers and returns a result
object (:mod:`sim.results`). :class:`sim.scenario.Scenario`'s methods and the ``blocsim``
subcommands both call these, so a notebook and the command line compute the same thing.
"""
