"""Scenario validation as a user meets it: ``cranesim validate`` on broken files.

Each broken file is a copy of configs/small.toml with one edit (a string replacement on its
text), so the tests follow the real schema.  The contract for every one: exit status 2, exactly
one line on stderr that names the file and the offending key, and no traceback.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from cranesim.errors import ConfigError
from cranesim.scenario.load import load_config
from cranesim.scenario.schema import Scenario


def _edited(src: Path, dst: Path, old: str, new: str) -> Path:
    text = src.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} is not in {src.name}: update this test"
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


def _assert_user_error(proc, path: Path, *needles: str) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("cranesim: error: "), line
    assert str(path) in line, line
    for needle in needles:
        assert needle in line, line
    assert proc.stdout == ""
    return line


# (test id, text to replace, replacement, strings the message must contain)
BROKEN = [
    (
        "misspelled-key",
        "bridge_speed_m_min = 90.0",
        "bridge_sped_m_min = 90.0",
        ["crane.bridge_sped_m_min", "did you mean bridge_speed_m_min"],
    ),
    (
        "negative-speed",
        "bridge_speed_m_min = 90.0",
        "bridge_speed_m_min = -90.0",
        ["crane.bridge_speed_m_min", "-90"],
    ),
    (
        "string-for-number",
        "bridge_speed_m_min = 90.0",
        'bridge_speed_m_min = "90"',
        ["crane.bridge_speed_m_min", "'90'"],
    ),
    (
        "unknown-section",
        "[scheduler]",
        "[schedular]",
        ["schedular", "unknown key"],
    ),
    (
        "cranes-override-typo",
        'name = "C2"',
        'name = "C2"\nbridge_speed_m_mn = 100.0',
        ["cranes[1].bridge_speed_m_mn", "unknown key"],
    ),
    (
        "shares-not-summing-to-1",
        "share = 0.4",
        "share = 0.3",
        ["mill", "sum to 1", "0.9"],
    ),
    (
        "broken-toml",
        "[bay]",
        "[bay",
        ["invalid TOML", "line"],
    ),
]


@pytest.mark.parametrize("old, new, needles", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_validate_rejects_broken_file(run_cli, small_cfg_path, tmp_path, old, new, needles):
    bad = _edited(small_cfg_path, tmp_path / "bad.toml", old, new)
    proc = run_cli("validate", bad)
    _assert_user_error(proc, bad, *needles)


def test_validate_missing_file(run_cli, tmp_path):
    missing = tmp_path / "nope.toml"
    _assert_user_error(run_cli("validate", missing), missing, "no such file")


def test_validate_empty_file(run_cli, tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    _assert_user_error(run_cli("validate", empty), empty, "empty")


def test_validate_ok_line(run_cli, small_cfg_path):
    proc = run_cli("validate", small_cfg_path)
    assert proc.returncode == 0, proc.stderr
    # small.toml: 2 blocks x 4 rows x (7 lower + 6 upper places) = 104 storage places.
    assert proc.stdout == f"OK {small_cfg_path}: small, 2 cranes, 104 storage places\n"
    assert proc.stderr == ""


def test_validate_many_reports_each_and_fails_if_any_fails(run_cli, small_cfg_path, tmp_path):
    bad = _edited(small_cfg_path, tmp_path / "bad.toml", "share = 0.4", "share = 0.3")
    proc = run_cli("validate", small_cfg_path, bad, small_cfg_path)
    assert proc.returncode == 2
    assert proc.stdout.count("OK ") == 2
    assert len(proc.stderr.splitlines()) == 1
    assert str(bad) in proc.stderr


def test_error_message_is_one_line_in_process(small_cfg_path, tmp_path):
    bad = _edited(small_cfg_path, tmp_path / "bad.toml", "[bay]", "[bay")
    with pytest.raises(ConfigError) as err:
        load_config(bad)
    assert "\n" not in str(err.value)


def test_default_scenario_loads(default_cfg_path):
    assert default_cfg_path.name == "masteel_wire_rod.toml"
    assert default_cfg_path.is_file()
    sc = load_config(None)
    assert isinstance(sc, Scenario)
    assert sc == load_config(default_cfg_path)


def test_packaged_scenarios_are_installed():
    """The wheel carries the scenario files as package data (not only the checkout)."""
    root = resources.files("cranesim.configs")
    names = {p.name for p in root.iterdir()}
    assert {"masteel_wire_rod.toml", "small.toml"} <= names
    for name in sorted(n for n in names if n.endswith(".toml")):
        load_config(Path(str(root / name)))
