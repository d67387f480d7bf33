"""Key performance indicators, computed from the event records.

:class:`KpiAccumulator` consumes records one at a time (the same tuples that go to the trace
file), keeps only running sums and an hourly inventory series, and produces the summary.
Because it reads records only, the KPIs of a run and of its replayed trace file are identical
(``tests/test_model.py`` checks this).
"""

from __future__ import annotations

from math import isnan
from typing import Iterable

from .trace import COL

__all__ = ["KpiAccumulator"]

_T, _DUR, _CRANE, _KIND, _LK = COL["t_s"], COL["dur_s"], COL["crane"], COL["kind"], COL["lift_kind"]
_BM, _TM, _HM = COL["bridge_m"], COL["trolley_m"], COL["hoist_m"]
_E, _VAL, _LIFT = COL["energy_kwh"], COL["value"], COL["lift"]
_CRANE_STAGES = frozenset(("move_empty", "pick", "move_loaded", "place", "wait", "yield"))


class KpiAccumulator:
    """Running KPIs over a stream of records (constant memory but for the hourly series)."""

    def __init__(self, n_cranes: int) -> None:
        self.n = n_cranes
        self.coils_in = 0
        self.lifts = 0
        self.lift_kinds = {"store": 0, "retrieve": 0, "relocate": 0}
        self.crane_busy_s = [0.0] * n_cranes
        self.crane_wait_s = [0.0] * n_cranes
        self.crane_yield_s = [0.0] * n_cranes
        self.crane_lifts = [0] * n_cranes
        self.empty_travel_m = [0.0, 0.0]  # bridge, trolley
        self.loaded_travel_m = [0.0, 0.0]
        self.yield_travel_m = 0.0
        self.hoist_m = 0.0
        self.mill_blocked_s = 0.0
        self.mill_blocked_n = 0
        self.mill_stop_s = 0.0
        self.trucks_arrived = 0
        self.trucks_docked = 0
        self.trucks_departed = 0
        self.truck_wait_s = 0.0
        self.truck_wait_max_s = 0.0
        self.truck_turn_s = 0.0
        self.truck_turn_max_s = 0.0
        self.station_fill_max = 0.0
        self.inventory_series: list[tuple[float, int]] = []
        self.energy_kwh = 0.0
        self.energy_records = 0

    def consume(self, r: tuple) -> None:
        k = r[_KIND]
        if k in _CRANE_STAGES:
            self.crane_stage(k, r[_CRANE], r[_DUR], r[_LIFT], r[_LK], r[_BM], r[_TM], r[_HM], r[_E])
        elif k == "coil_in":
            self.coils_in += 1
            if r[_VAL] > self.station_fill_max:
                self.station_fill_max = r[_VAL]
        elif k == "mill_blocked":
            self.mill_blocked_s += r[_DUR]
            self.mill_blocked_n += 1
        elif k == "mill_stop":
            self.mill_stop_s += r[_DUR]
        elif k == "truck_arrive":
            self.trucks_arrived += 1
        elif k == "truck_dock":
            self.trucks_docked += 1
            self.truck_wait_s += r[_DUR]
            self.truck_wait_max_s = max(self.truck_wait_max_s, r[_DUR])
        elif k == "truck_depart":
            self.trucks_departed += 1
            self.truck_turn_s += r[_DUR]
            self.truck_turn_max_s = max(self.truck_turn_max_s, r[_DUR])
        elif k == "sample":
            self.inventory_series.append((r[_T] / 3600.0, int(r[_VAL])))

    def crane_stage(
        self, k: str, c: int, d: float, lift: int, lk: str, bm: float, tm: float, hm: float, e: float
    ) -> None:
        """A crane stage record's fields (kind, crane, duration, lift id and kind, bridge, trolley
        and hoist metres, kWh): what :meth:`consume` takes from such a record.  The model calls
        it directly when no trace is written, without building the record."""
        if k != "yield" or lift < 0:  # a push during a lift overlaps the lift's wait
            self.crane_busy_s[c] += d
        if k == "move_empty":
            self.empty_travel_m[0] += bm
            self.empty_travel_m[1] += tm
        elif k == "move_loaded":
            self.loaded_travel_m[0] += bm
            self.loaded_travel_m[1] += tm
        elif k == "place":
            self.hoist_m += hm
            self.lifts += 1
            self.crane_lifts[c] += 1
            self.lift_kinds[lk] += 1
        elif k == "pick":
            self.hoist_m += hm
        elif k == "wait":
            self.crane_wait_s[c] += d
        elif k == "yield":
            self.crane_yield_s[c] += d
            self.yield_travel_m += bm
        if not isnan(e):
            self.energy_kwh += e
            self.energy_records += 1

    def consume_all(self, records: Iterable[tuple]) -> "KpiAccumulator":
        for r in records:
            self.consume(r)
        return self

    def summary(self, horizon_s: float) -> dict:
        """KPIs as a JSON-ready dict (times in minutes, distances in metres)."""
        h = max(horizon_s, 1e-9)
        inv = [v for _, v in self.inventory_series]
        out = self.lift_kinds["retrieve"]
        return {
            "coils_in": self.coils_in,
            "coils_out": out,
            "lifts": self.lifts,
            "stores": self.lift_kinds["store"],
            "retrievals": out,
            "relocations": self.lift_kinds["relocate"],
            "relocations_per_retrieval": self.lift_kinds["relocate"] / out if out else 0.0,
            "lifts_per_hour": self.lifts / (h / 3600.0),
            "empty_travel_m_per_lift": sum(self.empty_travel_m) / self.lifts if self.lifts else 0.0,
            "loaded_travel_m_per_lift": sum(self.loaded_travel_m) / self.lifts if self.lifts else 0.0,
            "empty_bridge_km": self.empty_travel_m[0] / 1000.0,
            "empty_trolley_km": self.empty_travel_m[1] / 1000.0,
            "loaded_bridge_km": self.loaded_travel_m[0] / 1000.0,
            "loaded_trolley_km": self.loaded_travel_m[1] / 1000.0,
            "yield_bridge_km": self.yield_travel_m / 1000.0,
            "hoist_km": self.hoist_m / 1000.0,
            "crane_utilization": [b / h for b in self.crane_busy_s],
            "crane_lifts": list(self.crane_lifts),
            "crane_interference_wait_min": [w / 60.0 for w in self.crane_wait_s],
            "crane_yield_min": [w / 60.0 for w in self.crane_yield_s],
            "mill_blocked_min": self.mill_blocked_s / 60.0,
            "mill_blocked_events": self.mill_blocked_n,
            "mill_stop_min": self.mill_stop_s / 60.0,
            "station_fill_max": self.station_fill_max,
            "trucks_arrived": self.trucks_arrived,
            "trucks_departed": self.trucks_departed,
            "truck_wait_mean_min": self.truck_wait_s / self.trucks_docked / 60.0
            if self.trucks_docked
            else 0.0,
            "truck_wait_max_min": self.truck_wait_max_s / 60.0,
            "truck_turnaround_mean_min": self.truck_turn_s / self.trucks_departed / 60.0
            if self.trucks_departed
            else 0.0,
            "truck_turnaround_max_min": self.truck_turn_max_s / 60.0,
            "inventory_max": max(inv) if inv else None,
            "inventory_min": min(inv) if inv else None,
            "inventory_mean": sum(inv) / len(inv) if inv else None,
            "inventory_hourly": inv,
            "energy_kwh": self.energy_kwh if self.energy_records else None,
        }
