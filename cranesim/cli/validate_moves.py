"""``cranesim validate-moves``: the simulated lifts beside a plant's recorded crane moves.

Usage::

    cranesim validate-moves [CONFIG] --moves LOG [--demand DIR] [--report DIR] [--json PATH]
    cranesim validate-moves [CONFIG] --moves LOG --trace TRACE   # a run already made

Without ``--trace`` the model runs (automated cranes, or ``--crew manual``) over the hours the
log covers, on the scenario's demand (``--demand``: the plant's records of the same days).
"""

from __future__ import annotations

import argparse
import math

from cranesim.cli.command import (
    NO_PROGRESS,
    Command,
    arg,
    check_scenario,
    hours_arg,
    load_scenario,
    model_args,
    seed_arg,
)
from cranesim.cli.exits import EXIT_OK, emit
from cranesim.cli.paths import (
    demand_inputs,
    distinct,
    input_trace,
    output_dir,
    output_file,
    probe_dir,
    reserve,
    wrote,
)
from cranesim.cli.progress import HOURS_BAR, progress

__all__ = ["COMMAND"]


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.atomic import Outputs, json_bytes
    from cranesim.studies.moves import (
        compare_moves,
        moves_from_trace,
        moves_path,
        read_moves,
        simulate_moves,
        strip_samples,
    )
    from cranesim.studies.moves_report import summary_text, write_moves_report

    log_path = moves_path(ns.moves)
    json_path = output_file("--json", ns.json, (".json",)) if ns.json else None
    report_dir = output_dir("--report", ns.report) if ns.report else None
    trace = None
    if ns.trace is not None:
        trace = input_trace("--trace", ns.trace).resolve()
    sc = load_scenario(ns)
    lay = check_scenario(sc, None if trace is not None else ns.hours, quiet=trace is not None)
    rec = read_moves(log_path, sc, lay)
    report_md = report_dir / "report.md" if report_dir is not None else None
    distinct(
        {"--json": json_path, "--report": report_md},
        {"scenario": sc._source, "move log (--moves)": log_path, "trace (--trace)": trace,
         **demand_inputs(sc)},
    )  # fmt: skip
    # the JSON and the report appear together when the comparison is done, or not at all
    with Outputs() as out:
        json_out = reserve(out, "--json", json_path) if json_path is not None else None
        if report_dir is not None:
            probe_dir("--report", report_dir)
        if trace is not None:
            sim = moves_from_trace(trace)
        else:
            # the hours the log covers (whole hours), unless given
            hours = (
                ns.hours
                if ns.hours is not None
                else max(1.0, math.ceil(float(rec.end.max()) / 3600))
            )
            seed = ns.seed if ns.seed is not None else sc.scenario.seed
            with progress(ns, hours=HOURS_BAR) as bar:
                if bar is not None:
                    bar("hours", 0.0, hours)
                sim = simulate_moves(
                    sc, hours, seed, ns.crew,
                    progress=(lambda h: bar("hours", h, hours)) if bar is not None else None,
                )  # fmt: skip
        result = compare_moves(sim, rec, sc, lay, "automated" if trace is not None else ns.crew)
        if json_out is not None:
            json_out.write_bytes(json_bytes(strip_samples(result)))
        if report_dir is not None:
            write_moves_report(result, report_dir, outputs=out)
        out.commit()
    for p in (json_path, report_md):
        if p is not None:
            wrote(p)
    emit(summary_text(result))
    return EXIT_OK


COMMAND = Command(
    "validate-moves",
    "hold simulated crane lifts against a plant's recorded move log",
    handle,
    (
        *model_args(),
        arg(
            "--moves",
            required=True,
            metavar="LOG",
            help="the plant's move log (.csv or .parquet; columns crane, start_at, end_at, "
            "from, to[, coil_id])",
        ),
        arg("--trace", metavar="TRACE", help="compare this run's trace instead of running"),
        hours_arg("model hours to simulate (default: the hours the log covers)"),
        seed_arg(),
        arg(
            "--crew",
            choices=("automated", "manual"),
            default="automated",
            help="simulate the automated cranes or the modelled manual crew (default automated)",
        ),
        arg("--json", metavar="PATH", help="write the comparison to PATH as JSON"),
        arg("--report", metavar="DIR", help="write report.md and PNG charts to DIR"),
        NO_PROGRESS,
    ),
    description=(
        "Run the model on the plant's demand (--demand or [demand]) and set its lifts beside "
        "the recorded ones: lifts per hour and per crane, cycle-time distributions per lift "
        "kind with a two-sample Kolmogorov-Smirnov test, empty travel, relocations, and "
        "calibration hints (which of the cranes' speeds or pick/place times look off)."
    ),
)
