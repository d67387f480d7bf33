"""The event record, and the trace file: a documented contract.

Everything that happens in a run is one record (a plain tuple in :data:`COLUMNS` order, cheap
to build in the hot path): mill arrivals and stoppages, truck arrivals and departures, and every
crane stage (empty move, pick, loaded move, place, yield, runway wait).  The KPIs, the trace
files and the animation's replay all read these same records.

A trace file (``cranesim run --trace``) holds them as :data:`TRACE_SCHEMA` says (the README
prints it as a table; :func:`schema_table` writes it): one row per record, **in time order**,
every row stamped at its own time (an instant at the time it happened, an interval at its start,
with its duration); names instead of indices (the crane's name, each location's kind and name);
``null`` where a column does not apply.  The file carries its metadata (:class:`TraceMeta`:
cranesim version, scheduler core, seed, hours, crew, and the whole scenario as TOML), so a trace
replays and its KPIs recompute without anything else (:func:`trace_scenario`,
:func:`iter_records`).  Parquet keeps it in the file (key ``cranesim``, and a description and
unit per field); CSV in a sidecar ``TRACE.csv-metadata.json`` (the name CSV-on-the-Web tools
look for) with the columns' types, units and descriptions.

Writers stream records to disk in batches (memory stays flat over a simulated year).  The model
emits an interval's record when it ends, so :class:`TraceWriter` holds records until the model's
watermark (:meth:`~cranesim.model.warehouse.Warehouse.watermark`: no later record starts before
it) passes them, and writes them ordered by start time, ties in the order they were emitted.
Files are atomic: data go to a temporary file beside the target (a CSV's sidecar too:
:class:`~cranesim.record.atomic.Outputs`), which replaces the target only when the run
completes; a failed run (an invariant, a full disk, an interrupt) leaves no file behind, not
even a temporary one.
"""

from __future__ import annotations

import csv
import json
import math
import os
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable, Iterator

from cranesim.codes import RECORD_KINDS
from cranesim.record.atomic import OutputError, Outputs, PendingFile
from cranesim.record.tables import StreamedFile

__all__ = [
    "COLUMNS",
    "COL",
    "KINDS",
    "KIND_DOCS",
    "TraceField",
    "TRACE_SCHEMA",
    "TraceMeta",
    "TraceWriter",
    "read_trace",
    "trace_meta",
    "trace_scenario",
    "iter_records",
    "sidecar_path",
    "schema_table",
]

#: Field name and type of each field of an in-memory record, in order (the model builds these
#: tuples; a trace file holds them as :data:`TRACE_SCHEMA` says).  Integers are -1, strings ""
#: and floats NaN where a field does not apply.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("t_s", "f8"),  # the time of an instant, or the start of an interval, model seconds
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
    ("truck", "i8"),  # truck id, -1 if none
    ("order_coils", "i4"),  # coils the truck ordered (truck records), -1 otherwise
    ("station_fill", "f8"),  # fill of the station after a coil_in (0..1), NaN otherwise
    ("inventory", "i4"),  # coils in the warehouse at a sample, -1 otherwise
)

#: Column index by name, for readable access to records (``rec[COL["t_s"]]``).
COL: dict[str, int] = {name: i for i, (name, _) in enumerate(COLUMNS)}

#: The kinds of record (see :data:`cranesim.codes.RECORD_KINDS`).
KINDS = RECORD_KINDS

#: What each kind of row means, and which columns it fills (the README's table).
KIND_DOCS: dict[str, str] = {
    "coil_in": "instant: a coil reaches the unloading station; `coil`, `grade`, `to_*` (the "
    "station place), `station_fill`",
    "mill_blocked": "interval: the mill could not deliver, every station place taken",
    "mill_stop": "interval: a mill stoppage",
    "truck_arrive": "instant: a truck joins the queue for a bay; `truck`, `order_coils`",
    "truck_dock": "instant: the truck reaches a bay (`to_*`); its wait for a bay is this `t_s` "
    "minus its `truck_arrive`'s",
    "truck_depart": "instant: the truck leaves its bay (`from_*`); its turnaround is this `t_s` "
    "minus its `truck_arrive`'s",
    "move_empty": "interval: a crane travels to the pick place without load",
    "pick": "interval: hoist down, grab, hoist up at `from_*`",
    "move_loaded": "interval: the crane travels with the coil (`load_t`)",
    "place": "interval: hoist down, release, hoist up at `to_*`: the lift is complete",
    "yield": "interval: the crane is pushed aside by a neighbour (during a lift: its `lift`)",
    "wait": "interval: the crane waits for runway space a neighbour holds",
    "break": "interval: driver break or shift handover (manual crew): the crane takes no lift",
    "sample": "instant, hourly: `inventory`",
    "mill_blocked_open": "interval: the mill is still blocked when the run ends (from the block's "
    "start to the end of the run)",
    "truck_queued": "instant at the end of the run: the truck (`truck`, `order_coils`) still "
    "waits for a bay",
    "truck_loading": "instant at the end of the run: the truck (`truck`, `order_coils`) is still at "
    "its bay (`to_*`)",
    "lift_open": "interval: the part of a crane's lift (`lift`) not yet recorded when the run ends "
    "(the stage under way), to the end of the run",
    "wait_open": "interval: a crane still waits for runway space when the run ends",
    "yield_open": "interval: an idle crane is still being pushed aside when the run ends",
}


@dataclass(frozen=True)
class TraceField:
    """One column of a trace file."""

    name: str
    type: str  #: "float64", "int64", "int32" or "string"
    unit: str  #: "" where none
    description: str


_MOTION = "; null on rows without a crane"
#: The columns of a trace file, in order: the contract ``cranesim run --trace`` writes.
TRACE_SCHEMA: tuple[TraceField, ...] = (
    TraceField("t_s", "float64", "s", "model time of an instant, or the start of an interval; "
               "rows are in t_s order (ties in the order the model emitted them)"),
    TraceField("dur_s", "float64", "s", "duration of an interval; 0 for an instant"),
    TraceField("kind", "string", "", "what happened: " + ", ".join(KINDS)),
    TraceField("crane", "string", "", "crane name as in [[cranes]]; null if no crane is involved"),
    TraceField("truck", "int64", "", "truck id (0, 1, ... in order of arrival), on truck rows and "
               "on the rows of a lift made for that truck (a retrieve, or a relocation that "
               "frees its coil); null otherwise"),
    TraceField("lift", "int64", "", "lift id (one coil moved by one crane), on its four stages "
               "and on a wait or yield during it; null otherwise"),
    TraceField("lift_kind", "string", "", "store (station to floor), retrieve (floor to truck) "
               "or relocate (floor to floor, to free a coil underneath); null otherwise"),
    TraceField("coil", "int64", "", "coil id; null if no coil is involved"),
    TraceField("grade", "string", "", "the coil's grade as in [[mill.products]]; null if no "
               "coil"),
    TraceField("from_kind", "string", "", "where the coil is lifted from (the truck leaves from): "
               "floor, station or bay; null if none"),
    TraceField("from_name", "string", "", "that location's name: floor B<block>-R<row>-L<place> "
               "(lower tier) or -U<place> (upper tier, resting on L<place> and L<place+1>), "
               "station S<k>, bay T<b>; blocks, bays as listed in the scenario, rows west to "
               "east, places across the bay, all from 1"),
    TraceField("to_kind", "string", "", "where the coil is put down (the coil arrives, the truck "
               "docks): floor, station or bay; null if none"),
    TraceField("to_name", "string", "", "that location's name (as from_name)"),
    TraceField("x0_m", "float64", "m", "crane bridge position along the runway at the start" + _MOTION),
    TraceField("y0_m", "float64", "m", "crane trolley position across the bay at the start" + _MOTION),
    TraceField("x1_m", "float64", "m", "bridge position at the end" + _MOTION),
    TraceField("y1_m", "float64", "m", "trolley position at the end" + _MOTION),
    TraceField("bridge_m", "float64", "m", "bridge travel in the row" + _MOTION),
    TraceField("trolley_m", "float64", "m", "trolley travel in the row" + _MOTION),
    TraceField("hoist_m", "float64", "m", "hoist travel (down and up) in the row" + _MOTION),
    TraceField("bridge_s", "float64", "s", "time the bridge moves in the row" + _MOTION),
    TraceField("trolley_s", "float64", "s", "time the trolley moves in the row" + _MOTION),
    TraceField("hoist_s", "float64", "s", "time the hoist moves in the row" + _MOTION),
    TraceField("bridge_starts", "int32", "", "bridge starts (each one a stop too)" + _MOTION),
    TraceField("trolley_starts", "int32", "", "trolley starts" + _MOTION),
    TraceField("hoist_starts", "int32", "", "hoist starts" + _MOTION),
    TraceField("load_t", "float64", "t", "mass on the hook (the coil's; 0 when empty)" + _MOTION),
    TraceField("energy_kwh", "float64", "kWh", "electrical energy of the crane stage; null where "
               "not priced (run --no-energy) and on rows that are no crane motion"),
    TraceField("order_coils", "int32", "", "coils the truck ordered, on truck rows; null "
               "otherwise"),
    TraceField("station_fill", "float64", "", "share of the station's places taken after the "
               "coil arrived (0-1), on coil_in rows; null otherwise"),
    TraceField("inventory", "int32", "coils", "coils in the warehouse (floor, station, hooks), "
               "on sample rows; null otherwise"),
)  # fmt: skip

_ARROW = {"float64": "float64", "int64": "int64", "int32": "int32", "string": "string"}
_CSVW = {"float64": "double", "int64": "integer", "int32": "integer", "string": "string"}
_PY = {"float64": float, "int64": int, "int32": int, "string": str}

#: Bumped whenever a column changes meaning, is added or removed.
FORMAT_VERSION = 2


@dataclass(frozen=True)
class TraceMeta:
    """What a trace carries besides its rows: the names its rows use, and its provenance.

    ``info`` (JSON) holds ``cranesim_version``, ``core``, ``seed``, ``hours``, ``crew``,
    ``scenario_name``, ``scenario_source`` (the file or packaged example), ``scenario_overrides``
    (the ``--set`` keys applied on top) and ``scenario_toml`` (the whole scenario that ran,
    every key written, so it replays whatever the defaults of a later version).
    """

    crane_names: tuple[str, ...]
    loc_kind: tuple[str, ...]
    loc_name: tuple[str, ...]
    info: dict[str, Any] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        """The metadata as written (JSON-ready)."""
        return {"format": "cranesim trace", "format_version": FORMAT_VERSION, **self.info,
                "cranes": list(self.crane_names)}  # fmt: skip


def trace_meta(sc: Any, layout: Any, **info: Any) -> TraceMeta:
    """The :class:`TraceMeta` of a run of ``sc`` (``info``: seed, hours, crew, ...)."""
    from cranesim._version import __version__
    from cranesim.native import CORE

    return TraceMeta(
        tuple(c.name for c in sc.cranes),
        layout.loc_kind,
        layout.loc_name,
        {
            "cranesim_version": __version__,
            "core": CORE,
            **info,
            "scenario_name": sc.scenario.name,
            "scenario_source": sc._source,
            "scenario_overrides": list(sc._overrides),
            "scenario_toml": sc.to_toml(),
        },
    )


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    """The metadata file beside a CSV trace: ``TRACE.csv-metadata.json``."""
    p = Path(path)
    return p.with_name(p.name + "-metadata.json")


def _file_row(meta: TraceMeta):
    """A function: in-memory record -> file row (names, None where a field does not apply)."""
    cranes, lk, ln = meta.crane_names, meta.loc_kind, meta.loc_name
    isnan = math.isnan
    no_motion = (None,) * 14

    def row(r: tuple) -> tuple:
        (t, dur, c, kind, lift, lkind, coil, grade, fl, tl, x0, y0, x1, y1, *motion,
         load, e, truck, order, fill, inv) = r  # fmt: skip
        if c >= 0:
            mv = (
                None if isnan(x0) else x0, None if isnan(y0) else y0,
                None if isnan(x1) else x1, None if isnan(y1) else y1,
                *motion, load,
            )  # fmt: skip
        else:
            mv = no_motion
        return (
            t + 0.0, dur + 0.0, kind, cranes[c] if c >= 0 else None, truck if truck >= 0 else None,
            lift if lift >= 0 else None, lkind or None, coil if coil >= 0 else None,
            grade or None, lk[fl] if fl >= 0 else None, ln[fl] if fl >= 0 else None,
            lk[tl] if tl >= 0 else None, ln[tl] if tl >= 0 else None, *mv,
            None if isnan(e) else e, order if order >= 0 else None,
            None if isnan(fill) else fill, inv if inv >= 0 else None,
        )  # fmt: skip

    return row


def _fmt(v: Any) -> Any:
    if isinstance(v, float):
        return repr(v)  # shortest round-trip text: byte-stable and exact
    return v


class TraceWriter(StreamedFile):
    """Stream records to ``path`` as CSV (``.csv``) or Parquet (``.parquet``), in time order.

    Use as a context manager: the file appears only if the block completes.  :meth:`write`
    takes the records as the model emits them; :meth:`release` writes those that start no
    later than the model's watermark (the runner calls it every model hour); :meth:`close`
    writes the rest.  Memory holds the records of about an hour plus the longest interval.

    The file (and a CSV's sidecar) are written to temporary files, created at once: a path
    that cannot be written raises :class:`~cranesim.errors.OutputError` here, before any work.
    A write that fails (a full disk) raises it too and removes them.  With ``outputs`` (the
    :class:`~cranesim.record.atomic.Outputs` of a command) the files join that group:
    :meth:`close` finishes them and the group moves them into place with its other files.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> meta = TraceMeta(("C1",), ("station",), ("S1",))
    >>> rec = (0.0, 1.5, 0, "wait") + (-1, "", -1, "", -1, 0) + (0.0,) * 10 + (0, 0, 0, 0.0)
    >>> with TraceWriter(p, meta) as w:
    ...     w.write(rec + (float("nan"), -1, -1, float("nan"), -1))
    >>> [(r["kind"], r["crane"], r["to_name"], r["truck"]) for r in read_trace(p)]
    [('wait', 'C1', 'S1', None)]
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        meta: TraceMeta,
        batch: int = 16384,
        *,
        outputs: Outputs | None = None,
    ) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise ValueError(f"{self.path}: trace must end in .csv or .parquet")
        self.fmt = suffix[1:]
        self.meta = meta
        self.batch = batch
        self._row = _file_row(meta)
        self._held: list[tuple] = []  # emitted, not yet released (emission order)
        self._out: list[tuple] = []  # released, in time order, not yet on disk
        self._floor = -math.inf  # no record may start before this any more
        self._own = outputs is None  # moved into place by close(), else by the group
        self._group = Outputs() if outputs is None else outputs
        self._closed = False
        self.rows = 0
        try:
            self._file = self._group.add(self.path)
            side = sidecar_path(self.path) if self.fmt == "csv" else None
            self._side: PendingFile | None = None if side is None else self._group.add(side)
        except OSError as exc:
            if self._own:
                self._group.discard()
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
            self._csv.writerow([f.name for f in TRACE_SCHEMA])
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            self._pa = pa
            fields = [
                pa.field(f.name, getattr(pa, _ARROW[f.type])(), nullable=True,
                         metadata={"description": f.description, "unit": f.unit})
                for f in TRACE_SCHEMA
            ]  # fmt: skip
            doc = json.dumps(self.meta.document(), ensure_ascii=False, allow_nan=False)
            self._schema = pa.schema(fields, metadata={"cranesim": doc})
            self._pq = pq.ParquetWriter(self._tmp, self._schema, compression="zstd")

    def write(self, rec: tuple) -> None:
        """Take a record as the model emits it."""
        if rec[0] < self._floor:
            raise RuntimeError(
                f"trace: a {rec[3]} record starting at t={rec[0]!r} s came after the watermark "
                f"{self._floor!r} s (a process emits a record it did not show in open_since)"
            )
        self._held.append(rec)

    def release(self, watermark: float) -> None:
        """Write the records that start no later than ``watermark`` (no record emitted from
        now on starts before it)."""
        held = self._held
        if not held:
            self._floor = watermark
            return
        held.sort(key=_START)  # stable: ties keep the emission order
        k = bisect_right(held, watermark, key=_START)
        if k:
            self._out.extend(held[:k])
            del held[:k]
            if len(self._out) >= self.batch:
                try:
                    self._flush()
                except OSError as exc:
                    self._fail(exc)
        self._floor = watermark

    def _flush(self) -> None:
        if not self._out:
            return
        rows = [self._row(r) for r in self._out]
        self.rows += len(rows)
        if self.fmt == "csv":
            self._csv.writerows([[_fmt(v) for v in r] for r in rows])
        else:
            pa, schema = self._pa, self._schema
            cols = list(zip(*rows))
            arrays = [pa.array(cols[i], type=schema.field(i).type) for i in range(len(cols))]
            self._pq.write_table(pa.Table.from_arrays(arrays, schema=schema))
        self._out.clear()

    def close(self) -> None:
        """Write what is held, close, and move the file (and a CSV's sidecar) into place (with
        ``outputs``: leave that to the group).  A failure discards them and raises
        :class:`OutputError`."""
        if self._closed:
            return
        self.release(math.inf)
        try:
            self._flush()
            self._sync_close()
            self._closed = True
            if self._side is not None:
                self._side.write_bytes(_sidecar(self._file.target, self.meta).encode("utf-8"))
        except OSError as exc:
            self._fail(exc)
        except OutputError:  # the sidecar
            self.abort()
            raise
        if self._own:
            self._group.commit()

    def abort(self) -> None:
        """Discard everything written (a failed run leaves no file, no temporary file)."""
        for f in (self._file, self._side):
            if f is not None:
                f.discard()


_START = itemgetter(0)


def _sidecar(target: Path, meta: TraceMeta) -> str:
    """The CSV trace's metadata: a CSV-on-the-Web table description plus the run's metadata."""
    doc = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": target.name,
        "dc:description": "cranesim event trace: one row per record, in time order",
        "tableSchema": {
            "columns": [
                {
                    "name": f.name,
                    "datatype": _CSVW[f.type],
                    "null": "",
                    **({"unit": f.unit} if f.unit else {}),
                    "dc:description": f.description,
                }
                for f in TRACE_SCHEMA
            ],  # fmt: skip
        },
        "cranesim": meta.document(),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --------------------------------------------------------------------------- reading
def read_meta(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The metadata of a trace (:meth:`TraceMeta.document`); ValueError if it has none."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        md = pq.read_schema(path).metadata or {}
        raw = md.get(b"cranesim")
        if raw is None:
            raise ValueError(f"{path}: no cranesim metadata (not a cranesim trace, or an old one)")
        return json.loads(raw)
    side = sidecar_path(path)
    try:
        doc = json.loads(side.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: its metadata {side.name} is missing beside it") from None
    if "cranesim" not in doc:
        raise ValueError(f"{side}: no cranesim metadata")
    return doc["cranesim"]


def read_trace(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield the rows of a CSV or Parquet trace as dicts of typed values (None: null)."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches():
            yield from batch.to_pylist()
        return
    names = [f.name for f in TRACE_SCHEMA]
    convs = [_PY[f.type] for f in TRACE_SCHEMA]
    with open(path, newline="", encoding="utf-8") as fh:
        rd = csv.reader(fh)
        header = next(rd, None)
        if header != names:
            raise ValueError(f"{path}: not a cranesim trace of this version (unexpected header)")
        for row in rd:
            yield {n: (f(v) if v != "" else None) for n, f, v in zip(names, convs, row)}


def trace_scenario(path: str | os.PathLike[str]) -> tuple[Any, dict[str, Any]]:
    """The scenario a trace ran (from its metadata, validated) and the metadata."""
    import tomllib

    from cranesim.scenario.load import parse_config

    meta = read_meta(path)
    sc = parse_config(tomllib.loads(meta["scenario_toml"]), f"{path} (its scenario)")
    sc._source = meta.get("scenario_source", sc._source)
    sc._overrides = tuple(meta.get("scenario_overrides", ()))
    return sc, meta


def iter_records(path: str | os.PathLike[str]) -> Iterable[tuple]:
    """Yield the rows of a trace file as in-memory records (:data:`COLUMNS` order, indices
    for names, -1/""/NaN for null), as the model emitted them but in time order."""
    from cranesim.scenario.layout import build_layout

    sc, meta = trace_scenario(path)
    lay = build_layout(sc)
    crane = {n: i for i, n in enumerate(meta["cranes"])}
    loc = {(k, n): i for i, (k, n) in enumerate(zip(lay.loc_kind, lay.loc_name))}
    nan = math.nan

    def i(v: Any) -> int:
        return -1 if v is None else v

    def f(v: Any) -> float:
        return nan if v is None else v

    for d in read_trace(path):
        c = -1 if d["crane"] is None else crane[d["crane"]]
        fl = -1 if d["from_kind"] is None else loc[d["from_kind"], d["from_name"]]
        tl = -1 if d["to_kind"] is None else loc[d["to_kind"], d["to_name"]]
        yield (
            d["t_s"], d["dur_s"], c, d["kind"], i(d["lift"]), d["lift_kind"] or "",
            i(d["coil"]), d["grade"] or "", fl, tl,
            f(d["x0_m"]), f(d["y0_m"]), f(d["x1_m"]), f(d["y1_m"]),
            *(0.0 if d[k] is None else d[k] for k in _MOTION_COLS),
            *(0 if d[k] is None else d[k] for k in _STARTS_COLS),
            0.0 if d["load_t"] is None else d["load_t"], f(d["energy_kwh"]),
            i(d["truck"]), i(d["order_coils"]), f(d["station_fill"]), i(d["inventory"]),
        )  # fmt: skip


_MOTION_COLS = ("bridge_m", "trolley_m", "hoist_m", "bridge_s", "trolley_s", "hoist_s")
_STARTS_COLS = ("bridge_starts", "trolley_starts", "hoist_starts")


def schema_table() -> str:
    """The trace's columns as a Markdown table (the README's)."""
    lines = ["| column | type | unit | meaning |", "| --- | --- | --- | --- |"]
    for f in TRACE_SCHEMA:
        lines.append(f"| `{f.name}` | {f.type} | {f.unit} | {f.description} |")
    return "\n".join(lines)
