"""``cranesim bench``: scheduler latency, quality against baselines, optimality gap.

Imports :mod:`cranesim.studies.bench` at load time for its policy and section names: that
module imports only the standard library at the top (``tests/cli`` checks ``cranesim --help``).
"""

from __future__ import annotations

import argparse
import sys

from cranesim.cli.argtypes import int_range, positive
from cranesim.cli.command import Command, arg, json_arg
from cranesim.cli.exits import EXIT_OK, PROG
from cranesim.cli.paths import json_file, make_room, text_stream, write_json
from cranesim.studies.bench import POLICIES, SECTIONS

__all__ = ["COMMAND"]


def handle(ns: argparse.Namespace) -> int:
    from cranesim.studies.bench import report_text, run_bench

    json_path = json_file("--json", ns.json)
    if json_path is not None:
        make_room("--json", json_path)
    rep = run_bench(
        quick=ns.quick,
        seeds=ns.seeds,
        hours=ns.hours,
        instances=ns.instances,
        time_limit_s=ns.time_limit,
        skip=tuple(ns.skip),
        policies=tuple(dict.fromkeys(ns.policy or POLICIES)),
        progress=lambda msg: print(f"{PROG} bench: {msg}", file=sys.stderr, flush=True),
    )
    print(report_text(rep), file=text_stream(json_path))
    if json_path is not None:
        write_json(json_path, rep)
    return EXIT_OK


COMMAND = Command(
    "bench",
    "benchmark the scheduler: decision latency, quality against baselines, optimality gap",
    handle,
    (
        json_arg("write the report as JSON (atomically; '-': standard output)"),
        arg(
            "--quick",
            action="store_true",
            help="a short version (fewer calls, 1 seed x 6 h, 3 small instances at 5 s): "
            "for tests and a smoke check",
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
            "--instances",
            type=int_range(1, 1000, "a number of instances"),
            metavar="K",
            help="optimality: static instances (default 10; 3 with --quick)",
        ),
        arg(
            "--time-limit",
            type=positive(float, "a number of seconds"),
            metavar="S",
            help="optimality: CP-SAT time limit per instance (default 10 s; 5 s with --quick)",
        ),
        arg(
            "--policy",
            action="append",
            choices=POLICIES,
            default=[],
            metavar="POLICY",
            help="quality: only this policy (greedy, greedy_mix, greedy_energy: greedy with the "
            "time, mix or energy objective; fcfs_nearest, random_free); may be repeated "
            "(default: all five)",
        ),
        arg(
            "--skip",
            action="append",
            choices=SECTIONS,
            default=[],
            metavar="SECTION",
            help="leave a section out (latency, quality, optimality); may be repeated",
        ),
    ),
    description=(
        "Decision latency of the compiled scheduler core against its pure-Python twin (4 cranes, "
        "200 jobs, 5,000 places); KPIs of the greedy policy against fcfs_nearest and random_free "
        "on the default scenario; optimality gap of greedy against CP-SAT (OR-Tools, optional) "
        "on small static two-crane instances with relocations."
    ),
)
