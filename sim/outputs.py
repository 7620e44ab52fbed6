"""Writing results safely: never overwrite without ``force``, always atomically, and with a
clear one-line error for a path that cannot be written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import UserError


def prepare(directory: str | os.PathLike, names: list[str], force: bool = False) -> Path:
    """Create ``directory`` if needed and check that ``names`` may be written into it.

    Raises :class:`UserError` when the path is not a writable directory, or when any of the
    files already exists and ``force`` is false.
    """
    path = Path(directory)
    if path.exists() and not path.is_dir():
        raise UserError(f"--out {path}: exists and is not a directory; allowed: a directory "
                        "path (created if missing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {path}: cannot create directory ({exc.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UserError(f"--out {path}: directory is not writable")
    existing = [n for n in names if (path / n).exists()]
    if existing and not force:
        raise UserError(f"--out {path}: {existing[0]} already exists; pass --force to "
                        "overwrite, or choose another --out")
    return path


def write_text(path: Path, text: str) -> None:
    """Write a file atomically: to a temporary name first, then rename over the target."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data) -> None:
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def save_figure(fig, path: Path) -> None:
    """Save a figure atomically (the format follows the suffix)."""
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        fig.savefig(tmp, dpi=150, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
