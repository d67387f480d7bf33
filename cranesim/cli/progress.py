"""The progress bars of every command: tqdm on stderr, only when stderr is a terminal.

A command opens :func:`progress` around its work and passes the returned :class:`Progress` (or
``None``: no bar wanted) to the library, which reports ``(kind, done, total[, status])``; each
kind of work gets its own bar, opened at its first report.  Reports are absolute and clipped to
the total, so repeats and overshoot are harmless.

The time left is ``elapsed x (total - done) / done`` (tqdm with ``smoothing=0``: the average
rate since the bar opened, not the rate of the last few updates, which jumps when parallel runs
finish in bursts).  It is realistic only when ``done`` and ``total`` measure work: a library
whose tasks differ in cost reports their expected cost (seconds of model time weighted by what a
simulated hour costs), not their count, and says the counts in ``status``
(``cranesim.studies.compare``, ``cranesim.studies.sweep``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = ["Bar", "Progress", "progress", "wanted", "WEIGHTED", "HOURS_BAR"]

#: the format of a bar whose units are expected cost, not counts: percent and times only (the
#: counts go in the status)
WEIGHTED = "{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]"


@dataclass(frozen=True)
class Bar:
    """How one kind of work is drawn: tqdm's ``desc``, ``unit`` and ``bar_format``."""

    desc: str
    unit: str
    bar_format: str | None = None


#: a bar in simulated hours (``cranesim run``, ``validate-moves``)
HOURS_BAR = Bar("model time", "h", "{l_bar}{bar}| {n:.1f}/{total:.1f} h [{elapsed}<{remaining}]")


class Progress:
    """Bars by kind of work: ``progress(kind, done, total)``.  Close it (``progress()`` does)."""

    def __init__(self, bars: dict[str, Bar]) -> None:
        self.bars = bars
        self.open: dict[str, Any] = {}

    def __call__(self, kind: str, done: float, total: float, status: str | None = None) -> None:
        bar = self.open.get(kind)
        if bar is None:
            from tqdm import tqdm

            spec = self.bars[kind]
            bar = self.open[kind] = tqdm(
                total=total,
                desc=spec.desc,
                unit=spec.unit,
                file=sys.stderr,
                dynamic_ncols=True,
                bar_format=spec.bar_format,
                smoothing=0.0,
            )
        if status is not None:
            bar.set_postfix_str(status, refresh=False)
        step = min(done, bar.total) - bar.n
        if step > 0:
            bar.update(step)
        elif status is not None:
            bar.refresh()

    def close(self) -> None:
        for bar in self.open.values():
            bar.close()
        self.open.clear()


def _on_terminal() -> bool:
    return sys.stderr.isatty()


def wanted(ns: argparse.Namespace) -> bool:
    """A bar is drawn unless ``--no-progress`` is given or stderr is not a terminal."""
    return not getattr(ns, "no_progress", False) and _on_terminal()


@contextmanager
def progress(ns: argparse.Namespace, **bars: Bar) -> Iterator[Progress | None]:
    """A :class:`Progress` drawing ``bars`` (by kind), closed at the end; None if not wanted."""
    if not wanted(ns):
        yield None
        return
    p = Progress(bars)
    try:
        yield p
    finally:
        p.close()
