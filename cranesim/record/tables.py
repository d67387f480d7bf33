"""Writing tables (CSV or Parquet) of named, typed columns, atomically.

:class:`TableWriter` streams rows to a temporary file beside the target, in batches, and moves
it into place only when closed (:mod:`cranesim.record.atomic`); :class:`TableSet` does the same
for several tables in one folder (all of them appear, or none).  With ``outputs`` (a command's
:class:`~cranesim.record.atomic.Outputs`) the files join that group and appear with the
command's other files.  A write that fails (a full disk) raises
:class:`~cranesim.errors.OutputError` and removes the temporary files.  Floats are written as Python's
``repr`` in CSV (the shortest text that reads back as the same number), so a table written here
and read again holds the same values, bit for bit.

>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> with TableWriter(p, (("id", "str"), ("t_s", "f8"), ("n", "i8"))) as w:
...     w.write(("a", 0.1 + 0.2, 3))
...     w.write(("b", float("nan"), 4))
>>> print(p.read_text(), end="")
id,t_s,n
a,0.30000000000000004,3
b,,4
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path
from typing import Any, Sequence

from cranesim.errors import OutputError
from cranesim.record.atomic import Outputs

__all__ = ["TableWriter", "TableSet", "StreamedFile"]

#: column kinds: text, float64, int64
KINDS = ("str", "f8", "i8")


def _text(v: Any) -> Any:
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ""  # NaN: an empty field (no value)
    return v


class StreamedFile:
    """The file handling a streamed table shares with the trace writer
    (:class:`cranesim.record.trace.TraceWriter`): a CSV file handle ``_fh`` or a Parquet writer
    ``_pq`` on the temporary file ``_tmp`` of an output group; the subclass opens them
    (``_open``), writes batches (``_flush``) and says how to discard (``abort``)."""

    path: Path
    fmt: str
    _tmp: Path

    def abort(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _sync_close(self) -> None:
        """Close the temporary file, its bytes on the disk (``OSError`` on a full disk)."""
        if self.fmt == "csv":
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        else:
            self._pq.close()
            fd = os.open(self._tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _close_handles(self) -> None:
        """Close the open file, whatever it still holds (a discard calls this)."""
        self._closed = True
        handle = getattr(self, "_fh", None) if self.fmt == "csv" else getattr(self, "_pq", None)
        if handle is not None:
            try:
                handle.close()
            except OSError:  # unwritten data on a full disk: the file goes anyway
                pass

    def _fail(self, exc: OSError) -> None:
        """A write failed: discard the file(s) and raise :class:`OutputError`."""
        self.abort()
        raise OutputError(self.path, exc) from exc

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class TableWriter(StreamedFile):
    """Stream rows of ``columns`` (``(name, kind)``, kind one of ``str``, ``f8``, ``i8``) to
    ``path`` (``.csv`` or ``.parquet``); the file appears when :meth:`close` is called (a
    context manager closes it, or discards it if the block raised).  NaN floats are empty
    (CSV) or null (Parquet)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        columns: Sequence[tuple[str, str]],
        batch: int = 65536,
        *,
        outputs: Outputs | None = None,
    ) -> None:
        self.path = Path(path)
        self.columns = tuple(columns)
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise ValueError(f"{self.path}: a table must end in .csv or .parquet")
        for name, kind in self.columns:
            if kind not in KINDS:
                raise ValueError(f"column {name}: kind {kind!r} is none of {KINDS}")
        self.fmt = suffix[1:]
        self.batch = batch
        self.rows = 0
        self._buf: list[tuple] = []
        self._own = outputs is None  # moved into place by commit(), else by the group
        self._group = Outputs() if outputs is None else outputs
        self._closed = False
        try:
            self._file = self._group.add(self.path)
        except OSError as exc:
            raise OutputError(self.path, exc) from exc
        self._file.closers.append(self._close_handles)
        self._tmp = self._file.tmp
        try:
            self._open()
        except OSError as exc:
            self._fail(exc)

    def _open(self) -> None:
        if self.fmt == "csv":
            self._fh = open(self._tmp, "w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._fh, lineterminator="\n")
            self._csv.writerow([n for n, _ in self.columns])
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            types = {"str": pa.string(), "f8": pa.float64(), "i8": pa.int64()}
            self._pa = pa
            self._schema = pa.schema([(n, types[k]) for n, k in self.columns])
            self._pq = pq.ParquetWriter(self._tmp, self._schema, compression="zstd")

    def write(self, row: tuple) -> None:
        self._buf.append(row)
        if len(self._buf) >= self.batch:
            try:
                self._flush()
            except OSError as exc:
                self._fail(exc)

    def _flush(self) -> None:
        if not self._buf:
            return
        self.rows += len(self._buf)
        if self.fmt == "csv":
            self._csv.writerows([[_text(v) for v in r] for r in self._buf])
        else:
            pa = self._pa
            cols = list(zip(*self._buf))
            arrays = []
            for i, (_, kind) in enumerate(self.columns):
                vals = cols[i]
                if kind == "f8":
                    vals = [None if v != v else v for v in vals]
                arrays.append(pa.array(vals, type=self._schema.field(i).type))
            self._pq.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self._buf.clear()

    def finish(self) -> None:
        """Flush and close the temporary file (not yet in place: :meth:`commit`)."""
        if self._closed:
            return
        try:
            self._flush()
            self._sync_close()
        except OSError as exc:
            self._fail(exc)
        self._closed = True

    def commit(self) -> None:
        """Move the finished file into place (with ``outputs``: leave that to the group)."""
        self.finish()
        if self._own:
            self._group.commit()

    def close(self) -> None:
        """Flush, close and move the file into place."""
        self.commit()

    def abort(self) -> None:
        """Discard everything written (no file is left, no temporary file)."""
        self._file.discard()


class TableSet:
    """Several tables written into one folder: each ``name`` becomes ``folder/name.fmt``; all
    of them are moved into place by :meth:`close`, none if :meth:`abort` (or an error first)."""

    def __init__(
        self, folder: str | os.PathLike[str], tables: dict[str, Sequence[tuple[str, str]]],
        fmt: str = "csv", *, outputs: Outputs | None = None,
    ) -> None:  # fmt: skip
        self.folder = Path(folder)
        self.writers: dict[str, TableWriter] = {}
        self._own = outputs is None  # moved into place by close(), else by the group
        self._group = Outputs() if outputs is None else outputs
        try:
            for name, cols in tables.items():
                path = self.folder / f"{name}.{fmt}"
                self.writers[name] = TableWriter(path, cols, outputs=self._group)
        except BaseException:
            self.abort()
            raise

    def __getitem__(self, name: str) -> TableWriter:
        return self.writers[name]

    def close(self) -> None:
        """Finish every table and move them into place together (with ``outputs``: leave
        that to the group)."""
        try:
            for w in self.writers.values():
                w.finish()
        except BaseException:
            self.abort()
            raise
        if self._own:
            self._group.commit()

    def abort(self) -> None:
        for w in self.writers.values():
            w.abort()

    def paths(self) -> list[Path]:
        return [w.path for w in self.writers.values()]
