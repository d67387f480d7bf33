"""The warehouse state the animation shows, rebuilt from event records (no Qt).

A :class:`Snapshot` is everything the view draws at one model time; :class:`RecordState` keeps
what the model does not (coil arrival times, trucks at bays and in the queue, running totals)
and, in a replay, the floor and station occupancy, by applying the records; :class:`Series`
holds the side plots' curves.

Every record has an *effect time*: the model emits a record when its stage or wait ends
(``t_s + dur_s``; an instant's is its ``t_s``), except ``mill_stop``, emitted when the stop
begins.  :class:`RecordState` applies records in that order, live or replayed (a trace file is
in start-time order: a replay sorts it by effect time).
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from dataclasses import dataclass
from math import isnan, nan
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from cranesim.record.trace import COL
from cranesim.sched.lift import LiftEffects
from cranesim.sched.state import SchedState

if TYPE_CHECKING:  # pragma: no cover
    from cranesim.scenario.layout import Layout

__all__ = [
    "CraneView",
    "Snapshot",
    "Series",
    "RecordState",
    "effect_time",
    "AGE_BINS_H",
    "age_class",
]

_T, _DUR, _KIND = COL["t_s"], COL["dur_s"], COL["kind"]
_LKIND, _COIL, _GRADE = COL["lift_kind"], COL["coil"], COL["grade"]
_FROM, _TO = COL["from_loc"], COL["to_loc"]
_LOAD, _ENERGY, _TRUCK = COL["load_t"], COL["energy_kwh"], COL["truck"]
_ORDER = COL["order_coils"]

#: Upper bounds (hours) of the age classes used to colour coils by age; a last open class
#: follows.  Class 0 is "initial stock" (its arrival time is not known).
AGE_BINS_H: tuple[float, ...] = (1.0, 4.0, 12.0, 24.0, 72.0)


def age_class(birth: np.ndarray, t: float) -> np.ndarray:
    """Age class per coil: 0 initial stock (``birth`` NaN), then 1.. by :data:`AGE_BINS_H`."""
    age_h = (t - birth) / 3600.0
    cls = np.searchsorted(np.asarray(AGE_BINS_H), age_h, side="right") + 1
    return np.where(np.isnan(birth), 0, cls).astype(np.int32)


def effect_time(rec: Sequence[Any]) -> float:
    """Model time at which a record takes effect (when the model emitted it)."""
    if rec[_KIND] == "mill_stop":
        return float(rec[_T])
    return float(rec[_T]) + float(rec[_DUR])


@dataclass
class CraneView:
    """One crane at one instant."""

    x: float
    y: float
    z: float  #: hook (load underside) height, m
    holding: bool = False  #: a coil hangs on the hook
    grade: int = -1  #: grade index of the coil of the current lift (-1: no lift)
    coil: int = -1
    birth: float = nan  #: arrival time of that coil (NaN: initial stock)
    kind: str = ""  #: store | retrieve | relocate | "" (idle)
    src: int = -1
    dst: int = -1
    on_break: bool = False  #: the driver is on a break (manual operation): no lifts

    @property
    def target(self) -> int:
        """Location the crane is working towards: the pick place, then the put-down place."""
        if self.kind == "":
            return -1
        return self.dst if self.holding else self.src


@dataclass
class Snapshot:
    """Everything the view draws at model time ``t``."""

    t: float
    slot_coil: np.ndarray  #: i8[S], -1 empty
    slot_grade: np.ndarray  #: i4[S], -1 empty
    slot_birth: np.ndarray  #: f8[S], arrival time of the coil (NaN: empty or initial stock)
    station_coil: list[int]
    station_grade: list[int]
    station_birth: np.ndarray  #: f8[n_station]
    bay_busy: list[bool]
    bay_loaded: list[int]
    bay_ordered: list[int]
    queue: int  #: trucks waiting for a bay
    cranes: list[CraneView]
    inventory: int
    coils_in: int
    coils_out: int
    mill_blocked_s: float
    mill_blocked_events: int
    energy_kwh: float  #: NaN while no record carried an energy figure
    crane_stages: int = 0  #: crane stage records so far
    lifts: int = 0
    relocations: int = 0
    done: bool = False  #: the source has nothing left to show (end of run / trace)


class Series:
    """Step curves of the side plots, appended as records arrive (model seconds)."""

    NAMES = ("inventory", "station", "queue", "blocked_min", "energy_kwh")

    def __init__(self, t0: float, initial: dict[str, float]) -> None:
        self.t: dict[str, list[float]] = {k: [t0] for k in self.NAMES}
        self.v: dict[str, list[float]] = {k: [initial.get(k, 0.0)] for k in self.NAMES}
        self.version = 0  #: bumped on every change (the view redraws only then)

    def add(self, name: str, t: float, v: float) -> None:
        vs = self.v[name]
        if vs[-1] == v:
            return
        self.t[name].append(t)
        vs.append(v)
        self.version += 1

    def steps(
        self, name: str, t_end: float | None = None, scale_t: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the step curve, held to ``t_end``, with time divided by ``scale_t``."""
        t = np.asarray(self.t[name], dtype=np.float64)
        v = np.asarray(self.v[name], dtype=np.float64)
        if t_end is not None:
            keep = t <= t_end
            t, v = t[keep], v[keep]
            if t.size == 0:
                return np.zeros(0), np.zeros(0)
        x = np.repeat(t, 2)[1:]
        y = np.repeat(v, 2)[:-1]
        if t_end is not None and t_end > t[-1]:
            x = np.append(x, t_end)
            y = np.append(y, v[-1])
        return x / scale_t, y

    def value(self, name: str, t: float | None = None) -> float:
        if t is None:
            return self.v[name][-1]
        i = bisect_right(self.t[name], t) - 1
        return self.v[name][max(i, 0)]


class RecordState:
    """Warehouse state rebuilt from records (applied in effect-time order).

    Tracks what the model does not keep for display (coil arrival times, trucks at bays and in
    the queue, running totals) and, with ``track_slots``, the floor occupancy as well (replay),
    in scheduler arrays changed by picks and places as the model changes them
    (:class:`~cranesim.sched.lift.LiftEffects`).

    Parameters
    ----------
    lay
        The layout.
    slot_coil, slot_grade
        Initial floor occupancy (copied).
    coil_grade
        Grade index of every coil present at the start (initial stock), by coil id.
    series
        Also build the side-plot curves.
    """

    def __init__(
        self,
        lay: Layout,
        slot_coil: np.ndarray,
        slot_grade: np.ndarray,
        coil_grade: dict[int, int],
        t0: float = 0.0,
        series: bool = True,
        track_slots: bool = True,
    ) -> None:
        self.lay = lay
        self.S = lay.n_slots
        self.n_station = lay.n_station
        self.bay0 = lay.n_slots + lay.n_station
        self.grade_index = {g: i for i, g in enumerate(lay.grades)}
        self.track_slots = track_slots
        st = SchedState.allocate(1, lay.n_locs, lay.n_slots, 0, len(lay.grades))
        st.s_coil[:] = slot_coil
        st.s_grade[:] = slot_grade
        st.s_sup0[:], st.s_sup1[:] = lay.slot_sup[:, 0], lay.slot_sup[:, 1]
        st.s_blk0[:], st.s_blk1[:] = lay.slot_blk[:, 0], lay.slot_blk[:, 1]
        self._bind(st, [-1] * lay.n_station)
        self.coil_grade: dict[int, int] = dict(coil_grade)
        n0 = (max(coil_grade) + 1) if coil_grade else 0
        self.birth = np.full(max(n0, 64), np.nan)  # by coil id; NaN = initial stock / unknown
        self.bay_busy = [False] * lay.n_bays
        self.bay_loaded = [0] * lay.n_bays
        self.bay_ordered = [0] * lay.n_bays
        self._docked: dict[int, int] = {}  # truck id -> bay, while it is at a bay
        self.queue = 0
        self.inventory = int(np.count_nonzero(self.slot_coil >= 0))
        self.coils_in = 0
        self.coils_out = 0
        self.lifts = 0
        self.relocations = 0
        self.blocked_s = 0.0
        self.blocked_events = 0
        self.energy = 0.0
        self.energy_seen = False
        self.stages_seen = 0
        #: records that contradict the rebuilt occupancy (a trace of another scenario or seed)
        self.mismatches = 0
        self.t = t0
        self.n_applied = 0
        self.series = (
            Series(t0, {"inventory": self.inventory, "energy_kwh": nan}) if series else None
        )

    def _bind(self, st: SchedState, station: list[int]) -> None:
        """Occupancy: floor slots in ``st`` (``slot_coil``, ``slot_grade`` are its arrays),
        station places in ``station``; picks and places change them through ``lift_effects``."""
        self.st = st
        self.slot_coil = st.s_coil
        self.slot_grade = st.s_grade
        self.station_coil = station
        self.lift_effects = LiftEffects(st, station)

    # ------------------------------------------------------------------ records
    def apply(self, rec: Sequence[Any], t: float | None = None) -> None:
        """Apply one record; ``t`` is its effect time (default :func:`effect_time`)."""
        if t is None:
            t = effect_time(rec)
        self.t = t
        self.n_applied += 1
        kind = rec[_KIND]
        ser = self.series
        if kind == "pick":
            src = int(rec[_FROM])
            if src >= self.S:
                if src - self.S < self.n_station:
                    if self.lift_effects.take(src) != int(rec[_COIL]) and self.track_slots:
                        self.mismatches += 1
                    if ser:
                        ser.add("station", t, self._station_count())
            elif self.track_slots and src >= 0:
                if self.lift_effects.take(src) != int(rec[_COIL]):
                    self.mismatches += 1
            self._energy(rec, t)
        elif kind == "place":
            dst = int(rec[_TO])
            coil = int(rec[_COIL])
            self.lifts += 1
            if rec[_LKIND] == "relocate":
                self.relocations += 1
            if dst >= self.bay0:
                b = dst - self.bay0
                if 0 <= b < len(self.bay_loaded):
                    self.bay_loaded[b] += 1
                self.coils_out += 1
                self.inventory -= 1
                if ser:
                    ser.add("inventory", t, self.inventory)
            elif self.track_slots and 0 <= dst < self.S:
                if self.slot_coil[dst] >= 0:
                    self.mismatches += 1
                grade = self.grade_index.get(rec[_GRADE], -1)
                self.lift_effects.put(dst, coil, grade, float(rec[_LOAD]))
            self._energy(rec, t)
        elif kind in ("move_empty", "move_loaded", "yield"):
            self._energy(rec, t)
        elif kind == "coil_in":
            coil = int(rec[_COIL])
            self._set_birth(coil, float(rec[_T]))
            self.coil_grade[coil] = self.grade_index.get(rec[_GRADE], -1)
            for k, c in enumerate(self.station_coil):  # the mill uses the first free place
                if c < 0:
                    self.station_coil[k] = coil
                    break
            self.coils_in += 1
            self.inventory += 1
            if ser:
                ser.add("inventory", t, self.inventory)
                ser.add("station", t, self._station_count())
        elif kind == "mill_blocked":
            self.blocked_s += float(rec[_DUR])
            self.blocked_events += 1
            if ser:
                ser.add("blocked_min", t, self.blocked_s / 60.0)
        elif kind == "truck_arrive":
            self.queue += 1
            if ser:
                ser.add("queue", t, self.queue)
        elif kind == "truck_dock":
            b = int(rec[_TO]) - self.bay0
            self._docked[int(rec[_TRUCK])] = b
            if 0 <= b < len(self.bay_busy):
                self.bay_busy[b] = True
                self.bay_loaded[b] = 0
                self.bay_ordered[b] = max(int(rec[_ORDER]), 0)
            self.queue = max(self.queue - 1, 0)
            if ser:
                ser.add("queue", t, self.queue)
        elif kind == "truck_depart":
            b = self._docked.pop(int(rec[_TRUCK]), -1)
            if 0 <= b < len(self.bay_busy):
                self.bay_busy[b] = False
                self.bay_loaded[b] = 0
                self.bay_ordered[b] = 0

    def _energy(self, rec: Sequence[Any], t: float) -> None:
        self.stages_seen += 1
        e = rec[_ENERGY]
        if e is None or isnan(e):
            return
        self.energy += float(e)
        if not self.energy_seen and self.series:
            self.series.v["energy_kwh"][0] = 0.0  # the curve starts from zero at the start
        self.energy_seen = True
        if self.series:
            self.series.add("energy_kwh", t, self.energy)

    def _station_count(self) -> int:
        return sum(1 for c in self.station_coil if c >= 0)

    def _set_birth(self, coil: int, t: float) -> None:
        if coil >= self.birth.size:
            grown = np.full(max(coil + 1, 2 * self.birth.size), np.nan)
            grown[: self.birth.size] = self.birth
            self.birth = grown
        self.birth[coil] = t

    # ------------------------------------------------------------------ queries
    def births(self, coils: np.ndarray) -> np.ndarray:
        """Arrival time of each coil id in ``coils`` (NaN for -1, initial stock, unknown)."""
        out = np.full(coils.shape, np.nan)
        ok = (coils >= 0) & (coils < self.birth.size)
        out[ok] = self.birth[coils[ok]]
        return out

    @property
    def energy_kwh(self) -> float:
        return self.energy if self.energy_seen else nan

    def copy_state(self) -> "RecordState":
        """A copy of the mutable state, for seeking (the layout is shared, curves are not kept)."""
        new = copy.copy(self)
        new.series = None
        new._bind(self.st.copy(), list(self.station_coil))
        new.birth = self.birth.copy()
        new.coil_grade = dict(self.coil_grade)
        new.bay_busy = list(self.bay_busy)
        new.bay_loaded = list(self.bay_loaded)
        new.bay_ordered = list(self.bay_ordered)
        new._docked = dict(self._docked)
        return new
