"""The command line: exit statuses, one-line errors, and what ``run`` passes to the model.

Subprocess tests check the contract a user or a script sees (status, stderr, no traceback).
In-process tests replace the run command's seam to the model (``cranesim.cli.run.simulate``)
with a stub, to check the thin CLI layer on its own: which arguments reach the model and how its
failures turn into exit statuses.
"""

from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata

import pytest
from conftest import REPO

import cranesim
import cranesim.cli.app as cli
import cranesim.cli.progress as progress
import cranesim.cli.run as run_command
from cranesim.errors import ModelError


# --------------------------------------------------------------------------- subprocess contract
@pytest.mark.parametrize(
    "args, option",
    [
        (["--hours", "-1"], "--hours"),
        (["--hours", "0"], "--hours"),
        (["--hours", "nan"], "--hours"),
        (["--hours", "ten"], "--hours"),
        (["--seed", "-3"], "--seed"),
        (["--seed", "1.5"], "--seed"),
        (["--trace", "x.txt"], "--trace"),
        (["--trace", "x"], "--trace"),
    ],
)
def test_run_rejects_bad_option(run_cli, small_cfg_path, args, option):
    proc = run_cli("run", small_cfg_path, *args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cranesim: error: ")
    assert option in lines[0]
    assert proc.stdout == ""


def test_run_rejects_json_under_a_file(run_cli, small_cfg_path, tmp_path):
    (tmp_path / "afile").write_text("")
    proc = run_cli("run", small_cfg_path, "--json", tmp_path / "afile" / "out.json")
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1
    assert "--json" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_rejects_bad_config(run_cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario]\nname = 3\n")
    proc = run_cli("run", bad, "--hours", "1")
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()  # every problem, one line each
    assert all(line.startswith(f"cranesim: error: {bad}: ") for line in lines), lines
    assert f"cranesim: error: {bad}: scenario.name = 3: expected a valid string" in lines
    assert f"cranesim: error: {bad}: missing key bay: add it" in lines
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [[], ["bogus"], ["run", "--frobnicate"], ["validate"]])
def test_usage_errors_exit_2(run_cli, args):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1
    assert proc.stderr.startswith("cranesim: error: ")


def test_help_exits_0(run_cli):
    proc = run_cli("--help")
    assert proc.returncode == 0
    for name in ("run", "validate", "info"):
        assert name in proc.stdout


def test_version_names_the_core(run_cli):
    from cranesim.sched import CORE

    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"cranesim {cranesim.__version__}"
    assert lines[1].startswith(f"scheduler: {CORE}")


def test_version_is_the_installed_distribution_version():
    assert metadata.version("cranesim") == cranesim.__version__


def test_info(run_cli, default_cfg_path):
    import numpy
    import simpy

    proc = run_cli("info")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert cranesim.__version__ in out
    assert numpy.__version__ in out and simpy.__version__ in out
    assert str(default_cfg_path) in out
    assert "missing" not in out and "not found" not in out


def test_run_small_end_to_end(run_cli, small_cfg_path, tmp_path):
    out = tmp_path / "out" / "summary.json"
    trace = tmp_path / "trace.csv"
    proc = run_cli(
        "run", small_cfg_path, "--hours", "1", "--seed", "3", "--json", out, "--trace", trace
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    summary = json.loads(out.read_text())
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
        assert key in summary
    assert summary["sim_hours"] == 1.0
    assert summary["seed"] == 3
    assert list(summary["crane_utilization"]) == ["C1", "C2"]
    # Coil balance: what is in the store at the end came in or was there at the start.
    # (Coils can also sit on the station or a crane hook, so this is an inequality.)
    assert summary["inventory_end"] <= summary["inventory_start"] + summary["coils_in"]
    assert trace.is_file() and trace.stat().st_size > 0
    assert proc.stdout.strip()  # the KPI table


# --------------------------------------------------------------------------- in-process, stub model
class _Result:
    def __init__(self) -> None:
        self.summary = {"sim_hours": 2.5, "seed": 11}


class _Stub:
    """Stands in for ``cranesim.cli.run.simulate``: records each call, then ``behaviour``."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.behaviour = lambda **kw: _Result()

    def __call__(
        self, scenario, *, hours, seed, crew, trace_path, outputs, progress,
        export_demand=None, export_format="csv",
    ):  # fmt: skip
        self.calls.append(
            dict(
                scenario=scenario,
                hours=hours,
                seed=seed,
                crew=crew,
                trace_path=trace_path,
                outputs=outputs,
                progress=progress,
                export_demand=export_demand,
                export_format=export_format,
            )  # fmt: skip
        )
        return self.behaviour(progress=progress, hours=hours)


@pytest.fixture
def stub_model(monkeypatch):
    """Replace the function ``cranesim run`` calls to simulate with a stub."""
    stub = _Stub()
    monkeypatch.setattr(run_command, "simulate", stub)
    monkeypatch.setattr("cranesim.record.kpi.kpi_table", lambda summary: "KPI TABLE")
    monkeypatch.delenv("CRANESIM_DEBUG", raising=False)
    return stub


def test_run_defaults_come_from_the_scenario(stub_model, small_cfg_path, capsys):
    assert cli.main(["run", str(small_cfg_path)]) == 0
    (call,) = stub_model.calls
    assert call["hours"] == 8.0  # small.toml: [scenario] hours = 8.0
    assert call["seed"] == 7  # small.toml: [scenario] seed = 7
    assert call["trace_path"] is None
    assert call["progress"] is None  # stderr is not a terminal here
    assert call["scenario"].scenario.name == "small"
    assert capsys.readouterr().out == "KPI TABLE\n"
    assert call["crew"] == "automated"  # anti-sway moves, energy accounting


def test_run_no_energy_uses_the_plain_crew(stub_model, small_cfg_path, capsys):
    assert cli.main(["run", str(small_cfg_path), "--no-energy"]) == 0
    (call,) = stub_model.calls
    assert call["crew"] == "plain"


def test_run_without_config_uses_packaged_default(stub_model, capsys):
    from cranesim.scenario.load import load_config

    assert cli.main(["run", "--hours", "2", "--seed", "0", "--no-progress"]) == 0
    (call,) = stub_model.calls
    assert call["scenario"] == load_config(None)
    assert (call["hours"], call["seed"]) == (2.0, 0)


def test_run_writes_json_atomically(stub_model, small_cfg_path, tmp_path, capsys):
    out = tmp_path / "new" / "dir" / "s.json"
    trace = tmp_path / "t.parquet"
    args = ["run", str(small_cfg_path), "--json", str(out), "--trace", str(trace)]
    assert cli.main(args) == 0
    assert json.loads(out.read_text()) == {"sim_hours": 2.5, "seed": 11}
    assert [p.name for p in out.parent.iterdir()] == ["s.json"]  # no temp file left
    assert stub_model.calls[0]["trace_path"] == str(trace)
    assert stub_model.calls[0]["outputs"] is not None  # the group the JSON is committed with


def test_model_error_exits_1_with_its_message(stub_model, small_cfg_path, tmp_path, capsys):
    dump = "invariant violated at t=3600.000 s: C1 and C2 closer than 12.0 m\ncranes:\n  0 C1: ..."

    def fail(**kw):
        raise ModelError(dump)

    stub_model.behaviour = fail
    out = tmp_path / "s.json"
    assert cli.main(["run", str(small_cfg_path), "--json", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cranesim: model error: " + dump + "\n")  # the state dump, whole
    assert "CRANESIM_DEBUG=1" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_internal_error_exits_1_and_hints_at_debug(stub_model, small_cfg_path, capsys):
    def crash(**kw):
        raise ZeroDivisionError("boom")

    stub_model.behaviour = crash
    assert cli.main(["run", str(small_cfg_path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "cranesim: internal error: ZeroDivisionError: boom; "
        "rerun with CRANESIM_DEBUG=1 for a traceback"
    ]


def test_debug_env_prints_traceback(stub_model, small_cfg_path, capsys, monkeypatch):
    def crash(**kw):
        raise ZeroDivisionError("boom")

    stub_model.behaviour = crash
    monkeypatch.setenv("CRANESIM_DEBUG", "1")
    assert cli.main(["run", str(small_cfg_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "ZeroDivisionError: boom" in err


def test_progress_bar_follows_model_hours(stub_model, small_cfg_path, monkeypatch, capsys):
    seen = []

    def drive(progress, hours):
        assert callable(progress)
        for h in (0.5, 1.0, 1.0, 2.0, 2.5, 3.0):  # repeats and overshoot must be harmless
            progress(h)
        seen.append(hours)
        return _Result()

    stub_model.behaviour = drive
    monkeypatch.setattr(progress, "_on_terminal", lambda: True)
    assert cli.main(["run", str(small_cfg_path), "--hours", "2.5"]) == 0
    assert seen == [2.5]
    err = capsys.readouterr().err
    assert "2.5/2.5 h" in err

    stub_model.calls.clear()
    stub_model.behaviour = lambda **kw: _Result()
    assert cli.main(["run", str(small_cfg_path), "--no-progress"]) == 0
    assert stub_model.calls[0]["progress"] is None


# --------------------------------------------------------------------------- README and CI agree
def _ci_test_command() -> str:
    text = (REPO / ".ci" / "run").read_text()
    m = re.search(r"^TEST_COMMAND='([^']+)'$", text, re.M)
    assert m, ".ci/run must define TEST_COMMAND='...'"
    return m.group(1)


@pytest.mark.skipif(not (REPO / ".ci" / "run").is_file(), reason="no checkout (installed tests)")
def test_readme_shows_the_command_ci_runs():
    readme = (REPO / "README.md").read_text()
    assert _ci_test_command() in readme.splitlines()


@pytest.mark.skipif(not (REPO / ".ci" / "run").is_file(), reason="no checkout (installed tests)")
def test_ci_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(REPO / ".ci" / "run")], check=True)
