"""The one exception type for user mistakes: the command line prints its message as one line
and exits with code 2, never with a traceback."""


class UserError(ValueError):
    """A mistake in a scenario file, a parameter, a path or a command-line option."""
