"""``cranesim animate``: live animation, replay of a trace, and headless frame capture.

Usage::

    cranesim animate [CONFIG]                       # live window, automated cranes
    cranesim animate [CONFIG] --side-by-side        # automated and manual on the same streams
    cranesim animate [CONFIG] --replay TRACE        # a recorded run, with a time slider
    cranesim animate [CONFIG] --offscreen --frames 6 --every 60 --out frames [--gif]

The window is a to-scale top view (x along the runway, y across the bay) driven by a QTimer:
each tick advances model time by wall time × speed, bounded per tick, and moves the existing
items.  Nothing in this module imports Qt at import time, so the command line stays fast.

Exit status: 0 (also when the window is closed mid-run), 2 for bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import Any, Sequence

import cranesim.cli.argtypes as argtypes
from cranesim.cli.argtypes import positive as _positive
from cranesim.cli.argtypes import seed as _seed
from cranesim.errors import UserError

__all__ = [
    "ARGUMENTS",
    "HELP",
    "add_arguments",
    "add_parser",
    "main_animate",
    "main",
    "build_window",
    "capture_frames",
]

PROG = "cranesim"
HELP = "animate a run live, replay a trace, or write frames"
DESCRIPTION = (
    "A to-scale top view of the warehouse (storage rows, unloading station, truck bays, cranes "
    "with trolley, hook, load and target) driven by the model, with live plots of stock, station "
    "buffer and mill blocked time, truck queue and crane energy. Space plays/pauses, Right steps."
)


class AnimateError(UserError):
    """Bad user input for ``cranesim animate`` (exit status 2)."""


def _nonneg(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds >= 0, got {text!r}"
        ) from None
    if not (math.isfinite(v) and v >= 0):
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text!r}")
    return v


#: The arguments of ``cranesim animate``: ``(flags, add_argument kwargs)`` pairs, usable with
#: the cli's ``arg(*flags, **kwargs)`` registry as well as plain argparse.
ARGUMENTS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (
        ("config",),
        dict(
            nargs="?", metavar="CONFIG", help="scenario TOML file (default: the packaged default)"
        ),
    ),
    (
        ("--replay",),
        dict(
            metavar="TRACE",
            help="show a recorded trace (.csv or .parquet from 'cranesim run --trace'); "
            "CONFIG and --seed must be those of the run",
        ),
    ),
    (("--seed",), dict(type=_seed, metavar="S", help="random seed (default: scenario.seed)")),
    (
        ("--hours",),
        dict(
            type=_positive(float, "a number of hours"),
            metavar="H",
            help="model hours to run live (default: scenario.hours)",
        ),
    ),
    (
        ("--speed",),
        dict(
            type=_positive(float, "a speed factor"),
            default=60.0,
            metavar="X",
            help="model seconds per wall second (default 60; 1 to 2000 in the window)",
        ),
    ),
    (
        ("--side-by-side",),
        dict(
            action="store_true",
            help="automated and manual operation on the same random streams, one clock",
        ),
    ),
    (
        ("--color",),
        dict(choices=("grade", "age"), default="grade", help="colour coils by grade or by age"),
    ),
    (
        ("--offscreen",),
        dict(action="store_true", help="no window (Qt offscreen platform); use with --frames"),
    ),
    (
        ("--frames",),
        dict(
            type=_positive(int, "a number of frames"),
            metavar="N",
            help="write N PNG frames and exit",
        ),
    ),
    (
        ("--every",),
        dict(
            type=_positive(float, "a number of seconds"),
            default=60.0,
            metavar="SECONDS",
            help="model seconds between frames (default 60)",
        ),
    ),
    (
        ("--start",),
        dict(
            type=_nonneg,
            default=0.0,
            metavar="SECONDS",
            help="model time of the first frame (default 0)",
        ),
    ),
    (
        ("--out",),
        dict(default="frames", metavar="DIR", help="directory for the frames (default ./frames)"),
    ),
    (
        ("--gif",),
        dict(
            nargs="?",
            const="",
            default=None,
            metavar="PATH",
            help="also assemble the frames into an animated GIF (default DIR/animation.gif)",
        ),
    ),
    (
        ("--size",),
        dict(
            default="1920x1080",
            metavar="WxH",
            help="window and frame size in pixels (default 1920x1080)",
        ),
    ),
)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    return argtypes.add_table(parser, ARGUMENTS)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``animate`` subcommand to an ``argparse`` subparsers object."""
    p = subparsers.add_parser("animate", help=HELP, description=DESCRIPTION)
    add_arguments(p)
    p.set_defaults(_handler=main_animate)
    return p


# ---------------------------------------------------------------------------- building blocks
def _parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise AnimateError(
            f"--size {text}: expected WIDTHxHEIGHT in pixels, e.g. 1600x1000"
        ) from None
    if not (200 <= w <= 8000 and 150 <= h <= 8000):
        raise AnimateError(
            f"--size {text}: expected a width of 200-8000 and a height of 150-8000 pixels"
        )
    return w, h


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


def make_replay(sc: Any, seed: int, trace: Path) -> Any:
    from cranesim.model.warehouse import Warehouse
    from cranesim.viz.source import ReplaySource, load_trace_records

    try:
        records = load_trace_records(trace)
    except (ValueError, OSError) as exc:
        raise AnimateError(
            f"--replay {trace}: cannot read the trace ({' '.join(str(exc).split())})"
        ) from None
    except Exception as exc:  # pyarrow errors on a file that is not Parquet
        raise AnimateError(
            f"--replay {trace}: not a readable trace ({type(exc).__name__})"
        ) from None
    if not records:
        raise AnimateError(f"--replay {trace}: the trace holds no records")
    wh = Warehouse(sc, seed)
    n_cranes = max((int(r[2]) for r in records), default=-1) + 1
    if n_cranes > wh.n:
        raise AnimateError(
            f"--replay {trace}: the trace has {n_cranes} cranes, the scenario {sc.scenario.name} "
            f"has {wh.n}: pass the CONFIG of the run"
        )
    src = ReplaySource(wh, records, f"Replay of {trace.name} · {sc.scenario.name}, seed {seed}")
    if src.totals.mismatches:
        raise AnimateError(
            f"--replay {trace}: {src.totals.mismatches} picks and places do not match the initial "
            f"stock of {sc.scenario.name} with seed {seed}: pass the CONFIG and --seed of the run"
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


# ---------------------------------------------------------------------------- entry point
def _err(msg: str) -> int:
    print(f"{PROG}: error: {' '.join(msg.split())}", file=sys.stderr)
    return 2


def main_animate(args: argparse.Namespace) -> int:
    """Run ``cranesim animate`` with parsed ``args``; returns the exit status."""
    try:
        return _main(args)
    except AnimateError as exc:
        return _err(str(exc))
    except Exception as exc:
        from cranesim.errors import ConfigError

        if isinstance(exc, ConfigError):
            return _err(str(exc))
        raise


def _main(args: argparse.Namespace) -> int:
    from cranesim.scenario.load import load_config

    capture = args.frames is not None
    if args.replay and args.side_by_side:
        raise AnimateError("--replay and --side-by-side cannot be combined")
    if args.offscreen and not capture:
        raise AnimateError("--offscreen needs --frames N (there is no window to look at)")
    if args.gif is not None and not capture:
        raise AnimateError("--gif needs --frames N")
    size = _parse_size(args.size)
    trace = None
    if args.replay:
        trace = Path(args.replay)
        if not trace.is_file():
            raise AnimateError(f"--replay {trace}: no such file")
        if trace.suffix.lower() not in (".csv", ".parquet"):
            raise AnimateError(f"--replay {trace}: expected a .csv or .parquet trace")
    out = Path(args.out)
    if capture and out.exists() and not out.is_dir():
        raise AnimateError(f"--out {out}: exists and is not a directory")
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif (
        not capture
        and sys.platform.startswith("linux")
        and not (
            os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("QT_QPA_PLATFORM")
        )
    ):
        raise AnimateError(
            "no display found: set DISPLAY, or write frames with --offscreen --frames N"
        )
    if (
        capture
        and not args.offscreen
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    sc = load_config(args.config)
    seed = args.seed if args.seed is not None else sc.scenario.seed
    hours = args.hours if args.hours is not None else sc.scenario.hours

    if capture and trace is None:
        last = args.start + (args.frames - 1) * args.every
        if last > hours * 3600.0:
            raise AnimateError(
                f"--frames {args.frames} --every {args.every:g} --start {args.start:g}: the last frame "
                f"at {last / 3600:.2f} h is beyond the run ({hours:g} h, see --hours)"
            )

    from pyqtgraph.Qt import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    if trace is not None:
        sources = [make_replay(sc, seed, trace)]
    else:
        sources = make_sources(sc, seed, hours, args.side_by_side)
    win = build_window(
        sources, speed=args.speed, color_mode=args.color, title=f"cranesim · {sc.scenario.name}"
    )
    win.resize(*size)

    if capture:
        win.show()
        app.processEvents()
        win.fit_panes()
        app.processEvents()
        times = [args.start + k * args.every for k in range(args.frames)]
        gif = None
        if args.gif is not None:
            gif = Path(args.gif) if args.gif else out / "animation.gif"
        try:
            paths = capture_frames(win, times, out, gif)
        except OSError as exc:
            raise AnimateError(f"--out {out}: {exc.strerror or exc}") from None
        print(
            f"{PROG}: wrote {len(paths)} frames to {out}" + (f" and {gif}" if gif else ""),
            file=sys.stderr,
        )
        win.dispose()
        return 0

    import signal

    from pyqtgraph.Qt import QtCore

    signal.signal(signal.SIGINT, lambda *_: app.quit())  # Ctrl-C closes the window cleanly
    wake = QtCore.QTimer()
    wake.timeout.connect(lambda: None)  # let Python see the signal while Qt waits
    wake.start(250)
    win.show()
    win.play()
    app.exec()
    wake.stop()
    win.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """A stand-alone parser (``python -m cranesim.viz.animate``) until the cli wires the command."""
    p = argparse.ArgumentParser(prog=f"{PROG} animate", description=DESCRIPTION)
    return add_arguments(p)


def main(argv: Sequence[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    return main_animate(ns)


if __name__ == "__main__":
    raise SystemExit(main())
