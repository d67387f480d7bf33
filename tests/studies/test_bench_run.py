"""``benchmarks/bench_run.py --split``: the scheduler's share and the floor of the ratio.

The figures are wall times, so only their arithmetic and the counts are checked: the timed run
must be the same simulation as the untimed one (events, lifts), every lift comes from one
assigning decision, and the floors are recomputed here from the reported times.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from conftest import REPO

from cranesim.scenario.load import load_config


@pytest.fixture(scope="module")
def bench_run():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "bench_run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("cli", [False, True])
def test_split_is_the_same_run_and_its_floors_add_up(bench_run, tmp_path, monkeypatch, cli):
    out = tmp_path / "b.json"
    argv = ["bench_run.py", "--hours", "24", "--split", "--json", str(out)] + (
        ["--cli"] if cli else []
    )
    monkeypatch.setattr(sys, "argv", argv)
    bench_run.main()
    (row,) = json.loads(out.read_text())
    assert row["lifts"] > 50 and row["events"] > 6 * 50
    # every finished lift was assigned by one decision, and at most one lift per crane is still
    # under way when the run ends (lifts count when they finish); a dispatch ends on a call that
    # finds none unless the cranes or jobs ran out
    n_cranes = len(load_config(None).crane_specs())
    assert row["lifts"] <= row["decide_assigns"] <= row["lifts"] + n_cranes
    assert row["lifts"] < row["decide_calls"] < 4 * row["lifts"]
    bare, d = row["bare_simpy_wall_s"], row["decide_s"]
    assert row["floor_ratio"] == pytest.approx(
        (bare + d) / bare, abs=0.02 + 0.01 * (bare + d) / bare
    )
    assert 1.0 < row["floor_assign_only"] <= row["floor_ratio"] <= row["ratio_to_bare_simpy"] * 1.5
    n_none = row["decide_calls"] - row["decide_assigns"]
    total_us = row["decide_assign_us"] * row["decide_assigns"] + row["decide_none_us"] * n_none
    assert total_us == pytest.approx(1e6 * d, rel=0.01, abs=2e3)
    assert row["moves"].startswith("shaped" if cli else "plain")
