"""Numba kernels compile on their first call and are cached on disk (``cache=True`` on every
kernel), so only the first run after an install pays for it: that run says so, in one line on
stderr, while it compiles.

Numba stores the cache next to the module (``__pycache__``); where that is not writable (a
system-wide ``pip install``) it uses the user's cache directory (``~/.cache/numba`` or
similar), and ``NUMBA_CACHE_DIR`` overrides both (numba's cache locators, in that order).

Starting numba costs a new process about a second of CPU even when every kernel it needs is
cached (its import, 0.25 s, and its first dispatch, 0.6 s, which loads its typing registries
and imports ``scipy.linalg``; ``benchmarks/first_call.py`` measures it). Kernels made with
:func:`kernel` therefore import numba only when first called compiled, and a caller whose
work is small may run them as the plain Python they are written in (:func:`plain`) while
numba has not started in the process: the same source, the same IEEE arithmetic, tested
equal (``tests/test_jit.py``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys

_announced = False
#: Whether kernels called now may run as plain Python (inside :func:`plain`).
_plain = False
#: Whether a :class:`Kernel` has run compiled in this process (numba has started).
_started = False


class Kernel:
    """A numba kernel (``njit(cache=True, **options)`` of ``py_func``) made on its first
    compiled call, so that importing the module does not import numba. Called, it runs
    compiled, or as plain Python inside :func:`plain` while numba has not started in this
    process. Numba code calling it types it as its dispatcher (``_numba_type_``)."""

    def __init__(self, py_func, options):
        self.py_func, self.options, self._dispatcher = py_func, options, None
        functools.update_wrapper(self, py_func)

    @property
    def compiled(self):
        """The numba dispatcher (made, not yet compiled, on first access)."""
        if self._dispatcher is None:
            from numba import njit

            self._dispatcher = njit(cache=True, **self.options)(self.py_func)
        return self._dispatcher

    @property
    def _numba_type_(self):
        return self.compiled._numba_type_

    def __call__(self, *args):
        if _plain and not _started:
            return self.py_func(*args)
        return self.compiled_call(*args)

    def compiled_call(self, *args):
        """Run compiled, starting numba in this process if needed (with the one-line notice
        if nothing is cached for it yet)."""
        global _started
        dispatcher = self.compiled
        if not dispatcher.signatures:
            _notice([dispatcher])
        _started = True
        return dispatcher(*args)


def kernel(**options):
    """Decorator: the function as a :class:`Kernel` (``cache=True`` always; ``options`` such
    as ``inline="always"`` go to ``numba.njit``)."""
    return lambda py_func: Kernel(py_func, options)


def started() -> bool:
    """Whether numba has started in this process (a :class:`Kernel` ran compiled)."""
    return _started


@contextlib.contextmanager
def plain():
    """Inside the block, :class:`Kernel` calls run as plain Python until numba has started
    in the process (then compiled, which is cheaper from then on). For work that is small
    (a few polygons of a 2×2 game), where starting numba costs more than the work."""
    global _plain
    before, _plain = _plain, True
    try:
        yield
    finally:
        _plain = before


def kernels(targets) -> list:
    """The numba dispatchers named ``"module:function"``."""
    out = []
    for target in targets:
        module, _, name = target.partition(":")
        found = getattr(importlib.import_module(module), name)
        out.append(found.compiled if isinstance(found, Kernel) else found)
    return out


def _stored(dispatcher) -> bool:
    """Whether a compiled version of ``dispatcher`` is cached on disk."""
    cache = getattr(dispatcher, "_cache", None)
    index = getattr(getattr(cache, "_cache_file", None), "_index_path", None)
    return bool(index) and os.path.exists(index)


def announce(*targets) -> bool:
    """Print one line on stderr (once per process) if the kernels ``targets``
    (``"module:function"``, those about to be called) will compile now because nothing is
    cached for them yet; returns whether it did."""
    return _notice(kernels(targets))


def _notice(dispatchers) -> bool:
    global _announced
    missing = [k for k in dispatchers if not k.signatures and not _stored(k)]
    if not missing or _announced:
        return False
    _announced = True
    where = getattr(getattr(missing[0], "_cache", None), "_cache_path", "numba's cache")
    print(f"blocsim: compiling numerical kernels for their first use, which takes a while "
          f"(once: they are cached in {where})", file=sys.stderr, flush=True)
    return True
