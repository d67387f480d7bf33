"""``--demand`` and ``--export-demand`` on the command line (issue 18).

* the round trip as a user runs it: ``cranesim run --export-demand DIR`` then ``cranesim run
  --demand DIR``, same scenario and seed: the same trace, byte for byte;
* bad files: exit status 2, one line naming file, row and column, nothing run or written;
  ``cranesim validate --demand`` lists every problem;
* every command that runs the model takes ``--demand``.
"""

from __future__ import annotations

import pytest

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
