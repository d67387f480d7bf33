"""``cranesim run``: simulate a scenario and print its KPIs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from cranesim.cli.command import NO_PROGRESS, Command, arg, config_arg, hours_arg, seed_arg
from cranesim.cli.exits import EXIT_OK, emit
from cranesim.cli.paths import distinct, output_file, reserve, wrote
from cranesim.cli.progress import Bar, progress

__all__ = ["COMMAND", "simulate"]

HOURS_BAR = Bar("model time", "h", "{l_bar}{bar}| {n:.1f}/{total:.1f} h [{elapsed}<{remaining}]")


def simulate(
    sc: Any,
    *,
    hours: float,
    seed: int,
    crew: str,
    sink: Callable[[tuple], None] | None,
    progress: Callable[[float], None] | None,
) -> Any:
    """What ``cranesim run`` calls: :func:`cranesim.model.run`, every record to ``sink`` (the
    trace writer) if given (tests patch this seam)."""
    from cranesim.model import run

    return run(sc, hours=hours, seed=seed, crew=crew, sink=sink, progress=progress)


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.atomic import Outputs, json_bytes
    from cranesim.record.kpi import kpi_table
    from cranesim.record.trace import TraceWriter
    from cranesim.scenario.layout import build_layout
    from cranesim.scenario.load import default_config_path, load_config

    trace = output_file("--trace", ns.trace, (".csv", ".parquet")) if ns.trace else None
    json_path = output_file("--json", ns.json) if ns.json else None
    sc = load_config(ns.config)
    build_layout(sc)  # geometry errors are user errors (exit 2, naming the file), before the run
    scenario = ns.config if ns.config is not None else default_config_path()
    distinct({"--trace": trace, "--json": json_path}, {"scenario": scenario})
    hours = ns.hours if ns.hours is not None else sc.scenario.hours
    seed = ns.seed if ns.seed is not None else sc.scenario.seed

    # the outputs appear together when the run is done, or not at all (a failure, Ctrl-C,
    # SIGTERM); their temporary files are created now, so a path that cannot be written stops
    # the command before the run
    with Outputs() as out:
        writer = None
        if trace is not None:
            writer = TraceWriter(trace, pending=reserve(out, "--trace", trace))
        json_file = reserve(out, "--json", json_path) if json_path is not None else None
        with progress(ns, hours=HOURS_BAR) as bar:
            if bar is not None:
                bar("hours", 0.0, hours)
            result = simulate(
                sc,
                hours=hours,
                seed=seed,
                crew="plain" if ns.no_energy else "automated",
                sink=writer.write if writer is not None else None,
                progress=(lambda h: bar("hours", h, hours)) if bar is not None else None,
            )
        if writer is not None:
            writer.close()
        if json_file is not None:
            json_file.write_bytes(json_bytes(result.summary))
        out.commit()
    for p in (json_path, trace):
        if p is not None:
            wrote(p)
    emit(kpi_table(result.summary))
    return EXIT_OK


COMMAND = Command(
    "run",
    "simulate a scenario and print its KPIs",
    handle,
    (
        config_arg(),
        hours_arg("model hours to simulate (default: scenario.hours)"),
        seed_arg(),
        arg("--trace", metavar="PATH", help="write every event record to PATH (.csv or .parquet)"),
        arg("--json", metavar="PATH", help="write the KPI summary to PATH as JSON"),
        NO_PROGRESS,
        arg(
            "--no-energy",
            action="store_true",
            help="plain trapezoid moves without anti-sway shaping and no energy accounting "
            "(faster)",
        ),
    ),
)
