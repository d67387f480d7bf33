"""The one set of output-path checks: names first (nothing created), then room to write."""

from __future__ import annotations

import pytest

import cranesim.cli.paths as paths
from cranesim.errors import UserError


def test_output_file_checks_the_suffix_and_creates_nothing(tmp_path):
    target = tmp_path / "new" / "t.PARQUET"
    assert paths.output_file("--trace", target, (".csv", ".parquet")) == target
    assert not (tmp_path / "new").exists()
    with pytest.raises(
        UserError,
        match=r"^--trace .*t\.txt: expected a file name ending in "
        r"\.csv or \.parquet$",
    ):
        paths.output_file("--trace", tmp_path / "t.txt", (".csv", ".parquet"))


def test_output_file_is_not_a_directory(tmp_path):
    with pytest.raises(UserError, match="--json .*: is a directory, expected a file name"):
        paths.output_file("--json", tmp_path)
    (tmp_path / "d.json").mkdir()
    with pytest.raises(UserError, match="is a directory"):
        paths.output_file("--json", tmp_path / "d.json", (".json",))


def test_output_dir_may_exist_but_not_as_a_file(tmp_path):
    assert paths.output_dir("--out", tmp_path) == tmp_path
    assert paths.output_dir("--out", tmp_path / "later") == tmp_path / "later"
    (tmp_path / "f").write_text("")
    with pytest.raises(UserError, match="--out .*f: exists and is not a directory"):
        paths.output_dir("--out", tmp_path / "f")


def test_make_room_creates_the_parents(tmp_path):
    target = tmp_path / "a" / "b" / "s.json"
    paths.make_room("--json", target)
    assert target.parent.is_dir() and not target.exists()
    paths.make_room("--report", tmp_path / "r" / "s", is_dir=True)
    assert (tmp_path / "r" / "s").is_dir()


def test_make_room_under_a_file_names_the_option(tmp_path):
    (tmp_path / "afile").write_text("")
    with pytest.raises(UserError, match=r"^--json .*out\.json: cannot create directory .*afile"):
        paths.make_room("--json", tmp_path / "afile" / "out.json")


def test_make_room_in_a_read_only_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(paths.os, "access", lambda p, mode: False)  # as for a non-root user
    with pytest.raises(UserError, match="is not writable"):
        paths.make_room("--json", tmp_path / "s.json")


@pytest.mark.parametrize(
    "argv, option",
    [
        (["run", "{cfg}", "--trace", "{tmp}/x.txt"], "--trace"),
        (["run", "{cfg}", "--json", "{tmp}"], "--json"),
        (["compare", "{cfg}", "--json", "{tmp}/x.txt"], "--json"),
        (["compare", "{cfg}", "--report", "{tmp}/afile"], "--report"),
        (["bench", "--json", "{tmp}/afile/b.json"], "--json"),
        (["animate", "{cfg}", "--offscreen", "--frames", "1", "--out", "{tmp}/afile"], "--out"),
    ],
)
def test_every_command_uses_the_checks(argv, option, small_cfg_path, tmp_path, capsys):
    """Each command refuses a bad output path before any work, in one line naming the option."""
    import cranesim.cli.app as cli

    (tmp_path / "afile").write_text("")
    args = [a.format(cfg=small_cfg_path, tmp=tmp_path) for a in argv]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"cranesim: error: {option} ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
