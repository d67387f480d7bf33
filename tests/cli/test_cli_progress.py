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


def test_a_bar_shows_status_and_averages_its_rate(monkeypatch, capsys):
    """The time left is the average rate since the start (smoothing 0), with the counts in the
    status: a weighted bar over expected cost (issue 17: an 18-minute estimate for a 65 s job
    came from counting runs of very different cost, and from recent-rate smoothing)."""
    monkeypatch.setattr(progress, "_on_terminal", lambda: True)
    with progress.progress(_ns(), sims=Bar("simulations", "run", progress.WEIGHTED)) as bar:
        bar("sims", 0.0, 10.0, "replications 0/2")
        bar("sims", 4.0, 10.0, "replications 1/2")
        b = bar.open["sims"]
        assert b.smoothing == 0 and b.n == 4.0
        bar("sims", 4.0, 10.0, "replications 1/2, driver runs 1/3")  # status only
    err = capsys.readouterr().err
    assert "simulations:  40%" in err and "driver runs 1/3" in err


def test_weighted_replications_bar(monkeypatch, capsys):
    import cranesim.studies.replicate as rep

    monkeypatch.setattr(rep.sys.stderr, "isatty", lambda: True, raising=False)
    out = rep.run_replications(pow, [(2, 3), (3, 2), (2, 2)], weights=[1, 2, 7])
    assert out == [8, 9, 4]
    assert "100%" in capsys.readouterr().err
