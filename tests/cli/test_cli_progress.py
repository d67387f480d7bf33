"""The one progress-bar helper: only on a terminal, one bar per kind, absolute and clipped."""

from __future__ import annotations

import argparse

import cranesim.cli.progress as progress
from cranesim.cli.progress import Bar


def _ns(no_progress: bool = False) -> argparse.Namespace:
    return argparse.Namespace(no_progress=no_progress)


def test_no_bar_off_a_terminal_or_when_asked(monkeypatch, capsys):
    with progress.progress(_ns(), work=Bar("work", "it")) as bar:  # pytest's stderr: no terminal
        assert bar is None
    monkeypatch.setattr(progress, "_on_terminal", lambda: True)
    with progress.progress(_ns(no_progress=True), work=Bar("work", "it")) as bar:
        assert bar is None
    assert capsys.readouterr().err == ""


def test_one_bar_per_kind_absolute_and_clipped(monkeypatch, capsys):
    monkeypatch.setattr(progress, "_on_terminal", lambda: True)
    bars = {"rep": Bar("replications", "rep"), "sens": Bar("sensitivity", "run")}
    with progress.progress(_ns(), **bars) as bar:
        bar("rep", 0, 3)
        for done in (1, 1, 2, 5):  # a repeat and an overshoot
            bar("rep", done, 3)
        bar("sens", 4, 8)
        assert bar.open["rep"].n == 3 and bar.open["sens"].n == 4
        opened = list(bar.open.values())
    assert bar.open == {} and all(b.disable for b in opened)  # closed: tqdm disables them
    err = capsys.readouterr().err
    assert "replications" in err and "3/3" in err and "sensitivity" in err and "4/8" in err
