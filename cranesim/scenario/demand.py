"""The ``[demand]`` section and the format of recorded demand files.

By default a run's demand is synthetic: the generators of ``[mill]``, ``[trucks]`` and
``[storage] initial_fill``.  With ``source = "recorded"`` it comes from a plant's records, one
table per file (CSV or Parquet, in a folder ``dir`` or each file named), read and checked by
:mod:`cranesim.scenario.recorded`:

``coils``  (required): one row per coil from the mill, in the order they reached the station
    ``coil_id``, ``grade``, ``mass_t``, ``ready_at`` (the coil reached the unloading station and
    could be set down), ``station_at`` (optional: when it was set down; later than ``ready_at``
    when the station was full and the mill blocked; empty if not recorded or never)
``trucks`` (required): one row per order line, the lines of a truck together, trucks in the
    order they arrived
    ``truck_id``, ``arrive_at``, and either ``grade`` and ``coils`` (how many of that grade) or
    ``coil_id`` (one row per coil; the truck takes a coil of that coil's grade)
``stock``  (optional; without it the warehouse starts empty): the coils on the floor at the start
    ``coil_id``, ``grade``, ``mass_t``, ``block``, ``row``, ``tier``, ``place`` (see
    :mod:`cranesim.scenario.places`)
``stops``  (optional): the mill's stoppages, in time order
    ``start_at``, ``duration_s``, ``reason`` (optional, for the reader)

Times (``*_at``) are seconds from the start of the run, or ISO 8601 date-times counted from
``start`` (by default the first coil's ``ready_at``).  Ids are text.  Paths in the section are
relative to the scenario file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator

from cranesim.scenario.base import Model
from cranesim.scenario.tables import SUFFIXES, Column

__all__ = ["Demand", "TABLES", "COILS", "TRUCKS", "STOCK", "STOPS", "demand_files"]

COILS = (
    Column("coil_id", "str", doc="the plant's coil id"),
    Column("grade", "str", doc="a grade of [[mill.products]]"),
    Column("mass_t", "float", doc="coil mass, t"),
    Column("ready_at", "time", doc="the coil reached the unloading station"),
    Column("station_at", "time", required=False, doc="the coil was set down on the station"),
)
TRUCKS = (
    Column("truck_id", "str", doc="the plant's truck (or order) id"),
    Column("arrive_at", "time", doc="the truck arrived"),
    Column("grade", "str", required=False, doc="a grade the truck takes"),
    Column("coils", "float", required=False, doc="how many coils of that grade"),
    Column("coil_id", "str", required=False, doc="a coil the truck takes"),
)
STOCK = (
    Column("coil_id", "str", doc="the plant's coil id"),
    Column("grade", "str", doc="a grade of [[mill.products]]"),
    Column("mass_t", "float", doc="coil mass, t"),
    Column("block", "str", doc="storage block name or number"),
    Column("row", "float", doc="row in the block, from 1"),
    Column("tier", "float", doc="1 = floor, 2 = upper layer"),
    Column("place", "float", doc="place in the row, from 1"),
)
STOPS = (
    Column("start_at", "time", doc="the stoppage began"),
    Column("duration_s", "float", doc="its duration, s"),
    Column("reason", "str", required=False, doc="free text"),
)
#: the tables of recorded demand: name -> (columns, required)
TABLES: dict[str, tuple[tuple[Column, ...], bool]] = {
    "stock": (STOCK, False),
    "coils": (COILS, True),
    "trucks": (TRUCKS, True),
    "stops": (STOPS, False),
}


class Demand(Model):
    """Where a run's coils, trucks and initial stock come from."""

    source: Literal["synthetic", "recorded"] = "synthetic"
    """``synthetic``: the generators of ``[mill]``, ``[trucks]`` and ``[storage]
    initial_fill``; ``recorded``: the files below."""
    dir: str | None = None
    """Folder holding ``coils``, ``trucks`` and optionally ``stock`` and ``stops`` (``.csv`` or
    ``.parquet``), relative to the scenario file."""
    coils: str | None = None
    """The coil file, if not ``dir``'s (relative to the scenario file); likewise the others."""
    trucks: str | None = None
    stock: str | None = None
    stops: str | None = None
    start: str | None = None
    """ISO 8601 date-time of the run's start, for files whose times are date-times (default:
    the first coil's ``ready_at``)."""
    late_coils: Literal["shift", "queue"] = "shift"
    """When the simulated station is full: ``shift``: the mill waits, and its later coils and
    stoppages come as much later as the coil before them was set down later than recorded (the
    generators' rule); ``queue``: the recorded times stand, coils queue on the conveyor."""
    short_orders: Literal["error", "trim"] = "error"
    """An order for more coils of a grade than the stock and the mill will ever hold: an error
    (the truck would wait at its bay to the end of the run), or ``trim``: the order is cut to
    what can be filled, with a note."""

    @field_validator("dir", "coils", "trucks", "stock", "stops")
    @classmethod
    def _relative_to_scenario(cls, v: str | None, info: ValidationInfo) -> str | None:
        base = (info.context or {}).get("base_dir")
        if v is None or base is None:
            return v
        return str(Path(base, v).expanduser())

    @field_validator("start")
    @classmethod
    def _iso(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                datetime.fromisoformat(v)
            except ValueError:
                raise ValueError(f"start = {v!r}: expected an ISO 8601 date-time") from None
        return v

    @model_validator(mode="after")
    def _files(self) -> "Demand":
        named = [k for k in TABLES if getattr(self, k) is not None]
        if self.source == "synthetic" and (named or self.dir is not None):
            raise ValueError('files given but source = "synthetic" (set source = "recorded")')
        if self.source == "recorded" and self.dir is None:
            missing = [k for k, (_, req) in TABLES.items() if req and getattr(self, k) is None]
            if missing:
                raise ValueError(f'source = "recorded" needs dir, or {" and ".join(missing)}')
        return self

    def origin(self) -> datetime | None:
        """``start`` as a date-time, or None."""
        return None if self.start is None else datetime.fromisoformat(self.start)


def demand_files(d: Demand) -> tuple[dict[str, Path | None], list[str]]:
    """Each table's file (None: an optional table not given) and the problems finding them:
    a file named in the section, or ``dir/NAME.csv`` or ``dir/NAME.parquet`` (not both)."""
    out: dict[str, Path | None] = {}
    problems: list[str] = []
    if d.dir is not None and not Path(d.dir).is_dir():
        problems.append(f"{d.dir}: [demand] dir: no such folder")
    for name, (_, required) in TABLES.items():
        given = getattr(d, name)
        if given is not None:
            out[name] = Path(given)
            continue
        found = [] if d.dir is None else [Path(d.dir, name + s) for s in SUFFIXES]
        found = [p for p in found if p.is_file()]
        if len(found) > 1:
            problems.append(f"{d.dir}: both {found[0].name} and {found[1].name}: keep one")
        if found:
            out[name] = found[0]
        else:
            out[name] = None
            if required and d.dir is not None and Path(d.dir).is_dir():
                problems.append(f"{d.dir}: no {name}.csv or {name}.parquet ({name} are required)")
    return out, problems
