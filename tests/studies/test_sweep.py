"""``cranesim sweep``: factors, designs, runs against direct runs, the tables and the command.

References: each run of a sweep against :func:`cranesim.model.run` of the derived scenario with
the same seed; the point statistics against scipy's t quantile; the Latin hypercube's
stratification; the files against the returned tables.
"""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest
from scipy import stats

from cranesim.errors import ConfigError, UserError
from cranesim.model.runner import run
from cranesim.studies.sweep import (
    design,
    flat_kpis,
    kpi_names,
    parse_factor,
    run_cost,
    sweep,
)


def test_factors():
    f = parse_factor("mill.rate_t_h=35:70:8")
    assert f.values == (35, 40, 45, 50, 55, 60, 65, 70)
    assert parse_factor("mill.rate_t_h=35.0:70:3").values == (35.0, 52.5, 70.0)
    assert parse_factor("x.y=1:2:3").values == (1.0, 1.5, 2.0)  # not all integral: floats
    assert parse_factor("scheduler.policy=greedy,fcfs_nearest").values == ("greedy", "fcfs_nearest")
    assert parse_factor('scheduler.policy="greedy"').values == ("greedy",)
    r = parse_factor("station.places=4:12")
    assert r.is_range and r.integer and (r.low, r.high) == (4, 12)
    for bad in ("mill.rate_t_h", "mill.rate_t_h=", "=1,2", "a.b=5:1:3", "a.b=1:2:1", "a.b=x:2"):
        with pytest.raises(UserError):
            parse_factor(bad)


def test_grid_is_every_combination():
    pts = design([parse_factor("a.x=1,2,3"), parse_factor("b.y=10,20")])
    assert len(pts) == 6 and pts[0] == {"a.x": 1, "b.y": 10} and pts[-1] == {"a.x": 3, "b.y": 20}
    with pytest.raises(UserError, match="range"):
        design([parse_factor("a.x=1:2")])


@pytest.mark.parametrize("kind", ["lhs", "sobol"])
def test_sampled_designs(kind):
    fs = [parse_factor("a.x=35.0:70.0"), parse_factor("b.n=4:12")]
    pts = design(fs, kind, points=16, seed=3)
    assert len(pts) == 16
    xs = np.array([p["a.x"] for p in pts])
    ns = [p["b.n"] for p in pts]
    assert (
        xs.min() >= 35 and xs.max() <= 70 and all(isinstance(n, int) and 4 <= n <= 12 for n in ns)
    )
    if kind == "lhs":  # one point in each of the 16 strata of every range
        assert sorted(np.floor((xs - 35) / 35 * 16).astype(int)) == list(range(16))
    assert design(fs, kind, points=16, seed=3) == pts  # seeded
    with pytest.raises(UserError):
        design([parse_factor("a.x=1,2")], kind, points=4)
    with pytest.raises(UserError, match="--points"):
        design(fs, kind)


def test_flat_kpis():
    s = {"lifts": 3, "crane_utilization": [0.5, 0.25], "inventory_hourly": [1, 2],
         "util": {"C1": 0.5}, "scenario": "x", "wall_s": 1.0}  # fmt: skip
    assert flat_kpis(s) == {"lifts": 3, "crane_utilization[0]": 0.5, "crane_utilization[1]": 0.25,
                            "util.C1": 0.5}  # fmt: skip
    assert "truck_turnaround_mean_min" in kpi_names(2)


@pytest.fixture(scope="module")
def result(small):
    return sweep(small, [parse_factor("mill.rate_t_h=30,50")], replications=3, hours=3.0,
                 seed=11, crew="plain")  # fmt: skip


def test_each_run_is_the_run_of_its_derived_scenario(small, result):
    assert len(result["runs"]) == 6 and result["seeds"] == [11, 12, 13]
    for r in result["runs"][::2]:
        sc = small.derive({"mill.rate_t_h": r["mill.rate_t_h"]})
        direct = flat_kpis(run(sc, hours=3.0, seed=r["seed"], crew="plain").summary)
        for k, v in direct.items():
            if k != "events":
                assert r[k] == v, k
    # common random numbers: the same seeds at every point
    assert [r["seed"] for r in result["runs"]] == [11, 12, 13, 11, 12, 13]


def test_point_statistics(result):
    for p in result["points"]:
        xs = [r["coils_in"] for r in result["runs"] if r["point"] == p["point"]]
        m = np.mean(xs)
        h = stats.t.ppf(0.975, len(xs) - 1) * np.std(xs, ddof=1) / math.sqrt(len(xs))
        assert p["coils_in_mean"] == pytest.approx(m) and p["coils_in_ci95"] == pytest.approx(h)
        assert p["n"] == 3
    a = [r["coils_in"] for r in result["runs"] if r["point"] == 0]
    b = [r["coils_in"] for r in result["runs"] if r["point"] == 1]
    assert result["points"][1]["coils_in_diff"] == pytest.approx(np.mean(np.subtract(b, a)))
    assert result["points"][1]["coils_in_mean"] > result["points"][0]["coils_in_mean"]


def test_a_bad_point_stops_the_sweep_before_any_run(small, monkeypatch):
    import cranesim.studies.sweep as sw

    monkeypatch.setattr(sw, "sweep_run", lambda *a: pytest.fail("ran"))
    with pytest.raises(ConfigError, match="rate_t_h"):
        sweep(small, [parse_factor("mill.rate_t_h=30,-5")], hours=1.0)


def test_workers_give_the_serial_result(small, result):
    par = sweep(small, [parse_factor("mill.rate_t_h=30,50")], replications=3, hours=3.0, seed=11,
                crew="plain", workers=2)  # fmt: skip
    assert par["runs"] == result["runs"] and par["points"] == result["points"]


def test_progress_is_weighted_by_cost(small):
    seen = []
    sweep(small, [parse_factor("mill.rate_t_h=20,60")], hours=0.5, crew="plain",
          progress=lambda kind, done, total, status: seen.append((done, total)))  # fmt: skip
    total = seen[0][1]
    assert seen[0][0] == 0 and seen[-1][0] == pytest.approx(total)
    lo = run_cost(small.derive({"mill.rate_t_h": 20.0}), 0.5)
    hi = run_cost(small.derive({"mill.rate_t_h": 60.0}), 0.5)
    assert total == pytest.approx(lo + hi) and hi > 2 * lo


def test_the_command_writes_tables_and_charts(run_cli, tmp_path):
    proc = run_cli("sweep", "small", "--vary", "mill.rate_t_h=30,50", "--vary",
                   "trucks.dock_min=3,6", "-R", "2", "--hours", "1", "--no-energy", "--kpi",
                   "coils_in", "truck_wait_mean_min", "--out", "sw", "--format", "csv")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "mill.rate_t_h" in proc.stdout and "paired by seed" in proc.stdout
    runs = list(csv.DictReader(open(tmp_path / "sw" / "runs.csv")))
    points = list(csv.DictReader(open(tmp_path / "sw" / "points.csv")))
    assert len(runs) == 8 and len(points) == 4
    assert {"mill.rate_t_h", "trucks.dock_min", "seed", "lifts"} <= set(runs[0])
    assert {"coils_in_mean", "coils_in_ci95", "coils_in_diff"} <= set(points[0])
    pngs = sorted(p.name for p in (tmp_path / "sw").glob("*.png"))
    assert pngs == sorted(f"{k}__{v}.png" for k in ("coils_in", "truck_wait_mean_min")
                          for v in ("mill.rate_t_h", "trucks.dock_min"))  # fmt: skip
    meta = json.loads((tmp_path / "sw" / "sweep.json").read_text())
    assert meta["factors"] == ["mill.rate_t_h", "trucks.dock_min"] and meta["replications"] == 2


@pytest.mark.parametrize(
    "args, needle",
    [
        ([], "--vary"),
        (["--vary", "mill.rate_t_h=30,50", "--kpi", "nope"], "--kpi nope"),
        (["--vary", "mill.rate_t_h=-5,50"], "rate_t_h"),
        (["--vary", "mill.rate_t_h=30:50", "--design", "lhs"], "--points"),
        (["--vary", "mill.rate_tt=30,50"], "unknown key"),
    ],
)
def test_the_command_rejects_bad_input(run_cli, args, needle):
    proc = run_cli("sweep", "small", "--hours", "1", *args)
    assert proc.returncode == 2 and needle in proc.stderr, proc.stderr
    assert len(proc.stderr.splitlines()) == 1
