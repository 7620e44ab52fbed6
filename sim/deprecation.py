"""Renamed public names, kept working for one release with a :class:`DeprecationWarning`
that names the new one (the one way blocsim retires a documented name)."""

from __future__ import annotations

import functools
import warnings


def warn_renamed(old: str, new: str, stacklevel: int = 3) -> None:
    """Warn that ``old`` is deprecated in favour of ``new``."""
    warnings.warn(f"{old} is deprecated; use {new}", DeprecationWarning, stacklevel=stacklevel)


def renamed_keywords(**old_to_new: str):
    """Decorator: a function whose keyword ``old`` is now called ``new`` still accepts
    ``old=``, with a :class:`DeprecationWarning`; giving both is a :class:`TypeError`.

    Examples
    --------
    >>> @renamed_keywords(delta="discount")
    ... def f(discount):
    ...     return discount
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     f(delta=0.9), str(caught[0].message)
    (0.9, 'f(delta=...) is deprecated; use f(discount=...)')
    """
    def wrap(function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{function.__name__}() got both {old!r} (deprecated) "
                                        f"and {new!r}")
                    warn_renamed(f"{function.__name__}({old}=...)",
                                 f"{function.__name__}({new}=...)")
                    kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)
        return call
    return wrap
