"""A plant's recorded demand as the warehouse's demand source, and the export of a run's demand.

:class:`RecordedDemand` streams the files of ``[demand]`` (read by
:class:`cranesim.scenario.recorded.Recorded`) into the same mill and truck processes the
generators feed.  Each recorded time is hit exactly (:func:`exact_delay`), so a run from the
files written by :class:`ExportDemand` (``cranesim run --export-demand DIR``) repeats the run
that wrote them event for event, as long as the scenario and the seed are the same (the seed
still drives the operator's stream and the scheduler's random policy).

What is recorded, and why each is needed for that:

* per coil its ``ready_at`` *and* its ``station_at``: when the station was full the mill
  waited; with ``late_coils = "shift"`` the next coil comes as much after the recorded one as
  this coil was set down after its recorded ``station_at`` (zero when nothing changed);
* the mill's stoppages (``stops``): they hold the mill, and the trace records them;
* the trucks' orders as drawn, line by line, in order (the jobs are made in that order);
* the initial stock by place, in the order of the coils' numbers (they number the coils).
"""

from __future__ import annotations

from math import inf, nextafter
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from cranesim.model.demand import DemandSource, MillCoil, MillStop, SyntheticDemand
from cranesim.model.stock import Coils
from cranesim.record.tables import TableSet
from cranesim.scenario.layout import Layout
from cranesim.scenario.places import Places
from cranesim.scenario.recorded import (
    CoilRow,
    DemandError,
    StopRow,
    TruckRow,
    open_recorded,
    supply,
    trim_order,
)
from cranesim.scenario.schema import Scenario
from cranesim.sched.state import SchedState

if TYPE_CHECKING:
    from cranesim.model.stock import Stock

__all__ = ["RecordedDemand", "ExportDemand", "EXPORT_TABLES", "demand_source", "exact_delay"]


def exact_delay(now: float, t: float) -> float:
    """Seconds from ``now`` to ``t`` such that ``now + delay == t`` in floating point (SimPy
    schedules a timeout at ``now + delay``), where one exists; 0 if ``t`` is not after ``now``.

    A time a run met as ``now + x`` is reached again this way (``t - now`` lands on it; the
    search by ulps is a safety net); a recorded time from elsewhere may lie between two sums
    ``now + d``, and is then missed by at most an ulp.

    >>> now = 0.2812313776461675
    >>> t = now + 0.5302734787
    >>> now + exact_delay(now, t) == t, exact_delay(5.0, 4.0)
    (True, 0.0)
    """
    d = t - now
    if not d > 0.0:
        return 0.0
    for _ in range(4):
        s = now + d
        if s == t:
            return d
        d = nextafter(d, inf if s < t else -inf)
    return t - now


class RecordedDemand:
    """The demand of ``[demand] source = "recorded"``: the stock list, the mill's coils and
    stoppages and the trucks, streamed from the files as the run reaches them.

    Raises :class:`~cranesim.scenario.recorded.DemandError` at the first row that cannot be used
    (``cranesim`` checks the files before it runs: :func:`~cranesim.scenario.recorded.check_demand`).
    """

    def __init__(self, sc: Scenario, lay: Layout) -> None:
        self.rec = rec = open_recorded(sc, lay)
        self._raise()
        self._shift = sc.demand.late_coils == "shift"
        self._coils: Iterator[CoilRow] = rec.coil_rows()
        self._stops: Iterator[StopRow] = rec.stop_rows()
        trucks = rec.truck_rows()
        if sc.demand.short_orders == "trim":
            trucks = _trimmed(trucks, supply(rec))
        self._trucks: Iterator[TruckRow] = trucks
        self._coil = self._next(self._coils)
        self._stop = self._next(self._stops)
        self._truck = self._next(self._trucks)
        self._rec_end = 0.0  # recorded end of the mill's last coil (set down) or stoppage

    def _raise(self) -> None:
        if self.rec.problems:
            raise DemandError(self.rec.problems.summary())

    def _next(self, it: Iterator):
        row = next(it, None)
        self._raise()
        return row

    def fill(self, st: SchedState, lay: Layout, coils: Coils) -> list[str]:
        idents = []
        for r in self.rec.stock_rows():
            cid = coils.new(r.grade, r.mass)
            st.s_coil[r.slot] = cid
            st.s_grade[r.slot] = r.grade
            st.s_mass[r.slot] = r.mass
            idents.append(r.ident)
        self._raise()
        return idents

    def bind(self, stock: Stock) -> None:
        pass

    def next_mill(self, now: float) -> MillCoil | MillStop | None:
        """The next coil or stoppage (whichever the records put first), at its recorded time,
        moved by the mill's lag (``late_coils = "shift"``)."""
        lag = now - self._rec_end if self._shift else 0.0
        c, s = self._coil, self._stop
        if s is not None and (c is None or s.start < c.ready):
            self._stop = self._next(self._stops)
            self._rec_end = s.start + s.dur
            return MillStop(exact_delay(now, s.start + lag), s.dur)
        if c is None:
            return None
        self._coil = self._next(self._coils)
        self._rec_end = c.station if c.station == c.station else c.ready
        return MillCoil(exact_delay(now, c.ready + lag), c.grade, c.mass, c.ident)

    def delivered(self, coil: int, now: float) -> None:
        pass

    def next_truck(self, now: float) -> float | None:
        t = self._truck
        return None if t is None else exact_delay(now, t.arrive)

    def truck_order(self, now: float, coils: Coils) -> tuple[str, list[tuple[int, int]]]:
        t = self._truck
        self._truck = self._next(self._trucks)
        for g, q in t.lines:
            coils.promised[g] += q
        return t.ident, t.lines


def _trimmed(trucks: Iterator[TruckRow], left: list[int]) -> Iterator[TruckRow]:
    """The trucks with each order cut to what the stock and the mill will ever hold."""
    for t in trucks:
        lines = [(g, k) for g, k, _ in trim_order(t.lines, left) if k > 0]
        yield t._replace(lines=lines)


#: the columns ``cranesim run --export-demand`` writes, table by table (times as seconds)
EXPORT_TABLES: dict[str, list[tuple[str, str]]] = {
    "stock": [("coil_id", "str"), ("grade", "str"), ("mass_t", "f8"), ("block", "str"),
              ("row", "i8"), ("tier", "i8"), ("place", "i8")],
    "coils": [("coil_id", "str"), ("grade", "str"), ("mass_t", "f8"), ("ready_at", "f8"),
              ("station_at", "f8")],
    "trucks": [("truck_id", "str"), ("arrive_at", "f8"), ("grade", "str"), ("coils", "i8")],
    "stops": [("start_at", "f8"), ("duration_s", "f8")],
}  # fmt: skip


class ExportDemand:
    """A demand source that writes what it delivers in the recorded format (``cranesim run
    --export-demand DIR``): it wraps the warehouse's source and passes every answer through.

    Times are written exactly as the run met them, ids as the plant's (a recorded run's) or the
    model's numbers.  The files appear when :meth:`close` is called after the run; a coil the
    mill had ready but could not set down by then is written without ``station_at``.
    """

    def __init__(self, inner: DemandSource, out: TableSet, sc: Scenario, lay: Layout) -> None:
        self.inner = inner
        self.out = out
        self.grades = lay.grades
        self.places = Places(sc, lay)
        self._pending: tuple | None = None
        self._trucks = 0

    def fill(self, st: SchedState, lay: Layout, coils: Coils) -> list[str] | None:
        idents = self.inner.fill(st, lay, coils)
        slots = np.flatnonzero(st.s_coil >= 0)
        w = self.out["stock"]
        for s in slots[np.argsort(st.s_coil[slots], kind="stable")].tolist():
            cid = int(st.s_coil[s])
            ident = str(cid) if idents is None else idents[cid]
            block, row, tier, place = self.places.name(s)
            w.write((ident, self.grades[int(st.s_grade[s])], float(st.s_mass[s]), block, row,
                     tier, place))  # fmt: skip
        return idents

    def bind(self, stock: Stock) -> None:
        self.inner.bind(stock)
        self._coils = stock.coils

    def next_mill(self, now: float) -> MillCoil | MillStop | None:
        item = self.inner.next_mill(now)
        if type(item) is MillCoil:
            # ready when the mill's timeout fires: SimPy's own sum
            self._pending = (item.ident, self.grades[item.grade], item.mass, now + item.delay)
        elif item is not None:
            start = now + item.delay if item.delay > 0 else now
            self.out["stops"].write((start, item.dur))
        return item

    def delivered(self, coil: int, now: float) -> None:
        self.inner.delivered(coil, now)
        ident, grade, mass, ready = self._pending
        self._pending = None
        self.out["coils"].write((str(coil) if ident is None else ident, grade, mass, ready, now))

    def next_truck(self, now: float) -> float | None:
        return self.inner.next_truck(now)

    def truck_order(self, now: float, coils: Coils) -> tuple[str | None, list[tuple[int, int]]]:
        ident, order = self.inner.truck_order(now, coils)
        if order:
            name = str(self._trucks) if ident is None else ident
            self._trucks += 1
            w = self.out["trucks"]
            for g, q in order:
                w.write((name, now, self.grades[g], q))
        return ident, order

    def close(self) -> None:
        """Write the coil still waiting for the station, if any, and move the files into place."""
        if self._pending is not None:
            ident, grade, mass, ready = self._pending
            ident = str(self._coils.issued) if ident is None else ident  # its number-to-be
            self.out["coils"].write((ident, grade, mass, ready, float("nan")))
            self._pending = None
        self.out.close()

    def abort(self) -> None:
        self.out.abort()


def demand_source(wh: Any) -> DemandSource:
    """The default :data:`~cranesim.model.demand.DemandFactory`: the scenario's ``[demand]``, its generators
    (:class:`SyntheticDemand` on the warehouse's mill, truck and initial-stock streams) or a
    plant's records (:class:`RecordedDemand`)."""
    sc = wh.sc
    if sc.demand.source == "recorded":
        return RecordedDemand(sc, wh.lay)
    return SyntheticDemand(sc, wh.rng_mill, wh.rng_trucks, wh.rng_init)
