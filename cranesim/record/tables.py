"""Writing tables (CSV or Parquet) of named, typed columns, atomically.

:class:`TableWriter` streams rows to a temporary file beside the target, in batches, and moves
it into place only when closed (:mod:`cranesim.record.atomic`); :class:`TableSet` does the same
for several tables in one folder (all of them appear, or none).  Floats are written as Python's
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

from cranesim.record.atomic import atomic_path

__all__ = ["TableWriter", "TableSet"]

#: column kinds: text, float64, int64
KINDS = ("str", "f8", "i8")


def _text(v: Any) -> Any:
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ""  # NaN: an empty field (no value)
    return v


class TableWriter:
    """Stream rows of ``columns`` (``(name, kind)``, kind one of ``str``, ``f8``, ``i8``) to
    ``path`` (``.csv`` or ``.parquet``); the file appears when :meth:`close` is called (a
    context manager closes it, or discards it if the block raised).  NaN floats are empty
    (CSV) or null (Parquet)."""

    def __init__(
        self, path: str | os.PathLike[str], columns: Sequence[tuple[str, str]], batch: int = 65536
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
        self._target, self._tmp = atomic_path(self.path)
        self._closed = False
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
            self._flush()

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
        self._flush()
        if self.fmt == "csv":
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        else:
            self._pq.close()
        self._closed = True

    def commit(self) -> None:
        """Move the finished file into place."""
        self.finish()
        if self._tmp.exists():
            os.replace(self._tmp, self._target)

    def close(self) -> None:
        """Flush, close and move the file into place."""
        self.commit()

    def abort(self) -> None:
        """Discard everything written (no file is left)."""
        try:
            if not self._closed:
                self._closed = True
                if self.fmt == "csv":
                    self._fh.close()
                else:
                    self._pq.close()
        finally:
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class TableSet:
    """Several tables written into one folder: each ``name`` becomes ``folder/name.fmt``; all
    of them are moved into place by :meth:`close`, none if :meth:`abort` (or an error first)."""

    def __init__(
        self, folder: str | os.PathLike[str], tables: dict[str, Sequence[tuple[str, str]]],
        fmt: str = "csv",
    ) -> None:  # fmt: skip
        self.folder = Path(folder)
        self.writers: dict[str, TableWriter] = {}
        try:
            for name, cols in tables.items():
                self.writers[name] = TableWriter(self.folder / f"{name}.{fmt}", cols)
        except BaseException:
            self.abort()
            raise

    def __getitem__(self, name: str) -> TableWriter:
        return self.writers[name]

    def close(self) -> None:
        try:
            for w in self.writers.values():
                w.finish()
        except BaseException:
            self.abort()
            raise
        for w in self.writers.values():
            w.commit()

    def abort(self) -> None:
        for w in self.writers.values():
            w.abort()

    def paths(self) -> list[Path]:
        return [w.path for w in self.writers.values()]
