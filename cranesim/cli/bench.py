"""``cranesim bench``: scheduler latency, quality, held-out optimality gap, against the plant's rules.

Imports :mod:`cranesim.studies.bench` at load time for its policy and section names: that
module and the ones it imports at the top import only the standard library and
:mod:`cranesim.codes` (``tests/cli`` checks ``cranesim --help``).
"""

from __future__ import annotations

import argparse
import sys

from cranesim.cli.argtypes import int_range, positive
from cranesim.cli.command import Command, arg, json_arg
from cranesim.cli.exits import EXIT_OK, PROG, emit
from cranesim.cli.paths import STDOUT, json_file, print_json, reserve, text_stream, wrote
from cranesim.studies.bench import HELD_OUT_FIRST_SEED, POLICIES, SECTIONS, VERSUS_FIRST_SEED

__all__ = ["COMMAND"]


def _rates(text: str) -> list[float]:
    """``--rates 45,70``: mill rates in t/h."""
    try:
        vals = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected mill rates in t/h, e.g. 45,70"
        ) from None
    if not vals or any(not 0 < v <= 1000 for v in vals):
        raise argparse.ArgumentTypeError(f"{text!r}: expected rates in (0, 1000] t/h, e.g. 45,70")
    return vals


def handle(ns: argparse.Namespace) -> int:
    from cranesim.record.atomic import Outputs, json_bytes
    from cranesim.studies.bench import report_text, run_bench

    json_path = json_file("--json", ns.json)
    with Outputs() as out:  # the JSON's temporary file exists before the benchmark starts
        json_out = reserve(out, "--json", json_path) if json_path is not None else None
        rep = run_bench(
            quick=ns.quick,
            seeds=ns.seeds,
            hours=ns.hours,
            instances=ns.instances,
            time_limit_s=ns.time_limit,
            skip=tuple(ns.skip),
            policies=tuple(dict.fromkeys(ns.policy or POLICIES)),
            progress=lambda msg: print(f"{PROG} bench: {msg}", file=sys.stderr, flush=True),
            tuning=ns.tuning,
            first_seed=ns.first_seed,
            versus_seeds=ns.versus_seeds,
            versus_hours=ns.versus_hours,
            rates=ns.rates,
        )
        if json_out is not None:
            json_out.write_bytes(json_bytes(rep))
        out.commit()
    if json_path is not None and json_path != STDOUT:
        wrote(json_path)
    emit(report_text(rep), text_stream(json_path))
    if json_path == STDOUT:
        print_json(rep)
    return EXIT_OK


COMMAND = Command(
    "bench",
    "benchmark the scheduler: latency, quality, held-out optimality gap, against the plant's rules",
    handle,
    (
        json_arg("write the report as JSON (atomically; '-': standard output)"),
        arg(
            "--quick",
            action="store_true",
            help="a short version (fewer calls, 1 seed x 6 h, 2 + 3 small instances at 5 s, "
            "1 seed x 6 h against the plant): for tests and a smoke check",
        ),
        arg(
            "--seeds",
            type=int_range(1, 100, "a number of seeds"),
            metavar="N",
            help="quality: seeds per policy (default 3; 1 with --quick)",
        ),
        arg(
            "--hours",
            type=positive(float, "a number of hours"),
            metavar="H",
            help="quality: simulated hours per run (default 48; 6 with --quick)",
        ),
        arg(
            "--tuning",
            type=int_range(0, 1000, "a number of instances"),
            metavar="N",
            help="optimality: tuning instances, seeds 1..N (default 30; 2 with --quick)",
        ),
        arg(
            "--instances",
            type=int_range(1, 1000, "a number of instances"),
            metavar="K",
            help="optimality: held-out instances (default 60; 3 with --quick)",
        ),
        arg(
            "--first-seed",
            type=int_range(1, 10**9, "a seed"),
            metavar="S",
            help=f"optimality: first seed of the held-out instances (default {HELD_OUT_FIRST_SEED})",
        ),
        arg(
            "--time-limit",
            type=positive(float, "a number of seconds"),
            metavar="S",
            help="optimality: CP-SAT time limit per instance, one worker (default 10 s; 5 s "
            "with --quick)",
        ),
        arg(
            "--versus-seeds",
            type=int_range(1, 100, "a number of seeds"),
            metavar="N",
            help=f"versus: seeds from {VERSUS_FIRST_SEED} per rate and policy (default 5; 1 with "
            "--quick)",
        ),
        arg(
            "--versus-hours",
            type=positive(float, "a number of hours"),
            metavar="H",
            help="versus: simulated hours per run (default 72; 6 with --quick)",
        ),
        arg(
            "--rates",
            type=_rates,
            metavar="R,R",
            help="versus: mill rates in t/h (default 45,70: the default scenario's and a heavy one)",
        ),
        arg(
            "--policy",
            action="append",
            choices=POLICIES,
            default=[],
            metavar="POLICY",
            help="quality: only this policy (" + ", ".join(POLICIES) + "); may be repeated "
            "(default: all)",
        ),
        arg(
            "--skip",
            action="append",
            choices=SECTIONS,
            default=[],
            metavar="SECTION",
            help="leave a section out (" + ", ".join(SECTIONS) + "); may be repeated",
        ),
    ),
    description=(
        "Decision latency of the compiled scheduler core against its pure-Python twin (4 cranes, "
        "200 jobs, 5,000 places); KPIs of each policy on the default scenario; optimality gap of "
        "the core policies against CP-SAT (OR-Tools, optional) on static two-crane instances, "
        "tuning and held-out sets apart; the default policy against the plants' own rules at two "
        "mill rates."
    ),
)
