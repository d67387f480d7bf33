"""The event record and its writers.

Everything that happens in a run is one :data:`COLUMNS`-shaped record (a plain tuple, cheap to
build in the hot path): mill arrivals and stoppages, truck arrivals and departures, and every
crane stage (empty move, pick, loaded move, place, yield, runway wait).  The KPIs, the trace
files and the animation's replay all read these same records.

Writers stream records to disk in batches (memory stays flat over a simulated year) and are
atomic: data go to a temporary file beside the target (:class:`~cranesim.record.atomic.
PendingFile`), which replaces the target only when the run completes; a failed run (an
invariant, a full disk, an interrupt) leaves no file behind, not even the temporary one.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from cranesim.codes import RECORD_KINDS
from cranesim.record.atomic import OutputError, PendingFile

__all__ = [
    "COLUMNS",
    "COL",
    "KINDS",
    "TraceWriter",
    "read_trace",
]

#: Column name and type of each field of a record, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("t_s", "f8"),  # start of the event, model seconds
    ("dur_s", "f8"),  # duration (0 for instantaneous events)
    ("crane", "i4"),  # crane index, -1 when no crane is involved
    ("kind", "str"),  # one of KINDS
    ("lift", "i8"),  # lift id (a lift = one coil moved from one place to another), -1 if none
    ("lift_kind", "str"),  # store | retrieve | relocate | "" (not a lift stage)
    ("coil", "i8"),  # coil id, -1 if none
    ("grade", "str"),  # coil grade/spec, "" if none
    ("from_loc", "i4"),  # location index (see Layout), -1 if none
    ("to_loc", "i4"),
    ("x0_m", "f8"),  # crane bridge/trolley position at the start and end of the stage
    ("y0_m", "f8"),
    ("x1_m", "f8"),
    ("y1_m", "f8"),
    ("bridge_m", "f8"),  # distance travelled per axis in this stage
    ("trolley_m", "f8"),
    ("hoist_m", "f8"),
    ("bridge_s", "f8"),  # time in motion per axis in this stage
    ("trolley_s", "f8"),
    ("hoist_s", "f8"),
    ("bridge_starts", "i4"),  # number of starts (= stops) per axis in this stage
    ("trolley_starts", "i4"),
    ("hoist_starts", "i4"),
    ("load_t", "f8"),  # mass on the hook, t
    ("energy_kwh", "f8"),  # electrical energy of the stage (NaN where not computed)
    ("value", "f8"),  # kind-specific number: station fill, truck order size, queue length...
)

#: Column index by name, for readable access to records (``rec[COL["t_s"]]``).
COL: dict[str, int] = {name: i for i, (name, _) in enumerate(COLUMNS)}

#: The kinds of record (see :data:`cranesim.codes.RECORD_KINDS`).
KINDS = RECORD_KINDS


def _fmt(v: Any) -> Any:
    if isinstance(v, float):
        return repr(v)  # shortest round-trip text: byte-stable and exact
    return v


class TraceWriter:
    """Stream records to ``path`` as CSV (``.csv``) or Parquet (``.parquet``).

    Use as a context manager: the file appears only if the block completes.  A write that
    fails (a full disk) raises :class:`~cranesim.record.atomic.OutputError` and removes the
    temporary file.  With ``pending`` (a file of an :class:`~cranesim.record.atomic.Outputs`
    group) the writer writes into it and :meth:`close` leaves it for the group to commit.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> rec = (0.0, 1.5, 0, "wait") + (-1, "", -1, "", -1, -1) + (0.0,) * 10 + (0, 0, 0, 0.0, float("nan"), 0.0)
    >>> with TraceWriter(p) as w:
    ...     w.write(rec)
    >>> [r["kind"] for r in read_trace(p)]
    ['wait']
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        batch: int = 65536,
        *,
        pending: PendingFile | None = None,
    ) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise ValueError(f"{self.path}: trace must end in .csv or .parquet")
        self.fmt = suffix[1:]
        self.batch = batch
        self._buf: list[tuple] = []
        self._own = pending is None  # moved into place by close(), else by the group
        try:
            self._file = PendingFile(self.path) if pending is None else pending
        except OSError as exc:
            raise OutputError(self.path, exc) from exc
        self._file.closers.append(self._close_handles)
        self._tmp = self._file.tmp
        self._closed = False
        self.rows = 0
        try:
            self._open()
        except OSError as exc:
            self._fail(exc)

    def _open(self) -> None:
        if self.fmt == "csv":
            self._fh = open(self._tmp, "w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._fh, lineterminator="\n")
            self._csv.writerow([c for c, _ in COLUMNS])
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            self._pa = pa
            self._schema = pa.schema(
                [
                    (
                        c,
                        {
                            "f8": pa.float64(),
                            "i4": pa.int32(),
                            "i8": pa.int64(),
                            "str": pa.string(),
                        }[t],
                    )
                    for c, t in COLUMNS
                ]
            )
            self._pq = pq.ParquetWriter(self._tmp, self._schema, compression="zstd")

    def write(self, rec: tuple) -> None:
        self._buf.append(rec)
        if len(self._buf) >= self.batch:
            try:
                self._flush()
            except OSError as exc:
                self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        """A write failed: discard the file and raise :class:`OutputError`."""
        self.abort()
        raise OutputError(self.path, exc) from exc

    def _flush(self) -> None:
        if not self._buf:
            return
        self.rows += len(self._buf)
        if self.fmt == "csv":
            self._csv.writerows([[_fmt(v) for v in r] for r in self._buf])
        else:
            cols = list(zip(*self._buf))
            arrays = [
                self._pa.array(cols[i], type=self._schema.field(i).type)
                for i in range(len(COLUMNS))
            ]
            self._pq.write_table(self._pa.Table.from_arrays(arrays, schema=self._schema))
        self._buf.clear()

    def close(self) -> None:
        """Flush, close and move the file into place (with ``pending``: leave it to the group).
        A failure discards the file and raises :class:`OutputError`."""
        if self._closed:
            return
        try:
            self._flush()
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
            self._closed = True
            if self._own:
                self._file.commit()
        except OSError as exc:
            self._fail(exc)

    def _close_handles(self) -> None:
        """Close the open file, whatever it still holds (a discard calls this)."""
        self._closed = True
        handle = getattr(self, "_fh", None) if self.fmt == "csv" else getattr(self, "_pq", None)
        if handle is not None:
            try:
                handle.close()
            except OSError:  # unwritten data on a full disk: the file goes anyway
                pass

    def abort(self) -> None:
        """Discard everything written (a failed run leaves no file, no temporary file)."""
        self._file.discard()

    def __enter__(self) -> "TraceWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    @property
    def pending(self) -> PendingFile:
        """The file written into (its ``tmp``, its ``target``)."""
        return self._file


def _conv(t: str):
    return {"f8": float, "i4": int, "i8": int, "str": str}[t]


def read_trace(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield the records of a CSV or Parquet trace as dicts with typed values."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches():
            yield from batch.to_pylist()
        return
    convs = [_conv(t) for _, t in COLUMNS]
    with open(path, newline="", encoding="utf-8") as fh:
        rd = csv.reader(fh)
        header = next(rd)
        if header != [c for c, _ in COLUMNS]:
            raise ValueError(f"{path}: not a cranesim trace (unexpected header)")
        for row in rd:
            yield {c: f(v) for (c, _), f, v in zip(COLUMNS, convs, row)}


def iter_records(path: str | os.PathLike[str]) -> Iterable[tuple]:
    """Yield records of a trace file as tuples in :data:`COLUMNS` order."""
    names = [c for c, _ in COLUMNS]
    for d in read_trace(path):
        yield tuple(d[n] for n in names)
