"""``cranesim examples``: list the packaged scenarios and data files, or copy them.

Usage::

    cranesim examples                      # name, description and installed path of each
    cranesim examples small                # copy small.toml into the current directory
    cranesim examples small meters_example.csv --to my_plant/

Every command that reads a scenario also takes a packaged example by name
(``cranesim run small``), so nothing needs copying to run one; copy one to edit it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cranesim.cli.command import Command, arg
from cranesim.cli.exits import EXIT_OK
from cranesim.cli.paths import make_room, output_dir, wrote
from cranesim.errors import UserError

__all__ = ["COMMAND", "listing"]


def listing() -> list[tuple[str, str, Path]]:
    """``(name, description, path)`` of every packaged scenario, then every data file."""
    from cranesim.scenario.load import DEFAULT, examples, load_config

    rows = []
    for name, path in examples().items():
        sc = load_config(path)
        default = " (the default)" if path.name == DEFAULT else ""
        rows.append((name, f"{sc.scenario.description}{default}", path))
    for name, path in examples("csv").items():
        rows.append((path.name, "meter readings for 'cranesim compare --meters'", path))
    return rows


def _find(name: str) -> Path:
    from cranesim.scenario.load import examples

    scenarios, data = examples(), {p.name: p for p in examples("csv").values()}
    hit = scenarios.get(name.removesuffix(".toml")) or data.get(name)
    if hit is None:
        known = ", ".join([*scenarios, *data])
        raise UserError(f"examples: no packaged example {name!r} (there are: {known})")
    return hit


def handle(ns: argparse.Namespace) -> int:
    if not ns.names:
        rows = listing()
        w = max(len(n) for n, _, _ in rows)
        for name, desc, _ in rows:
            print(f"{name:<{w}}  {desc}")
        print(f"\ninstalled in {rows[0][2].parent}", file=sys.stderr)
        print(
            "run one by name (cranesim run small), or copy it to edit: cranesim examples small",
            file=sys.stderr,
        )
        return EXIT_OK
    sources = [_find(n) for n in ns.names]  # every name checked before anything is copied
    dest = output_dir("--to", ns.to)
    targets = [dest / s.name for s in sources]
    for t in targets:
        if t.exists() and not ns.force:
            raise UserError(f"--to {dest}: {t.name} exists (--force replaces it)")
    make_room("--to", dest, is_dir=True)
    from cranesim.record.atomic import atomic_write_bytes

    for s, t in zip(sources, targets):
        atomic_write_bytes(t, s.read_bytes())
        wrote(t)
    return EXIT_OK


COMMAND = Command(
    "examples",
    "list the packaged example scenarios, or copy them to edit",
    handle,
    (
        arg("names", nargs="*", metavar="NAME", help="example(s) to copy (default: list them)"),
        arg("--to", default=".", metavar="DIR", help="copy into DIR (default: .)"),
        arg("--force", action="store_true", help="replace files that exist"),
    ),
    description="Without NAME, list the packaged scenarios and data files. With NAME, copy "
    "them into --to DIR to edit. Any command that reads a scenario also accepts a packaged "
    "example's name in place of a file (cranesim run small).",
)
