"""``cranesim sweep``: vary scenario keys, replicate each point, tabulate and plot the KPIs.

Usage::

    cranesim sweep [CONFIG] --vary mill.rate_t_h=35:70:8 -R 3 --hours 168 --out sweep/
    cranesim sweep small --vary mill.rate_t_h=45,60 --vary trucks.dock_min=3,6 -R 5
    cranesim sweep --vary mill.rate_t_h=35:70 --vary station.places=4:12 --design lhs --points 20

See :mod:`cranesim.studies.sweep`.
"""

from __future__ import annotations

import argparse

from cranesim.cli.argtypes import int_range, seed_upto
from cranesim.cli.command import (
    NO_PROGRESS,
    Command,
    arg,
    hours_arg,
    json_arg,
    load_scenario,
    model_args,
    parallel_args,
    seed_arg,
)
from cranesim.cli.exits import EXIT_OK, emit
from cranesim.cli.paths import (
    STDOUT,
    distinct,
    json_file,
    output_dir,
    print_json,
    probe_dir,
    reserve,
    text_stream,
    wrote,
)
from cranesim.cli.progress import WEIGHTED, Bar, progress
from cranesim.errors import UserError

__all__ = ["COMMAND"]

RUNS_BAR = Bar("sweep", "run", WEIGHTED)


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.atomic import Outputs, json_bytes
    from cranesim.studies.sweep import DEFAULT_KPIS, kpi_names, parse_factor, sweep
    from cranesim.studies.sweep_report import points_text, write_sweep

    if not ns.vary:
        raise UserError("sweep: give at least one --vary KEY=VALUES (e.g. mill.rate_t_h=35:70:8)")
    factors = [parse_factor(v) for v in ns.vary]
    json_path = json_file("--json", ns.json, (".json",))
    out = output_dir("--out", ns.out) if ns.out else None
    sc = load_scenario(ns)
    kpis = tuple(ns.kpi) if ns.kpi else DEFAULT_KPIS
    known = kpi_names([c.name for c in sc.cranes])
    for k in kpis:
        if k not in known:
            raise UserError(f"--kpi {k}: not a KPI (one of: {', '.join(known)})")
    distinct(
        {"--json": json_path, "--out's sweep.json": out / "sweep.json" if out else None},
        {"scenario": sc._source},
    )
    if ns.dask is not None:
        from cranesim.studies.replicate import check_dask

        check_dask()
    # the JSON and the tables and charts appear together when the sweep is done, or not at all
    with Outputs() as group:
        json_out = reserve(group, "--json", json_path) if json_path is not None else None
        if out is not None:
            probe_dir("--out", out)
        with progress(ns, runs=RUNS_BAR) as bar:
            result = sweep(
                sc,
                factors,
                kind=ns.design,
                points=ns.points,
                replications=ns.replications,
                hours=ns.hours,
                seed=ns.seed,
                crew="plain" if ns.no_energy else "automated",
                workers=ns.workers,
                dask=ns.dask,
                progress=bar,
            )
        paths = write_sweep(result, out, kpis, ns.format, group) if out is not None else []
        if json_out is not None:
            json_out.write_bytes(json_bytes(result))
        group.commit()
    if out is not None:
        wrote(f"{len(paths)} files to {out} (runs.{ns.format}, points.{ns.format}, sweep.json, "
              f"{len(paths) - 3} charts)")  # fmt: skip
    if json_path is not None and json_path != STDOUT:
        wrote(json_path)
    emit(points_text(result, kpis), text_stream(json_path))
    if json_path == STDOUT:
        print_json(result)
    return EXIT_OK


COMMAND = Command(
    "sweep",
    "vary scenario keys over a grid or a sample, with replications; tables and charts",
    handle,
    (
        *model_args(),
        arg(
            "--vary",
            action="append",
            default=[],
            metavar="KEY=VALUES",
            help="a scenario key and its values: V1,V2,... (TOML values), LO:HI:N (N evenly "
            "spaced points), or LO:HI (a range, for --design lhs/sobol); repeat for more keys "
            "(a grid: every combination)",
        ),
        arg(
            "--design",
            choices=("grid", "lhs", "sobol"),
            default="grid",
            help="grid (every combination, default), lhs (Latin hypercube) or sobol (scrambled "
            "Sobol) sample of the ranges",
        ),
        arg(
            "--points",
            type=int_range(2, None, "points"),
            metavar="N",
            help="points of a sampled design",
        ),
        arg(
            "--replications",
            "-R",
            type=int_range(1, None, "replications"),
            default=3,
            metavar="R",
            help="runs per point, seeds S..S+R-1 at every point (common random numbers; default 3)",
        ),
        hours_arg("model hours per run (default: scenario.hours)"),
        seed_arg("first seed (default: scenario.seed)", seed_upto(2**63 - 1 - 10_000)),
        arg(
            "--kpi",
            nargs="+",
            metavar="NAME",
            help="KPIs to tabulate and plot (default: mill_blocked_min truck_wait_mean_min "
            "truck_turnaround_mean_min lifts_per_hour relocations_per_retrieval energy_kwh); "
            "the run table holds them all",
        ),
        arg(
            "--out",
            metavar="DIR",
            help="write runs.csv (one row per run: inputs and KPIs), points.csv (per point: "
            "mean and 95%% CI of every KPI), sweep.json and a PNG per KPI and varied key",
        ),
        arg("--format", choices=("csv", "parquet"), default="csv", help="table format"),
        json_arg("write the whole result to PATH as JSON ('-': standard output)"),
        *parallel_args(),
        arg(
            "--no-energy",
            action="store_true",
            help="plain trapezoid moves and no energy accounting (faster), as run --no-energy",
        ),
        NO_PROGRESS,
    ),
    description=(
        "Vary one or more scenario keys (any key --set takes) over a grid or a sampled design, "
        "run every point with the same replications (common random numbers), and print each "
        "KPI's mean and 95% interval per point. With --out, also the table of every run, the "
        "table of points and a chart per KPI against each varied key."
    ),
)
