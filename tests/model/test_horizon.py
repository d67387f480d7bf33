"""KPIs that stay true under overload: what is still open at the horizon counts.

The reference is the same run continued past the horizon: its records, clipped at the horizon,
say how long the mill had been blocked, how long each truck had waited and each crane had been
busy by then.  A run cut at the horizon must report exactly that, although none of the blocks,
waits and stages still running have ended (their records are emitted when they end).
"""

from __future__ import annotations

import pytest
from conftest import NeverAssign, with_watchdog

from cranesim.codes import STAGE_CODES
from cranesim.errors import ModelError
from cranesim.model import Warehouse, run
from cranesim.record.kpi import UNSTABLE_RULES, KpiAccumulator, kpi_table
from cranesim.record.trace import COL, iter_records

H1, H2 = 4.5 * 3600.0, 8.0 * 3600.0
_T, _D, _K, _C, _L = COL["t_s"], COL["dur_s"], COL["kind"], COL["crane"], COL["lift"]
_TRUCK = COL["truck"]


def overloaded(sc, rate=75.0):
    """The small warehouse with the mill well beyond what two cranes and two bays handle."""
    return sc.derive({"mill.rate_t_h": rate})


def records(sc, seed, t_end, **kw):
    recs: list[tuple] = []
    wh = Warehouse(sc, seed, sink=recs.append, **kw)
    wh.run_until(t_end)
    return wh, recs


def clipped(t: float, d: float, h: float) -> float:
    """The part of the interval [t, t + d] before h."""
    return max(0.0, min(t + d, h) - t)


@pytest.fixture(scope="module")
def cut_and_continued(small):
    sc = overloaded(small)
    cut, recs = records(sc, 1, H1)
    cut.close()
    _, longer = records(sc, 1, H2)
    return sc, cut, recs, cut.kpi.summary(H1), longer


def test_the_case_has_everything_open_at_the_horizon(cut_and_continued):
    """Not vacuous: at the cut the mill is blocked, trucks wait and load, both cranes work
    (one in a lift stage, one waiting for runway space)."""
    _sc, _cut, recs, s, _ = cut_and_continued
    assert s["mill_blocked_open_min"] > 0
    assert s["trucks_waiting_end"] > 10 and s["trucks_loading_end"] == 2
    open_cranes = {r[_C]: r[_K] for r in recs if r[_K] in ("lift_open", "wait_open")}
    assert sorted(open_cranes) == [0, 1] and set(open_cranes.values()) == {"lift_open", "wait_open"}
    assert all(r[_T] == H1 for r in recs if r[_K] in ("truck_queued", "truck_loading"))
    # intervals at their start, ending at the cut
    assert all(r[_T] + r[_D] == pytest.approx(H1) for r in recs if r[_K].endswith("_open"))


def test_mill_blocked_includes_the_open_block(cut_and_continued):
    _sc, _cut, _recs, s, longer = cut_and_continued
    want = sum(clipped(r[_T], r[_D], H1) for r in longer if r[_K] == "mill_blocked" and r[_T] < H1)
    open_part = [
        clipped(r[_T], r[_D], H1)
        for r in longer
        if r[_K] == "mill_blocked" and r[_T] < H1 < r[_T] + r[_D]
    ]
    assert len(open_part) == 1
    assert s["mill_blocked_min"] == pytest.approx(want / 60.0, abs=1e-9)
    assert s["mill_blocked_open_min"] == pytest.approx(open_part[0] / 60.0, abs=1e-9)
    closed = sum(1 for r in longer if r[_K] == "mill_blocked" and r[_T] + r[_D] <= H1)
    assert s["mill_blocked_events"] == closed + 1


def test_mill_stop_counts_up_to_the_horizon(cut_and_continued):
    _sc, _cut, recs, s, _ = cut_and_continued
    stops = [(r[_T], r[_D]) for r in recs if r[_K] == "mill_stop"]
    assert s["mill_stop_min"] == pytest.approx(sum(clipped(t, d, H1) for t, d in stops) / 60.0)


def test_truck_waits_and_turnarounds_include_trucks_still_in(cut_and_continued):
    """Per truck that arrived before the cut: its wait for a bay and its time in the warehouse
    up to the cut, from the continued run's arrival, dock and departure records."""
    _sc, _cut, _recs, s, longer = cut_and_continued
    arrive = {r[_TRUCK]: r[_T] for r in longer if r[_K] == "truck_arrive" and r[_T] < H1}
    dock = {r[_TRUCK]: r[_T] for r in longer if r[_K] == "truck_dock"}
    depart = {r[_TRUCK]: r[_T] for r in longer if r[_K] == "truck_depart"}
    arrivals = [arrive[k] for k in sorted(arrive)]
    waits = [min(dock.get(k, H1), H1) - t for k, t in arrive.items()]
    turns = [min(depart.get(k, H1), H1) - t for k, t in arrive.items()]
    assert s["trucks_arrived"] == len(arrivals)
    assert s["truck_wait_mean_min"] == pytest.approx(sum(waits) / len(waits) / 60.0)
    assert s["truck_wait_max_min"] == pytest.approx(max(waits) / 60.0)
    assert s["truck_turnaround_mean_min"] == pytest.approx(sum(turns) / len(turns) / 60.0)
    assert s["truck_turnaround_max_min"] == pytest.approx(max(turns) / 60.0)
    assert s["trucks_waiting_end"] == sum(1 for k in arrive if dock.get(k, H2 + 1) > H1)
    in_at_cut = sum(1 for k in arrive if depart.get(k, H2 + 1) > H1)
    assert s["trucks_waiting_end"] + s["trucks_loading_end"] == in_at_cut


def test_crane_busy_and_wait_include_the_stage_running(cut_and_continued):
    sc, _cut, _recs, s, longer = cut_and_continued
    names = [c.name for c in sc.cranes]
    busy = [0.0] * len(names)
    wait = [0.0] * len(names)
    for r in longer:
        if r[_K] in STAGE_CODES and r[_T] < H1 and not (r[_K] == "yield" and r[_L] >= 0):
            busy[r[_C]] += clipped(r[_T], r[_D], H1)
            if r[_K] == "wait":
                wait[r[_C]] += clipped(r[_T], r[_D], H1)
    for c, name in enumerate(names):
        assert s["crane_utilization"][name] == pytest.approx(busy[c] / H1, abs=1e-12)
        assert s["crane_interference_wait_min"][name] == pytest.approx(wait[c] / 60.0, abs=1e-9)


def test_backlog_at_the_end(cut_and_continued):
    _sc, cut, _recs, s, _ = cut_and_continued
    res = run(overloaded(_sc), hours=H1 / 3600.0, seed=1, crew="plain")  # as Warehouse
    r = res.summary
    assert r["coils_owed_end"] == sum(t.remaining for t in cut.trucks.values()) > 0
    assert r["jobs_open_end"] == res.warehouse.jobs.pending > 0
    assert r["station_coils_end"] == r["capacity_station"]  # the mill is blocked: station full
    assert r["capacity"] == r["capacity_floor"] + r["capacity_station"] + r["capacity_hooks"]
    assert r["inventory_max"] <= r["capacity"]
    for key in ("mill_blocked_min", "truck_wait_mean_min", "crane_utilization"):
        assert r[key] == s[key]


def test_the_trace_replays_to_the_same_kpis(small, tmp_path):
    p = tmp_path / "t.csv"
    res = run(overloaded(small), hours=H1 / 3600.0, seed=1, trace_path=str(p), crew="plain")
    acc = KpiAccumulator(len(small.cranes), [c.name for c in small.cranes])
    again = acc.consume_all(iter_records(p)).summary(H1)
    for key, value in again.items():
        if key in ("inventory_max", "inventory_min"):  # the run adds its end state to these
            continue
        assert res.summary[key] == pytest.approx(value), key
    assert again["mill_blocked_open_min"] > 0 and again["trucks_waiting_end"] > 0


def test_closed_run_cannot_run_on(small):
    wh = Warehouse(small, 1)
    wh.run_until(600.0)
    wh.close()
    wh.close()  # once only: a second close emits nothing
    with pytest.raises(RuntimeError, match="closed"):
        wh.run_until(1200.0)


# --------------------------------------------------------------------------- unstable
def test_overload_is_flagged_unstable_in_json_and_table(cut_and_continued):
    _sc, _cut, _recs, s, _ = cut_and_continued
    assert s["unstable"] is True
    blocked_share = s["mill_blocked_min"] / (H1 / 60.0)
    assert blocked_share > UNSTABLE_RULES["mill_blocked_share"]
    assert any("mill was blocked" in why for why in s["unstable_reasons"])
    res = run(overloaded(_sc, 90.0), hours=8, seed=1)
    table = kpi_table(res.summary)
    first = table.splitlines()[0]
    assert first.startswith("WARNING: unstable") and "trucks wait for a bay" in first


def test_a_healthy_run_is_not_flagged(small):
    for seed in (1, 2, 3):
        s = run(small, hours=8, seed=seed).summary
        assert s["unstable"] is False and s["unstable_reasons"] == []
        assert "WARNING" not in kpi_table(s)


def test_a_mill_blocked_at_the_end_is_flagged(small):
    """A scheduler that never lifts: the station fills, the mill blocks and stays blocked."""
    s = run(with_watchdog(small, 0.0), hours=3, seed=1, scheduler=NeverAssign).summary
    assert s["mill_blocked_open_min"] >= 60 * UNSTABLE_RULES["mill_blocked_end_h"]
    assert s["mill_blocked_min"] == pytest.approx(s["mill_blocked_open_min"])
    assert any("ended with the mill blocked" in why for why in s["unstable_reasons"])
    assert s["coils_out"] == 0 and s["trucks_departed"] == 0
    assert s["truck_wait_mean_min"] > 0  # trucks queued behind the two docked ones


# --------------------------------------------------------------------------- watchdog
class Shuffler:
    """A scheduler that never serves a job: it only relocates a top coil back and forth (a
    relocation livelock, built on purpose)."""

    def __init__(self, st, warehouse):
        self.st, self.wh = st, warehouse

    def decide(self, now):
        st, wh = self.st, self.wh
        S = wh.lay.n_slots
        free = [c for c in range(wh.n) if st.c_free[c] and wh.current[c] is None]
        if not free:
            return 0
        c = free[0]
        lo, hi = wh.runway.reach[c]
        fx = wh.lift_effects
        for src in range(S):
            if st.s_coil[src] < 0 or st.s_booked[src] or fx.blocker(src) >= 0:
                continue
            if not lo <= wh.lx[src] <= hi:
                continue
            for dst in range(S):
                if dst == src or st.s_coil[dst] >= 0 or st.s_booked[dst]:
                    continue
                if fx.missing_support(dst) >= 0 or not lo <= wh.lx[dst] <= hi:
                    continue
                if src in (st.s_sup0[dst], st.s_sup1[dst]):  # it would rest on itself
                    continue
                jobs = [j for j in range(st.job_capacity) if st.j_active[j] and not st.j_taken[j]]
                if not jobs:
                    return 0
                st.out[:] = (c, jobs[0], src, dst, 2)  # a relocation "for" an open job
                return 1
        return 0


def test_relocations_alone_do_not_feed_the_watchdog(small):
    recs: list[tuple] = []
    wh = Warehouse(with_watchdog(small, 1.0), 1, sink=recs.append, scheduler=Shuffler)
    with pytest.raises(ModelError, match="no store or retrieval completed for 1 h"):
        wh.run_until(168 * 3600.0)
    relocations = sum(1 for r in recs if r[_K] == "place")
    assert relocations > 10  # the cranes kept lifting: a relocation counted as progress before
    first_job = min(r[_T] for r in recs if r[_K] == "coil_in")
    assert wh.env.now == pytest.approx(first_job + 3600.0, abs=1e-9)


@pytest.mark.parametrize("seed", [21, 6, 8])
def test_the_relocation_livelock_case_stops_early(small, seed):
    """fcfs_nearest on a 90% full small warehouse used to relocate for a whole week (5,600 to
    16,000 relocations, 5 to 13 retrievals) and exit 0.  With the livelock-free relocations it
    runs the week serving trucks (a watchdog stop fails this test; the watchdog's own stop is
    test_relocations_alone_do_not_feed_the_watchdog)."""
    sc = small.model_copy(
        update={"storage": small.storage.model_copy(update={"initial_fill": 0.9})}
    )
    s = run(sc, hours=168, seed=seed, policy="fcfs_nearest").summary
    assert s["relocations"] < 5 * max(s["retrievals"], 1), s  # trucks are served
