"""Numba kernels compile on their first call and are cached on disk (``cache=True`` on every
kernel), so only the first run after an install pays for it: that run says so, in one line on
stderr, while it compiles.

Numba stores the cache next to the module (``__pycache__``); where that is not writable (a
system-wide ``pip install``) it uses the user's cache directory (``~/.cache/numba`` or
similar), and ``NUMBA_CACHE_DIR`` overrides both (numba's cache locators, in that order).
"""

from __future__ import annotations

import importlib
import os
import sys

_announced = False


def kernels(targets) -> list:
    """The numba dispatchers named ``"module:function"``."""
    out = []
    for target in targets:
        module, _, name = target.partition(":")
        out.append(getattr(importlib.import_module(module), name))
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
    global _announced
    missing = [k for k in kernels(targets) if not k.signatures and not _stored(k)]
    if not missing or _announced:
        return False
    _announced = True
    where = getattr(getattr(missing[0], "_cache", None), "_cache_path", "numba's cache")
    print(f"blocsim: compiling numerical kernels for their first use, which takes a while "
          f"(once: they are cached in {where})", file=sys.stderr, flush=True)
    return True
