"""``cranesim validate``: check scenario files, and their recorded demand, without running them."""

from __future__ import annotations

import argparse
import sys

from cranesim.cli.command import Command, arg, load_scenario, set_arg
from cranesim.cli.exits import EXIT_OK, EXIT_USAGE, PROG, one_line
from cranesim.errors import UserError

__all__ = ["COMMAND"]


def handle(ns: argparse.Namespace) -> int:
    from cranesim.errors import ConfigError
    from cranesim.scenario.layout import build_layout
    from cranesim.scenario.recorded_check import check_demand

    if not ns.configs and ns.demand is None:
        raise UserError("a scenario file is required (or --demand DIR to check recorded demand "
                        "against the packaged default)")  # fmt: skip
    status = EXIT_OK
    for path in ns.configs or [None]:
        name = path if path is not None else "(packaged default)"
        try:
            sc = load_scenario(ns, path)
            layout = build_layout(sc)
        except ConfigError as exc:  # one line per problem; the other files are still checked
            for problem in exc.problems:
                print(f"{PROG}: error: {one_line(problem)}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        line = f"OK {name}: {sc.scenario.name}, {len(sc.cranes)} cranes, {layout.n_slots} storage places"
        if sc.demand.source == "recorded":
            check = check_demand(sc, layout, sc.scenario.hours)
            p = check.problems
            if p:
                for e in p.errors:  # every problem: file, row, column
                    print(f"{PROG}: error: {e}", file=sys.stderr)
                if p.count > len(p.errors):
                    print(f"{PROG}: error: ... and {p.count - len(p.errors)} more", file=sys.stderr)
                status = EXIT_USAGE
                continue
            line += f"; demand: {check.describe()}"
            for note in p.notes:
                line += f"\n  note: {note}"
        print(line)
    return status


COMMAND = Command(
    "validate",
    "check scenario files (and recorded demand) without running them",
    handle,
    (
        arg(
            "configs",
            nargs="*",
            metavar="CONFIG",
            help="scenario TOML file(s), or names of packaged examples (none with --demand: the "
            "packaged default)",
        ),
        set_arg(),
        arg(
            "--demand",
            metavar="DIR",
            help="also check the recorded demand in DIR (coils, trucks, stock, stops), as the "
            "scenarios' demand",
        ),
    ),
    description="Load and check each scenario file (schema, ranges, geometry), with the --set "
    "keys on top of each, and its recorded demand ([demand] or --demand: every row of every "
    "file). Prints one line per file and every problem with its file, row and column; exit "
    "status 2 if any file cannot be used.",
)
