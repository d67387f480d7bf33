"""Recorded demand drives the same model as the generators (issue 18).

* the round trip: a run's exported demand, run again with the same scenario and seed, gives the
  same trace byte for byte, with the mill blocked, stoppages, multi-grade orders, CSV and Parquet
  exports, automated and manual crews;
* the recorded times are met exactly, and the two rules for a full station (``late_coils``)
  are checked from the trace alone, against the recorded rhythm;
* orders by coil id, short orders trimmed, date-time columns.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from cranesim.model import Warehouse, run
from cranesim.model.crew import build_planner
from cranesim.model.dispatch import human_dispatch
from cranesim.model.recorded import EXPORT_TABLES, ExportDemand, demand_source
from cranesim.record.tables import TableSet
from cranesim.record.trace import COL
from cranesim.scenario.layout import build_layout
from cranesim.scenario.recorded import with_demand
from cranesim.scenario.recorded_check import check_demand


@pytest.fixture(scope="module")
def busy(small):
    """small.toml with a mill fast enough to fill the station now and then (blocked mill)."""
    return small.derive({"mill.rate_t_h": 75.0})


def _rows(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip_reproduces_the_trace_byte_for_byte(busy, tmp_path, fmt):
    hours, seed = 24.0, 5
    a, b, d = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "demand"
    first = run(busy, hours=hours, seed=seed, trace_path=a, export_demand=d, export_format=fmt)
    assert first.summary["mill_blocked_events"] > 5  # the station was full now and then
    again = run(with_demand(busy, d), hours=hours, seed=seed, trace_path=b)
    assert a.read_bytes() == b.read_bytes()
    assert again.summary["coils_out"] == first.summary["coils_out"] > 50
    if fmt == "csv":
        coils = _rows(d / "coils.csv")
        late = [
            c for c in coils if c["station_at"] and float(c["station_at"]) > float(c["ready_at"])
        ]
        # ready and set down apart; a block still open at the horizon has no set-down yet
        ended = first.summary["mill_blocked_events"] - (first.summary["mill_blocked_open_min"] > 0)
        assert len(late) >= ended > 5
        assert len(_rows(d / "stops.csv")) >= 2
        lines = _rows(d / "trucks.csv")
        assert len({r["truck_id"] for r in lines}) < len(lines)  # multi-grade orders
        assert len(_rows(d / "stock.csv")) == first.summary["inventory_start"]


def test_round_trip_with_the_manual_crew(busy, tmp_path):
    """The manual crew (driver model, its own random stream, dispatch rules) on the demand it
    exported: the same records."""
    planner, policy = build_planner(busy, "manual")
    exported: list[ExportDemand] = []

    def exporting(wh):
        out = TableSet(tmp_path / "d", EXPORT_TABLES)
        exported.append(ExportDemand(demand_source(wh), out, wh.sc, wh.lay))
        return exported[0]

    def warehouse(sc, sink, demand=None):
        planner, policy = build_planner(sc, "manual")
        return Warehouse(sc, 2, sink=sink, planner=planner, policy=policy,
                         scheduler=human_dispatch(sc.manual), demand=demand)  # fmt: skip

    a, b = [], []
    w = warehouse(busy, a.append, exporting)
    w.run_until(12 * 3600.0)
    exported[0].close()
    warehouse(with_demand(busy, tmp_path / "d"), b.append).run_until(12 * 3600.0)
    assert len(a) > 1000 and repr(a) == repr(b)  # repr: NaN fields compare as text


def _write(path: Path, header: str, rows: list[str]) -> None:
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows))


def _coil_times(recs: list[tuple]) -> tuple[list[float], list[float]]:
    """(ready, set down) of each coil, from the trace alone: a blocked coil was ready when its
    mill_blocked record starts, any other when it was set down (its coil_in)."""
    ready, down = [], []
    blocked = None
    for r in recs:
        if r[COL["kind"]] == "mill_blocked":
            blocked = r[COL["t_s"]]
        elif r[COL["kind"]] == "coil_in":
            t = r[COL["t_s"]]
            ready.append(t if blocked is None else blocked)
            down.append(t)
            blocked = None
    return ready, down


@pytest.mark.parametrize("rule", ["shift", "queue"])
def test_a_full_station_delays_coils_by_the_rule(small, tmp_path, rule):
    """Cranes far too slow for the mill: the station fills.  ``queue``: the recorded times stand
    and coils queue behind a blocked one (each is at the head of the conveyor at its recorded
    time or when the one before is set down, whichever is later).  ``shift``: after each coil is
    set down the next follows after its recorded gap (ready_{i+1} - station_i)."""
    sc = small.derive({"crane.hoist_speed_m_min": 2.0})  # lifts take minutes
    sc = sc.derive({"demand": {"source": "synthetic", "late_coils": rule}})
    grade = sc.mill.products[0].grade
    ready = [60.0 * k for k in range(1, 25)]  # a coil a minute, set down at once in the record
    _write(tmp_path / "coils.csv", "coil_id,grade,mass_t,ready_at,station_at",
           [f"K{k},{grade},2.0,{t!r},{t!r}" for k, t in enumerate(ready)])  # fmt: skip
    _write(tmp_path / "trucks.csv", "truck_id,arrive_at,grade,coils", [])
    recs: list[tuple] = []
    Warehouse(with_demand(sc, tmp_path), 1, sink=recs.append).run_until(4 * 3600.0)
    got, down = _coil_times(recs)
    assert len(got) > 6 and sum(1 for r in recs if r[COL["kind"]] == "mill_blocked") >= 3
    if rule == "queue":
        assert got[0] == ready[0]
        assert got[1:] == [max(ready[i + 1], down[i]) for i in range(len(got) - 1)]
        assert got[-1] > ready[len(got) - 1]  # some queued
    else:
        for i in range(len(got) - 1):
            assert got[i + 1] - down[i] == pytest.approx(ready[i + 1] - ready[i], abs=1e-9)
        assert got[-1] > ready[len(got) - 1] + 60.0  # later than recorded


def test_recorded_times_orders_and_stoppages_are_met(small, tmp_path):
    """Hand-made records: coils arrive when recorded, a stoppage holds the mill, a truck ordering
    by coil id takes coils of those grades, an order too large is cut (short_orders = trim)."""
    g0, g1 = (p.grade for p in small.mill.products)
    _write(tmp_path / "coils.csv", "coil_id,grade,mass_t,ready_at",
           [f"A,{g0},2.0,100.5", f"B,{g1},2.1,200.25", f"C,{g0},1.9,4000.0"])  # fmt: skip
    _write(tmp_path / "stops.csv", "start_at,duration_s,reason", ["300.0,1800.0,roll change"])
    _write(tmp_path / "trucks.csv", "truck_id,arrive_at,grade,coils,coil_id",
           ["T1,1000.0,,,A", "T1,1000.0,,,B", f"T2,5000.0,{g0},3,"])  # fmt: skip
    sc = with_demand(small, tmp_path).derive({"demand.short_orders": "trim"})
    check = check_demand(sc, build_layout(sc), 3.0)
    assert not check.problems and check.counts == dict(
        stock=0, coils=3, trucks=2, ordered=3, stops=1
    )
    assert any("cut to what can be filled" in n for n in check.problems.notes)
    assert any("starts empty" in n for n in check.problems.notes)
    recs: list[tuple] = []
    Warehouse(sc, 1, sink=recs.append).run_until(3 * 3600.0)
    kinds = [(r[COL["kind"]], r[COL["t_s"]], r[COL["order_coils"]], r[COL["dur_s"]]) for r in recs
             if r[COL["kind"]] in ("coil_in", "mill_stop", "truck_arrive", "truck_depart")]  # fmt: skip
    assert [k[:2] for k in kinds[:3]] == [
        ("coil_in", 100.5),
        ("coil_in", 200.25),
        ("mill_stop", 300.0),
    ]
    assert kinds[2][3] == 1800.0
    assert ("truck_arrive", 1000.0, 2.0, 0.0) in kinds
    assert any(k[:2] == ("coil_in", 4000.0) for k in kinds)
    t2 = [k for k in kinds if k[0] == "truck_arrive" and k[1] == 5000.0]
    assert t2 and t2[0][2] == 1.0  # 3 ordered, 1 left after T1: cut to 1
    shipped = [r for r in recs if r[COL["kind"]] == "place" and r[COL["lift_kind"]] == "retrieve"]
    assert sorted(r[COL["grade"]] for r in shipped) == sorted([g0, g1, g0])
    assert sum(1 for k in kinds if k[0] == "truck_depart") == 2


def test_date_times_count_from_the_start(small, tmp_path):
    g0 = small.mill.products[0].grade
    _write(tmp_path / "coils.csv", "coil_id,grade,mass_t,ready_at",
           [f"A,{g0},2.0,2024-06-03 06:01:00", f"B,{g0},2.0,2024-06-03T06:02:30"])  # fmt: skip
    _write(
        tmp_path / "trucks.csv", "truck_id,arrive_at,grade,coils", [f"T,2024-06-03 07:00:00,{g0},1"]
    )
    sc = with_demand(small, tmp_path)
    recs: list[tuple] = []
    Warehouse(sc.derive({"demand.start": "2024-06-03T06:00:00"}), 1, sink=recs.append).run_until(
        7200.0
    )
    t = [r[COL["t_s"]] for r in recs if r[COL["kind"]] in ("coil_in", "truck_arrive")]
    assert t == [60.0, 150.0, 3600.0]
    # without start: the first coil's ready_at is the origin
    recs.clear()
    Warehouse(sc, 1, sink=recs.append).run_until(7200.0)
    t = [r[COL["t_s"]] for r in recs if r[COL["kind"]] in ("coil_in", "truck_arrive")]
    assert t == [0.0, 90.0, 3540.0] and not math.isnan(t[0])
