"""The manual baseline and ``cranesim compare``: starts, self-consistency, determinism, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cranesim.cli.app import main as cli_main
from cranesim.physics.driver import ManualPlanner
from cranesim.studies.compare import (
    CAUSES,
    CompareSettings,
    mean_ci95,
    run_comparison,
    run_variant,
    t975,
)
from cranesim.studies.verdict import VERDICTS

HOURS = 2.0


@pytest.fixture(scope="module")
def result(small):
    return run_comparison(
        small,
        CompareSettings(
            replications=3, hours=HOURS, seed=11, samples=32, behaviour_runs=5, config="small"
        ),
    )


def test_t_quantiles():
    # Student t 97.5% quantiles (tables)
    assert t975(1) == pytest.approx(12.7062, abs=1e-4)
    assert t975(4) == pytest.approx(2.7764, abs=1e-4)
    assert t975(30) == pytest.approx(2.0423, abs=1e-4)
    assert t975(40) == pytest.approx(2.0211, abs=1e-4)
    assert t975(120) == pytest.approx(1.9799, abs=1e-4)
    m, lo, hi = mean_ci95([1.0, 2.0, 3.0])
    assert (m, hi - m) == pytest.approx((2.0, 4.302653 * 1.0 / np.sqrt(3)))


def test_manual_makes_more_starts_per_lift(small):
    man = run_variant(small, "manual", 5, 3.0)
    aut = run_variant(small, "automated", 5, 3.0)
    assert man["kpi"]["lifts"] > 20 and aut["kpi"]["lifts"] > 20
    for axis in range(3):
        per_m = man["starts"][axis] / man["kpi"]["lifts"]
        per_a = aut["starts"][axis] / aut["kpi"]["lifts"]
        assert per_m > per_a, (axis, per_m, per_a)
    # the automated hoist starts twice per pick and twice per set-down (lifts in progress add a few)
    assert 4 * aut["kpi"]["lifts"] <= aut["starts"][2] <= 4 * aut["kpi"]["lifts"] + 4 * 2


def test_operator_uses_only_its_own_stream(small):
    """The driver draws from warehouse.rng_operator: the mill's coils do not change."""
    from cranesim.model.warehouse import Warehouse
    from cranesim.record.trace import COL

    def arrivals(planner, policy):
        recs = []
        wh = Warehouse(small, 3, sink=recs.append, planner=planner, policy=policy)
        wh.run_until(1800.0)
        out = []
        for r in recs:  # the mill's own draws, up to the first time the station blocks it
            if r[COL["kind"]] == "mill_blocked":
                break
            if r[COL["kind"]] == "coil_in":
                out.append((r[COL["t_s"]], r[COL["grade"]]))
        return out, wh

    specs = small.crane_specs()
    p1 = ManualPlanner(specs, small.bay.hook_travel_height_m, small.manual, small.sway)
    a1, _ = arrivals(p1, "fcfs_nearest")
    a2, _ = arrivals(None, "greedy")
    n = min(len(a1), len(a2))
    assert n >= 3 and a1[:n] == a2[:n]


def test_json_is_self_consistent(result):
    r = json.loads(json.dumps(result))  # as written to disk
    t = r["totals"]
    comp = r["components"]
    man = sum(v["manual_kwh"] for v in comp.values())
    aut = sum(v["automated_kwh"] for v in comp.values())
    assert man == pytest.approx(t["manual_kwh"], rel=1e-9)  # both sides add up exactly
    assert aut == pytest.approx(t["automated_kwh"], rel=1e-9)
    assert set(CAUSES) <= set(comp)
    lo, hi = r["saving_pct_ci95"]
    assert lo <= r["saving_pct_mean"] <= hi
    assert np.mean(r["saving_pct_per_replication"]) == pytest.approx(
        r["saving_pct_mean"], rel=1e-12
    )
    per = [
        100 * (m - a) / m
        for m, a in zip(t["manual_kwh_per_replication"], t["automated_kwh_per_replication"])
    ]
    assert per == pytest.approx(r["saving_pct_per_replication"], rel=1e-12)
    # the chain per coil adds up to the difference of energy per coil
    steps = sum(w["saving_kwh_per_coil"] for w in r["waterfall"])
    assert steps == pytest.approx(t["manual_kwh_per_coil"] - t["automated_kwh_per_coil"], rel=1e-9)
    assert [w["cause"] for w in r["waterfall"]] == list(CAUSES)
    assert r["verdict"] in VERDICTS and r["verdict"] == r["readings"]["feeder"]["verdict"]
    for name in ("motion", "feeder"):
        rd = r["readings"][name]
        assert {"saving_pct_mean", "saving_pct_ci95", "p_claim", "verdict"} <= set(rd)
        assert 0.0 <= rd["p_claim"] <= 1.0
    assert isinstance(r["baseline_comparable"], bool) and r["baseline_note"]
    for d in r["sensitivity"].values():
        assert {"S1", "ST", "breakeven"} <= set(d)
    # the axis split adds up to the motion totals
    for mode in ("manual", "automated"):
        s = sum(r["axis_split_kwh"][mode][ax]["net"] for ax in ("bridge", "trolley", "hoist"))
        assert s == pytest.approx(t[f"{mode}_motion_kwh"], rel=1e-9)
        assert set(r["starts_per_lift"][mode]) == {"bridge", "trolley", "hoist"}
    assert r["starts_per_lift"]["manual"]["bridge"] > r["starts_per_lift"]["automated"]["bridge"]
    # standby is time based (per crane, per hour); the cab runs while a driver is aboard
    n = 2
    assert t["manual_standby_kwh"] == pytest.approx(n * HOURS * 1.0)
    assert t["automated_standby_kwh"] == pytest.approx(n * HOURS * 1.5)
    assert 0.0 < t["manual_cab_kwh"] <= n * HOURS * 1.75 * 0.6
    assert t["manual_cab_kwh"] == pytest.approx(1.75 * 0.6 * t["manual_staffed_share"] * n * HOURS)


def test_wording_has_no_negative_savings(result):
    """Plain words at every edge: 'x% more energy', never 'falls by -x%'."""
    import re

    for text in [*result["headline"], result["baseline_note"]]:
        assert not re.search(r"-\d", text), text


def test_workers_give_the_same_numbers(small, result):
    par = run_comparison(
        small,
        CompareSettings(
            replications=3,
            hours=HOURS,
            seed=11,
            samples=32,
            behaviour_runs=5,
            workers=2,
            config="small",
        ),
    )
    a = {k: v for k, v in result.items() if k != "wall_s"}
    b = {k: v for k, v in par.items() if k != "wall_s"}
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_cli_writes_json_and_report(small_cfg_path, tmp_path, capsys):
    out = tmp_path / "c.json"
    rep = tmp_path / "rep"
    rc = cli_main(
        [
            "compare",
            str(small_cfg_path),
            "--replications",
            "2",
            "--hours",
            "1",
            "--seed",
            "3",
            "--samples",
            "16",
            "--behaviour-runs",
            "0",
            "--json",
            str(out),
            "--report",
            str(rep),
        ]
    )
    assert rc == 0, capsys.readouterr().err
    r = json.loads(out.read_text())
    for key in (
        "saving_pct_mean",
        "saving_pct_ci95",
        "verdict",
        "components",
        "starts_per_lift",
        "totals",
        "kpis",
        "axis_split_kwh",
        "saving_pct_per_replication",
        "readings",
        "sensitivity",
        "baseline_comparable",
        "baseline_note",
    ):
        assert key in r
    md = (rep / "report.md").read_text()
    assert md.index("## Verdicts") < md.index("## Break-even") < md.index("sensitivity.png")
    assert md.index("sensitivity.png") < md.index("## Key numbers")
    for png in (
        "chain_per_coil.png",
        "axis_split.png",
        "energy_per_lift.png",
        "sensitivity.png",
        "distribution.png",
    ):
        assert (rep / png).read_bytes()[:4] == b"\x89PNG"
    assert not list(tmp_path.glob(".*.tmp")) and not list(rep.glob(".*.tmp"))


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--replications", "1"], "--replications"),
        (["--json", "x.txt"], "--json"),
        (["--workers", "0"], "--workers"),
        (["--hours", "-3"], "--hours"),
        (["--meters", "nope.csv"], "--meters"),
        (["--samples", "3"], "--samples"),
    ],
)
def test_cli_bad_input_is_exit_2(small_cfg_path, tmp_path, capsys, args, needle, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        rc = cli_main(["compare", str(small_cfg_path), *args])
    except SystemExit as exc:  # argparse's own errors
        rc = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1 and needle in err[-1]


def test_cli_bad_config_is_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[energy]\nrolling_resistance = 2.0\n")
    assert cli_main(["compare", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()  # every problem, one line each
    assert err and all(line.startswith(f"cranesim: error: {bad}: ") for line in err), err
    assert any("energy.rolling_resistance = 2.0" in line for line in err), err


@pytest.mark.parametrize(
    "traj,sway", [("manual", "manual"), ("automated", "manual"), ("automated", "shaped")]
)
def test_manual_planner_stages_are_consistent(small, traj, sway):
    """Every stage ends where it was asked to, stays inside the swept interval (no crane
    crosses into a neighbour's reservation), and moves of one axis do not overlap in time."""
    specs = small.crane_specs()
    pl = ManualPlanner(
        specs,
        small.bay.hook_travel_height_m,
        small.manual,
        small.sway,
        traj,
        sway,
        rng=np.random.default_rng(4),
    )
    rng = np.random.default_rng(5)
    t = 0.0
    for _ in range(300):
        x0, x1 = rng.uniform(3, 57, 2)
        y0, y1 = rng.uniform(2, 18, 2)
        if rng.random() < 0.1:
            x1 = x0
        load = float(rng.choice([0.0, 2.1]))
        stages = [
            pl.travel(0, t, x0, y0, x1, y1, load),
            pl.hoist(0, t, x1, y1, float(rng.uniform(0.5, 2.0)), bool(rng.random() < 0.5), 2.1),
        ]
        for st in stages:
            end = st.t0
            for axis, (p0, p1) in enumerate(((st.x0, st.x1), (st.y0, st.y1))):
                ms = [m for m in st.moves if m.axis == axis]
                if p0 == p1:
                    assert not ms
                    continue
                assert ms[0].p0 == p0 and ms[-1].p1 == p1
                lo, hi = min(p0, p1), max(p0, p1)
                for a, b in zip(ms, ms[1:]):
                    assert b.t0 >= a.t1 - 1e-9 and b.p0 == a.p1
                for m in ms:
                    assert lo - 1e-9 <= m.p1 <= hi + 1e-9
            hz = [m for m in st.moves if m.axis == 2]
            if hz:
                assert hz[-1].p1 == pytest.approx(small.bay.hook_travel_height_m)
            for m in st.moves:
                end = max(end, m.t1)
            assert st.dur >= end - st.t0 - 1e-9
        t += 400.0
    if traj == "manual":
        assert pl.stats["moves"][0][1] > 0  # jogs happened
    if sway == "manual":
        assert pl.stats["sway_events"] > 0


def test_human_dispatch_restores_the_arrays_and_keeps_clear_of_working_cranes(small):
    from cranesim.model.crew import build_planner
    from cranesim.model.dispatch import HumanDispatch, human_dispatch
    from cranesim.model.warehouse import Warehouse

    planner, policy = build_planner(small, "manual")
    wh = Warehouse(small, 2, planner=planner, policy=policy, scheduler=human_dispatch(small.manual))
    hd = wh.sched
    assert isinstance(hd, HumanDispatch)
    crossings = []
    orig = hd.decide

    def checked(now):
        ok = orig(now)
        if ok:
            c, _, src, dst, _ = (int(v) for v in wh.st.out)
            crossings.append(not hd._clean(c, src, dst))
        return ok

    hd.decide = checked
    wh.run_until(2 * 3600.0)
    assert crossings and not any(crossings)
    st = wh.st
    snap = [a.copy() for a in (st.c_free, st.j_taken, st.s_booked)]

    class Never:
        def decide(self, now):
            return 0

    hd.inner = Never()
    assert hd.decide(wh.env.now) == 0
    for a, b in zip(snap, (st.c_free, st.j_taken, st.s_booked)):
        assert np.array_equal(a, b)


def test_side_by_side_manual_pane_is_the_compared_baseline(small):
    """`animate --side-by-side` builds its manual pane exactly as compare builds its manual run:
    same seed and hours, the same counters."""
    from cranesim.viz.animate import make_sources

    seed, hours = 11, 1.5
    man = make_sources(small, seed, hours, True)[1]
    man.advance_to(hours * 3600.0)
    man.wh.close()  # the horizon: what is still open counts, as in compare
    got = man.wh.kpi.summary(hours * 3600.0)
    want = run_variant(small, "manual", seed, hours)["kpi"]
    for k in (
        "coils_in",
        "coils_out",
        "lifts",
        "relocations",
        "mill_blocked_min",
        "truck_wait_mean_min",
        "trucks_departed",
    ):
        assert got[k] == want[k], k
    assert want["lifts"] > 10


def test_progress_counts_expected_cost(small):
    """One bar over every run, weighted by each variant's expected cost, with the counts."""
    from cranesim.model.crew import VARIANTS
    from cranesim.studies.compare import VARIANT_COST

    seen = []
    run_comparison(
        small,
        CompareSettings(replications=2, hours=0.5, seed=3, samples=16, behaviour_runs=2),
        progress=lambda *a: seen.append(a),
    )
    total = 2 * sum(VARIANT_COST[v] for v in VARIANTS) + 2 * VARIANT_COST["manual"]
    assert seen[0] == ("simulations", 0.0, total, "replications 0/2, driver runs 0/2")
    assert all(s[2] == total for s in seen) and len(seen) == 1 + 2 * len(VARIANTS) + 2
    assert seen[-1][1] == pytest.approx(total)
    assert seen[-1][3] == "replications 2/2, driver runs 2/2"
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)
    assert VARIANT_COST["manual"] > VARIANT_COST["auto_traj"] > VARIANT_COST["automated"]
