"""Writing results safely: never overwrite without ``force``, always atomically, and with a
clear one-line error for a path that cannot be written."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from .errors import UserError

_ALLOWED_DIR = "a writable directory (created if missing)"


def prepare(directory: str | os.PathLike, names: list[str], force: bool = False) -> Path:
    """Create ``directory`` if needed and check that ``names`` may be written into it.

    Raises :class:`UserError` when the path is not a writable directory, or when any of the
    files already exists and ``force`` is false (nothing is written or removed then).
    """
    where = f"--out {directory}"
    if not str(directory).strip():
        raise UserError(f"--out {str(directory)!r}: empty path; allowed: {_ALLOWED_DIR}")
    path = Path(directory)
    try:
        is_file = path.exists() and not path.is_dir()
        if not is_file:
            path.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        raise UserError(f"{where}: cannot create directory ({_reason(exc)}); allowed: "
                        f"{_ALLOWED_DIR}") from None
    if is_file:
        raise UserError(f"{where}: exists and is not a directory; allowed: {_ALLOWED_DIR}")
    if not os.access(path, os.W_OK | os.X_OK):
        raise UserError(f"{where}: directory is not writable; allowed: {_ALLOWED_DIR}")
    existing = [n for n in names if (path / n).exists() or (path / n).is_symlink()]
    if existing and not force:
        raise UserError(f"{where}: {existing[0]} = {path / existing[0]}: already exists, not "
                        "overwritten; allowed: --force to overwrite, or another --out")
    blocked = [n for n in existing if (path / n).is_dir()]
    if blocked:
        raise UserError(f"{where}: {blocked[0]} = {path / blocked[0]}: is a directory, cannot "
                        f"be overwritten; allowed: {_ALLOWED_DIR} without it")
    return path


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _failed(path: Path, exc: OSError) -> UserError:
    return UserError(f"--out {path.parent}: {path.name}: cannot write ({_reason(exc)}); "
                     f"allowed: {_ALLOWED_DIR}")


def file_mode() -> int:
    """The mode a new file gets under this process's umask (``0o666 & ~umask``), so that every
    output has the same mode, whichever way it was written."""
    global _MODE
    if _MODE is None:
        umask = None
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                umask = next((int(line.split()[1], 8) for line in fh
                              if line.startswith("Umask:")), None)
        except OSError:
            pass
        if umask is None:                       # not Linux: read it by setting it back
            umask = os.umask(0o022)
            os.umask(umask)
        _MODE = 0o666 & ~umask
    return _MODE


_MODE = None


def temporary(path: Path) -> tuple[int, str]:
    """``(fd, name)`` of a new temporary file beside ``path`` with the output mode
    (:func:`file_mode`; ``mkstemp`` alone gives 0600), to be renamed onto ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, file_mode())
    return fd, tmp


def write_text(path: Path, text: str) -> None:
    """Write a file atomically: to a temporary name first, then rename over the target.

    Raises :class:`UserError` when the file cannot be written.
    """
    try:
        fd, tmp = temporary(path)
    except OSError as exc:
        raise _failed(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _strict(x):
    """``x`` with every nan or infinity replaced by ``None``: JSON has no such numbers."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {k: _strict(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_strict(v) for v in x]
    return x


def plain(x):
    """``x`` with numpy arrays and scalars as lists and Python numbers, tuples as lists:
    data :func:`json_text` can write."""
    if hasattr(x, "tolist"):                     # a numpy array or scalar
        return plain(x.tolist())
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def json_text(data) -> str:
    """Standard JSON (nan and infinities as ``null``), indented, UTF-8 characters kept."""
    return json.dumps(_strict(data), indent=2, ensure_ascii=False, allow_nan=False)


def write_json(path: Path, data) -> None:
    write_text(path, json_text(data) + "\n")


#: Resolution of saved figures (PNG), dots per inch.
FIGURE_DPI = 150


def lay_out(fig):
    """Prepare ``fig`` for saving as :func:`save_figure` does, and return its tight bounding
    box (inches, padded as ``savefig(bbox_inches="tight")`` pads it): long texts wrapped or
    cut (:func:`sim.plots.text.fit_figure`), the figure laid out by its layout engine at the
    saved resolution :data:`FIGURE_DPI` (which it keeps)."""
    import matplotlib

    from .plots.text import fit_figure

    fig.set_dpi(FIGURE_DPI)
    engine = fig.get_layout_engine()
    if fit_figure(fig) and engine is not None:     # texts rewrapped after the layout
        engine.execute(fig)
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)


def save_figure(fig, *paths: Path) -> None:
    """Save a figure atomically to each of ``paths`` (the format follows each suffix).

    The figure is laid out once (:func:`lay_out`) and every format only renders it: a PNG
    and an SVG of one figure cost one layout and two renderings, where ``savefig`` with
    ``bbox_inches="tight"`` lays out and draws twice per format. Raises :class:`UserError`
    when a file cannot be written.
    """
    engine, dpi = fig.get_layout_engine(), fig.dpi
    try:
        box = lay_out(fig)
        if engine is not None:
            fig.set_layout_engine(None)                # laid out: each format only renders
        for path in paths:
            _save_rendered(fig, Path(path), box)
    finally:
        fig.set_dpi(dpi)
        if engine is not None:
            fig.set_layout_engine(engine)


def _save_rendered(fig, path: Path, box) -> None:
    try:
        fd, name = temporary(path)
    except OSError as exc:
        raise _failed(path, exc) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:        # a name of its own: two writers never collide
            fig.savefig(fh, dpi=FIGURE_DPI, bbox_inches=box, format=path.suffix.lstrip("."))
        os.replace(tmp, path)
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
