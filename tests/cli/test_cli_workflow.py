"""The everyday workflow on the command line: ``--set``, packaged examples by name,
``cranesim examples``, ``--json -``."""

from __future__ import annotations

import json

import pytest

from cranesim.cli.app import COMMANDS, build_parser

#: the commands that read one scenario (CONFIG) and so take --set
SCENARIO_COMMANDS = ("run", "compare", "sweep", "animate")


@pytest.mark.parametrize("name", [*SCENARIO_COMMANDS, "validate"])
def test_every_command_that_reads_a_scenario_takes_set(name):
    extra = ["x.toml"] if name == "validate" else []
    ns = build_parser().parse_args([name, *extra, "--set", "a.b=1", "--set", "c.d=2"])
    assert ns.set == ["a.b=1", "c.d=2"]


def test_commands_that_read_a_scenario_are_the_ones_with_config():
    with_config = set()
    for cmd in COMMANDS:
        flags = {f for a in cmd.arguments for f in a.flags}
        if "config" in flags or "configs" in flags:
            with_config.add(cmd.name)
            assert "--set" in flags, cmd.name
    assert with_config >= {*SCENARIO_COMMANDS, "validate"}


def test_run_with_set_is_the_run_of_the_edited_file(run_cli, small_cfg_path, tmp_path):
    edited = tmp_path / "edited.toml"
    edited.write_text(small_cfg_path.read_text().replace("rate_t_h = 40.0", "rate_t_h = 55.0"))
    a = run_cli("run", edited, "--hours", "3", "--json", "a.json")
    b = run_cli("run", "small", "--hours", "3", "--set", "mill.rate_t_h=55", "--json", "b.json")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    ja, jb = (json.loads((tmp_path / f).read_text()) for f in ("a.json", "b.json"))
    for j in (ja, jb):
        j.pop("wall_s"), j.pop("sim_hours_per_wall_s")
    assert ja == jb and ja["coils_in"] > 0


def test_bad_set_is_one_line_naming_the_option(run_cli):
    proc = run_cli("run", "small", "--set", "mill.rate_t_h=-5")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "cranesim: error: --set mill.rate_t_h=-5: expected greater than 0"
    ]
    proc = run_cli("validate", "small", "--set", "trucks.bays[0].x_m=500")
    assert proc.returncode == 2 and "trucks.bays[0].x_m = 500" in proc.stderr


def test_json_dash_writes_clean_json_to_stdout(run_cli):
    proc = run_cli("run", "small", "--hours", "2", "--json", "-")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # stdout is the JSON alone
    assert data["scenario"] == "small" and data["sim_hours"] == 2
    assert "coils in / out" in proc.stderr  # the table went to stderr


def test_json_dash_makes_no_file(run_cli, tmp_path):
    proc = run_cli("run", "small", "--hours", "1", "--json", "-")
    assert proc.returncode == 0 and not (tmp_path / "-").exists()


def test_examples_lists_and_copies(run_cli, tmp_path):
    proc = run_cli("examples")
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines()]
    assert names[:2] == ["masteel_wire_rod", "small"] and "meters_example.csv" in names
    proc = run_cli("examples", "small", "meters_example.csv", "--to", "mine")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "mine" / "small.toml").read_text().startswith("#")
    assert (tmp_path / "mine" / "meters_example.csv").is_file()
    again = run_cli("examples", "small", "--to", "mine")
    assert again.returncode == 2 and "--force" in again.stderr
    bad = run_cli("examples", "nope")
    assert bad.returncode == 2 and "small" in bad.stderr and not (tmp_path / "nope").exists()


def test_a_packaged_example_runs_by_name_anywhere(run_cli, tmp_path):
    assert not (tmp_path / "small.toml").exists()
    proc = run_cli("run", "small", "--hours", "1")
    assert proc.returncode == 0, proc.stderr
    assert "small" in proc.stdout
    proc = run_cli("run", "no_such_example")
    assert proc.returncode == 2 and "packaged examples: masteel_wire_rod, small" in proc.stderr
    assert "configs/small.toml" not in proc.stderr


def test_info_names_the_core_and_the_examples(run_cli):
    proc = run_cli("info")
    assert proc.returncode == 0
    assert "core" in proc.stdout and "small" in proc.stdout
