"""``--demand`` and ``--export-demand`` on the command line (issue 18).

* the round trip as a user runs it: ``cranesim run --export-demand DIR`` then ``cranesim run
  --demand DIR``, same scenario and seed: the same trace, byte for byte;
* bad files: exit status 2, one line naming file, row and column, nothing run or written;
  ``cranesim validate --demand`` lists every problem;
* every command that runs the model takes ``--demand``.
"""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import REPO

import cranesim.cli.app as cli


@pytest.fixture
def exported(run_cli, small_cfg_path, tmp_path):
    """The demand of 6 h of small.toml (seed 3), and the trace of that run."""
    proc = run_cli("run", small_cfg_path, "--hours", "6", "--seed", "3", "--no-energy",
                   "--trace", "a.csv", "--export-demand", "d")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "wrote the run's demand to d" in proc.stderr
    return tmp_path / "d", tmp_path / "a.csv"


def test_cranesim_run_round_trip(run_cli, small_cfg_path, exported, tmp_path):
    d, a = exported
    assert sorted(p.name for p in d.iterdir()) == [
        "coils.csv",
        "stock.csv",
        "stops.csv",
        "trucks.csv",
    ]
    proc = run_cli("run", small_cfg_path, "--hours", "6", "--seed", "3", "--no-energy",
                   "--trace", "b.csv", "--demand", d)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "cranesim: demand recorded in" in proc.stderr
    assert (tmp_path / "b.csv").read_bytes() == a.read_bytes()
    # the export of a recorded run is the recorded demand again (the plant's ids kept)
    proc = run_cli("run", small_cfg_path, "--hours", "6", "--seed", "3", "--no-energy",
                   "--demand", d, "--export-demand", "d2")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for name in ("stock.csv", "coils.csv", "trucks.csv", "stops.csv"):
        assert (tmp_path / "d2" / name).read_text() == (d / name).read_text(), name


def test_bad_demand_exits_2_and_runs_nothing(run_cli, small_cfg_path, exported, tmp_path):
    d, _ = exported
    lines = (d / "coils.csv").read_text().splitlines()
    row = lines[3].split(",")
    row[1] = "NO-SUCH-GRADE"
    lines[3] = ",".join(row)
    (d / "coils.csv").write_text("\n".join(lines) + "\n")
    stock = (d / "stock.csv").read_text().splitlines()
    stock[1] = stock[1].rsplit(",", 4)[0] + ",1,99,1,1"  # block 1 has 4 rows
    (d / "stock.csv").write_text("\n".join(stock) + "\n")
    proc = run_cli("run", small_cfg_path, "--demand", d, "--trace", "t.csv", "--json", "k.json")
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert line.startswith(
        "cranesim: error: stock.csv: row 1, column block/row/tier/place = '1-99-1-1'"
    )
    assert "(+1 more; 'cranesim validate' lists them all)" in line
    assert (
        proc.stdout == ""
        and not (tmp_path / "t.csv").exists()
        and not (tmp_path / "k.json").exists()
    )
    proc = run_cli("validate", small_cfg_path, "--demand", d)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "cranesim: error: stock.csv: row 1, column block/row/tier/place = '1-99-1-1': block 1 has 4 rows",
        "cranesim: error: coils.csv: row 3, column grade = 'NO-SUCH-GRADE': unknown grade "
        "(the scenario's: Q235-6.5, SWRH82B-12.5)",
    ]


def test_validate_demand_against_the_default_and_missing_folder(run_cli, exported):
    d, _ = exported
    proc = run_cli("validate", "--demand", d)  # the packaged default: other grades
    assert proc.returncode == 2 and "unknown grade" in proc.stderr
    proc = run_cli("run", "--demand", "nowhere")
    assert proc.returncode == 2
    assert proc.stderr == "cranesim: error: --demand nowhere: no such folder\n"


def test_export_refuses_the_folder_it_reads(run_cli, small_cfg_path, exported):
    d, _ = exported
    proc = run_cli("run", small_cfg_path, "--demand", d, "--export-demand", d)
    assert proc.returncode == 2
    assert "the run reads its demand there" in proc.stderr


@pytest.mark.parametrize("command", ["run", "compare", "animate"])
def test_every_command_that_runs_the_model_takes_demand(command):
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    assert "--demand" in sub._option_string_actions


def test_compare_runs_from_recorded_demand(run_cli, small_cfg_path, exported):
    d, _ = exported
    proc = run_cli("compare", small_cfg_path, "--demand", d, "-R", "2", "--hours", "2",
                   "--no-uncertainty", "--json", "c.json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "cranesim: demand recorded in" in proc.stderr


def _walkthrough() -> tuple[list[str], list[str]]:
    """The README walk-through's commands and the outputs it shows."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    part = text.split("<!-- walkthrough -->", 1)[1].split("### Large inputs", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", part, re.S)
    commands = [ln for lang, b in blocks if lang == "sh" for ln in b.splitlines() if ln.strip()]
    shown = [b for lang, b in blocks if lang == "text"]
    return commands, shown


@pytest.mark.skipif(not (REPO / "examples" / "plant_week").is_dir(), reason="needs a checkout")
def test_the_readme_walkthrough_runs_as_written(run_cli, tmp_path):
    """Each command of the walk-through, verbatim, from a folder where examples/ is the
    checkout's; the outputs the README shows are the commands' own."""
    (tmp_path / "examples").symlink_to(REPO / "examples")
    commands, shown = _walkthrough()
    assert len(commands) == 4 and all(c.startswith("cranesim ") for c in commands)
    out = []
    for c in commands:
        proc = run_cli(*shlex.split(c)[1:])
        assert proc.returncode == 0, (c, proc.stderr)
        out.append(proc.stdout)
    assert out[0] == shown[0]
    assert shown[1] in out[2]
    assert (tmp_path / "week.parquet").is_file() and (
        tmp_path / "moves_report" / "report.md"
    ).is_file()
    ks = re.findall(r"\bD (\d\.\d{3})", out[3])  # every two-sample statistic: equal samples
    assert "OFF" not in out[3] and len(ks) >= 4 and set(ks) == {"0.000"}


def test_validate_moves_on_a_trace_and_a_bad_log(run_cli, small_cfg_path, tmp_path):
    import json

    from cranesim.scenario.layout import build_layout
    from cranesim.scenario.load import load_config
    from cranesim.studies.moves import moves_from_trace, write_moves

    proc = run_cli("run", small_cfg_path, "--hours", "4", "--no-energy", "--trace", "t.csv")
    assert proc.returncode == 0, proc.stderr
    sc = load_config(small_cfg_path)
    write_moves(moves_from_trace(tmp_path / "t.csv"), tmp_path / "m.csv", sc, build_layout(sc))
    proc = run_cli("validate-moves", small_cfg_path, "--moves", "m.csv", "--trace", "t.csv",
                   "--json", "r.json", "--report", "rep")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    r = json.loads((tmp_path / "r.json").read_text())
    assert r["simulated"]["lifts"] == r["recorded"]["lifts"] > 20
    assert all(v is None or v["D"] == 0.0 for v in r["ks"].values())
    assert (tmp_path / "rep" / "report.md").is_file()
    lines = (tmp_path / "m.csv").read_text().splitlines()
    lines[2] = "C7" + lines[2][2:]
    (tmp_path / "m.csv").write_text("\n".join(lines) + "\n")
    proc = run_cli("validate-moves", small_cfg_path, "--moves", "m.csv", "--report", "rep2")
    assert proc.returncode == 2 and not (tmp_path / "rep2").exists()
    assert proc.stderr == (
        "cranesim: error: m.csv: row 2, column crane = 'C7': no such crane (C1, C2)\n"
    )
    # a trace that is not there is named by the option given
    proc = run_cli("validate-moves", small_cfg_path, "--moves", "m.csv", "--trace", "none.csv")
    assert proc.returncode == 2
    assert proc.stderr == "cranesim: error: --trace none.csv: no such file\n"
