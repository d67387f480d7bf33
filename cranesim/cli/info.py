"""``cranesim info``: versions, which core runs (and how to get the compiled one), the
packaged examples."""

from __future__ import annotations

import argparse
import sys

from cranesim._version import __version__
from cranesim.cli.command import Command
from cranesim.cli.exits import EXIT_OK

__all__ = ["COMMAND", "core_description"]


def core_description() -> str:
    """Which scheduler core runs, and where it comes from (imports the core)."""
    from cranesim.native import CORE, CORE_DETAIL

    return f"{CORE} ({CORE_DETAIL})"


def handle(ns: argparse.Namespace) -> int:
    import platform

    import numpy
    import simpy

    from cranesim.native import compiled, how_to_compile
    from cranesim.scenario.load import default_config_path, examples

    try:
        path = default_config_path()
        default = str(path) if path.is_file() else f"{path} (missing)"
        names = ", ".join(examples()) + " (run one by name; 'cranesim examples' copies them)"
    except ImportError as exc:  # a source checkout that was never installed
        default = names = f"not found ({exc})"
    rows = [
        ("cranesim", __version__),
        ("core", core_description()),
    ]
    if not compiled():
        rows.append(("compiled core", how_to_compile()))
    rows += [
        ("python", f"{platform.python_version()} ({sys.executable})"),
        ("numpy", numpy.__version__),
        ("simpy", simpy.__version__),
        ("default scenario", default),
        ("examples", names),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return EXIT_OK


COMMAND = Command(
    "info",
    "show versions, which core runs (compiled or pure Python) and the packaged examples",
    handle,
)
