"""The ``blocsim`` subcommands: thin adapters from command-line options to library calls.

One module per subcommand, each with ``add_parsers(subparsers)`` and ``COMMANDS`` (name →
function of the parsed arguments returning an exit code). A command maps its options to the
library call (a :class:`~sim.scenario.Scenario` method, which resolves the settings and
defaults in :mod:`sim.workflows`), and the result object to text, files and an exit code.
Modules import heavy libraries only inside the command, so ``blocsim --help`` stays fast.
"""
