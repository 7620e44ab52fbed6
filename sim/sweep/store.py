"""The result directory of a sweep: manifest, chunk files, resume checks, final table.

Layout of ``RESULT_DIR``:

* ``manifest.json`` — the sweep's specification, its SHA-256 hash and the chunk layout,
  written before any chunk;
* ``chunks/chunk-NNNNNN.parquet`` — one file per finished chunk (measure columns only),
  each written atomically (temporary name, then rename) and stamped with the hash, its index
  and its point range; removed once the final table is written;
* ``results.parquet`` — the tidy table: one row per point (grid C order), one column per axis
  and per measure (``regime`` and categorical measures such as ``tournament_winner`` as
  dictionary-encoded string columns);
* ``sweep.json`` — metadata: specification, axes, measures, seed, timing, provenance; its
  presence marks a complete sweep.

A killed sweep (at any moment: files are renamed into place whole) is finished by rerunning
it with ``resume``: chunks already on disk are checked and kept, the rest computed. A chunk
file that is unreadable, of another sweep or of the wrong size is named in a one-line
error, as is a resume whose specification differs from the manifest's.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from ..equilibria import REGIMES
from ..outputs import prepare, write_json
from .axes import SweepError

MANIFEST, TABLE, METADATA, CHUNKS = "manifest.json", "results.parquet", "sweep.json", "chunks"
_CHUNK = re.compile(r"chunk-(\d{6,})\.parquet")
_STAMP = b"blocsim.chunk"


def chunk_name(index: int) -> str:
    return f"chunk-{index:06d}.parquet"


def _first_difference(old, new, path=""):
    """The first dotted key at which two JSON values differ, with both values."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            if old.get(key) != new.get(key):
                return _first_difference(old.get(key), new.get(key), f"{path}{key}.")
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            if a != b:
                return _first_difference(a, b, f"{path}{i}.")
    return path.rstrip("."), old, new


def _contrast(old, new) -> tuple[str, str]:
    """Two JSON values shown so that they visibly differ: lists of another length by their
    length and ends, long texts from a little before their first difference."""
    def ends(x):
        return f"{len(x)} values [{json.dumps(x[0])} ... {json.dumps(x[-1])}]" if x else "[]"

    if isinstance(old, list) and isinstance(new, list) and len(old) != len(new):
        return ends(old), ends(new)
    a, b = json.dumps(old), json.dumps(new)
    start = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, start - 20)
    cut = (lambda t: ("..." if start else "") + t[start:start + 57]
           + ("..." if len(t) > start + 57 else ""))
    return cut(a), cut(b)


class ResultDir:
    """A sweep's result directory (see the module docstring)."""

    def __init__(self, path):
        self.path = Path(path)
        self.chunks = self.path / CHUNKS

    # -- state --------------------------------------------------------------------------------
    def read_manifest(self) -> dict | None:
        """The manifest, ``None`` if there is none; :class:`SweepError` if it is corrupt."""
        f = self.path / MANIFEST
        if not f.exists():
            return None
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            data["spec"], data["hash"], data["chunk_size"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SweepError(f"{f}: corrupt sweep manifest ({exc}); use --force to start "
                             "over") from None
        return data

    def is_complete(self, plan) -> bool:
        meta = self.path / METADATA
        if not (meta.exists() and (self.path / TABLE).exists()):
            return False
        try:
            return json.loads(meta.read_text(encoding="utf-8"))["sweep"]["spec_hash"] == \
                plan.spec_hash
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def _ours(self) -> list[Path]:
        files = [self.path / n for n in (MANIFEST, TABLE, METADATA)]
        if self.chunks.is_dir():
            files += [p for p in self.chunks.iterdir()
                      if _CHUNK.fullmatch(p.name) or p.name.startswith(".chunk-")]
        return [p for p in files if p.exists()]

    # -- opening --------------------------------------------------------------------------------
    def open(self, plan, *, force: bool = False, resume: bool = False,
             axes_text: list[str] = ()) -> list[int]:
        """Prepare the directory for ``plan``; return the indices of chunks already done.

        Without ``force`` or ``resume`` an existing sweep is an error; ``force`` deletes the
        files of the old sweep (only those); ``resume`` keeps chunks of the same sweep.
        """
        prepare(self.path, [], force=True)
        existing = self._ours()
        if existing and not (force or resume):
            raise SweepError(f"--out {self.path}: holds a sweep already ({existing[0].name}); "
                             "pass --resume to finish it or --force to start over")
        if force:
            for p in existing:
                p.unlink()
        manifest = self.read_manifest() if resume else None
        if resume and manifest is None and existing:
            raise SweepError(f"--resume: {self.path} has {existing[0].name} but no {MANIFEST}; "
                             "use --force to start over")
        if manifest is not None and manifest["hash"] != plan.spec_hash:
            key, old, new = _first_difference(manifest["spec"], plan.spec())
            old, new = _contrast(old, new)
            raise SweepError(f"--resume: {self.path} holds a different sweep ({key}: stored "
                             f"{old}, given {new}); rerun with the same options, or --force "
                             "to start over")
        if manifest is not None and manifest["chunk_size"] != plan.chunk_size:
            raise SweepError(f"--resume: {self.path} was chunked by {manifest['chunk_size']} "
                             f"points, given --chunk-size {plan.chunk_size}; omit --chunk-size")
        self.chunks.mkdir(exist_ok=True)
        for p in self.chunks.glob(".chunk-*"):         # a write cut short by a kill
            p.unlink()
        if manifest is None:
            for p in self.chunks.glob("chunk-*.parquet"):
                raise SweepError(f"{p}: a chunk without a manifest; use --force to start over")
            write_json(self.path / MANIFEST, {"hash": plan.spec_hash, "spec": plan.spec(),
                                              "axes": list(axes_text),
                                              "chunk_size": plan.chunk_size,
                                              "n_chunks": plan.n_chunks,
                                              "shape": list(plan.grid.shape)})
            return []
        return self._finished(plan)

    def _finished(self, plan) -> list[int]:
        import pyarrow.parquet as pq

        done = []
        for p in sorted(self.chunks.iterdir()):
            m = _CHUNK.fullmatch(p.name)
            if not m:
                continue
            index = int(m.group(1))
            start, stop = plan.chunk_range(index)
            why = None
            try:
                meta = pq.read_metadata(p)
                stamp = json.loads((meta.metadata or {}).get(_STAMP, b"{}"))
            except Exception as exc:                     # any unreadable file is named
                why = f"unreadable: {type(exc).__name__}: {exc}"
            else:
                names = [meta.schema.column(k).name for k in range(meta.num_columns)]
                if stamp.get("hash") != plan.spec_hash:
                    why = "from another sweep"
                elif index >= plan.n_chunks or stamp.get("range") != [start, stop]:
                    why = f"index {index} out of this sweep's {plan.n_chunks} chunks"
                elif meta.num_rows != stop - start:
                    why = f"{meta.num_rows} rows, expected {stop - start}"
                elif names != [m.name for m in plan.measures]:
                    why = f"columns {names}"
            if why:
                raise SweepError(f"{p}: corrupt or conflicting chunk ({why}); delete it to "
                                 "recompute it, or use --force to start over")
            done.append(index)
        return done

    # -- chunks ---------------------------------------------------------------------------------
    def write_chunk(self, plan, index: int, columns: dict) -> None:
        """Write one finished chunk atomically."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        stamp = {"hash": plan.spec_hash, "range": list(plan.chunk_range(index))}
        table = pa.table({m.name: columns[m.name] for m in plan.measures})
        table = table.replace_schema_metadata({_STAMP: json.dumps(stamp).encode()})
        target = self.chunks / chunk_name(index)
        fd, tmp = tempfile.mkstemp(dir=self.chunks, prefix=f".{target.stem}.", suffix=".tmp")
        os.close(fd)
        try:
            pq.write_table(table, tmp, compression="lz4")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read_chunk(self, plan, index: int) -> dict:
        import pyarrow.parquet as pq

        table = pq.read_table(self.chunks / chunk_name(index))
        return {m.name: table.column(m.name).to_numpy() for m in plan.measures}

    # -- the final table ------------------------------------------------------------------------
    def write_table(self, plan, in_memory: dict) -> None:
        """Write ``results.parquet`` atomically, one row group per chunk, from the chunks
        computed now (``in_memory``: index → columns) and those on disk."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        regimes = pa.array(REGIMES, pa.string())
        target = self.path / TABLE
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=f".{TABLE}.", suffix=".tmp")
        os.close(fd)
        writer = None
        try:
            for index in range(plan.n_chunks):
                start, stop = plan.chunk_range(index)
                columns = in_memory.get(index) or self.read_chunk(plan, index)
                arrays = {name: pa.array(v) for name, v in plan.grid.columns(start, stop).items()}
                for m in plan.measures:
                    v = columns[m.name]
                    if m.measure.dtype == "regime":
                        v = pa.DictionaryArray.from_arrays(pa.array(v, pa.int8()), regimes)
                    elif m.measure.dtype == "category":
                        v = pa.DictionaryArray.from_arrays(pa.array(v, pa.int16()),
                                                           pa.array(m.categories, pa.string()))
                    arrays[m.name] = pa.array(v) if isinstance(v, np.ndarray) else v
                table = pa.table(arrays)
                if writer is None:
                    schema = table.schema.with_metadata({b"blocsim.sweep": plan.spec_hash})
                    writer = pq.ParquetWriter(tmp, schema, compression="lz4")
                writer.write_table(table)
            writer.close()
            writer = None
            os.replace(tmp, target)
        finally:
            if writer is not None:
                writer.close()
            Path(tmp).unlink(missing_ok=True)

    def finish(self, metadata: dict) -> None:
        """Write ``sweep.json`` (marking the sweep complete), then remove the chunk files."""
        write_json(self.path / METADATA, metadata)
        for p in self.chunks.glob("chunk-*.parquet"):
            p.unlink()
        try:
            self.chunks.rmdir()
        except OSError:
            pass


def load(path) -> tuple[dict, dict]:
    """``(metadata, {column: numpy array})`` of a finished sweep; ``regime`` as codes into
    :data:`sim.equilibria.REGIMES`, a categorical measure as codes into its ``categories``
    in the metadata. :class:`SweepError` if ``path`` holds no finished sweep."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    meta_file, table_file = path / METADATA, path / TABLE
    if not meta_file.exists() or not table_file.exists():
        hint = " (unfinished: rerun the sweep with --resume)" if (path / MANIFEST).exists() \
            else ""
        raise SweepError(f"{path}: no finished sweep here (needs {METADATA} and {TABLE}){hint}")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        table = pq.read_table(table_file)
    except Exception as exc:
        raise SweepError(f"{path}: cannot read the sweep's results ({type(exc).__name__}: "
                         f"{exc})") from None
    labels = {m["name"]: m["categories"] for m in meta.get("sweep", {}).get("measures", [])
              if m.get("categories")}
    columns = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_dictionary(col.type):
            codes, dtype = (labels[name], np.int16) if name in labels else (REGIMES, np.int8)
            parts = [np.array([codes.index(x) for x in c.dictionary.to_pylist()],
                              dtype=dtype)[c.indices.to_numpy(zero_copy_only=False)]
                     for c in col.chunks]
            columns[name] = np.concatenate(parts) if parts else np.zeros(0, dtype)
        else:
            columns[name] = col.to_numpy()
    return meta, columns
