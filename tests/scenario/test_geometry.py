"""A validator that catches impossible plants, with messages that point at the real problem.

Each case is configs/small.toml with one edit; the expected line names the file, the key, the
value and the fix.  Then: every problem at once (capped), regular input files only, a size
limit, nesting and layout limits, a byte-order mark.
"""

from __future__ import annotations

import os
import time
import tomllib
from pathlib import Path

import pytest

import cranesim.cli.app as cli
from cranesim.errors import ConfigError
from cranesim.scenario.geometry import MAX_PLACES, TRUCK_WIDTH_M
from cranesim.scenario.layout import build_layout
from cranesim.scenario.load import MAX_DEPTH, MAX_PROBLEMS, load_config, parse_config


def _edit(small_cfg_path: Path, tmp_path: Path, *pairs: tuple[str, str]) -> Path:
    text = small_cfg_path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, f"{old!r} is not in small.toml: update this test"
        text = text.replace(old, new, 1)
    p = tmp_path / "plant.toml"
    p.write_text(text, encoding="utf-8")
    return p


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value.problems


BAY0 = "x_m = 20.0\ny_m = 17.0"  # small.toml's first truck bay
BAY1 = "x_m = 38.0\ny_m = 17.0"
STATION = "x_m = 30.0\ny_m = 1.5"

# (id, edits, the one problem expected: key and text it contains)
CASES = [
    ("bay-on-a-block", [(BAY0, "x_m = 44.0\ny_m = 8.0")],
     "trucks.bays[0]: a truck at (x 44, y 8) (2.55 m wide) would stand on storage.blocks[1] "
     "(x 41.375..49.225 m, y 4.375..14.025 m); put the bay in a lane between blocks"),
    ("station-on-a-block", [(STATION, "x_m = 30.0\ny_m = 6.0"), ("x_first_m = 42.0", "x_first_m = 28.0")],
     "station: station place 1 at (x 28, y 6) (and 2 more of its 3) lies on storage.blocks[1]"),
    ("runway-longer-than-the-bay", [("x_max_m = 57.0", "x_max_m = 61.0")],
     "runway.x_max_m = 61: the runway ends beyond the bay (bay.length_m = 60); expected at most 60"),
    ("two-bays-at-one-place", [(BAY1, BAY0)],
     "trucks.bays[1]: a truck at (x 20, y 17) overlaps trucks.bays[0] at (x 20, y 17)"),
    ("bay-at-the-wall", [(BAY0, "x_m = 20.0\ny_m = 19.9")],
     "trucks.bays[0].y_m = 19.9: a truck at (x 20, y 19.9) needs half a truck width (1.275 m) to "
     "the side walls; expected 1.275..18.725"),
    ("rows-overlap", [("row_pitch_m = 2.2", "row_pitch_m = 1.0")],
     "storage.blocks[0].row_pitch_m = 1: coils of neighbouring rows overlap; expected at least "
     "storage.coil_diameter_m (1.25)"),
    ("blocks-overlap", [("x_first_m = 42.0", "x_first_m = 12.0")],
     "storage.blocks[1]: its coils (x 11.375..19.225 m, y 4.375..14.025 m) overlap storage.blocks[0]"),
    ("cranes-east-to-west", [("start_x_m = 10.0", "start_x_m = 50.0"), ("start_x_m = 45.0", "start_x_m = 10.0")],
     "cranes[1].start_x_m = 10 is west of cranes[0] (50): list the cranes west to east"),
    ("cranes-too-close", [("start_x_m = 45.0", "start_x_m = 15.0")],
     "cranes[1].start_x_m = 15 is 5 m from cranes[0] (10), less than runway.safety_distance_m = 12"),
    ("crane-off-the-runway", [("start_x_m = 45.0", "start_x_m = 58.0")],
     "cranes[1].start_x_m = 58: off the runway; expected within runway.x_min_m..x_max_m = 3..57"),
    ("crane-names", [('name = "C2"', 'name = "C1"')],
     "cranes[1].name = 'C1': cranes[0] has this name too; crane names must be unique"),
    ("override-of-no-crane", [("[energy.manual]", "[energy.manual.overrides.c2]\ndrive = \"inverter_regen\"\n\n[energy.manual]")],
     "energy.manual.overrides.c2: no crane is named 'c2' (did you mean C2?); cranes: C1, C2"),
    ("override-key-typo", [("[energy.manual]", "[energy.manual.overrides.C2]\ndrve = \"inverter_regen\"\n\n[energy.manual]")],
     "unknown key energy.manual.overrides.C2.drve = 'inverter_regen' (did you mean drive?)"),
    ("section-typo", [("[scheduler]", "[schedular]")],
     "unknown key schedular = {'policy': 'joint', 'station_first_fill': 0.8} (did you mean scheduler?)"),
    ("grades", [('grade = "SWRH82B-12.5"', 'grade = "Q235-6.5"')],
     "mill: products[1].grade = 'Q235-6.5': another product has this grade"),
    ("cranes-single-brackets", [('[[cranes]]\nname = "C1"\nstart_x_m = 10.0\n\n[[cranes]]\nname = "C2"\nstart_x_m = 45.0', '[cranes]\nname = "C1"\nstart_x_m = 10.0')],
     "cranes: expected a list of tables: write [[cranes]] for each entry (double brackets), not [cranes]"),
]  # fmt: skip


@pytest.mark.parametrize("edits, want", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_impossible_plant_is_named(small_cfg_path, tmp_path, edits, want):
    p = _edit(small_cfg_path, tmp_path, *edits)
    problems = _problems(p)
    assert all(line.startswith(f"{p}: ") for line in problems), problems
    assert any(want in line for line in problems), problems
    assert len(problems) <= 2, problems  # one mistake, (at most) one consequence


def test_single_and_double_brackets_together_get_a_hint(small_cfg_path, tmp_path):
    p = _edit(small_cfg_path, tmp_path, ('[[cranes]]\nname = "C1"', '[cranes]\nname = "C1"'))
    (line,) = _problems(p)
    assert line.startswith(f"{p}: invalid TOML: ") and "write [[cranes]] for every entry" in line


def test_truck_width_is_the_legal_maximum():
    assert TRUCK_WIDTH_M == 2.55


def test_every_problem_at_once(small_cfg_path, tmp_path):
    p = _edit(
        small_cfg_path,
        tmp_path,
        ("bridge_speed_m_min = 90.0", "bridge_speed_m_min = -1"),
        ("rate_t_h = 40.0", 'rate_t_h = "40"'),
        ("length_m = 60.0", "length_m = 60.0\nwidth_m = 1"),
        ('policy = "joint"', 'policy = "joint"\nw_relo_s = 1.0'),
    )
    problems = _problems(p)
    assert problems == [
        f"{p}: unknown key bay.width_m = 1 (not a key here; the keys here: length_m, span_m, "
        "hook_travel_height_m)",
        f"{p}: crane.bridge_speed_m_min = -1: expected greater than 0",
        f"{p}: mill.rate_t_h = '40': expected a valid number",
        f"{p}: unknown key scheduler.w_relo_s = 1.0 (did you mean w_reloc_s?)",
    ]
    # the command line prints them one per line, and validate goes on to the next file
    for argv in (["validate", str(p), str(small_cfg_path)], ["run", str(p)]):
        rc, _out, err = _main(argv)
        assert rc == 2
        assert err.splitlines()[:4] == [f"cranesim: error: {line}" for line in problems]


def _main(argv):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main(argv)
    return rc, out.getvalue(), err.getvalue()


def test_geometry_problems_are_all_listed(small_cfg_path, tmp_path):
    p = _edit(small_cfg_path, tmp_path, ("x_max_m = 57.0", "x_max_m = 61.0"),
              ("row_pitch_m = 2.2", "row_pitch_m = 1.0"), (BAY1, BAY0))  # fmt: skip
    keys = [line.split(": ", 2)[1].split(" ")[0].rstrip(":") for line in _problems(p)]
    assert keys == ["runway.x_max_m", "storage.blocks[0].row_pitch_m", "trucks.bays[1]"]


def test_the_list_is_capped(small_cfg_path):
    data = tomllib.loads(small_cfg_path.read_text())
    data["bay"].update({f"k{i}": i for i in range(40)})
    with pytest.raises(ConfigError) as info:
        parse_config(data, "many.toml")
    lines = info.value.problems
    assert len(lines) == MAX_PROBLEMS
    assert (
        lines[-1]
        == f"many.toml: ... and {40 - MAX_PROBLEMS + 1} more problems (fix the ones above first)"
    )


# --------------------------------------------------------------------------- input files
def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "plant.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="is not a regular file .*expected a scenario"):
        load_config(fifo)  # a read would wait for a writer forever


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="/dev/zero: is not a regular file"):
        load_config("/dev/zero")  # a read would never end


def test_a_directory_and_a_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="is a directory, expected a scenario"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="nope.toml: no such file"):
        load_config(tmp_path / "nope.toml")


def test_a_huge_file_is_refused_unread(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(2 * 1024 * 1024)  # sparse: 2 MB of zeros, no disk used
    with pytest.raises(ConfigError, match=r"2,097,152 bytes, larger than the 1,048,576 bytes"):
        load_config(big)


def test_a_byte_order_mark_is_accepted(small_cfg_path, tmp_path):
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf" + small_cfg_path.read_bytes())
    assert load_config(p).model_dump() == load_config(small_cfg_path).model_dump()


def test_deep_nesting_is_a_user_error(small_cfg_path, tmp_path):
    p = tmp_path / "deep.toml"
    p.write_text(small_cfg_path.read_text() + "[" + ".".join(["a"] * 1000) + "]\nx = 1\n")
    (line,) = _problems(p)
    assert (
        line
        == f"{p}: a.a.a.a...: tables or arrays nested more than {MAX_DEPTH} deep; a scenario needs at most 4"
    )
    rc, _out, err = _main(["validate", str(p)])
    assert rc == 2 and err.count("\n") == 1


def test_a_huge_layout_is_refused_before_it_is_built(small_cfg_path, tmp_path):
    """A schema-valid layout of 20 million places: refused by its size, at once."""
    data = tomllib.loads(small_cfg_path.read_text())
    data["bay"].update(length_m=5000.0, span_m=200.0)
    data["runway"]["x_max_m"] = 4990.0
    data["storage"].update(coil_diameter_m=0.05)
    block = {"rows": 10_000, "row_pitch_m": 0.05, "y_first_m": 5.0,
             "lower_places_per_row": 1000, "place_pitch_m": 0.06}  # fmt: skip
    data["storage"]["blocks"] = [{"x_first_m": 100.0, **block}]
    t0 = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        parse_config(data, "huge.toml")
    assert time.perf_counter() - t0 < 60  # not the minutes and gigabytes of building it
    assert (
        f"huge.toml: storage.blocks: 19,990,000 storage places, more than the {MAX_PLACES:,} "
        "a scenario may have; check rows and lower_places_per_row"
    ) in info.value.problems


def test_a_copied_scenario_is_checked_as_a_file_is(small):
    """model_copy(update=...) validates, the geometry included; a scenario built without
    validation (model_construct) is checked when its layout is built."""
    rw = {**dict(small.runway), "x_max_m": 70.0}
    with pytest.raises(ConfigError, match="runway.x_max_m = 70: the runway ends beyond the bay"):
        small.model_copy(update={"runway": rw})
    unchecked = type(small).model_construct(
        **{**dict(small), "runway": type(small.runway).model_construct(**rw)}
    )
    with pytest.raises(ConfigError, match="runway.x_max_m = 70: the runway ends beyond the bay"):
        build_layout(unchecked)


def test_the_packaged_scenarios_pass(default_cfg_path, small_cfg_path):
    for p in (default_cfg_path, small_cfg_path):
        assert build_layout(load_config(p)).n_slots > 0
