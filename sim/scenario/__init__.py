"""Scenarios: the TOML schema, loading, validation, ``--set`` overrides and defaults.

A scenario names the players, gives the material payoffs (``[payoffs]`` or ``[[factors]]``),
the parameters that scale factors, each player's relative-gain weight and the repeated game's
discount factor. Every user mistake becomes a :class:`ScenarioError` whose message is one line
naming the file (or the ``--set`` option), the key, the value and what is allowed::

    my.toml: repeated.discount = 1.0: out of range; allowed: a number in [0, 1)

A scenario file must be valid on its own; each ``--set KEY=VALUE`` is then applied in turn and
must leave a valid scenario, and its errors name the ``--set``. An override may only name a key
the schema knows; under ``[parameters]`` (a free-form table in a file) it must name a parameter
the scenario defines.

Any numeric leaf can be given as an array through :meth:`Scenario.inputs`, which is how sweeps
evaluate a whole grid in one call.
"""

from .files import builtin_dir, builtin_names, read, resolve
from .loading import from_dict, load
from .messages import ScenarioError, show
from .model import Scenario
from .overrides import apply_override, parse_overrides

__all__ = ["Scenario", "ScenarioError", "apply_override", "builtin_dir", "builtin_names",
           "from_dict", "load", "parse_overrides", "read", "resolve", "show"]
