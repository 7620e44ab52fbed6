"""The one exception type for user mistakes: the command line prints its message as one line
and exits with code 2, never with a traceback."""

import unicodedata


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (``\\n``, ``\\x1b``),
    so that it prints as exactly one line whatever a file or an option contained."""
    return "".join(
        ch if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Zl", "Zp", "Cs")
        else ascii(ch)[1:-1] for ch in str(text))


class UserError(ValueError):
    """A mistake in a scenario file, a parameter, a path or a command-line option.

    Its message is always one line (see :func:`one_line`).
    """

    def __init__(self, message: str):
        super().__init__(one_line(message))


class SweepError(UserError):
    """A user mistake in a sweep: an axis, a measure, an option or a result directory."""


def user_error(where: str, exc: Exception) -> UserError:
    """A library ``ValueError`` about user-given data, as a one-line :class:`UserError`
    prefixed by ``where``."""
    return UserError(f"{where}: {str(exc).splitlines()[0]}")
