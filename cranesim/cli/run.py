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
from cranesim.cli.exits import EXIT_OK, emit
from cranesim.cli.paths import (
    STDOUT,
    check_writable,
    distinct,
    json_file,
    output_file,
    print_json,
    reserve,
    text_stream,
    wrote,
)
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
    outputs: Any,
    progress: Callable[[float], None] | None,
) -> Any:
    """What ``cranesim run`` calls: :func:`cranesim.model.run`, its trace (if any) in the group
    ``outputs`` (tests patch this seam)."""
    from cranesim.model import run

    return run(
        sc, hours=hours, seed=seed, crew=crew, trace_path=trace_path, outputs=outputs,
        progress=progress,
    )  # fmt: skip


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.atomic import Outputs, json_bytes
    from cranesim.record.kpi import kpi_table
    from cranesim.record.trace import sidecar_path
    from cranesim.scenario.layout import build_layout

    trace = output_file("--trace", ns.trace, (".csv", ".parquet")) if ns.trace else None
    json_path = json_file("--json", ns.json)
    sc = load_scenario(ns)
    build_layout(sc)  # geometry errors are user errors (exit 2, naming the file), before the run
    side = sidecar_path(trace) if trace is not None and trace.suffix.lower() == ".csv" else None
    distinct(
        {"--trace": trace, "--trace's metadata": side, "--json": json_path},
        {"scenario": sc._source},
    )
    hours = ns.hours if ns.hours is not None else sc.scenario.hours
    seed = ns.seed if ns.seed is not None else sc.scenario.seed

    # the outputs appear together when the run is done, or not at all (a failure, Ctrl-C,
    # SIGTERM); they are checked now, so a path that cannot be written stops the command
    # before the run
    if trace is not None:
        check_writable("--trace", trace)
    with Outputs() as out:
        json_out = reserve(out, "--json", json_path) if json_path is not None else None
        with progress(ns, hours=HOURS_BAR) as bar:
            if bar is not None:
                bar("hours", 0.0, hours)
            result = simulate(
                sc,
                hours=hours,
                seed=seed,
                crew="plain" if ns.no_energy else "automated",
                trace_path=str(trace) if trace else None,
                outputs=out,
                progress=(lambda h: bar("hours", h, hours)) if bar is not None else None,
            )
        if json_out is not None:
            json_out.write_bytes(json_bytes(result.summary))
        out.commit()
    for p in (json_path, trace, side):
        if p is not None and p != STDOUT:
            wrote(p)
    emit(kpi_table(result.summary), text_stream(json_path))
    if json_path == STDOUT:
        print_json(result.summary)
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
