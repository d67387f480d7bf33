"""The watchdog: a stuck warehouse stops with a model error and a dump of cranes and jobs.

Two stuck warehouses are built by breaking the model on purpose: a scheduler that never assigns
a lift (every crane idle, store jobs pile up on the station), and a runway that never clears
(every crane waits with its lift taken).  The expected stop time is computed by hand from the
trace: the first job's time plus the limit.
"""

from __future__ import annotations

import contextlib
import io
import re
from functools import partial

import pytest
from conftest import NeverAssign, with_watchdog

import cranesim.cli.app as cli
import cranesim.model
from cranesim.errors import ModelError
from cranesim.model import Warehouse, run
from cranesim.model.runway import BLOCKED, Runway
from cranesim.record.trace import COL


def test_default_limit_is_documented(small):
    assert small.invariants.watchdog_h == 4.0


def test_idle_scheduler_trips_the_watchdog(small):
    recs: list[tuple] = []
    wh = Warehouse(with_watchdog(small, 1.5), 1, sink=recs.append, scheduler=NeverAssign)
    with pytest.raises(ModelError) as info:
        wh.run_until(24 * 3600.0)
    first_job = min(r[COL["t_s"]] for r in recs if r[COL["kind"]] == "coil_in")
    assert wh.env.now == pytest.approx(first_job + 1.5 * 3600.0, abs=1e-9)
    msg = str(info.value)
    head = msg.splitlines()[0]
    assert "watchdog" in head and "no store or retrieval completed for 1.5 h" in head
    assert f"since t={first_job:.3f} s" in head
    # the station (3 places) is full and the mill blocked: three store jobs, plus the trucks'
    # retrieve jobs; none taken
    pending = wh.job_capacity - len(wh.jobs.free)
    assert pending > 3
    assert f"{pending} jobs pending (0 taken by a crane)" in head
    assert "cranes:" in msg
    for c, spec in enumerate(wh.specs):
        assert f"  {c} {spec.name}: idle" in msg
    assert f"jobs ({pending} active, * = taken): " in msg
    assert msg.count(":store/") == 3
    assert msg.count(":retrieve/") == min(pending, 40) - 3  # the dump lists up to 40 jobs
    assert "station: [0, " not in msg and "station: [" in msg
    assert wh.station_coil.count(-1) == 0


def test_blocked_runway_trips_the_watchdog(small, monkeypatch):
    monkeypatch.setattr(Runway, "plan", lambda self, c, lo, hi: BLOCKED)
    monkeypatch.setattr(Runway, "yields_to_waiting", lambda self, c, x: True)
    wh = Warehouse(with_watchdog(small, 2.0), 5)
    with pytest.raises(ModelError, match=r"watchdog: \d+ jobs pending \((\d+) taken") as info:
        wh.run_until(48 * 3600.0)
    msg = str(info.value)
    assert "no store or retrieval completed for 2 h" in msg
    taken = int(re.search(r"pending \((\d+) taken", msg).group(1))
    assert taken >= 1
    # each crane with a lift waits for runway space it never gets; its job is marked taken
    assert msg.count(": waiting,") == taken == sum(lift is not None for lift in wh.current)
    assert msg.split("jobs (")[1].split("): ")[1].count("*") == taken


def test_watchdog_off(small):
    wh = Warehouse(with_watchdog(small, 0.0), 1, scheduler=NeverAssign)
    wh.run_until(12 * 3600.0)  # stuck, but nobody stops it
    assert wh.kpi.summary(12 * 3600.0)["lifts"] == 0


def test_healthy_run_not_tripped_and_trace_unchanged(small):
    """A tight limit on a healthy run: no false alarm, and the records are the same as without
    a watchdog (it only reads the state)."""
    a: list[tuple] = []
    b: list[tuple] = []
    Warehouse(with_watchdog(small, 0.0), 3, sink=a.append).run_until(24 * 3600.0)
    Warehouse(with_watchdog(small, 1.0), 3, sink=b.append).run_until(24 * 3600.0)
    assert repr(a) == repr(b)  # repr: NaN fields compare equal as text


def test_cli_reports_watchdog_and_leaves_no_files(small_cfg_path, tmp_path, monkeypatch):
    # the CLI's run, with the stuck scheduler injected through run's seam
    monkeypatch.setattr(cranesim.model, "run", partial(cranesim.model.run, scheduler=NeverAssign))
    cfg = tmp_path / "stuck.toml"
    cfg.write_text(small_cfg_path.read_text() + "\n[invariants]\nwatchdog_h = 0.5\n")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = cli.main(["run", str(cfg), "--hours", "12", "--json", str(tmp_path / "o.json"),
                       "--trace", str(tmp_path / "t.csv"), "--no-progress"])  # fmt: skip
    assert rc == 1
    text = err.getvalue()
    assert text.startswith("cranesim: model error: invariant violated at t=")
    assert "watchdog" in text and "cranes:" in text and "jobs (" in text
    assert "Traceback" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stuck.toml"]


def test_run_raises_for_stuck_scenario(small):
    with pytest.raises(ModelError, match="watchdog"):
        run(with_watchdog(small, 1.0), hours=10, scheduler=NeverAssign)
