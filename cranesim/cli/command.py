"""What a command of the ``cranesim`` command line is, and the arguments several commands share.

A command is one module in :mod:`cranesim.cli` holding a :class:`Command`: its name, help, its
arguments (``arg(...)`` as for :meth:`argparse.ArgumentParser.add_argument`) and a handler
``handler(ns) -> exit status`` that parses what argparse cannot, calls the library and prints.
Handlers raise :class:`cranesim.errors.UserError` (exit status 2) for bad input; they never
print an error or exit themselves (:mod:`cranesim.cli.exits` does).  A command module imports
only the standard library and :mod:`cranesim.cli` at load time, so ``cranesim --help`` is fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cranesim.cli.argtypes import hours, int_range, seed

__all__ = [
    "Arg",
    "Command",
    "Handler",
    "arg",
    "config_arg",
    "set_arg",
    "demand_arg",
    "scenario_args",
    "model_args",
    "load_scenario",
    "check_scenario",
    "hours_arg",
    "seed_arg",
    "json_arg",
    "parallel_args",
    "NO_PROGRESS",
]

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Arg:
    """One argument of a command: the flags and keywords of ``add_argument``."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


def arg(*flags: str, **kwargs: Any) -> Arg:
    """One argument, as for :meth:`argparse.ArgumentParser.add_argument`."""
    return Arg(flags, kwargs)


@dataclass(frozen=True)
class Command:
    """A subcommand: ``cranesim NAME ARGUMENTS`` runs ``handler(ns)``, which returns the status."""

    name: str
    help: str
    handler: Handler
    arguments: tuple[Arg, ...] = ()
    description: str = ""

    def add_to(self, subparsers: Any) -> argparse.ArgumentParser:
        """Add this command's parser to an ``argparse`` subparsers object."""
        p = subparsers.add_parser(
            self.name, help=self.help, description=self.description or self.help
        )
        for a in self.arguments:
            p.add_argument(*a.flags, **a.kwargs)
        p.set_defaults(_handler=self.handler, _parser=p)  # _parser: for its usage errors
        return p


# --------------------------------------------------------------------------- shared arguments
def config_arg() -> Arg:
    """The optional scenario file (``load_config(None)`` is the packaged default)."""
    return arg(
        "config",
        nargs="?",
        metavar="CONFIG",
        help="scenario TOML file, or the name of a packaged example ('cranesim examples'); "
        "default: the packaged default",
    )


def set_arg() -> Arg:
    """``--set section.key=VALUE``, repeatable: keys set on top of the scenario file."""
    return arg(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="set",
        help="set a scenario key on top of the file, validated as the file is (repeatable; "
        "TOML values: --set mill.rate_t_h=60 --set scheduler.policy=fcfs_nearest --set "
        "'cranes[1].start_x_m=50.0')",
    )


def scenario_args() -> tuple[Arg, ...]:
    """The arguments of every command that reads one scenario: CONFIG and ``--set``."""
    return (config_arg(), set_arg())


def model_args() -> tuple[Arg, ...]:
    """The arguments of every command that runs the model on one scenario (run, compare,
    animate, sweep): :func:`scenario_args` and ``--demand`` (:func:`demand_arg`)."""
    return (*scenario_args(), demand_arg())


def seed_arg(help: str = "random seed (default: scenario.seed)", type: Any = seed) -> Arg:
    """``--seed S``."""
    return arg("--seed", type=type, metavar="S", help=help)


def hours_arg(help: str) -> Arg:
    """``--hours H``: model hours, > 0."""
    return arg("--hours", type=hours, metavar="H", help=help)


def json_arg(help: str = "write the result to PATH as JSON ('-': standard output)") -> Arg:
    """``--json PATH``; ``-`` is standard output (see :func:`cranesim.cli.paths.json_target`)."""
    return arg("--json", metavar="PATH", help=help)


def parallel_args() -> tuple[Arg, ...]:
    """``--workers N`` and ``--dask ADDRESS``: where the runs of a study go (the results do not
    depend on it; :mod:`cranesim.studies.replicate`)."""
    return (
        arg(
            "--workers",
            type=int_range(1, None, "workers"),
            default=1,
            metavar="N",
            help="processes to run the simulations in parallel (same results as serial)",
        ),
        arg(
            "--dask",
            metavar="ADDRESS",
            help="run the simulations on a Dask cluster (scheduler address, or 'local' for a "
            "loopback cluster of --workers processes); same results as serial",
        ),
    )


#: ``--no-progress`` (the bar of :mod:`cranesim.cli.progress` is shown only on a terminal)
NO_PROGRESS = arg(
    "--no-progress", action="store_true", help="no progress bar (it is shown only on a terminal)"
)


def demand_arg() -> Arg:
    """``--demand DIR``: run from a plant's recorded demand (every command that runs the model)."""
    return arg(
        "--demand",
        metavar="DIR",
        help="run from recorded demand: the coils, trucks and optionally stock and stops files "
        "(.csv or .parquet) in DIR, instead of the scenario's generators (overrides [demand])",
    )


def load_scenario(ns: argparse.Namespace, config: str | None = None) -> Any:
    """The scenario of a command: ``ns.config`` (or ``config``; the packaged default when
    neither), with ``ns.set`` applied and validated as the file is
    (:func:`cranesim.scenario.load.load_config`: a ``ConfigError``, exit status 2), and with
    ``--demand DIR`` if the command has it and it was given."""
    from cranesim.scenario.load import load_config

    path = getattr(ns, "config", None) if config is None else config
    sc = load_config(path, getattr(ns, "set", None) or ())
    folder = getattr(ns, "demand", None)
    if folder is not None:
        from pathlib import Path

        from cranesim.errors import UserError
        from cranesim.scenario.recorded import with_demand

        if not Path(folder).is_dir():
            raise UserError(f"--demand {folder}: no such folder")
        sc = with_demand(sc, folder)
    return sc


def check_scenario(sc: Any, hours: float | None = None, quiet: bool = False) -> Any:
    """Build the scenario's layout and check its recorded demand before anything runs: a bad
    file is a :class:`~cranesim.errors.UserError` naming file, row and column (exit status 2);
    what the run will do with the records is noted on stderr.  Returns the layout."""
    import sys

    from cranesim.scenario.layout import build_layout
    from cranesim.scenario.recorded_check import require_demand

    layout = build_layout(sc)  # geometry errors are user errors (exit 2, naming the file)
    check = require_demand(sc, layout, hours)
    if check is not None and not quiet:
        print(
            f"cranesim: demand recorded in {_where(sc.demand)}: {check.describe()}", file=sys.stderr
        )
        for note in check.problems.notes:
            print(f"cranesim: note: {note}", file=sys.stderr)
    return layout


def _where(d: Any) -> str:
    return (
        d.dir
        if d.dir is not None
        else ", ".join(
            str(getattr(d, k)) for k in ("coils", "trucks", "stock", "stops") if getattr(d, k)
        )
    )
