"""``cranesim compare``: automated cranes against a modelled manual crew (is the 30% real?)."""

from __future__ import annotations

import argparse

from cranesim.cli.argtypes import int_range, seed_upto
from cranesim.cli.command import (
    NO_PROGRESS,
    Command,
    arg,
    check_scenario,
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
    demand_inputs,
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

__all__ = ["COMMAND"]

DESCRIPTION = (
    "Simulate the warehouse with a modelled manual crane crew and with automated cranes on "
    "the same random streams, and test the claim that automation saves more than 30% of the "
    "cranes' energy, in two readings (drive and motion energy; the crane feeder meter): savings "
    "with 95% intervals over the replications, the assumptions propagated jointly "
    "(P(saving > claim), Sobol indices, break-even values), a chain of causes per coil, service "
    "KPIs of both modes and a verdict per reading."
)


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.atomic import Outputs, json_bytes
    from cranesim.studies.compare import compare, summary_text

    json_path = json_file("--json", ns.json, (".json",))
    report_dir = output_dir("--report", ns.report) if ns.report else None
    sc = load_scenario(ns)
    report_md = report_dir / "report.md" if report_dir is not None else None
    distinct(
        {"--json": json_path, "--report": report_md},
        {"scenario": sc._source, "meter file (--meters)": ns.meters, **demand_inputs(sc)},
    )
    check_scenario(sc, ns.hours if ns.hours is not None else sc.compare.hours)
    if ns.dask is not None:
        from cranesim.studies.replicate import check_dask

        check_dask()
    # the JSON and the report appear together when the comparison is done, or not at all
    with Outputs() as out:
        json_out = reserve(out, "--json", json_path) if json_path is not None else None
        if report_dir is not None:
            probe_dir("--report", report_dir)
        with progress(ns, simulations=Bar("simulations", "run", WEIGHTED)) as bar:
            result = compare(
                sc,
                replications=ns.replications,
                hours=ns.hours,
                seed=ns.seed,
                samples=ns.samples,
                behaviour_runs=ns.behaviour_runs,
                uncertainty=not ns.no_uncertainty,
                meters=ns.meters,
                workers=ns.workers,
                dask=ns.dask,
                progress=bar,
            )
        if json_out is not None:
            json_out.write_bytes(json_bytes(result))
        if report_dir is not None:
            from cranesim.studies.report import write_report

            write_report(result, report_dir, outputs=out)
        out.commit()
    for p in (json_path, report_md):
        if p is not None and p != STDOUT:
            wrote(p)
    emit(summary_text(result), text_stream(json_path))
    if json_path == STDOUT:
        print_json(result)
    return EXIT_OK


COMMAND = Command(
    "compare",
    "energy: automated cranes vs a manual baseline",
    handle,
    (
        *model_args(),
        arg(
            "--replications",
            "-R",
            type=int_range(2, None, "replications"),
            metavar="R",
            help="paired replications, seeds S..S+R-1 (default: [compare] replications, 5)",
        ),
        hours_arg("model hours per replication (default: [compare] hours, 72)"),
        # room for the seeds S..S+R-1 of the replications
        seed_arg("first seed (default: scenario.seed)", seed_upto(2**63 - 1 - 10_000)),
        *parallel_args(),
        json_arg("write the full result to PATH as JSON ('-': standard output)"),
        arg("--report", metavar="DIR", help="write report.md and PNG charts to DIR"),
        arg(
            "--samples",
            type=int_range(16, None, "samples"),
            metavar="N",
            help="joint quasi-Monte Carlo samples of the assumptions (default: [uncertainty] "
            "samples, 256)",
        ),
        arg(
            "--behaviour-runs",
            type=int_range(0, None, "behaviour runs"),
            metavar="K",
            help="manual runs at a Latin hypercube of the driver assumptions (default: "
            "[uncertainty] behaviour_runs, 12; 0 keeps the driver at its values)",
        ),
        arg(
            "--no-uncertainty",
            action="store_true",
            help="the scenario's values only: no joint samples, no sensitivity",
        ),
        arg(
            "--meters",
            metavar="CSV",
            help="calibrate the assumptions to metered kWh per crane and period (a CSV, or the "
            "packaged meters_example.csv; columns: mode, "
            "crane, hours, kwh[, lifts]) and judge under the calibrated distribution",
        ),
        NO_PROGRESS,
    ),
    description=DESCRIPTION,
)
