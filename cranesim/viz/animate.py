"""Live animation, replay of a trace, and headless frame capture (``cranesim animate``).

:func:`show` opens the window on live runs (:func:`make_sources`: the automated cranes, or both
crews side by side on the same random streams) or on a recorded trace (:func:`make_replay`);
:func:`write_frames` writes PNG frames (and a GIF) without looking at them.

The window is a to-scale top view (x along the runway, y across the bay) driven by a QTimer:
each tick advances model time by wall time × speed, bounded per tick, and moves the existing
items.  Nothing in this module imports Qt at import time, so the command line stays fast.
Bad input raises :class:`AnimateError` (a :class:`~cranesim.errors.UserError`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Sequence

from cranesim.errors import UserError

__all__ = [
    "AnimateError",
    "make_sources",
    "make_replay",
    "replay_scenario",
    "build_window",
    "capture_frames",
    "use_display",
    "write_frames",
    "show",
]


class AnimateError(UserError):
    """Bad user input for ``cranesim animate`` (exit status 2)."""


# ---------------------------------------------------------------------------- building blocks
def _describe(sc: Any, mode: str) -> str:
    if mode == "automated":
        return f"anti-sway, {sc.scheduler.policy} scheduler"
    return f"driver model, {sc.manual.policy} job and place choice"


def make_sources(sc: Any, seed: int, hours: float, side_by_side: bool) -> list:
    """One live source (automated), or two on the same seed (automated, manual).

    Both are built by :func:`cranesim.model.crew.crew_warehouse`, as ``cranesim compare`` builds
    its automated and manual runs, on the same seed, so the mill and the trucks send the same
    coils and orders to both and the manual pane is the baseline ``compare`` scores.
    """
    from cranesim.model.crew import crew_warehouse
    from cranesim.physics.energy import EnergyModel
    from cranesim.viz.source import LiveSource

    modes = ("automated", "manual") if side_by_side else ("automated",)
    srcs = []
    for mode in modes:

        def make(sink, mode=mode):
            energy = EnergyModel(sc, mode, log=False)
            return crew_warehouse(sc, seed, mode, sink=sink, energy=energy)

        title = "Automated cranes" if mode == "automated" else "Manual operation"
        label = f"{title} ({_describe(sc, mode)}) · {sc.scenario.name}, seed {seed}"
        src = LiveSource(make, hours * 3600.0, label)
        src.short = mode
        srcs.append(src)
    return srcs


def _read(trace: Path, what: str, read: Any) -> Any:
    """``read()``, its failures as one-line :class:`AnimateError` naming ``--replay``."""
    from cranesim.errors import ConfigError

    try:
        return read()
    except ConfigError as exc:
        raise AnimateError(f"--replay {trace}: {exc}") from None
    except (ValueError, OSError, KeyError) as exc:
        why = " ".join(str(exc).split())
        raise AnimateError(f"--replay {trace}: cannot read the {what} ({why})") from None
    except Exception as exc:  # pyarrow errors on a file that is not Parquet
        raise AnimateError(
            f"--replay {trace}: not a readable trace ({type(exc).__name__})"
        ) from None


def replay_scenario(trace: Path) -> tuple[Any, int]:
    """The scenario and seed a trace ran, from its metadata
    (:func:`~cranesim.record.trace.trace_scenario`)."""
    from cranesim.record.trace import trace_scenario

    sc, meta = _read(trace, "trace's metadata", lambda: trace_scenario(trace))
    return sc, int(meta["seed"])


def make_replay(sc: Any, seed: int, trace: Path) -> Any:
    """The :class:`~cranesim.viz.source.ReplaySource` of ``trace``, a run of ``sc`` with
    ``seed`` (:func:`replay_scenario` reads both from the trace)."""
    from cranesim.model.warehouse import Warehouse
    from cranesim.viz.source import ReplaySource, load_trace_records

    records = _read(trace, "trace", lambda: load_trace_records(trace))
    if not records:
        raise AnimateError(f"--replay {trace}: the trace holds no records")
    wh = Warehouse(sc, seed)
    src = ReplaySource(wh, records, f"Replay of {trace.name} · {sc.scenario.name}, seed {seed}")
    if src.totals.mismatches:
        raise AnimateError(
            f"--replay {trace}: {src.totals.mismatches} picks and places do not match the initial "
            f"stock of {sc.scenario.name} with seed {seed}, which its metadata names (was it "
            "edited?)"
        )
    return src


def build_window(sources: Sequence, **kwargs: Any) -> Any:
    """The :class:`~cranesim.viz.view.AnimWindow` over ``sources`` (a QApplication must exist)."""
    from cranesim.viz.view import AnimWindow

    return AnimWindow(sources, **kwargs)


def capture_frames(
    win: Any, times: Sequence[float], out: Path, gif: Path | None = None
) -> list[Path]:
    """Write one PNG of the whole window per model time in ``times``; optionally a GIF."""
    from pyqtgraph.Qt import QtWidgets

    app = QtWidgets.QApplication.instance()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, t in enumerate(times):
        win.seek(t)
        if win.error is not None:
            raise win.error
        app.processEvents()
        img = win.grab()
        p = out / f"frame_{k:04d}.png"
        if not img.save(str(p), "PNG"):
            raise AnimateError(f"--out {out}: cannot write {p}")
        paths.append(p)
    if gif is not None:
        from PIL import Image

        frames = [Image.open(p).convert("RGB").quantize(colors=255) for p in paths]
        frames[0].save(gif, save_all=True, append_images=frames[1:], duration=700, loop=0)
    return paths


# ---------------------------------------------------------------------------- entry points
def use_display(offscreen: bool, capture: bool) -> None:
    """Choose the Qt platform before Qt is imported: offscreen when asked, or when frames are
    written without a display; a live window without a display is an :class:`AnimateError`."""
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif (
        not capture
        and sys.platform.startswith("linux")
        and not (has_display or os.environ.get("QT_QPA_PLATFORM"))
    ):
        raise AnimateError(
            "no display found: set DISPLAY, or write frames with --offscreen --frames N"
        )
    if capture and not offscreen and not has_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _open(
    sc: Any,
    seed: int,
    hours: float,
    replay: Path | None,
    side_by_side: bool,
    speed: float,
    color: str,
    size: tuple[int, int],
    controls: bool = True,
) -> tuple[Any, Any]:
    """The QApplication (created if there is none) and the window over the chosen sources
    (``controls=False``: no buttons, slider or play state, as exported frames show it)."""
    from pyqtgraph.Qt import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    if replay is not None:
        sources = [make_replay(sc, seed, replay)]
    else:
        sources = make_sources(sc, seed, hours, side_by_side)
    win = build_window(
        sources,
        speed=speed,
        color_mode=color,
        title=f"cranesim · {sc.scenario.name}",
        controls=controls,
    )
    win.resize(*size)
    return app, win


def write_frames(
    sc: Any,
    times: Sequence[float],
    out: Path,
    *,
    seed: int,
    hours: float,
    gif: Path | None = None,
    replay: Path | None = None,
    side_by_side: bool = False,
    speed: float = 60.0,
    color: str = "grade",
    size: tuple[int, int] = (1920, 1080),
) -> list[Path]:
    """Write one PNG of the window per model time in ``times`` to ``out`` (and a GIF to
    ``gif``); the sources are live runs of ``hours`` or the trace ``replay``.  The frames show
    the warehouse, the clock and the plots, no buttons."""
    app, win = _open(sc, seed, hours, replay, side_by_side, speed, color, size, controls=False)
    win.show()
    app.processEvents()
    win.fit_panes()
    app.processEvents()
    try:
        paths = capture_frames(win, times, out, gif)
    except OSError as exc:
        raise AnimateError(f"--out {out}: {exc.strerror or exc}") from None
    win.dispose()
    return paths


def show(
    sc: Any,
    *,
    seed: int,
    hours: float,
    replay: Path | None = None,
    side_by_side: bool = False,
    speed: float = 60.0,
    color: str = "grade",
    size: tuple[int, int] = (1920, 1080),
) -> None:
    """Open the window and play until it is closed (or Ctrl-C)."""
    import signal

    from pyqtgraph.Qt import QtCore

    app, win = _open(sc, seed, hours, replay, side_by_side, speed, color, size)
    signal.signal(signal.SIGINT, lambda *_: app.quit())  # Ctrl-C closes the window cleanly
    wake = QtCore.QTimer()
    wake.timeout.connect(lambda: None)  # let Python see the signal while Qt waits
    wake.start(250)
    win.show()
    win.play()
    app.exec()
    wake.stop()
    win.dispose()
