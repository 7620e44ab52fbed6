"""The result directory of a sweep: manifest, chunk files, resume checks, final table.

Layout of ``RESULT_DIR``:

* ``.lock`` — the exclusive lock (``fcntl.flock``) of the sweep that owns the directory,
  taken before anything else is read or written and held to the end; it names its owner
  (process, host, start). The kernel releases it when its process ends, however it ends,
  so a killed sweep leaves no lock to clean up: ``--resume`` takes over;
* ``manifest.json`` — the sweep's specification, its SHA-256 hash and the chunk layout,
  written before any chunk; at the end, also the SHA-256 of the final table and of each
  chunk's measure values in it (:func:`chunk_digest`);
* ``chunks/chunk-NNNNNN.parquet`` — one file per finished chunk (measure columns only),
  each written atomically (temporary name, then rename) and stamped with the hash, its index
  and its point range; removed once the final table is written;
* ``chunks/SHA256SUMS`` — the SHA-256 of every finished chunk, one line appended per chunk
  before its file is renamed into place (``sha256sum`` format);
* ``results.parquet`` — the tidy table: one row per point (grid C order), one column per axis
  and per measure (``regime`` and categorical measures such as ``tournament_winner`` as
  dictionary-encoded string columns);
* ``sweep.json`` — metadata: specification, axes, measures, seed, timing, provenance; its
  presence marks a complete sweep.

A killed sweep (at any moment: files are renamed into place whole) is finished by rerunning
it with ``resume``: chunks already on disk are checked and kept, the rest computed. A chunk
whose bytes do not match its SHA-256 (or that has none: killed before it was recorded) is
named in one line and recomputed; one that is intact but of another sweep or of the wrong
size is named in a one-line error, as is a resume whose specification differs from the
manifest's. The JSON files carry the SHA-256 of their own content (key ``checksum``), and
``sweep.json`` that of ``results.parquet``: reading a sweep back verifies both, so a changed
byte anywhere is reported, never read as a result. A ``--resume`` of a sweep whose table is
damaged keeps each of its row groups (one per chunk) whose measure values still match the
chunk's digest in the manifest, and computes only the others again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..equilibria import REGIMES
from ..outputs import file_mode, json_text, prepare, temporary, write_json
from .axes import SweepError

MANIFEST, TABLE, METADATA, CHUNKS = "manifest.json", "results.parquet", "sweep.json", "chunks"
LOCK, SUMS = ".lock", "SHA256SUMS"
_CHUNK = re.compile(r"chunk-(\d{6,})\.parquet")
_SUM_LINE = re.compile(r"([0-9a-f]{64})  (chunk-\d{6,}\.parquet)")
_STAMP = b"blocsim.chunk"
_BLOCK = 1 << 20


def sha256_file(path) -> str:
    """SHA-256 of a file, read in blocks of 1 MiB (memory stays flat for any size)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def _content_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                     allow_nan=False).encode()).hexdigest()


def write_checked_json(path: Path, data: dict) -> None:
    """Write ``data`` as JSON with the SHA-256 of its content under ``checksum``."""
    plain = json.loads(json_text(data))           # as it will read back (nan -> null)
    write_json(path, {**plain, "checksum": {"sha256": _content_hash(plain)}})


def read_checked_json(path: Path) -> dict:
    """A JSON file written by :func:`write_checked_json`, its checksum verified;
    :class:`SweepError` naming the file if it is unreadable, damaged or has no checksum."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stored = data.pop("checksum")["sha256"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SweepError(f"{path}: damaged or not written by this blocsim ({type(exc).__name__}"
                         f": {exc}); use --force to start over") from None
    if not isinstance(data, dict) or stored != _content_hash(data):
        raise SweepError(f"{path}: damaged (its content does not match its SHA-256); use "
                         "--force to start over")
    return data


_HELD: dict[Path, list] = {}


@contextmanager
def directory_lock(path):
    """Hold the exclusive lock of result directory ``path`` (created if missing): one sweep at
    a time. Re-entrant within a process. :class:`SweepError` (one line) if another process
    holds it, naming that process."""
    import fcntl

    path = Path(path)
    prepare(path, [], force=True)
    key = path.resolve()
    if key in _HELD:
        _HELD[key][1] += 1
        try:
            yield
        finally:
            _HELD[key][1] -= 1
        return
    fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT, file_mode())
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            owner = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "starting"
            raise SweepError(f"--out {path}: another sweep is writing here ({owner}); allowed: "
                             "wait for it to finish, or another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, (f"pid {os.getpid()} on {socket.gethostname()}, started "
                       f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n").encode(), 0)
        _HELD[key] = [fd, 1]
        try:
            yield
        finally:
            del _HELD[key]
    finally:
        os.close(fd)                              # closing the descriptor releases the lock


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
    def lock(self):
        """The directory's exclusive lock (:func:`directory_lock`), as a context manager."""
        return directory_lock(self.path)

    def read_manifest(self) -> dict | None:
        """The manifest, ``None`` if there is none; :class:`SweepError` if it is corrupt."""
        f = self.path / MANIFEST
        if not f.exists():
            return None
        data = read_checked_json(f)
        try:
            data["spec"], data["hash"], data["chunk_size"]
        except (KeyError, TypeError) as exc:
            raise SweepError(f"{f}: corrupt sweep manifest (no {exc}); use --force to start "
                             "over") from None
        return data

    def is_complete(self, plan) -> bool:
        """Whether the directory holds this plan's finished sweep, intact (a damaged table
        or metadata is named on stderr and the sweep computed again)."""
        meta = self.path / METADATA
        if not (meta.exists() and (self.path / TABLE).exists()):
            return False
        try:
            data = read_checked_json(meta)
            if data["sweep"]["spec_hash"] != plan.spec_hash:
                return False
            verify_table(self.path, data)
        except (SweepError, KeyError, TypeError) as exc:
            kept = self._salvage(plan)
            again = "the sweep" if not kept else \
                f"the other {plan.n_chunks - kept} of its {plan.n_chunks} chunks"
            print(f"blocsim: {exc}; kept {kept} intact chunks, computing {again} again",
                  file=sys.stderr)
            for p in (meta, self.path / TABLE):
                p.unlink(missing_ok=True)
            return False
        return True

    def _salvage(self, plan) -> int:
        """Write back as chunk files the row groups of a damaged table whose measure values
        match the chunk digests the manifest recorded (:func:`chunk_digest`); return how many.
        None when the manifest is of another sweep or has no digests, or the table's footer
        cannot be read."""
        import pyarrow.parquet as pq

        try:
            manifest = self.read_manifest()
        except SweepError:
            return 0
        digests = (manifest or {}).get("chunk_digests")
        if manifest is None or manifest["hash"] != plan.spec_hash or \
                not isinstance(digests, list) or len(digests) != plan.n_chunks:
            return 0
        try:
            table = pq.ParquetFile(self.path / TABLE)
            if table.num_row_groups != plan.n_chunks:
                return 0
        except Exception:                          # a damaged footer: nothing to keep
            return 0
        names, labels = [m.name for m in plan.measures], _labels(plan)
        self.chunks.mkdir(exist_ok=True)
        (self.chunks / SUMS).unlink(missing_ok=True)
        for p in self.chunks.glob("chunk-*.parquet"):
            p.unlink()
        kept = 0
        for index in range(plan.n_chunks):
            try:                                   # a damaged row group is computed again
                columns = decode(table.read_row_group(index, columns=names), labels)
                intact = chunk_digest(plan, columns) == digests[index]
            except Exception:
                continue
            if intact:
                self.write_chunk(plan, index, columns)
                kept += 1
        return kept

    def _ours(self) -> list[Path]:
        files = [self.path / n for n in (MANIFEST, TABLE, METADATA)]
        if self.chunks.is_dir():
            files += [p for p in self.chunks.iterdir()
                      if _CHUNK.fullmatch(p.name) or p.name.startswith(".chunk-")
                      or p.name == SUMS]
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
            (self.chunks / SUMS).unlink(missing_ok=True)
            write_checked_json(self.path / MANIFEST, self._manifest(plan, axes_text))
            return []
        return self._finished(plan)

    @staticmethod
    def _manifest(plan, axes_text, **extra) -> dict:
        return {"hash": plan.spec_hash, "spec": plan.spec(), "axes": list(axes_text),
                "chunk_size": plan.chunk_size, "n_chunks": plan.n_chunks,
                "shape": list(plan.grid.shape), **extra}

    def _sums(self) -> dict[str, str]:
        """Recorded SHA-256 of each chunk (a line cut short by a kill is not a record)."""
        f = self.chunks / SUMS
        if not f.exists():
            return {}
        sums = {}
        for line in f.read_bytes().decode("ascii", "replace").split("\n"):
            m = _SUM_LINE.fullmatch(line)
            if m:
                sums[m.group(2)] = m.group(1)
        return sums

    def _finished(self, plan) -> list[int]:
        """Indices of the intact chunks of ``plan`` on disk; a chunk whose bytes do not match
        its recorded SHA-256 (or that has none) is named on stderr and deleted, to be
        computed again."""
        import pyarrow.parquet as pq

        sums = self._sums()
        done = []
        for p in sorted(self.chunks.iterdir()):
            m = _CHUNK.fullmatch(p.name)
            if not m:
                continue
            if p.name not in sums or sha256_file(p) != sums[p.name]:
                if p.name in sums:
                    print(f"blocsim: {p}: damaged (its bytes do not match its SHA-256); "
                          "computing that chunk again", file=sys.stderr)
                p.unlink()
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
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="lz4")
        data = sink.getvalue().to_pybytes()
        target = self.chunks / chunk_name(index)
        line = f"{hashlib.sha256(data).hexdigest()}  {target.name}\n".encode()
        fd, tmp = temporary(target)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            # the record first: a chunk file in place always has its SHA-256 recorded
            sums = os.open(self.chunks / SUMS, os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                           file_mode())
            try:
                os.write(sums, line)              # one append: whole or cut short, never mixed
            finally:
                os.close(sums)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read_chunk(self, plan, index: int) -> dict:
        import pyarrow.parquet as pq

        table = pq.read_table(self.chunks / chunk_name(index))
        return {m.name: table.column(m.name).to_numpy() for m in plan.measures}

    # -- the final table ------------------------------------------------------------------------
    def write_table(self, plan, in_memory: dict) -> tuple[str, list[str]]:
        """Write ``results.parquet`` atomically, one row group per chunk, from the chunks
        computed now (``in_memory``: index → columns) and those on disk; return its SHA-256
        and each chunk's :func:`chunk_digest`."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        regimes = pa.array(REGIMES, pa.string())
        target = self.path / TABLE
        fd, tmp = temporary(target)
        os.close(fd)
        writer, digests = None, []
        try:
            for index in range(plan.n_chunks):
                start, stop = plan.chunk_range(index)
                columns = in_memory.get(index) or self.read_chunk(plan, index)
                digests.append(chunk_digest(plan, columns))
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
            digest = sha256_file(tmp)
            os.replace(tmp, target)
        finally:
            if writer is not None:
                writer.close()
            Path(tmp).unlink(missing_ok=True)
        return digest, digests

    def finish(self, plan, metadata: dict, chunk_digests: list[str], axes_text=()) -> None:
        """Record the table's SHA-256 and the chunk digests in the manifest, write
        ``sweep.json`` (marking the sweep complete), then remove the chunk files."""
        digest = metadata["sweep"]["table_sha256"]
        write_checked_json(self.path / MANIFEST,
                           self._manifest(plan, axes_text, table_sha256=digest,
                                          chunk_digests=chunk_digests))
        write_checked_json(self.path / METADATA, metadata)
        for p in [*self.chunks.glob("chunk-*.parquet"), self.chunks / SUMS]:
            p.unlink(missing_ok=True)
        try:
            self.chunks.rmdir()
        except OSError:
            pass


def verify_table(path, meta: dict) -> None:
    """:class:`SweepError` naming ``results.parquet`` if its bytes do not match the SHA-256
    recorded in ``meta`` (``sweep.json``, itself verified)."""
    table_file = Path(path) / TABLE
    stored = meta.get("sweep", {}).get("table_sha256") if isinstance(meta, dict) else None
    if not isinstance(stored, str):
        raise SweepError(f"{Path(path) / METADATA}: no SHA-256 of {TABLE} (written by an older "
                         "blocsim?); rerun the sweep with --force")
    if sha256_file(table_file) != stored:
        raise SweepError(f"{table_file}: damaged (its bytes do not match the SHA-256 in "
                         f"{METADATA}); rerun the sweep with --resume to compute it again")


def load(path, columns=None) -> tuple[dict, dict]:
    """``(metadata, {column: numpy array})`` of a finished sweep; ``regime`` as codes into
    :data:`sim.equilibria.REGIMES`, a categorical measure as codes into its ``categories``
    in the metadata. ``columns`` (names) reads only those columns (``[]``: the metadata
    only); the table's SHA-256 is verified first, streamed. :class:`SweepError` if ``path``
    holds no finished, intact sweep."""
    path = Path(path)
    meta_file, table_file = path / METADATA, path / TABLE
    if not meta_file.exists() or not table_file.exists():
        hint = " (unfinished: rerun the sweep with --resume)" if (path / MANIFEST).exists() \
            else ""
        raise SweepError(f"{path}: no finished sweep here (needs {METADATA} and {TABLE}){hint}")
    meta = read_checked_json(meta_file)
    verify_table(path, meta)
    return meta, read_columns(path, meta, columns)


def read_columns(path, meta: dict, columns=None) -> dict:
    """Columns of a sweep's table already verified by :func:`load` (all if ``columns`` is
    ``None``), decoded as :func:`load` decodes them."""
    import pyarrow.parquet as pq

    table_file = Path(path) / TABLE
    if columns is not None and not columns:
        return {}
    try:
        table = pq.read_table(table_file, columns=None if columns is None else list(columns))
    except Exception as exc:
        raise SweepError(f"{path}: cannot read the sweep's results ({type(exc).__name__}: "
                         f"{exc})") from None
    labels = {m["name"]: m["categories"] for m in meta.get("sweep", {}).get("measures", [])
              if m.get("categories")}
    return decode(table, labels)


def decode(table, labels: dict) -> dict:
    """``{column: numpy array}`` of a table read from ``results.parquet``: a regime column
    as codes into :data:`sim.equilibria.REGIMES` (``int8``), a categorical one as codes
    into its ``labels[name]`` (``int16``), the rest as stored."""
    import pyarrow as pa

    out = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_dictionary(col.type):
            codes, dtype = (labels[name], np.int16) if name in labels else (REGIMES, np.int8)
            parts = [np.array([codes.index(x) for x in c.dictionary.to_pylist()],
                              dtype=dtype)[c.indices.to_numpy(zero_copy_only=False)]
                     for c in col.chunks]
            out[name] = np.concatenate(parts) if parts else np.zeros(0, dtype)
        else:
            out[name] = col.to_numpy()
    return out


def _labels(plan) -> dict:
    return {m.name: list(m.categories) for m in plan.measures
            if m.measure.dtype == "category"}


def chunk_digest(plan, columns: dict) -> str:
    """SHA-256 of one chunk's measure values as the table stores them (a regime as ``int8``
    codes, a categorical measure as ``int16`` codes, the rest with their own dtype), measure
    by measure: the name, the dtype and the bytes."""
    h = hashlib.sha256()
    for m in plan.measures:
        v = np.asarray(columns[m.name])
        if m.measure.dtype == "regime":
            v = v.astype(np.int8)
        elif m.measure.dtype == "category":
            v = v.astype(np.int16)
        v = np.ascontiguousarray(v)
        h.update(f"{m.name}\0{v.dtype.str}\0{v.size}\0".encode())
        h.update(v.tobytes())
    return h.hexdigest()
