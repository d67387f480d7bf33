"""What the animation shows at a model time, from a live model or from a recorded trace.

No Qt here: a *source* answers "where is everything at time ``t``" with a
:class:`~cranesim.viz.state.Snapshot`, which the view (:mod:`cranesim.viz.view`) draws.  Both
sources read the records with one :class:`~cranesim.viz.state.RecordState`:

* :class:`LiveSource` wraps a running :class:`~cranesim.model.Warehouse`: crane positions come
  from ``Warehouse.crane_x/crane_y/hook_z`` (the analytic motion stages), storage occupancy from
  the scheduler arrays, and everything the model does not keep (coil arrival times, trucks,
  running totals) from the records it emits through its ``sink``;
* :class:`ReplaySource` rebuilds the same picture from a trace file: crane motion stages are
  rebuilt from the stage records with the same planner and limits as the model (so positions
  between records match the live model exactly for automated cranes), and occupancy is the
  initial stock of ``Warehouse(scenario, seed)`` (not in the trace) updated by the pick and
  place records.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from cranesim.codes import HOIST, LIFT_KINDS
from cranesim.record.trace import COL, COLUMNS
from cranesim.viz.state import CraneView, RecordState, Series, Snapshot, effect_time

if TYPE_CHECKING:  # pragma: no cover
    from cranesim.model.warehouse import Warehouse

__all__ = ["LiveSource", "ReplaySource", "load_trace_records"]

STAGE_KINDS = frozenset(("move_empty", "pick", "move_loaded", "place", "yield"))

_T, _DUR, _CRANE, _KIND = COL["t_s"], COL["dur_s"], COL["crane"], COL["kind"]
_LIFT, _LKIND, _COIL, _GRADE = COL["lift"], COL["lift_kind"], COL["coil"], COL["grade"]
_FROM, _TO = COL["from_loc"], COL["to_loc"]
_X0, _Y0, _X1, _Y1 = COL["x0_m"], COL["y0_m"], COL["x1_m"], COL["y1_m"]
_LOAD = COL["load_t"]


# ====================================================================== live
class LiveSource:
    """A running :class:`~cranesim.model.Warehouse`, advanced by :meth:`advance_to`.

    Parameters
    ----------
    make
        ``make(sink) -> Warehouse``: builds the model with the given record sink.
    t_end
        Model time at which the run ends (s).
    label
        Shown above the pane.
    """

    def __init__(self, make: Any, t_end: float, label: str = "") -> None:
        self._pending: list[tuple] = []
        self.wh: Warehouse = make(self._pending.append)
        wh = self.wh
        self.lay = wh.lay
        self.sc = wh.sc
        self.label = label
        self.short = label.split(" ")[0].lower() if label else "model"
        self.t_end = t_end
        coil_grade = {int(c): int(g) for c, g in zip(wh.st.s_coil, wh.st.s_grade) if c >= 0}
        self.rs = RecordState(
            wh.lay, wh.st.s_coil, wh.st.s_grade, coil_grade, wh.env.now, track_slots=False
        )
        self.rs.inventory = wh.inventory()
        self.rs.series.v["inventory"][0] = self.rs.inventory
        self.error: BaseException | None = None
        self._drain()

    @property
    def t(self) -> float:
        return self.wh.env.now

    @property
    def series(self) -> Series:
        return self.rs.series

    def _drain(self) -> None:
        if self._pending:
            now = self.wh.env.now
            for rec in self._pending:
                self.rs.apply(rec, now)  # records are emitted when they take effect
            self._pending.clear()

    def advance_to(self, t: float, max_events: float = float("inf")) -> float:
        """Run the model to ``min(t, t_end)``, processing at most ``max_events`` SimPy events.

        Returns the model time reached (less than asked when the event cap was hit).
        """
        env = self.wh.env
        t = min(t, self.t_end)
        n = 0
        try:
            while env.peek() <= t:
                if n >= max_events:
                    return env.now
                env.step()
                n += 1
                if self._pending:
                    self._drain()
            if t > env.now:
                env.run(until=t)
        finally:
            self._drain()
        return env.now

    def next_event_time(self) -> float:
        return self.wh.env.peek()

    @property
    def done(self) -> bool:
        return self.wh.env.now >= self.t_end

    def snapshot(self) -> Snapshot:
        wh, rs = self.wh, self.rs
        t = wh.env.now
        st = wh.st
        coils = st.s_coil.copy()
        cranes = []
        for c in range(wh.n):
            cv = CraneView(wh.crane_x(c, t), wh.crane_y(c, t), wh.hook_z(c, t))
            lift = wh.current[c]
            if lift is not None:
                cv.kind = LIFT_KINDS[lift.kind]
                cv.src, cv.dst, cv.coil, cv.grade = lift.src, lift.dst, lift.coil, lift.grade
                cv.holding = bool(wh.holding(c))
                cv.birth = float(rs.births(np.array([lift.coil]))[0])
            on_break = getattr(wh, "on_break", None)
            cv.on_break = bool(on_break[c]) if on_break is not None else False
            cranes.append(cv)
        station = list(wh.station_coil)
        return Snapshot(
            t=t,
            slot_coil=coils,
            slot_grade=st.s_grade.copy(),
            slot_birth=rs.births(coils),
            station_coil=station,
            station_grade=[wh.coil_grade.get(c, -1) if c >= 0 else -1 for c in station],
            station_birth=rs.births(np.array(station, dtype=np.int64)),
            bay_busy=list(rs.bay_busy),
            bay_loaded=list(rs.bay_loaded),
            bay_ordered=list(rs.bay_ordered),
            queue=rs.queue,
            cranes=cranes,
            inventory=wh.inventory(),
            coils_in=wh.coils_in,
            coils_out=wh.coils_out,
            mill_blocked_s=rs.blocked_s,
            mill_blocked_events=rs.blocked_events,
            energy_kwh=rs.energy_kwh,
            crane_stages=rs.stages_seen,
            lifts=rs.lifts,
            relocations=rs.relocations,
            done=self.done,
        )


# ====================================================================== replay
class _Scaled:
    """A stage stretched in time to the duration the trace recorded (other planners)."""

    __slots__ = ("stage", "t0", "k")

    def __init__(self, stage: Any, t0: float, dur: float) -> None:
        self.stage, self.t0 = stage, t0
        self.k = stage.dur / dur if dur > 0 else 0.0

    def pos(self, axis: int, t: float, default: float) -> float:
        return self.stage.pos(axis, self.t0 + (t - self.t0) * self.k, default)


class _Timeline:
    """One crane's stages and lifts rebuilt from the trace, queried by time."""

    def __init__(self, x: float, y: float, top: float) -> None:
        self.x, self.y, self.top = x, y, top
        self.st_t0: list[float] = []
        self.stages: list[tuple[float, float, Any, float, float]] = []  # t0, t1, stage, x1, y1
        self.lf_t0: list[float] = []
        self.lifts: list[tuple[float, float, float, str, int, int, int, int]] = []
        self.br_t0: list[float] = []
        self.br_t1: list[float] = []

    def on_break(self, t: float) -> bool:
        i = bisect_right(self.br_t0, t) - 1
        return i >= 0 and t < self.br_t1[i]

    def position(self, t: float) -> tuple[float, float, float]:
        i = bisect_right(self.st_t0, t) - 1
        if i < 0:
            return self.x, self.y, self.top
        t0, t1, stage, x1, y1 = self.stages[i]
        if t >= t1:
            return x1, y1, self.top
        return (
            stage.pos(0, t, stage_x0(stage)),
            stage.pos(1, t, stage_y0(stage)),
            stage.pos(HOIST, t, self.top),
        )

    def lift(self, t: float):
        i = bisect_right(self.lf_t0, t) - 1
        if i < 0:
            return None
        lf = self.lifts[i]
        return lf if t < lf[2] else None


def stage_x0(stage: Any) -> float:
    return stage.stage.x0 if isinstance(stage, _Scaled) else stage.x0


def stage_y0(stage: Any) -> float:
    return stage.stage.y0 if isinstance(stage, _Scaled) else stage.y0


def load_trace_records(path: str | Path) -> list[tuple]:
    """All records of a CSV or Parquet trace, as tuples in COLUMNS order."""
    from cranesim.record.trace import iter_records

    return list(iter_records(path))


class ReplaySource:
    """A recorded run shown again, seekable to any time.

    Parameters
    ----------
    wh
        A freshly built ``Warehouse(scenario, seed)`` for the run's scenario and seed: its
        layout, crane limits and initial stock (not in the trace).  It is never run.
    records
        The trace's records (tuples in :data:`cranesim.record.trace.COLUMNS` order).
    checkpoint_every
        Keep a copy of the state every so many records, so seeking back is quick.
    """

    def __init__(
        self,
        wh: Warehouse,
        records: Iterable[Sequence[Any]],
        label: str = "",
        checkpoint_every: int = 5000,
    ) -> None:
        from cranesim.physics.planners import AutomatedPlanner

        self.wh = wh
        self.lay = lay = wh.lay
        self.sc = wh.sc
        self.label = label
        self.short = "replay"
        recs = [tuple(r) for r in records]
        if recs and len(recs[0]) != len(COLUMNS):
            raise ValueError(f"records have {len(recs[0])} fields, expected {len(COLUMNS)}")
        times = [effect_time(r) for r in recs]
        order = sorted(range(len(recs)), key=lambda i: times[i])  # stable: emission order kept
        self.records = [recs[i] for i in order]
        self.times = [times[i] for i in order]
        self.t_start = wh.env.now
        self.t_end = self.times[-1] if self.times else self.t_start
        self.t_first = min((float(r[_T]) for r in recs), default=self.t_start)

        st = wh.st
        coil_grade = {int(c): int(g) for c, g in zip(st.s_coil, st.s_grade) if c >= 0}
        self._init = RecordState(lay, st.s_coil, st.s_grade, coil_grade, self.t_start, series=False)
        self.rs = self._init.copy_state()
        full = RecordState(lay, st.s_coil, st.s_grade, coil_grade, self.t_start)
        for r, t in zip(self.records, self.times):
            full.apply(r, t)
        self.series = full.series
        self.totals = full
        self._checkpoints: list[tuple[int, RecordState]] = [(0, self._init)]
        self._every = max(int(checkpoint_every), 1)
        self._next = 0  # index of the next record to apply
        self.t = self.t_start
        self.error = None

        # crane motion, rebuilt with the model's planners and limits: the plain automated one
        # (``cranesim run``), else the anti-sway one (``cranesim compare``), else time-scaled
        planners = [AutomatedPlanner(wh.specs, wh.top)]
        try:
            from cranesim.physics.planners import ShapedPlanner

            planners.append(ShapedPlanner(wh.specs, wh.top, wh.sc.sway))
        except (ImportError, AttributeError, TypeError):
            pass
        self.scaled_stages = 0
        self.timelines = [_Timeline(wh.rx[c], wh.ry[c], wh.top) for c in range(wh.n)]
        by_crane: list[list[tuple]] = [[] for _ in range(wh.n)]
        for r in recs:
            c = int(r[_CRANE])
            if 0 <= c < wh.n and (
                r[_KIND] in STAGE_KINDS or r[_KIND] == "break" or int(r[_LIFT]) >= 0
            ):
                by_crane[c].append(r)
        for c, rows in enumerate(by_crane):
            rows.sort(key=lambda r: float(r[_T]))
            tl = self.timelines[c]
            lifts: dict[int, list] = {}
            for r in rows:
                kind = r[_KIND]
                t0, dur = float(r[_T]), float(r[_DUR])
                lid = int(r[_LIFT])
                if lid >= 0:
                    lf = lifts.get(lid)
                    if lf is None:
                        g = self.rs.grade_index.get(r[_GRADE], -1)
                        lf = lifts[lid] = [
                            t0,
                            np.inf,
                            np.inf,
                            r[_LKIND],
                            int(r[_FROM]),
                            int(r[_TO]),
                            int(r[_COIL]),
                            g,
                        ]
                    lf[0] = min(lf[0], t0)
                    if kind == "pick":
                        lf[1] = t0 + dur
                    elif kind == "place":
                        lf[2] = t0 + dur
                if kind == "break":
                    tl.br_t0.append(t0)
                    tl.br_t1.append(t0 + dur)
                if kind not in STAGE_KINDS:
                    continue
                for planner in planners:
                    stage = self._rebuild(planner, c, r)
                    if abs(stage.dur - dur) <= 1e-6 * max(1.0, dur):
                        break
                else:  # another planner (a human driver): same path, stretched to the record
                    stage = _Scaled(self._rebuild(planners[0], c, r), t0, dur)
                    self.scaled_stages += 1
                tl.st_t0.append(t0)
                tl.stages.append((t0, t0 + dur, stage, float(r[_X1]), float(r[_Y1])))
            for lf in sorted(lifts.values(), key=lambda v: v[0]):
                tl.lf_t0.append(lf[0])
                tl.lifts.append(tuple(lf))

    def _rebuild(self, pl: Any, c: int, r: Sequence[Any]) -> Any:
        kind = r[_KIND]
        t0 = float(r[_T])
        x0, y0, x1, y1 = (float(r[i]) for i in (_X0, _Y0, _X1, _Y1))
        load = float(r[_LOAD])
        lz = self.lay.loc_z
        if kind in ("move_empty", "move_loaded"):
            return pl.travel(c, t0, x0, y0, x1, y1, load)
        if kind == "yield":
            return pl.yield_move(c, t0, x0, x1, y0, load)
        if kind == "pick":
            return pl.hoist(c, t0, x0, y0, float(lz[int(r[_FROM])]), True, load)
        return pl.hoist(c, t0, x0, y0, float(lz[int(r[_TO])]), False, load)

    @property
    def done(self) -> bool:
        return self.t >= self.t_end

    def next_event_time(self) -> float:
        return self.times[self._next] if self._next < len(self.times) else float("inf")

    def advance_to(self, t: float, max_events: float = float("inf")) -> float:
        """Seek to ``t`` (clamped to the trace); forwards or backwards."""
        t = min(max(t, self.t_start), self.t_end)
        if t < self.t:
            i = bisect_right([k for k, _ in self._checkpoints], bisect_right(self.times, t)) - 1
            k, state = self._checkpoints[max(i, 0)]
            self.rs = state.copy_state()
            self._next = k
        times, recs = self.times, self.records
        while self._next < len(times) and times[self._next] <= t:
            self.rs.apply(recs[self._next], times[self._next])
            self._next += 1
            if self._next % self._every == 0 and self._next > self._checkpoints[-1][0]:
                self._checkpoints.append((self._next, self.rs.copy_state()))
        self.t = t
        return t

    def crane_position(self, c: int, t: float) -> tuple[float, float, float]:
        return self.timelines[c].position(t)

    def snapshot(self) -> Snapshot:
        rs, t = self.rs, self.t
        cranes = []
        for c, tl in enumerate(self.timelines):
            x, y, z = tl.position(t)
            cv = CraneView(x, y, z)
            cv.on_break = tl.on_break(t)
            lf = tl.lift(t)
            if lf is not None:
                t0, t_pick, t_end, kind, src, dst, coil, g = lf
                cv.kind, cv.src, cv.dst, cv.coil, cv.grade = kind, src, dst, coil, g
                cv.holding = bool(t >= t_pick)
                cv.birth = float(rs.births(np.array([coil]))[0])
            cranes.append(cv)
        coils = rs.slot_coil.copy()
        return Snapshot(
            t=t,
            slot_coil=coils,
            slot_grade=rs.slot_grade.copy(),
            slot_birth=rs.births(coils),
            station_coil=list(rs.station_coil),
            station_grade=[rs.coil_grade.get(c, -1) if c >= 0 else -1 for c in rs.station_coil],
            station_birth=rs.births(np.array(rs.station_coil, dtype=np.int64)),
            bay_busy=list(rs.bay_busy),
            bay_loaded=list(rs.bay_loaded),
            bay_ordered=list(rs.bay_ordered),
            queue=rs.queue,
            cranes=cranes,
            inventory=rs.inventory,  # a coil on a hook still counts until it is on a truck
            coils_in=rs.coils_in,
            coils_out=rs.coils_out,
            mill_blocked_s=rs.blocked_s,
            mill_blocked_events=rs.blocked_events,
            energy_kwh=rs.energy_kwh,
            crane_stages=rs.stages_seen,
            lifts=rs.lifts,
            relocations=rs.relocations,
            done=self.done,
        )
