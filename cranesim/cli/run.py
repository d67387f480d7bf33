"""``cranesim run``: simulate a scenario and print its KPIs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from cranesim.cli.command import (
    NO_PROGRESS,
    Command,
    arg,
    hours_arg,
    json_arg,
    load_scenario,
    model_args,
    seed_arg,
)
from cranesim.cli.exits import EXIT_OK
from cranesim.cli.paths import json_file, make_room, output_file, text_stream, write_json, wrote
from cranesim.cli.progress import Bar, progress

__all__ = ["COMMAND", "simulate"]

HOURS_BAR = Bar("model time", "h", "{l_bar}{bar}| {n:.1f}/{total:.1f} h [{elapsed}<{remaining}]")


def simulate(
    sc: Any,
    *,
    hours: float,
    seed: int,
    crew: str,
    trace_path: str | None,
    progress: Callable[[float], None] | None,
) -> Any:
    """What ``cranesim run`` calls: :func:`cranesim.model.run` (tests patch this seam)."""
    from cranesim.model import run

    return run(sc, hours=hours, seed=seed, crew=crew, trace_path=trace_path, progress=progress)


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.kpi import kpi_table
    from cranesim.scenario.layout import build_layout

    trace = output_file("--trace", ns.trace, (".csv", ".parquet")) if ns.trace else None
    json_path = json_file("--json", ns.json)
    sc = load_scenario(ns)
    build_layout(sc)  # geometry errors are user errors (exit 2, naming the file), before the run
    for option, p in (("--trace", trace), ("--json", json_path)):
        if p is not None:
            make_room(option, p)
    hours = ns.hours if ns.hours is not None else sc.scenario.hours
    seed = ns.seed if ns.seed is not None else sc.scenario.seed

    with progress(ns, hours=HOURS_BAR) as bar:
        if bar is not None:
            bar("hours", 0.0, hours)
        result = simulate(
            sc,
            hours=hours,
            seed=seed,
            crew="plain" if ns.no_energy else "automated",
            trace_path=str(trace) if trace else None,
            progress=(lambda h: bar("hours", h, hours)) if bar is not None else None,
        )
    print(kpi_table(result.summary), file=text_stream(json_path))
    if json_path is not None:
        write_json(json_path, result.summary)
    if trace is not None:
        wrote(trace)
    return EXIT_OK


COMMAND = Command(
    "run",
    "simulate a scenario and print its KPIs",
    handle,
    (
        *model_args(),
        hours_arg("model hours to simulate (default: scenario.hours)"),
        seed_arg(),
        arg("--trace", metavar="PATH", help="write every event record to PATH (.csv or .parquet)"),
        json_arg(
            "write the KPI summary to PATH as JSON ('-': standard output, the table goes to stderr)"
        ),  # fmt: skip
        NO_PROGRESS,
        arg(
            "--no-energy",
            action="store_true",
            help="plain trapezoid moves without anti-sway shaping and no energy accounting "
            "(faster)",
        ),
    ),
)
