"""Changing scenario keys without editing a file: ``--set``, ``Scenario.derive``, ``model_copy``.

The reference for every change is the same edit made to a copy of the file's text: ``--set``
and ``derive`` must give exactly the scenario that file gives, and reject exactly what it
rejects, naming the option.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cranesim.errors import ConfigError
from cranesim.scenario.load import examples, load_config, parse_config, resolve_config
from cranesim.scenario.overrides import parse_value, split_path


def _edited(src: Path, dst: Path, old: str, new: str) -> Path:
    text = src.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {src.name}: update this test"
    dst.write_text(text.replace(old, new), encoding="utf-8")
    return dst


@pytest.mark.parametrize(
    "option, old, new",
    [
        ("mill.rate_t_h=60", "rate_t_h = 40.0", "rate_t_h = 60"),
        ("scheduler.policy=fcfs_nearest", 'policy = "joint"', 'policy = "fcfs_nearest"'),
        ('scheduler.policy="random_free"', 'policy = "joint"', 'policy = "random_free"'),
        ("cranes[1].start_x_m=50.0", "start_x_m = 45.0", "start_x_m = 50.0"),
        ("trucks.dock_min=4.5", "dock_min = 3.0", "dock_min = 4.5"),
    ],
)
def test_set_is_the_edited_file(small_cfg_path, tmp_path, option, old, new):
    edited = load_config(_edited(small_cfg_path, tmp_path / "e.toml", old, new))
    by_set = load_config(small_cfg_path, [option])
    key, _, _ = option.partition("=")
    by_derive = load_config(small_cfg_path).derive({key: parse_value(option.partition("=")[2])})
    assert by_set.model_dump() == edited.model_dump()
    assert by_derive.model_dump() == edited.model_dump()
    assert by_set._overrides == by_derive._overrides and len(by_set._overrides) == 1


def test_set_creates_a_section_the_file_leaves_out(small_cfg_path):
    assert "[invariants]" not in small_cfg_path.read_text()
    sc = load_config(small_cfg_path, ["invariants.watchdog_h=2.5", "invariants.check=false"])
    assert sc.invariants.watchdog_h == 2.5 and sc.invariants.check is False


@pytest.mark.parametrize(
    "option, needles",
    [
        ("mill.rate_t_h=-5", ["--set mill.rate_t_h=-5", "greater than 0"]),
        ('mill.rate_t_h="60"', ['--set mill.rate_t_h="60"', "valid number"]),
        ("mill.rate_th=60", ["--set mill.rate_th=60", "unknown key mill.rate_th"]),
        ("mill.rate_t_h=6O", ["--set mill.rate_t_h=6O", "not a TOML value"]),
        ("cranes[5].start_x_m=1.0", ["--set cranes[5].start_x_m=1.0", "has 2 entries"]),
        ("mill.rate_t_h", ["--set mill.rate_t_h", "section.key=VALUE"]),
        ("mill..rate=1", ["--set mill..rate=1", "not a key path"]),
        ("scheduler.policy=fastest", ["--set scheduler.policy=fastest", "'greedy'"]),
    ],
)
def test_bad_set_names_the_option(small_cfg_path, option, needles):
    with pytest.raises(ConfigError) as ei:
        load_config(small_cfg_path, [option])
    msg = str(ei.value)
    assert "\n" not in msg
    for n in needles:
        assert n in msg, msg


def test_a_set_that_breaks_a_rule_across_keys_names_file_and_option(small_cfg_path):
    with pytest.raises(ConfigError) as ei:
        load_config(small_cfg_path, ["runway.safety_distance_m=100"])
    msg = str(ei.value)
    assert str(small_cfg_path) in msg and "--set runway.safety_distance_m=100" in msg
    assert "2 cranes need 100 m between the first and the last" in msg


def test_model_copy_update_is_validated(small):
    """The reported bug: a Python sweep through model_copy(update=...) accepted rate_t_h = -5."""
    with pytest.raises(ConfigError, match="rate_t_h.*greater than 0"):
        small.mill.model_copy(update={"rate_t_h": -5.0})
    with pytest.raises(ConfigError, match="rate_t_h.*greater than 0"):
        small.derive({"mill.rate_t_h": -5})
    ok = small.model_copy(update={"mill": small.mill.model_copy(update={"rate_t_h": 50.0})})
    assert ok.mill.rate_t_h == 50.0 and ok._source == small._source
    assert small.model_copy() == small


def test_derive_keeps_the_source_and_records_what_changed(small):
    d = small.derive({"mill.rate_t_h": 55.0}).derive({"trucks.dock_min": 4.0})
    assert d._source == small._source
    assert d._overrides == ("mill.rate_t_h = 55.0", "trucks.dock_min = 4.0")
    assert small.mill.rate_t_h == 40.0  # frozen: the original is unchanged


@pytest.mark.parametrize("name", sorted(examples()))
def test_to_toml_is_the_same_scenario(name):
    sc = load_config(name)
    again = parse_config(tomllib.loads(sc.to_toml()))
    assert again.model_dump() == sc.model_dump()


def test_packaged_examples_by_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no configs/ here
    for name in ("small", "small.toml"):
        assert resolve_config(name) == examples()["small"]
        assert load_config(name).scenario.name == "small"
    (tmp_path / "small.toml").write_text("[scenario]\n")  # a file of that name comes first
    assert resolve_config("small.toml") == Path("small.toml")
    with pytest.raises(ConfigError) as ei:
        load_config("smal")
    assert "no such file" in str(ei.value) and "small" in str(ei.value)
    assert "configs/small.toml" not in str(ei.value)


def test_key_paths_and_values():
    assert split_path("a.b[2][0].c") == ["a", "b", 2, 0, "c"]
    assert parse_value("[1, 2.5]") == [1, 2.5]
    assert parse_value("{ x_m = 5.0 }") == {"x_m": 5.0}
    assert parse_value("greedy") == "greedy" and parse_value("true") is True
    for bad in ("", "a.", ".a", "a[x]"):
        with pytest.raises(ValueError):
            split_path(bad)
