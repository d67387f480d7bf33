"""``cranesim run``: simulate a scenario and print its KPIs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cranesim.cli.command import (
    NO_PROGRESS,
    Command,
    arg,
    check_scenario,
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
    demand_inputs,
    distinct,
    json_file,
    output_dir,
    output_file,
    print_json,
    probe_dir,
    reserve,
    text_stream,
    wrote,
)
from cranesim.cli.progress import HOURS_BAR, progress
from cranesim.errors import UserError

__all__ = ["COMMAND", "simulate"]


def simulate(
    sc: Any,
    *,
    hours: float,
    seed: int,
    crew: str,
    trace_path: str | None,
    outputs: Any,
    progress: Callable[[float], None] | None,
    export_demand: str | None = None,
    export_format: str = "csv",
) -> Any:
    """What ``cranesim run`` calls: :func:`cranesim.model.run`, its trace (if any) in the group
    ``outputs`` (tests patch this seam)."""
    from cranesim.model import run

    return run(
        sc, hours=hours, seed=seed, crew=crew, trace_path=trace_path, outputs=outputs,
        progress=progress, export_demand=export_demand, export_format=export_format,
    )  # fmt: skip


def _export_dir(ns: argparse.Namespace, sc: Any) -> Path | None:
    """``--export-demand DIR``: not the folder the run reads, and holding no demand file of the
    other format (two files of one table would be ambiguous when read)."""
    if ns.export_demand is None:
        return None
    out = output_dir("--export-demand", ns.export_demand)
    d, here = sc.demand, out.resolve()
    files = [Path(p).resolve() for p in (d.coils, d.trucks, d.stock, d.stops) if p]
    if (d.dir and Path(d.dir).resolve() == here) or any(f.parent == here for f in files):
        raise UserError(f"--export-demand {out}: the run reads its demand there; export elsewhere")
    other = "parquet" if ns.export_format == "csv" else "csv"
    for name in ("coils", "trucks", "stock", "stops"):
        if (out / f"{name}.{other}").exists():
            raise UserError(
                f"--export-demand {out}: holds {name}.{other}, which would stand beside the "
                f"{name}.{ns.export_format} written: remove it or use --export-format {other}"
            )
    return out


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.atomic import Outputs, json_bytes
    from cranesim.record.kpi import kpi_table
    from cranesim.record.trace import sidecar_path

    trace = output_file("--trace", ns.trace, (".csv", ".parquet")) if ns.trace else None
    json_path = json_file("--json", ns.json)
    sc = load_scenario(ns)
    side = sidecar_path(trace) if trace is not None and trace.suffix.lower() == ".csv" else None
    export = _export_dir(ns, sc)
    distinct(
        {"--trace": trace, "--trace's metadata": side, "--json": json_path},
        {"scenario": sc._source, **demand_inputs(sc)},
    )
    hours = ns.hours if ns.hours is not None else sc.scenario.hours
    seed = ns.seed if ns.seed is not None else sc.scenario.seed
    check_scenario(sc, hours)  # bad geometry or demand files: exit 2, before the run

    # the outputs appear together when the run is done, or not at all (a failure, Ctrl-C,
    # SIGTERM); they are checked now, so a path that cannot be written stops the command
    # before the run
    if trace is not None:
        check_writable("--trace", trace)
    if export is not None:
        probe_dir("--export-demand", export)
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
                export_demand=None if export is None else str(export),
                export_format=ns.export_format,
            )
        if json_out is not None:
            json_out.write_bytes(json_bytes(result.summary))
        out.commit()
    for p in (json_path, trace, side):
        if p is not None and p != STDOUT:
            wrote(p)
    if export is not None:
        wrote(f"the run's demand to {export}")
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
        arg(
            "--export-demand",
            metavar="DIR",
            help="write the run's demand (initial stock, coils, stoppages, trucks) to DIR in "
            "the recorded format: --demand DIR with the same scenario and seed repeats the run",
        ),
        arg(
            "--export-format",
            choices=("csv", "parquet"),
            default="csv",
            help="file type of --export-demand (default csv)",
        ),
        NO_PROGRESS,
        arg(
            "--no-energy",
            action="store_true",
            help="plain trapezoid moves without anti-sway shaping and no energy accounting "
            "(faster)",
        ),
    ),
)
