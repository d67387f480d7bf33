"""``cranesim bench``: the report's keys, the latency ratio, and the static problem.

The static evaluator's schedules are checked here independently of ``cranesim.studies.bench``: the
durations are recomputed from the instance's coordinates with :func:`cranesim.physics.kinematics.move_time`,
the runway hulls from each crane's own sequence, and non-crossing with the safety distance is
checked on every pair of lifts that overlap in time.
"""

from __future__ import annotations

import importlib.util
import json
import math

import pytest

import cranesim.cli.app as cli
import cranesim.studies.bench as bench
from cranesim.physics.kinematics import move_time

HAS_ORTOOLS = importlib.util.find_spec("ortools") is not None
needs_ortools = pytest.mark.skipif(not HAS_ORTOOLS, reason="OR-Tools is not installed")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "out" / "bench.json"
    rc = cli.main(
        ["bench", "--quick", "--instances", "2", "--tuning", "1", "--time-limit", "3",
         "--policy", "joint", "--policy", "plant_rules", "--policy", "fcfs_nearest",
         "--versus-hours", "2", "--rates", "45", "--json", str(path)]
    )  # fmt: skip
    assert rc == 0
    return json.loads(path.read_text())


def test_report_has_the_keys(report):
    for key in ("speedup", "optimality_gap_pct_mean", "tuning_gap_pct_mean", "latency",
                "quality", "optimality", "versus", "core", "default_policy"):  # fmt: skip
        assert key in report
    assert report["default_policy"] == "joint"
    lat = report["latency"]
    for key in ("compiled_us", "python_us", "speedup", "same_decision", "instance"):
        assert key in lat
    assert lat["instance"] == {**lat["instance"], "cranes": 4, "jobs": 200, "places": 5000}
    q = report["quality"]
    assert list(q["policies"]) == ["joint", "plant_rules", "fcfs_nearest"]
    assert set(bench.POLICIES) >= {"joint", "greedy", "rollout", "plant_rules", "plant_zoned"}
    for pol in q["policies"].values():
        for key, _label, _spec in bench.QUALITY_KPIS:
            assert key in pol["mean"]
        assert pol["mean"]["energy_kwh_per_coil"] > 0
    o = report["optimality"]
    if HAS_ORTOOLS:
        assert o["default_policy"] == "joint" and set(o["policies"]) == {
            "joint",
            "greedy",
            "rollout",
        }
        assert o["held_out"]["seeds"] == [1001, 1002] and o["tuning"]["seeds"] == [1, 1]
        assert len(o["held_out"]["instances"]) == 2 and len(o["tuning"]["instances"]) == 1
        held = o["held_out"]["summary"]["joint"]
        assert (
            report["optimality_gap_pct_mean"]
            == o["optimality_gap_pct_mean"]
            == held["gap_pct_mean"]
        )
        assert report["tuning_gap_pct_mean"] == o["tuning"]["summary"]["joint"]["gap_pct_mean"]
        for key in ("gap_pct_mean", "gap_pct_median", "gap_pct_max", "proved_optimal"):
            assert key in held
    else:
        assert "skipped" in o and report["optimality_gap_pct_mean"] is None
    v = report["versus"]
    assert v["policy"] == "joint" and v["rates_t_h"] == [45.0]
    assert [c["baseline"] for c in v["cases"]] == ["plant_rules", "plant_zoned"]
    for case in v["cases"]:
        for key, _label, _spec in bench.VERSUS_KPIS:
            k = case["kpis"][key]
            assert k["diff_mean"] == pytest.approx(k["policy_mean"] - k["baseline_mean"])


def test_compiled_core_is_faster_and_agrees(report):
    lat = report["latency"]
    if lat["compiled_us"] is None:
        pytest.skip("compiled core not built")
    assert lat["same_decision"] is True
    assert report["speedup"] > 1.0
    assert math.isclose(report["speedup"], lat["python_us"] / lat["compiled_us"])


def test_bad_arguments_exit_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as ei:
        cli.main(["bench", "--seeds", "0"])
    assert ei.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cranesim: error:") and "--seeds" in err[0]


def test_json_path_that_is_a_directory_is_a_user_error(tmp_path, capsys):
    rc = cli.main(["bench", "--quick", "--skip", "latency", "--skip", "quality", "--skip",
                   "optimality", "--skip", "versus", "--json", str(tmp_path)])  # fmt: skip
    assert rc == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_optimality_section_is_skipped_without_ortools(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ortools", None)  # import now raises ImportError
    res = bench.bench_optimality(1, 1.0)
    assert "skipped" in res and "OR-Tools" in res["skipped"]


# ------------------------------------------------------------------ static problem, checked apart
def _durations_and_hulls(inst, lifts):
    """Recompute every lift's duration (ds) and runway hull from the instance alone."""
    st = inst.st
    x = st.loc_x.tolist()
    y = st.loc_y.tolist()

    def tt(c, xa, ya, xb, yb):
        t = max(
            move_time(xb - xa, st.c_vx[c], st.c_ax[c]), move_time(yb - ya, st.c_vy[c], st.c_ay[c])
        )
        return math.ceil(t * 10 - 1e-9)

    pos = [tuple(p) for p in inst.crane_start]
    out = []
    for lf in sorted(lifts, key=lambda lf: (lf.start, lf.crane)):
        x0, y0 = pos[lf.crane]
        dur = (tt(lf.crane, x0, y0, x[lf.src], y[lf.src]) + inst.hoist_pick[lf.src]
               + tt(lf.crane, x[lf.src], y[lf.src], x[lf.dst], y[lf.dst]) + inst.hoist_place[lf.dst])  # fmt: skip
        hull = (min(x0, x[lf.src], x[lf.dst]), max(x0, x[lf.src], x[lf.dst]))
        out.append((lf, dur, hull))
        pos[lf.crane] = (x[lf.dst], y[lf.dst])
    return out


@pytest.mark.parametrize("seed", range(1, 9))
def test_greedy_static_schedule_respects_the_runway(seed):
    inst = bench.make_static_instance(seed)
    makespan, lifts = bench.evaluate_greedy(inst)
    assert lifts
    rows = _durations_and_hulls(inst, lifts)
    d = inst.safety
    for lf, dur, (lo, hi) in rows:
        assert lf.end - lf.start == dur
        assert inst.reach(lf.crane, lf.src) and inst.reach(lf.crane, lf.dst)
    for i, (a, _, ha) in enumerate(rows):
        for b, _, hb in rows[i + 1 :]:
            if not (a.start < b.end and b.start < a.end):
                continue
            assert a.crane != b.crane, f"crane {a.crane} runs two lifts at once"
            (w, hw), (e, he) = sorted([(a, ha), (b, hb)], key=lambda p: p[0].crane)
            assert hw[1] + d <= he[0], f"lifts {w} and {e} closer than {d} m"
    assert bench.check_runway(lifts, d) == []
    if makespan >= 0:  # every job done, every blocker moved before the coil under it
        assert makespan == max(lf.end for lf in lifts)
        assert {lf.job for lf in lifts if lf.kind != 2} == {
            j for j in range(inst.st.job_capacity) if inst.st.j_active[j]
        }
        done = {lf.src: lf.end for lf in lifts}
        for s, blockers in inst.blockers.items():
            t_ret = next(lf.start for lf in lifts if lf.src == s)
            assert all(done[b] <= t_ret for b in blockers)


def test_static_instance_is_deterministic():
    a, b = bench.make_static_instance(3), bench.make_static_instance(3)
    assert a.st.s_coil.tolist() == b.st.s_coil.tolist()
    assert bench.evaluate_greedy(a)[0] == bench.evaluate_greedy(b)[0]


@needs_ortools
def test_exact_optimum_is_at_most_greedy_on_a_tiny_instance():
    inst = bench.make_static_instance(2)  # 2 jobs, 3 lifts (one relocation)
    assert inst.n_lifts == 3 and inst.n_lifts > inst.n_jobs
    g_mk, lifts = bench.evaluate_greedy(inst)
    assert g_mk > 0
    ex = bench.solve_exact(inst, 5.0, workers=2)
    assert ex["optimal"]
    assert ex["makespan"] <= g_mk
    # the greedy schedule itself is a solution of the exact model, with the same makespan
    fixed = bench.solve_exact(inst, 5.0, hint=lifts, workers=2, fix=True)
    assert fixed["makespan"] == g_mk


@needs_ortools
def test_lookahead_reaches_the_optimum_where_greedy_sent_crane_1_west():
    # Instance 3: without the look-ahead crane 1, free a moment before crane 0, takes a retrieve
    # to the far-west bay and every later lift waits behind the one before (27.7 % over the
    # optimum).  With it, the greedy schedule is optimal: CP-SAT proves no makespan is shorter.
    # The wait budget is held at 80 s, the value this case was found with: the default's 40 s
    # alone already keeps crane 1 from that lift here, and this test is about the look-ahead.
    from cranesim.codes import P_MAX_INTERF

    inst = bench.make_static_instance(3)
    inst.st.params[P_MAX_INTERF] = 80.0
    assert inst.st.params[12] > 0.0  # the default configuration's look-ahead
    g_mk, _ = bench.evaluate_greedy(inst)
    ex = bench.solve_exact(inst, 30.0, workers=2)
    if not ex["optimal"]:
        pytest.skip(f"CP-SAT did not prove its optimum in 30 s ({ex['status']})")
    assert g_mk == ex["makespan"]
    inst.st.params[12] = 0.0
    assert bench.evaluate_greedy(inst)[0] > ex["makespan"]


@needs_ortools
@pytest.mark.parametrize("seed", [1, 3, 4])
def test_greedy_schedule_is_feasible_in_the_exact_model(seed):
    inst = bench.make_static_instance(seed)
    g_mk, lifts = bench.evaluate_greedy(inst)
    assert g_mk > 0
    fixed = bench.solve_exact(inst, 5.0, hint=lifts, workers=2, fix=True)
    assert fixed["status"] in ("OPTIMAL", "FEASIBLE") and fixed["makespan"] == g_mk


def test_versus_sets_scheduler_keys_for_the_policy_only():
    from cranesim.scenario.load import load_config
    from cranesim.studies.bench_quality import bench_versus, quality_run

    update = {"max_interference_s": 5.0, "w_zone_s_per_m": 0.0}
    args = dict(seeds=[3], hours=6.0, rates=[70.0], baselines=("plant_rules",))
    plain = bench_versus(**args)["cases"][0]
    (case,) = bench_versus(**args, scheduler_update=update)["cases"]
    assert case["baseline_runs"] == plain["baseline_runs"]  # the baseline runs the scenario
    sc = load_config()
    sc = sc.model_copy(update={"mill": sc.mill.model_copy(update={"rate_t_h": 70.0})})
    mine = sc.model_copy(update={"scheduler": sc.scheduler.model_copy(update=update)})
    assert case["policy_runs"] == [quality_run(mine, sc.scheduler.policy, 3, 6.0)]
    assert case["policy_runs"] != plain["policy_runs"]  # the keys reached the policy's runs
