"""Key performance indicators, computed from the event records.

:class:`KpiAccumulator` consumes records one at a time (the same tuples that go to the trace
file), keeps only running sums and an hourly inventory series, and produces the summary.
Because it reads records only, the KPIs of a run and of its replayed trace file are identical
(``tests/model/test_model.py`` checks this).

What is still open when a run ends (a blocked mill, trucks queued or loading, crane stages under
way) arrives as records of its own at the horizon (:mod:`cranesim.model.horizon`), so every
time-based KPI includes it and the summary says how much of it there was; ``unstable`` flags a
run whose KPIs describe a warehouse that did not keep up (:data:`UNSTABLE_RULES`).
"""

from __future__ import annotations

from math import isnan
from typing import Iterable, Sequence

from cranesim.codes import LIFT_KIND_CODES, LIFT_KINDS, STAGE_CODES
from cranesim.native import kernel
from cranesim.record.trace import COL

__all__ = [
    "KpiAccumulator",
    "CraneStageSumsPy",
    "UNSTABLE_RULES",
    "kpi_table",
    "motion_sums_py",
    "motion_sums",
]

_T, _DUR, _CRANE, _KIND, _LK = COL["t_s"], COL["dur_s"], COL["crane"], COL["kind"], COL["lift_kind"]
_BM, _TM, _HM = COL["bridge_m"], COL["trolley_m"], COL["hoist_m"]
_E, _LIFT, _TRUCK = COL["energy_kwh"], COL["lift"], COL["truck"]
_FILL, _INV = COL["station_fill"], COL["inventory"]
_CRANE_STAGES = frozenset(STAGE_CODES)
#: crane stage kinds and lift kinds as the stage sums number them
_LIFT_KINDS = LIFT_KINDS


def motion_sums_py(moves) -> tuple:
    """Distance, time and starts per axis of the moves that take time:
    ``(bm, tm, hm, bs, ts, hs, bn, tn, hn)``, bridge, trolley, hoist (the twin of the compiled
    ``cranesim._core.physics.motion_sums``; the model's records take them)."""
    bm = tm = hm = bs = ts = hs = 0.0
    bn = tn = hn = 0
    for m in moves:
        if m.dur <= 0.0:
            continue
        if m.axis == 0:
            bm += abs(m.p1 - m.p0)
            bs += m.dur
            bn += 1
        elif m.axis == 1:
            tm += abs(m.p1 - m.p0)
            ts += m.dur
            tn += 1
        else:
            hm += abs(m.p1 - m.p0)
            hs += m.dur
            hn += 1
    return bm, tm, hm, bs, ts, hs, bn, tn, hn


class CraneStageSumsPy:
    """The KPI sums of crane stage records: busy, wait and yield time per crane, travel and
    hoist metres, lifts by kind, energy.  ``cranesim._core.physics.CraneStageSums`` is its compiled
    twin (the same sums in the same order, tested equal); :class:`KpiAccumulator` uses that
    one when it is built.
    """

    def __init__(self, n_cranes: int) -> None:
        self.n = n_cranes
        self.crane_busy_s = [0.0] * n_cranes
        self.crane_wait_s = [0.0] * n_cranes
        self.crane_yield_s = [0.0] * n_cranes
        self.crane_lifts = [0] * n_cranes
        self.empty_travel_m = [0.0, 0.0]  # bridge, trolley
        self.loaded_travel_m = [0.0, 0.0]
        self.yield_travel_m = 0.0
        self.hoist_m = 0.0
        self.lifts = 0
        self._kinds = [0, 0, 0]
        self.energy_kwh = 0.0
        self.energy_records = 0

    @property
    def lift_kinds(self) -> dict[str, int]:
        return dict(zip(_LIFT_KINDS, self._kinds))

    def add(
        self,
        k: str,
        c: int,
        d: float,
        lift: int,
        lk: str,
        bm: float,
        tm: float,
        hm: float,
        e: float,
    ) -> None:
        """A crane stage record's fields (kind, crane, duration, lift id and kind, bridge,
        trolley and hoist metres, kWh)."""
        self._add(
            STAGE_CODES[k], c, d, lift, LIFT_KIND_CODES[lk] if k == "place" else -1, bm, tm, hm, e
        )

    def add_moves(self, kind: int, c: int, d: float, lift: int, lk: int, moves, e: float) -> None:
        """The same for a stage given by kind code, lift kind code and its moves (the model
        calls this when no trace is written, without building the record)."""
        bm, tm, hm = motion_sums_py(moves)[:3]
        self._add(kind, c, d, lift, lk, bm, tm, hm, e)

    def _add(
        self,
        kind: int,
        c: int,
        d: float,
        lift: int,
        lk: int,
        bm: float,
        tm: float,
        hm: float,
        e: float,
    ) -> None:
        if not 0 <= c < self.n:
            raise IndexError(f"crane {c} out of range")
        if not 0 <= kind <= 5:
            raise KeyError(kind)
        if kind != 4 or lift < 0:  # a push during a lift overlaps the lift's wait
            self.crane_busy_s[c] += d
        if kind == 0:
            self.empty_travel_m[0] += bm
            self.empty_travel_m[1] += tm
        elif kind == 2:
            self.loaded_travel_m[0] += bm
            self.loaded_travel_m[1] += tm
        elif kind == 3:
            if not 0 <= lk < 3:
                raise KeyError(lk)
            self.hoist_m += hm
            self.lifts += 1
            self.crane_lifts[c] += 1
            self._kinds[lk] += 1
        elif kind == 1:
            self.hoist_m += hm
        elif kind == 5:
            self.crane_wait_s[c] += d
        elif kind == 4:
            self.crane_yield_s[c] += d
            self.yield_travel_m += bm
        if not isnan(e):
            self.energy_kwh += e
            self.energy_records += 1


#: the compiled twins when built (see :mod:`cranesim.native`)
_CraneStageSums = kernel("CraneStageSums", CraneStageSumsPy)
motion_sums = kernel("motion_sums", motion_sums_py)


#: When a run is flagged ``unstable`` (the table's first line and ``unstable_reasons`` in the
#: JSON): its KPIs describe a warehouse that did not keep up, not a steady state, and grow with
#: the horizon.  Rules, each checked at the end of the run:
#:
#: * ``truck_queue_h``: more trucks wait for a bay than arrive in this many hours, or in a
#:   quarter of the run if that is shorter (at the run's mean arrival rate), and at least 2:
#:   the truck queue outgrew what the bays serve;
#: * ``mill_blocked_share``: the mill was blocked for more than this share of the run (the open
#:   block included): the warehouse throttles the mill;
#: * ``mill_blocked_end_h``: the run ended with the mill blocked for at least this many hours in
#:   one go: the cranes stopped serving the station.
UNSTABLE_RULES = {"truck_queue_h": 4.0, "mill_blocked_share": 0.10, "mill_blocked_end_h": 1.0}

_CRANE_OPEN = frozenset(("lift_open", "wait_open", "yield_open"))
_OPEN_KINDS = frozenset(("mill_blocked_open", "truck_queued", "truck_loading")) | _CRANE_OPEN


class KpiAccumulator:
    """Running KPIs over a stream of records (constant memory but for the hourly series).

    Parameters
    ----------
    n_cranes
        Cranes of the run (their records carry the index).
    names
        The cranes' names, west to east: per-crane KPIs are keyed by them (``"0"``, ``"1"``,
        ... if not given).
    """

    def __init__(self, n_cranes: int, names: Sequence[str] | None = None) -> None:
        self.n = n_cranes
        self.names = [str(c) for c in range(n_cranes)] if names is None else list(names)
        if len(self.names) != n_cranes:
            raise ValueError(f"{len(self.names)} crane names for {n_cranes} cranes")
        self.coils_in = 0
        #: the crane stage sums (compiled when the physics kernels are built)
        self.cs = _CraneStageSums(n_cranes)
        self.mill_blocked_s = 0.0
        self.mill_blocked_n = 0
        self.mill_blocked_open_s = 0.0  # the block still open at the horizon
        self.mill_stop_s = 0.0
        self.mill_stop_end = 0.0  # when the last stop ends (it may be after the horizon)
        self.trucks_arrived = 0
        self.trucks_docked = 0
        self.trucks_departed = 0
        self.truck_wait_s = 0.0
        self.truck_wait_max_s = 0.0
        self.truck_turn_s = 0.0
        self.truck_turn_max_s = 0.0
        # trucks still in the warehouse at the horizon: waiting for a bay, at a bay
        self.trucks_queued = 0
        self.trucks_loading = 0
        self.queued_wait_s = 0.0
        self.queued_wait_max_s = 0.0
        self.open_turn_s = 0.0
        self.open_turn_max_s = 0.0
        # crane time still running at the horizon, per crane: busy, of which waiting, yielding
        self.open_busy_s = [0.0] * n_cranes
        self.open_wait_s = [0.0] * n_cranes
        self.open_yield_s = [0.0] * n_cranes
        self.station_fill_max = 0.0
        self.inventory_series: list[tuple[float, int]] = []
        #: arrival time of each truck in the warehouse, by truck id (its wait for a bay and
        #: its turnaround are measured from it)
        self._arrived: dict[int, float] = {}

    def coil_in(self, station_fill: float) -> None:
        """A coil_in record's figure (the station's fill after the coil); the model calls
        this directly when no trace is written, without building the record."""
        self.coils_in += 1
        if station_fill > self.station_fill_max:
            self.station_fill_max = station_fill

    def consume(self, r: tuple) -> None:
        k = r[_KIND]
        if k in _CRANE_STAGES:
            self.cs.add(k, r[_CRANE], r[_DUR], r[_LIFT], r[_LK], r[_BM], r[_TM], r[_HM], r[_E])
        elif k == "coil_in":
            self.coil_in(r[_FILL])
        elif k == "mill_blocked":
            self.mill_blocked_s += r[_DUR]
            self.mill_blocked_n += 1
        elif k == "mill_stop":
            self.mill_stop_s += r[_DUR]
            self.mill_stop_end = r[_T] + r[_DUR]
        elif k == "truck_arrive":
            self.trucks_arrived += 1
            self._arrived[r[_TRUCK]] = r[_T]
        elif k == "truck_dock":
            self.trucks_docked += 1
            wait = r[_T] - self._arrived[r[_TRUCK]]
            self.truck_wait_s += wait
            self.truck_wait_max_s = max(self.truck_wait_max_s, wait)
        elif k == "truck_depart":
            self.trucks_departed += 1
            turn = r[_T] - self._arrived.pop(r[_TRUCK])
            self.truck_turn_s += turn
            self.truck_turn_max_s = max(self.truck_turn_max_s, turn)
        elif k == "sample":
            self.inventory_series.append((r[_T] / 3600.0, r[_INV]))
        elif k in _OPEN_KINDS:
            self._open(k, r)

    def _open(self, k: str, r: tuple) -> None:
        """A record of something still open at the horizon (:mod:`cranesim.model.horizon`)."""
        d = r[_DUR]
        if k == "mill_blocked_open":
            self.mill_blocked_open_s += d
        elif k in _CRANE_OPEN:
            c = r[_CRANE]
            self.open_busy_s[c] += d
            if k == "wait_open":
                self.open_wait_s[c] += d
            elif k == "yield_open":
                self.open_yield_s[c] += d
        else:  # a truck in the warehouse: its time so far counts in the turnaround
            so_far = r[_T] - self._arrived[r[_TRUCK]]
            self.open_turn_s += so_far
            self.open_turn_max_s = max(self.open_turn_max_s, so_far)
            if k == "truck_queued":  # and in the wait for a bay
                self.trucks_queued += 1
                self.queued_wait_s += so_far
                self.queued_wait_max_s = max(self.queued_wait_max_s, so_far)
            else:
                self.trucks_loading += 1

    def consume_all(self, records: Iterable[tuple]) -> "KpiAccumulator":
        for r in records:
            self.consume(r)
        return self

    def summary(self, horizon_s: float) -> dict:
        """KPIs as a JSON-ready dict (times in minutes, distances in metres, utilisation as a
        fraction of the horizon, per-crane figures by crane name).

        Every time-based KPI includes what was still open at the horizon (the records of
        :mod:`cranesim.model.horizon`) and says how much of it was: ``mill_blocked_open_min``,
        ``trucks_waiting_end`` and ``trucks_loading_end`` (their time so far is in the truck
        waits and turnarounds).  A mill stop running past the horizon counts up to it.
        ``unstable`` and ``unstable_reasons`` apply :data:`UNSTABLE_RULES`.
        """
        h = max(horizon_s, 1e-9)
        inv = [v for _, v in self.inventory_series]
        cs = self.cs
        kinds = cs.lift_kinds
        out = kinds["retrieve"]
        names = self.names
        busy = [b + o for b, o in zip(cs.crane_busy_s, self.open_busy_s)]
        wait = [w + o for w, o in zip(cs.crane_wait_s, self.open_wait_s)]
        yld = [y + o for y, o in zip(cs.crane_yield_s, self.open_yield_s)]
        blocked = self.mill_blocked_s + self.mill_blocked_open_s
        n_wait = self.trucks_docked + self.trucks_queued
        n_turn = self.trucks_departed + self.trucks_queued + self.trucks_loading
        s = {
            "coils_in": self.coils_in,
            "coils_out": out,
            "lifts": cs.lifts,
            "stores": kinds["store"],
            "retrievals": out,
            "relocations": kinds["relocate"],
            "relocations_per_retrieval": kinds["relocate"] / out if out else 0.0,
            "lifts_per_hour": cs.lifts / (h / 3600.0),
            "empty_travel_m_per_lift": sum(cs.empty_travel_m) / cs.lifts if cs.lifts else 0.0,
            "loaded_travel_m_per_lift": sum(cs.loaded_travel_m) / cs.lifts if cs.lifts else 0.0,
            "empty_bridge_km": cs.empty_travel_m[0] / 1000.0,
            "empty_trolley_km": cs.empty_travel_m[1] / 1000.0,
            "loaded_bridge_km": cs.loaded_travel_m[0] / 1000.0,
            "loaded_trolley_km": cs.loaded_travel_m[1] / 1000.0,
            "yield_bridge_km": cs.yield_travel_m / 1000.0,
            "hoist_km": cs.hoist_m / 1000.0,
            "crane_utilization": {n: b / h for n, b in zip(names, busy)},
            "crane_lifts": dict(zip(names, cs.crane_lifts)),
            "crane_interference_wait_min": {n: w / 60.0 for n, w in zip(names, wait)},
            "crane_yield_min": {n: y / 60.0 for n, y in zip(names, yld)},
            "mill_blocked_min": blocked / 60.0,
            "mill_blocked_open_min": self.mill_blocked_open_s / 60.0,
            "mill_blocked_events": self.mill_blocked_n + (self.mill_blocked_open_s > 0),
            "mill_stop_min": (self.mill_stop_s - max(self.mill_stop_end - horizon_s, 0.0)) / 60.0,
            "station_fill_max": self.station_fill_max,
            "trucks_arrived": self.trucks_arrived,
            "trucks_departed": self.trucks_departed,
            "trucks_waiting_end": self.trucks_queued,
            "trucks_loading_end": self.trucks_loading,
            "truck_wait_mean_min": (self.truck_wait_s + self.queued_wait_s) / n_wait / 60.0
            if n_wait
            else 0.0,
            "truck_wait_max_min": max(self.truck_wait_max_s, self.queued_wait_max_s) / 60.0,
            "truck_turnaround_mean_min": (self.truck_turn_s + self.open_turn_s) / n_turn / 60.0
            if n_turn
            else 0.0,
            "truck_turnaround_max_min": max(self.truck_turn_max_s, self.open_turn_max_s) / 60.0,
            "inventory_max": max(inv) if inv else None,
            "inventory_min": min(inv) if inv else None,
            "inventory_mean": sum(inv) / len(inv) if inv else None,
            "inventory_hourly": inv,
            "energy_kwh": cs.energy_kwh if cs.energy_records else None,
        }
        reasons = self.unstable_reasons(horizon_s)
        s["unstable"] = bool(reasons)
        s["unstable_reasons"] = reasons
        return s

    def unstable_reasons(self, horizon_s: float) -> list[str]:
        """Which of :data:`UNSTABLE_RULES` the run broke, each as a sentence (empty: none)."""
        rules, h = UNSTABLE_RULES, max(horizon_s, 1e-9) / 3600.0
        reasons = []
        per_h = self.trucks_arrived / h
        span_h = min(rules["truck_queue_h"], h / 4.0)
        if self.trucks_queued >= 2 and self.trucks_queued > span_h * per_h:
            reasons.append(
                f"{self.trucks_queued} trucks wait for a bay at the end, more than arrive in "
                f"{span_h:.3g} h ({per_h:.2f} per hour): the queue outgrew the bays"
            )
        blocked_h = (self.mill_blocked_s + self.mill_blocked_open_s) / 3600.0
        if blocked_h > rules["mill_blocked_share"] * h:
            reasons.append(
                f"the mill was blocked {blocked_h / h:.0%} of the run (more than "
                f"{rules['mill_blocked_share']:.0%}): the warehouse throttles the mill"
            )
        if self.mill_blocked_open_s >= rules["mill_blocked_end_h"] * 3600.0:
            reasons.append(
                f"the run ended with the mill blocked for {self.mill_blocked_open_s / 3600:.1f} h "
                f"(at least {rules['mill_blocked_end_h']:g} h): the station is not being served"
            )
        return reasons


def _by_crane(values: dict, fmt: str) -> str:
    return ", ".join(f"{name} {fmt.format(v)}" for name, v in values.items())


def kpi_table(summary: dict) -> str:
    """The KPIs of a run's summary (:func:`cranesim.model.run`, ``cranesim run --json``) as a
    two-column text table, as ``cranesim run`` prints it; an unstable run's warning first."""
    s = summary
    waiting, loading = s["trucks_waiting_end"], s["trucks_loading_end"]
    still = f"{waiting + loading} still in at the end, counted to it" if waiting + loading else ""
    open_block = s["mill_blocked_open_min"]
    rows = [
        ("scenario", s["scenario"]),
        ("simulated", f"{s['sim_hours']:g} h, seed {s['seed']}, {s['core']} scheduler"),
        ("coils in / out", f"{s['coils_in']} / {s['coils_out']}"),
        ("inventory start / end", f"{s['inventory_start']} / {s['inventory_end']} "
         f"(min {s['inventory_min']}, max {s['inventory_max']}; capacity {s['capacity']}: "
         f"{s['capacity_floor']} floor + {s['capacity_station']} station + "
         f"{s['capacity_hooks']} hooks)"),
        ("lifts", f"{s['lifts']} ({s['lifts_per_hour']:.1f}/h): {s['stores']} store, "
         f"{s['retrievals']} retrieve, {s['relocations']} relocate"),
        ("relocations per retrieved coil", f"{s['relocations_per_retrieval']:.3f}"),
        ("empty / loaded travel per lift", f"{s['empty_travel_m_per_lift']:.1f} m / "
         f"{s['loaded_travel_m_per_lift']:.1f} m (bridge + trolley)"),
        ("crane utilisation", _by_crane(s["crane_utilization"], "{:.0%}")),
        ("crane interference wait, min", _by_crane(s["crane_interference_wait_min"], "{:.1f}")),
        ("mill blocked", f"{s['mill_blocked_min']:.1f} min in {s['mill_blocked_events']} events"
         + (f", of which {open_block:.1f} min still open at the end" if open_block else "")
         + f" (mill stopped {s['mill_stop_min']:.0f} min)"),
        ("trucks arrived / left", f"{s['trucks_arrived']} / {s['trucks_departed']}"
         + (f"; at the end {waiting} waiting, {loading} at a bay, {s['coils_owed_end']} coils "
            "owed" if waiting + loading else "")),
        ("truck wait for bay", f"mean {s['truck_wait_mean_min']:.1f} min, max "
         f"{s['truck_wait_max_min']:.1f} min" + (f" ({waiting} still waiting, counted to the end)"
                                                if waiting else "")),
        ("truck turnaround", f"mean {s['truck_turnaround_mean_min']:.1f} min, "
         f"max {s['truck_turnaround_max_min']:.1f} min" + (f" ({still})" if still else "")),
        ("backlog at the end", f"{s['jobs_open_end']} open jobs, station "
         f"{s['station_coils_end']}/{s['capacity_station']} full"),
        ("SimPy events", f"{s['events']:,} in {s['wall_s']:.2f} s wall"),
    ]  # fmt: skip
    if s.get("energy_kwh") is not None:
        rows.insert(-1, ("crane motion energy", f"{s['energy_kwh']:.1f} kWh"))
    if s.get("unstable"):
        rows.insert(0, ("WARNING: unstable", "; ".join(s["unstable_reasons"])))
    w = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{w}}  {v}" for k, v in rows)
