"""Recorded demand: a plant's files read row by row (:class:`Recorded`).

The same row readers serve the check before a run
(:func:`~cranesim.scenario.recorded_check.check_demand`, which every command that runs the model
calls first) and the run itself (:class:`cranesim.model.recorded.RecordedDemand` streams them),
so both read every value alike.  Each reader yields the rows it can use and turns every other
row into a problem naming file, row and column (:mod:`cranesim.scenario.tables`); the check adds
what needs several rows or files.  :func:`with_demand` is ``--demand DIR``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, NamedTuple

import numpy as np

from cranesim.errors import UserError
from cranesim.scenario.demand import TABLES, Demand, demand_files
from cranesim.scenario.layout import Layout
from cranesim.scenario.places import Places
from cranesim.scenario.schema import Scenario
from cranesim.scenario.tables import Clock, Problems, Table, open_table

__all__ = [
    "DemandError",
    "IdIndex",
    "Recorded",
    "StockRow",
    "CoilRow",
    "TruckRow",
    "StopRow",
    "open_recorded",
    "supply",
    "trim_order",
    "with_demand",
]

#: the largest coil mass accepted (as ``[[mill.products]] mass_t_mean``)
MAX_MASS_T = 50.0


class DemandError(UserError):
    """Recorded demand that cannot be used: the first problem (file, row, column) and how many
    more there are; ``cranesim validate --demand`` lists them all."""


class StockRow(NamedTuple):
    row: int
    ident: str
    grade: int
    mass: float
    slot: int


class CoilRow(NamedTuple):
    row: int
    ident: str
    grade: int
    mass: float
    ready: float
    station: float  # NaN: not recorded (or never set down)


class TruckRow(NamedTuple):
    row: int  # its first line
    ident: str
    arrive: float
    lines: list[tuple[int, int]]  # (grade, coils), in file order
    coil_ids: list[tuple[int, str]]  # (row, coil id) of lines by coil


class StopRow(NamedTuple):
    row: int
    start: float
    dur: float


def with_demand(sc: Scenario, folder: str | os.PathLike[str]) -> Scenario:
    """The scenario with its demand recorded in ``folder`` (``--demand DIR``); the rest of
    ``[demand]`` (``start``, ``late_coils``, ``short_orders``) is kept."""
    d = sc.demand.model_dump()
    d.update(source="recorded", dir=str(Path(folder).absolute()))
    d.update({k: None for k in TABLES})
    out = sc.model_copy(update={"demand": Demand.model_validate(d)})
    out._source = sc._source
    return out


class IdIndex:
    """Text ids to integers, kept as 64-bit hashes in arrays (16 bytes an id, so a year of
    coils takes a few MB): :meth:`get` by binary search, :meth:`duplicates` by sorting.  The
    hashes are Python's, valid within this process; two ids sharing one (about one chance in
    10^9 for a year of coils) are told apart where it matters by reading the ids again."""

    def __init__(self) -> None:
        from array import array

        self._h, self._v = array("q"), array("q")
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, ident: str, value: int) -> None:
        self._h.append(hash(ident))
        self._v.append(value)
        self._sorted = None

    def __len__(self) -> int:
        return len(self._h)

    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if self._sorted is None:
            h = np.frombuffer(self._h, dtype=np.int64) if len(self._h) else np.zeros(0, np.int64)
            v = np.frombuffer(self._v, dtype=np.int64) if len(self._v) else np.zeros(0, np.int64)
            order = np.argsort(h, kind="stable")  # equal hashes keep the order they came in
            self._sorted = (h[order], v[order])
        return self._sorted

    def get(self, ident: str, default: int = -1) -> int:
        """The value of the first ``ident`` added, or ``default``."""
        h, v = self._arrays()
        key = hash(ident)
        i = int(np.searchsorted(h, key))
        return int(v[i]) if i < len(h) and h[i] == key else default

    def duplicates(self) -> list[tuple[int, int]]:
        """``(first value, later value)`` for every id added again (by hash)."""
        h, v = self._arrays()
        same = np.flatnonzero(h[1:] == h[:-1]) + 1
        out = []
        for i in same.tolist():
            j = i - 1
            while j > 0 and h[j - 1] == h[i]:
                j -= 1
            out.append((int(v[j]), int(v[i])))
        return out


@dataclass
class Recorded:
    """The recorded demand of a scenario, its files found and its clock set; each ``*_rows``
    method opens its file afresh and streams it."""

    sc: Scenario
    lay: Layout
    files: dict[str, Path | None]
    clock: Clock
    problems: Problems
    places: Places
    grades: dict[str, int] = field(default_factory=dict)

    def _table(self, name: str) -> Table | None:
        path = self.files[name]
        if path is None:
            return None
        return open_table(path, TABLES[name][0], self.problems, self.clock, f"[demand] {name}")

    def _grade(self, t: Table, row: int, column: str, name: str) -> int:
        g = self.grades.get(name)
        if g is None:
            known = ", ".join(list(self.grades)[:8]) + (", ..." if len(self.grades) > 8 else "")
            why = "empty" if not name else f"unknown grade (the scenario's: {known})"
            self.problems.at(t.file, row, column, name, why)
            return -1
        return g

    def _mass(self, t: Table, row: int, m: float | None) -> bool:
        if m is None:
            return False  # said already
        if not 0 < m <= MAX_MASS_T:
            self.problems.at(
                t.file, row, "mass_t", m, f"expected a mass in t, 0 < m <= {MAX_MASS_T:g}"
            )
            return False
        return True

    # ------------------------------------------------------------------ the tables
    def stock_rows(self) -> Iterator[StockRow]:
        """The coils on the floor at the start, each on its own place."""
        t = self._table("stock")
        if t is None:
            return
        taken: dict[int, int] = {}
        for b in t.batches():
            v = b.values
            for i, (ident, gname, m, blk, r, tr, pl) in enumerate(
                zip(
                    v["coil_id"],
                    v["grade"],
                    v["mass_t"],
                    v["block"],
                    v["row"],
                    v["tier"],
                    v["place"],
                )
            ):
                row = b.row0 + i
                ok = _ident(self.problems, t, row, "coil_id", ident)
                g = self._grade(t, row, "grade", gname)
                ok = self._mass(t, row, m) and ok and g >= 0
                nums = [
                    _whole(self.problems, t, row, c, x)
                    for c, x in (("row", r), ("tier", tr), ("place", pl))
                ]
                if None in nums:
                    continue
                slot = self.places.slot(blk, *nums)
                if isinstance(slot, str):
                    self.problems.at(
                        t.file,
                        row,
                        "block/row/tier/place",
                        f"{blk}-{nums[0]}-{nums[1]}-{nums[2]}",
                        slot,
                    )
                    continue
                if slot in taken:
                    self.problems.at(
                        t.file,
                        row,
                        "block/row/tier/place",
                        self.places.label(slot),
                        f"place already holds the coil of row {taken[slot]}",
                    )
                    continue
                taken[slot] = row
                if ok:
                    yield StockRow(row, ident, g, m, slot)

    def coil_rows(self) -> Iterator[CoilRow]:
        """The mill's coils in the order they reached the station."""
        t = self._table("coils")
        if t is None:
            return
        has_station = t.has("station_at")
        last_ready = last_station = 0.0
        for b in t.batches():
            v = b.values
            ready = v["ready_at"]
            station = v["station_at"] if has_station else [math.nan] * b.n
            for i, (ident, gname, m, r, s) in enumerate(
                zip(v["coil_id"], v["grade"], v["mass_t"], ready, station)
            ):
                row = b.row0 + i
                ok = _ident(self.problems, t, row, "coil_id", ident)
                g = self._grade(t, row, "grade", gname)
                ok = self._mass(t, row, m) and g >= 0 and ok
                if not _time(self.problems, t, row, "ready_at", r, last_ready, "the coil before"):
                    continue
                last_ready = r
                if s is None:
                    ok = False
                elif s == s:  # set down (empty: not recorded or never; its ready_at stands)
                    if s < r:
                        self.problems.at(
                            t.file, row, "station_at", s, f"before its ready_at ({r!r})"
                        )
                        ok = False
                    elif not _time(
                        self.problems, t, row, "station_at", s, last_station, "the coil before"
                    ):
                        ok = False
                    else:
                        last_station = s
                if ok:
                    yield CoilRow(row, ident, g, m, r, s)

    def quiet(self) -> Recorded:
        """The same files, with problems of their own (for a second pass over them)."""
        return Recorded(
            self.sc, self.lay, self.files, self.clock, Problems(), self.places, self.grades
        )

    def truck_rows(self) -> Iterator[TruckRow]:
        """The trucks in the order they arrived, each with its order lines (a line by coil id
        takes that coil's grade)."""
        t = self._table("trucks")
        if t is None:
            return
        by_grade, by_coil = t.has("grade") and t.has("coils"), t.has("coil_id")
        if not (by_grade or by_coil):
            self.problems.add(f"{t.file}: needs columns grade and coils, or coil_id")
            return
        coil_grades = _coil_grades(self.quiet()) if by_coil else IdIndex()
        seen: dict[str, int] = {}
        cur: TruckRow | None = None
        last = 0.0
        for b in t.batches():
            v = b.values
            n = b.n
            grades = v["grade"] if t.has("grade") else [""] * n
            counts = v["coils"] if t.has("coils") else [math.nan] * n
            cids = v["coil_id"] if by_coil else [""] * n
            for i, (ident, at, gname, q, cid) in enumerate(
                zip(v["truck_id"], v["arrive_at"], grades, counts, cids)
            ):
                row = b.row0 + i
                if not _ident(self.problems, t, row, "truck_id", ident):
                    continue
                if cur is None or ident != cur.ident:
                    if ident in seen:
                        self.problems.at(
                            t.file,
                            row,
                            "truck_id",
                            ident,
                            f"the lines of a truck must be together (its first: row {seen[ident]})",
                        )
                        continue
                    if not _time(self.problems, t, row, "arrive_at", at, last, "the truck before"):
                        continue
                    if cur is not None:
                        yield cur
                    seen[ident] = row
                    last = at
                    cur = TruckRow(row, ident, at, [], [])
                elif at != cur.arrive:
                    self.problems.at(
                        t.file,
                        row,
                        "arrive_at",
                        at,
                        f"truck {ident} arrived at {cur.arrive!r} (row {cur.row})",
                    )
                    continue
                if cid:
                    g = coil_grades.get(cid)
                    if g < 0:
                        self.problems.at(
                            t.file, row, "coil_id", cid, "no such coil in stock or from the mill"
                        )
                        continue
                    if gname and self.grades.get(gname) != g:
                        self.problems.at(
                            t.file, row, "grade", gname, f"coil {cid} is of another grade"
                        )
                        continue
                    cur.coil_ids.append((row, cid))
                    cur.lines.append((g, 1))
                    continue
                g = self._grade(t, row, "grade", gname)
                k = _whole(self.problems, t, row, "coils", q, 1)
                if g >= 0 and k is not None:
                    cur.lines.append((g, k))
        if cur is not None:
            yield cur

    def stop_rows(self) -> Iterator[StopRow]:
        """The mill's stoppages in time order, none overlapping the one before."""
        t = self._table("stops")
        if t is None:
            return
        end = 0.0
        for b in t.batches():
            v = b.values
            for i, (start, dur) in enumerate(zip(v["start_at"], v["duration_s"])):
                row = b.row0 + i
                if not _time(
                    self.problems, t, row, "start_at", start, end, "the end of the stoppage before"
                ):
                    continue
                if dur is None:
                    continue
                if not (dur >= 0):
                    self.problems.at(t.file, row, "duration_s", dur, "expected seconds >= 0")
                    continue
                end = start + dur
                yield StopRow(row, start, dur)


def _ident(problems: Problems, t: Table, row: int, column: str, value: str) -> bool:
    if value.strip():
        return True
    problems.at(t.file, row, column, value, "empty")
    return False


def _whole(
    problems: Problems, t: Table, row: int, column: str, x: float, lo: int = 1
) -> int | None:
    if x is None:
        return None  # said already
    if x == x and x == int(x) and x >= lo:
        return int(x)
    problems.at(t.file, row, column, x, f"expected a whole number >= {lo}")
    return None


def _time(
    problems: Problems, t: Table, row: int, column: str, x: float, last: float, before: str
) -> bool:
    """A time is there, not before the run's start and not before ``last``."""
    if x is None:
        pass  # said already
    elif x != x:
        problems.at(t.file, row, column, "", "empty")
    elif x < 0:
        problems.at(t.file, row, column, x, "before the start of the run ([demand] start)")
    elif x < last:
        problems.at(t.file, row, column, x, f"out of order: earlier than {before} ({last!r})")
    else:
        return True
    return False


def open_recorded(sc: Scenario, lay: Layout, problems: Problems | None = None) -> Recorded:
    """The recorded demand of ``sc`` (``[demand] source = "recorded"``): its files found and
    its clock's origin (``start``, or the first coil's ``ready_at`` when it is a date-time)."""
    problems = Problems() if problems is None else problems
    files, missing = demand_files(sc.demand)
    for m in missing:
        problems.add(m)
    origin = sc.demand.origin()
    rec = Recorded(sc, lay, files, Clock(origin), problems, Places(sc, lay))
    rec.grades = {g: i for i, g in enumerate(lay.grades)}
    if origin is None and files["coils"] is not None:
        rec.clock.origin = _first_datetime(files["coils"])
    return rec


def _first_datetime(path: Path):
    """The first coil's ``ready_at`` if it is a date-time, else None."""
    from datetime import datetime

    t = open_table(path, TABLES["coils"][0], Problems(), Clock(), "coils")
    v = None if t is None else t.first("ready_at")
    if isinstance(v, datetime) or v is None:
        return v
    if _is_number(v):
        return None
    try:
        return datetime.fromisoformat(str(v).strip())
    except ValueError:
        return None


def _is_number(v) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def _coil_grades(rec: Recorded) -> IdIndex:
    """Grade by coil id, of the stock and the mill's coils (for orders by coil id)."""
    out = IdIndex()
    for r in rec.stock_rows():
        out.add(r.ident, r.grade)
    for r in rec.coil_rows():
        out.add(r.ident, r.grade)
    return out


def ids_at(rec: Recorded, table: str, column: str, rows: set[int]) -> dict[int, str]:
    """The text in ``column`` of ``table`` at the given rows (read again)."""
    t = rec.quiet()._table(table)
    out: dict[int, str] = {}
    if t is None or not rows:
        return out
    for b in t.batches():
        for r in rows:
            if b.row0 <= r < b.row0 + b.n:
                out[r] = b.values[column][r - b.row0]
    return out


def supply(rec: Recorded) -> list[int]:
    """Coils per grade that the stock and the mill will ever hold."""
    rec = rec.quiet()
    n = [0] * len(rec.grades)
    for r in rec.stock_rows():
        n[r.grade] += 1
    for r in rec.coil_rows():
        n[r.grade] += 1
    return n


def trim_order(lines: list[tuple[int, int]], left: list[int]) -> list[tuple[int, int, int]]:
    """Each line ``(grade, coils)`` as ``(grade, coils that can be filled, coils short)``,
    taking from ``left`` (coils of each grade not yet ordered by an earlier truck)."""
    out = []
    for g, q in lines:
        k = min(q, max(left[g], 0))
        left[g] -= k
        out.append((g, k, q - k))
    return out
