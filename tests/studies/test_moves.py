"""Simulated lifts beside recorded ones (``cranesim validate-moves``, issue 18).

* the statistics against hand-made logs: quartiles, KS statistic (by hand for disjoint and
  shifted samples), lifts per hour per crane, empty travel from the previous set-down, and the
  regression recovering known coefficients exactly;
* the lifts collected during a run equal those read back from its trace and from the move log
  written in the plant's format;
* move logs are checked row by row (file, row, column);
* the shipped example (examples/plant_week) is what its script makes; that the comparison finds
  its two changed parameters off, and agrees with the scenario that made it, is checked by the
  README walk-through's test (tests/cli/test_cli_demand.py).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from cranesim.codes import LIFT_RELOCATE, LIFT_RETRIEVE, LIFT_STORE
from cranesim.errors import UserError
from cranesim.model import run
from cranesim.scenario.layout import build_layout
from cranesim.scenario.load import load_config
from cranesim.studies.moves import (
    LiftCollector,
    MoveLog,
    compare_moves,
    moves_from_trace,
    read_moves,
    simulate_moves,
    write_moves,
)
from cranesim.studies.moves_report import summary_text

EXAMPLE = REPO / "examples" / "plant_week"


@pytest.fixture(scope="module")
def lay(small):
    return build_layout(small)


def _log(lay, rows) -> MoveLog:
    """Rows ``(crane, start, cycle, src, dst)``; kinds from the places."""
    S, st = lay.n_slots, lay.n_slots + lay.n_station
    out = []
    for c, t0, cyc, a, b in rows:
        k = LIFT_STORE if S <= a < st else (LIFT_RETRIEVE if b >= st else LIFT_RELOCATE)
        out.append((c, t0, t0 + cyc, a, b, k, f"k{len(out)}"))
    return MoveLog.from_rows(out)


def test_statistics_by_hand(small, lay):
    S = lay.n_slots
    stn, bay = S, S + lay.n_station
    # simulated: stores of 100, 110, 120 s; recorded: 200, 210, 90 s: the ECDFs differ most at
    # 120 s (1 against 1/3), KS D = 2/3
    sim = _log(
        lay, [(0, 0.0, 100.0, stn, 0), (0, 1000.0, 110.0, stn, 1), (1, 2000.0, 120.0, stn, 60)]
    )
    rec = _log(lay, [(0, 0.0, 200.0, stn, 0), (0, 1000.0, 210.0, stn, 1), (1, 2000.0, 90.0, stn, 60),
                     (1, 3000.0, 50.0, 60, bay)])  # fmt: skip
    r = compare_moves(sim, rec, small, lay)
    assert r["window_h"] == [0.0, pytest.approx(2120.0 / 3600)]
    assert r["simulated"]["kinds"]["store"]["cycle_s"] == [105.0, 110.0, 115.0]
    assert r["recorded"]["kinds"]["store"]["lifts"] == 3
    assert r["recorded"]["kinds"]["retrieve"]["lifts"] == 0  # it ends after the window
    assert r["ks"]["store"]["D"] == pytest.approx(2 / 3)
    hours = 2120.0 / 3600
    assert r["simulated"]["lifts_per_hour_by_crane"] == pytest.approx([2 / hours, 1 / hours])
    # empty travel: crane 0's second lift starts where its first set down (slot 0) and picks
    # at the station; crane 1 has one lift (no previous set-down)
    x, y = lay.loc_x, lay.loc_y
    e = abs(x[stn] - x[0]) + abs(y[stn] - y[0])
    assert r["simulated"]["empty_m_mean"] == pytest.approx(e)


def test_ks_statistic_of_shifted_samples(small, lay):
    """Cycle times 1..100 against 11..110: the largest ECDF gap is 10/100."""
    S = lay.n_slots
    sim = _log(lay, [(0, 200.0 * i, float(1 + i), S, 0) for i in range(100)])
    rec = _log(lay, [(0, 200.0 * i, float(11 + i), S, 0) for i in range(100)])
    r = compare_moves(sim, rec, small, lay)
    assert r["ks"]["store"]["D"] == pytest.approx(0.10)
    assert r["ks"]["store"]["p"] > 0.5


def test_the_regression_recovers_known_coefficients(small, lay):
    """Cycle = 20 + 0.5 s/m bridge + 3 s/m hoist, exactly: both sides fit it, nothing is off;
    the recorded side with 4 s/m hoisting is off, its speed ratio 3/4."""
    rng = np.random.default_rng(1)
    S, top = lay.n_slots, small.bay.hook_travel_height_m
    x, z = lay.loc_x, lay.loc_z

    def lifts(b_hoist: float) -> MoveLog:
        rows, last, t = [], 0, 0.0
        for _ in range(300):
            src = int(rng.integers(0, S))
            dst = int(rng.integers(0, S))
            bridge = abs(x[src] - x[last]) + abs(x[dst] - x[src])
            hoist = 2 * (top - z[src]) + 2 * (top - z[dst])
            rows.append((0, t, 20.0 + 0.5 * bridge + b_hoist * hoist, src, dst))
            t += 1000.0
            last = dst
        return _log(lay, rows)

    r = compare_moves(lifts(3.0), lifts(3.0), small, lay)
    fit = r["simulated"]["fit"]
    assert fit["fixed_s"][0] == pytest.approx(20.0)
    assert fit["s_per_bridge_m"][0] == pytest.approx(0.5)
    assert fit["s_per_hoist_m"][0] == pytest.approx(3.0)
    assert not any(h["off"] for h in r["hints"])
    r = compare_moves(lifts(3.0), lifts(4.0), small, lay)
    hoist = {h["key"]: h for h in r["hints"]}["s_per_hoist_m"]
    assert hoist["off"] and hoist["speed_ratio"] == pytest.approx(0.75)
    assert hoist["suggested_value"] == pytest.approx(0.75 * small.crane.hoist_speed_m_min)
    # held against the manual crew, the hints name its own parameters
    hints = {
        h["key"]: h for h in compare_moves(lifts(3.0), lifts(3.0), small, lay, "manual")["hints"]
    }
    assert hints["s_per_bridge_m"]["parameter"] == "[manual] speed_fraction"
    assert "pick_place_extra_s" in hints["fixed_s"]["parameter"]


def test_collected_lifts_equal_the_trace_and_the_written_log(small, lay, tmp_path):
    sink = LiftCollector()
    run(small, hours=6, seed=2, crew="plain", trace_path=tmp_path / "t.csv", sink=sink)
    live = sink.log()
    again = moves_from_trace(tmp_path / "t.csv")
    assert len(live) > 50
    for a in ("crane", "start", "end", "src", "dst", "kind"):
        assert np.array_equal(getattr(live, a), getattr(again, a)), a
    assert live.coil == again.coil
    write_moves(live, tmp_path / "moves.csv", small, lay)
    read = read_moves(tmp_path / "moves.csv", small, lay)
    for a in ("crane", "start", "end", "src", "dst", "kind"):
        assert np.array_equal(getattr(live, a), getattr(read, a)), a
    # the first lift began with its empty move (or a runway wait) and ended at its place
    r = compare_moves(live, read, small, lay)
    assert all(v is None or v["D"] == 0.0 for v in r["ks"].values())
    assert "agrees" in summary_text(r)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("C9,0,100,station 1,1-1-1-1,x", "row 1, column crane = 'C9': no such crane (C1, C2)"),
        ("C1,0,100,station 7,1-1-1-1,x", "row 1, column from = 'station 7': station places are numbered 1 to 3"),
        ("C1,0,100,station 1,1-5-1-1,x", "row 1, column to = '1-5-1-1': block 1 has 4 rows"),
        ("C1,0,100,bay 1,1-1-1-1,x", "row 1, column from/to = 'bay 1 -> 1-1-1-1': no lift the model makes"),
        ("C1,100,50,station 1,1-1-1-1,x", "row 1, column end_at = 50.0: before its start_at (100.0)"),
        ("C1,0,100,station 1,1-1-1-1,x\nC1,50,150,station 1,1-1-1-2,y", "row 2, column start_at = 50.0: crane C1 is still on the lift of row 1"),
    ],
)  # fmt: skip
def test_move_logs_are_checked_row_by_row(small, lay, tmp_path, line, problem):
    p = tmp_path / "moves.csv"
    p.write_text("crane,start_at,end_at,from,to,coil_id\n" + line + "\n")
    with pytest.raises(UserError) as err:
        read_moves(p, small, lay)
    assert str(err.value).startswith("moves.csv: " + problem)


def test_simulated_manual_crew(small):
    log = simulate_moves(small, 4.0, 3, crew="manual")
    assert len(log) > 20 and log.source == "cranesim (manual crew, 4 h, seed 3)"


needs_example = pytest.mark.skipif(not EXAMPLE.is_dir(), reason="examples/ is in a checkout only")


@needs_example
def test_the_example_is_what_make_example_makes(tmp_path):
    import runpy

    mod = runpy.run_path(str(EXAMPLE / "make_example.py"))
    mod["main"](tmp_path)
    for name in ("plant.toml", "stock.csv", "coils.csv", "stops.csv", "trucks.csv", "moves.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name
    # plant.toml is the default but for the two parameters and the demand
    default, plant = load_config(), load_config(EXAMPLE / "plant.toml")
    a, b = default.model_dump(), plant.model_dump()
    assert (b["crane"]["hoist_speed_m_min"], b["crane"]["pick_s"]) == (13.5, 16.0)
    for d in (a, b):
        d["crane"].pop("hoist_speed_m_min"), d["crane"].pop("pick_s")
        d.pop("demand"), d["scenario"].pop("name")
    assert a == b
    assert Path(plant.demand.dir) == EXAMPLE.absolute() and not math.isnan(plant.crane.place_s)
