"""blocsim: when does cooperation between two rival blocs emerge, and what blocks it?

The import is light: submodules load on first use (``sim.games``, ``sim.preferences``,
``sim.equilibria``, ``sim.scenario``, ...).
"""

__version__ = "0.1.0"
