"""Plant data tables (CSV or Parquet), read in batches with every problem located.

A table is described by its columns (:class:`Column`: name, type, required or not).  It is
read in batches (:meth:`Table.batches`), so a year of records never sits in memory at once;
every value that cannot be used becomes a problem naming the file, the row and the column
(:class:`Problems`), in the style of the scenario's errors::

    coils.csv: row 12, column mass_t = 'abc': expected a number

Rows count from 1, the first row after the header (in a CSV file blank lines are skipped, so
row ``n`` is line ``n + 1`` when there are none and no value spans lines).  Numbers are read
exactly (a CSV number written as Python's
``repr`` reads back as the same float).  Times are seconds from the start of the run, or ISO
8601 date-times counted from an origin (:class:`Clock`).
"""

from __future__ import annotations

import csv
import difflib
import math
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Literal

__all__ = ["Batch", "Clock", "Column", "Problems", "Table", "open_table", "SUFFIXES"]

#: the file types a table may have
SUFFIXES = (".csv", ".parquet")
#: rows per batch
BATCH_ROWS = 8192

Kind = Literal["str", "float", "time"]


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its kind (``str``, ``float``, ``time``), whether it
    is required, and what a value must be (for the messages)."""

    name: str
    kind: Kind
    required: bool = True
    doc: str = ""


class Problems:
    """The problems found in a set of files, each one line naming file, row and column; keeps
    the first ``limit`` and counts the rest.  ``notes`` are what the user should know but need
    not fix (what the run will do)."""

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self.errors: list[str] = []
        self.count = 0
        self.notes: list[str] = []

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.errors) < self.limit:
            self.errors.append(message)

    def at(self, file: str, row: int, column: str, value: Any, expected: str) -> None:
        """A value that cannot be used: ``file: row R, column C = 'v': expected ...``."""
        self.add(f"{file}: row {row}, column {column} = {_clip(value)}: {expected}")

    def note(self, message: str) -> None:
        self.notes.append(message)

    def __bool__(self) -> bool:
        return self.count > 0

    def summary(self, hint: str = "") -> str:
        """The first problem, and how many more there are (and ``hint`` on where to see them)."""
        if not self.errors:
            return ""
        more = f" (+{self.count - 1} more{'; ' + hint if hint else ''})" if self.count > 1 else ""
        return self.errors[0] + more


def _clip(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 40 else s[:37] + "..."


class Clock:
    """Reads time values: numbers are seconds from the start of the run; ISO 8601 date-times
    (``2024-06-03 06:00:00``, ``2024-06-03T06:00:00+08:00``) count from ``origin``."""

    def __init__(self, origin: datetime | None = None) -> None:
        self.origin = origin

    def seconds(self, text: str) -> float | str:
        """The time in seconds from the start, or the reason it is not one (a str)."""
        try:
            v = float(text)
        except ValueError:
            if not text.strip():
                return ""  # empty
            try:
                dt = datetime.fromisoformat(text.strip())
            except ValueError:
                return "expected seconds from the start or an ISO 8601 date-time"
            if self.origin is None:
                return "a date-time needs [demand] start (or the coils' first ready_at as one)"
            try:
                return (dt - self.origin).total_seconds()
            except TypeError:
                return "mixes date-times with and without a time zone ([demand] start)"
        return v if math.isfinite(v) else "expected a finite number"


@dataclass
class Batch:
    """Rows ``row0 .. row0 + n - 1`` of a table: each present column's values as a list,
    ``str`` ("" where empty), ``float`` and ``time`` (Python floats; NaN where empty, None where
    unusable: a problem already)."""

    row0: int
    n: int
    values: dict[str, Any] = field(default_factory=dict)


class Table:
    """An open table: its file, the columns it has, read in batches (:meth:`batches`)."""

    def __init__(
        self, path: Path, columns: tuple[Column, ...], present: list[str], problems: Problems,
        clock: Clock,
    ) -> None:  # fmt: skip
        self.path = path
        self.file = path.name
        self.columns = {c.name: c for c in columns if c.name in present}
        self.header = present
        self.problems = problems
        self.clock = clock

    def has(self, name: str) -> bool:
        return name in self.columns

    def batches(self) -> Iterator[Batch]:
        """The rows in batches, values converted; each bad value is a problem."""
        row0 = 1
        for n, raw in self.raw_batches():
            b = Batch(row0, n)
            for name, col in self.columns.items():
                b.values[name] = self._convert(col, raw[name], row0)
            yield b
            row0 += n

    def first(self, name: str) -> Any:
        """The first row's raw value in column ``name`` (None if the table is empty)."""
        for n, raw in self.raw_batches():
            if n:
                return raw[name][0]
        return None

    # ------------------------------------------------------------------ reading
    def raw_batches(self) -> Iterator[tuple[int, dict[str, list]]]:
        """``(rows, {column: values})`` per batch, values as read: text from a CSV file (the
        standard library's reader: a few MB of memory whatever the file's size), Python values
        from a Parquet file (pyarrow, a batch at a time)."""
        names = list(self.columns)
        if self.path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(self.path)
            for rb in pf.iter_batches(batch_size=BATCH_ROWS, columns=names):
                yield rb.num_rows, {n: rb.column(n).to_pylist() for n in names}
            return
        with open(self.path, newline="", encoding="utf-8-sig") as fh:
            rd = csv.reader(fh)
            header = [h.strip() for h in next(rd, [])]
            idx = [header.index(n) for n in names]
            width = len(header)
            buf: list[list[str]] = []
            row = 0
            for fields in rd:
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line
                row += 1
                if len(fields) != width:
                    self.problems.add(
                        f"{self.file}: row {row}: {len(fields)} fields, the header has {width}"
                    )
                    fields = (fields + [""] * width)[:width]
                buf.append(fields)
                if len(buf) == BATCH_ROWS:
                    yield len(buf), {n: [f[i] for f in buf] for n, i in zip(names, idx)}
                    buf = []
            if buf:
                yield len(buf), {n: [f[i] for f in buf] for n, i in zip(names, idx)}

    def _convert(self, col: Column, values: list, row0: int) -> list:
        if col.kind == "str":
            return ["" if v is None else str(v).strip() for v in values]
        try:  # the usual case, at C speed: every value a finite number
            out = list(map(float, values))
            if math.isfinite(math.fsum(out)):
                return out
        except (TypeError, ValueError, OverflowError):
            pass
        out = [math.nan] * len(values)
        seconds = self.clock.seconds
        for i, v in enumerate(values):
            if v is None or v == "":
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                x: float | str = float(v)
                if not math.isfinite(x):
                    x = "expected a finite number"
            elif col.kind == "time":
                x = seconds(v.isoformat() if isinstance(v, datetime) else str(v))
            elif isinstance(v, str):
                try:
                    x = float(v)
                except ValueError:
                    x = "" if not v.strip() else f"expected {_expected(col)}"
                if isinstance(x, float) and not math.isfinite(x):
                    x = "expected a finite number"
            else:
                x = f"expected {_expected(col)}"
            if isinstance(x, str):
                if x:
                    self.problems.at(self.file, row0 + i, col.name, v, x)
                    out[i] = None  # unusable, and said so: the readers skip the row quietly
            else:
                out[i] = x
        return out


def _expected(col: Column) -> str:
    if col.kind == "time":
        return "seconds from the start or an ISO 8601 date-time"
    return "a number" if col.kind == "float" else "text"


def header(path: Path) -> list[str]:
    """The column names of a CSV or Parquet file."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.ParquetFile(path).schema_arrow.names)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [h.strip() for h in next(csv.reader(fh), [])]


def open_table(
    path: str | os.PathLike[str], columns: tuple[Column, ...], problems: Problems, clock: Clock,
    what: str,
) -> Table | None:  # fmt: skip
    """Open a table, checking its name and its columns; ``None`` (and problems) if it cannot be
    read.  A missing required column is a problem; an unknown column close to a known one too
    (probably a misspelling); other unknown columns are ignored, and a note says so."""
    p = Path(path)
    if p.suffix.lower() not in SUFFIXES:
        problems.add(f"{p}: {what}: expected a .csv or .parquet file")
        return None
    if not p.is_file():
        problems.add(f"{p}: {what}: no such file")
        return None
    try:
        names = header(p)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.add(f"{p}: {what}: cannot read ({exc})")
        return None
    except Exception as exc:  # pyarrow's errors on a file that is not Parquet
        problems.add(f"{p}: {what}: cannot read ({type(exc).__name__}: {exc})")
        return None
    known = [c.name for c in columns]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        problems.add(f"{p.name}: column {dup[0]} appears twice in the header")
        return None
    ok = True
    for c in columns:
        if c.required and c.name not in names:
            problems.add(f"{p.name}: missing column {c.name} ({c.doc or c.kind})")
            ok = False
    ignored = []
    for n in names:
        if n in known:
            continue
        near = difflib.get_close_matches(n, [k for k in known if k not in names], n=1, cutoff=0.75)
        if near:
            problems.add(f"{p.name}: unknown column {n} (did you mean {near[0]}?)")
            ok = False
        else:
            ignored.append(n)
    if ignored:
        problems.note(f"{p.name}: columns ignored: {', '.join(ignored)}")
    if not ok:
        return None
    return Table(p, columns, names, problems, clock)
