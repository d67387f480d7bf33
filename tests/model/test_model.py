"""The warehouse model: invariants, conservation, determinism, KPIs from the trace."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from cranesim.errors import ModelError
from cranesim.model import Warehouse, run
from cranesim.record.kpi import kpi_table
from cranesim.record.trace import COL


def _collect(sc, seed, hours, **kw):
    recs = []
    wh = Warehouse(sc, seed, sink=recs.append, **kw)
    wh.run_until(hours * 3600.0)
    return wh, recs


def test_small_run_conserves_coils_and_keeps_invariants(small):
    wh, recs = _collect(small, 3, 12.0)
    assert wh.coils_in > 100 and wh.coils_out > 50
    assert wh.inventory() == wh.inventory_start + wh.coils_in - wh.coils_out
    kinds = {r[COL["kind"]] for r in recs}
    assert {"coil_in", "pick", "place", "move_empty", "move_loaded", "truck_depart"} <= kinds
    # every lift that completed was picked first, from where it was said to be
    picked = {r[COL["lift"]] for r in recs if r[COL["kind"]] == "pick"}
    placed = [r[COL["lift"]] for r in recs if r[COL["kind"]] == "place"]
    assert set(placed) <= picked and len(placed) == len(set(placed))


def test_separation_holds_at_every_record(small):
    """Independent of the runway reservations: evaluate crane positions at every record."""
    gaps = []
    holder = {}

    def sink(rec):
        wh = holder["wh"]
        t = wh.env.now
        xs = [wh.crane_x(c, t) for c in range(wh.n)]
        gaps.append(min(b - a for a, b in zip(xs, xs[1:])))

    sc = small
    wh = Warehouse(sc, 11, sink=sink)
    holder["wh"] = wh
    wh.run_until(8 * 3600.0)
    assert min(gaps) >= sc.runway.safety_distance_m - 1e-6
    # the two cranes do meet: the mechanism is exercised, not idle
    s = wh.kpi.summary(8 * 3600.0)
    assert sum(s["crane_interference_wait_min"].values()) + sum(s["crane_yield_min"].values()) > 0


def test_stacking_rule_in_final_state(small):
    wh, _ = _collect(small, 5, 10.0)
    st = wh.st
    occ = st.s_coil >= 0
    for s in np.flatnonzero(occ & (st.s_level == 1)):
        assert occ[st.s_sup0[s]] and occ[st.s_sup1[s]], f"upper slot {s} lacks support"
    # a slot is booked only by a lift in progress: as its target, or as its source until picked
    held = set()
    for c, lift in enumerate(wh.current):
        if lift is not None:
            held.update(loc for loc in (lift.src, lift.dst) if loc < wh.lay.n_slots)
    assert set(np.flatnonzero(st.s_booked).tolist()) <= held
    ids = st.s_coil[occ]
    assert len(np.unique(ids)) == len(ids), "a coil is in two places"


def test_same_seed_same_trace_bytes(small, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    run(small, hours=6, seed=9, trace_path=str(a))
    run(small, hours=6, seed=9, trace_path=str(b))
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    c = tmp_path / "c.csv"
    run(small, hours=6, seed=10, trace_path=str(c))
    assert a.read_bytes() != c.read_bytes()


def test_kpis_without_trace_equal_kpis_with_one(small, tmp_path):
    """Without a trace the model hands a crane stage's fields to the KPIs without building the
    record: the summary must be the one a run with a trace gives, to the bit."""
    from cranesim.physics.energy import EnergyModel

    def summary(trace):
        res = run(small, hours=8, seed=4, trace_path=trace, energy=EnergyModel(small, log=False))
        return {k: v for k, v in res.summary.items() if k not in ("wall_s", "sim_hours_per_wall_s")}

    with_trace = summary(str(tmp_path / "t.csv"))
    assert with_trace["lifts"] > 0 and with_trace["energy_kwh"] > 0
    assert summary(None) == with_trace


def test_failed_run_leaves_no_trace(small, tmp_path, monkeypatch):
    p = tmp_path / "t.csv"

    def boom(self, *a, **k):
        raise ModelError("injected")

    monkeypatch.setattr(Warehouse, "check_conservation", boom)
    with pytest.raises(ModelError):
        run(small, hours=2, seed=1, trace_path=str(p))
    assert not p.exists()
    assert not list(tmp_path.iterdir()), "no temporary file either"


def test_bad_scheduler_decision_is_caught(small):
    class Rogue:
        def __init__(self, st):
            self.st = st

        def decide(self, now):
            st = self.st
            js = np.flatnonzero((st.j_active == 1) & (st.j_taken == 0))
            if len(js) == 0:
                return 0
            # book an occupied slot as the target: twice-booked / occupied place
            target = int(np.flatnonzero(st.s_coil >= 0)[0])
            st.s_booked[target] = 1
            st.out[:] = (0, js[0], st.j_loc[js[0]], target, 0)
            return 1

    with pytest.raises(ModelError, match="booked twice"):
        Warehouse(small, 1, scheduler=lambda st, wh: Rogue(st)).run_until(3600.0)


def test_utilisation_and_summary_keys(small):
    res = run(small, hours=8, seed=2)
    s = res.summary
    for key in (
        "sim_hours",
        "seed",
        "coils_in",
        "coils_out",
        "inventory_start",
        "inventory_end",
        "lifts",
        "relocations",
        "mill_blocked_min",
        "truck_wait_mean_min",
        "crane_utilization",
        "events",
        "wall_s",
    ):
        assert key in s
    assert list(s["crane_utilization"]) == ["C1", "C2"]  # by name, west to east
    assert all(0.05 < u < 0.98 for u in s["crane_utilization"].values()), s["crane_utilization"]
    assert s["inventory_end"] == s["inventory_start"] + s["coils_in"] - s["coils_out"]
    assert s["events"] > 1000
    assert "coils in / out" in kpi_table(s)
