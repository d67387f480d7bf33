"""``cranesim animate``: animate a run live, replay a trace, or write frames.

Usage::

    cranesim animate [CONFIG]                       # live window, automated cranes
    cranesim animate [CONFIG] --side-by-side        # automated and manual on the same streams
    cranesim animate --replay TRACE                 # a recorded run, with a time slider
    cranesim animate [CONFIG] --offscreen --frames 6 --every 60 --out frames [--gif]

Exit status 0 also when the window is closed mid-run.  Qt is imported by :mod:`cranesim.viz`
only when the handler runs.
"""

from __future__ import annotations

import argparse
import math

from cranesim.cli.argtypes import positive
from cranesim.cli.command import (
    Command,
    arg,
    check_scenario,
    hours_arg,
    load_scenario,
    model_args,
    seed_arg,
)
from cranesim.cli.exits import EXIT_OK
from cranesim.cli.paths import distinct, input_trace, output_dir, output_file, probe_dir, wrote
from cranesim.errors import UserError

__all__ = ["COMMAND"]


def _nonneg(text: str) -> float:
    """A number of seconds >= 0."""
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not (math.isfinite(v) and v >= 0):
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text!r}")
    return v


def _size(text: str) -> tuple[int, int]:
    """``--size WxH`` in pixels."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size {text}: expected WIDTHxHEIGHT in pixels, e.g. 1600x1000") from None
    if not (200 <= w <= 8000 and 150 <= h <= 8000):
        raise UserError(
            f"--size {text}: expected a width of 200-8000 and a height of 150-8000 pixels"
        )
    return w, h


def handle(ns: argparse.Namespace) -> int:
    from cranesim.viz.animate import replay_scenario, show, use_display, write_frames

    capture = ns.frames is not None
    if ns.replay and ns.side_by_side:
        raise UserError("--replay and --side-by-side cannot be combined")
    if ns.replay and (ns.config or ns.set or ns.seed is not None):
        raise UserError(
            "--replay reads the scenario and seed from the trace: drop CONFIG, --set and --seed"
        )
    if ns.offscreen and not capture:
        raise UserError("--offscreen needs --frames N (there is no window to look at)")
    if ns.gif is not None and not capture:
        raise UserError("--gif needs --frames N")
    size = _size(ns.size)
    trace = input_trace("--replay", ns.replay) if ns.replay else None
    out = output_dir("--out", ns.out) if capture else None
    gif = None
    if capture and ns.gif is not None:
        gif = output_file("--gif", ns.gif, (".gif",)) if ns.gif else out / "animation.gif"
    use_display(ns.offscreen, capture)

    if trace is not None:
        sc, seed = replay_scenario(trace)
    else:
        sc = load_scenario(ns)
        seed = ns.seed if ns.seed is not None else sc.scenario.seed
    if gif is not None:
        distinct({"--gif": gif}, {"scenario": sc._source, "trace (--replay)": trace})
    hours = ns.hours if ns.hours is not None else sc.scenario.hours
    check_scenario(sc, None if trace is not None else hours)
    view = dict(
        seed=seed,
        hours=hours,
        replay=trace,
        side_by_side=ns.side_by_side,
        speed=ns.speed,
        color=ns.color,
        size=size,
    )
    if out is None:
        show(sc, **view)
        return EXIT_OK

    if trace is None:
        last = ns.start + (ns.frames - 1) * ns.every
        if last > hours * 3600.0:
            raise UserError(
                f"--frames {ns.frames} --every {ns.every:g} --start {ns.start:g}: the last frame "
                f"at {last / 3600:.2f} h is beyond the run ({hours:g} h, see --hours)"
            )
    probe_dir("--out", out)
    if gif is not None:
        probe_dir("--gif", gif.parent)
    times = [ns.start + k * ns.every for k in range(ns.frames)]
    paths = write_frames(sc, times, out, gif=gif, **view)
    wrote(f"{len(paths)} frames to {out}" + (f" and {gif}" if gif else ""))
    return EXIT_OK


COMMAND = Command(
    "animate",
    "animate a run live, replay a trace, or write frames",
    handle,
    (
        *model_args(),
        arg(
            "--replay",
            metavar="TRACE",
            help="show a recorded trace (.csv or .parquet from 'cranesim run --trace'; its "
            "scenario and seed are in it)",
        ),
        seed_arg(),
        hours_arg("model hours to run live (default: scenario.hours)"),
        arg(
            "--speed",
            type=positive(float, "a speed factor"),
            default=60.0,
            metavar="X",
            help="model seconds per wall second (default 60; 1 to 2000 in the window)",
        ),
        arg(
            "--side-by-side",
            action="store_true",
            help="automated and manual operation on the same random streams, one clock",
        ),
        arg(
            "--color",
            choices=("grade", "age"),
            default="grade",
            help="colour coils by grade or by age",
        ),
        arg(
            "--offscreen",
            action="store_true",
            help="no window (Qt offscreen platform); use with --frames",
        ),
        arg(
            "--frames",
            type=positive(int, "a number of frames"),
            metavar="N",
            help="write N PNG frames and exit",
        ),
        arg(
            "--every",
            type=positive(float, "a number of seconds"),
            default=60.0,
            metavar="SECONDS",
            help="model seconds between frames (default 60)",
        ),
        arg(
            "--start",
            type=_nonneg,
            default=0.0,
            metavar="SECONDS",
            help="model time of the first frame (default 0)",
        ),
        arg(
            "--out",
            default="frames",
            metavar="DIR",
            help="directory for the frames (default ./frames)",
        ),
        arg(
            "--gif",
            nargs="?",
            const="",
            default=None,
            metavar="PATH",
            help="also assemble the frames into an animated GIF (default DIR/animation.gif)",
        ),
        arg(
            "--size",
            default="1920x1080",
            metavar="WxH",
            help="window and frame size in pixels (default 1920x1080)",
        ),
    ),
    description=(
        "A to-scale top view of the warehouse (storage rows, unloading station, truck bays, "
        "cranes with trolley, hook, load and target) driven by the model, with live plots of "
        "stock, station buffer and mill blocked time, truck queue and crane energy. Space "
        "plays/pauses, Right steps."
    ),
)
