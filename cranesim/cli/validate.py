"""``cranesim validate``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys

from cranesim.cli.command import Command, arg, load_scenario, set_arg
from cranesim.cli.exits import EXIT_OK, EXIT_USAGE, PROG, one_line

__all__ = ["COMMAND"]


def handle(ns: argparse.Namespace) -> int:
    from cranesim.errors import ConfigError
    from cranesim.scenario.layout import build_layout

    status = EXIT_OK
    for path in ns.configs:
        try:
            sc = load_scenario(ns, path)
            layout = build_layout(sc)
        except ConfigError as exc:  # one line per problem; the other files are still checked
            for problem in exc.problems:
                print(f"{PROG}: error: {one_line(problem)}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        print(
            f"OK {path}: {sc.scenario.name}, {len(sc.cranes)} cranes, "
            f"{layout.n_slots} storage places"
        )
    return status


COMMAND = Command(
    "validate",
    "check scenario files without running them",
    handle,
    (
        arg(
            "configs",
            nargs="+",
            metavar="CONFIG",
            help="scenario TOML file(s), or names of packaged examples",
        ),
        set_arg(),
    ),
    description="Load and check each scenario file (schema, ranges, geometry), with the --set "
    "keys on top of each. Prints one line per file; exit status 2 if any file cannot be used.",
)
