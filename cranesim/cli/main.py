"""The ``cranesim`` command line: parse, call, print.  No model logic lives here.

Each subcommand is one function decorated with :func:`command`, which declares its arguments and
receives the parsed :class:`argparse.Namespace`; it returns the exit status.  Adding a command
(``compare``, ``animate``, ``bench``) means adding one such function.

Exit status
-----------
0
    Success.
1
    The simulation failed (a model invariant was violated) or cranesim itself has a bug.  Set
    ``CRANESIM_DEBUG=1`` to see the traceback.
2
    A user error: bad arguments, or a scenario file that cannot be used.  One line on stderr,
    ``cranesim: error: <message>``, naming the option or the file and key.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from cranesim._version import __version__
from cranesim.cli.argtypes import hours as _positive_hours
from cranesim.cli.argtypes import seed as _seed
from cranesim.errors import Failure, ModelError, UserError

__all__ = ["Failure", "UserError", "arg", "build_parser", "command", "main"]

PROG = "cranesim"
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


# --------------------------------------------------------------------------- registry
class _Arg:
    def __init__(self, *flags: str, **kwargs: Any) -> None:
        self.flags, self.kwargs = flags, kwargs


def arg(*flags: str, **kwargs: Any) -> _Arg:
    """One argument of a subcommand, as for :meth:`argparse.ArgumentParser.add_argument`."""
    return _Arg(*flags, **kwargs)


_COMMANDS: dict[str, tuple[str, str, tuple[_Arg, ...], Handler]] = {}


def command(
    name: str, help: str, *args: _Arg, description: str = ""
) -> Callable[[Handler], Handler]:
    """Register ``func(ns) -> exit status`` as subcommand ``name`` taking ``args``."""

    def register(func: Handler) -> Handler:
        _COMMANDS[name] = (help, description or help, args, func)
        return func

    return register


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, ``cranesim: error: ...``, exit status 2."""

    def error(self, message: str) -> NoReturn:
        hint = f"{self.prog} --help"
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see '{hint}')\n")


class _VersionAction(argparse.Action):
    """``--version``: computed when asked, so the scheduler core is only imported then."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show version and scheduler core")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> NoReturn:
        print(f"{PROG} {__version__}")
        print(f"scheduler: {_core_description()}")
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with one subparser per registered command."""
    parser = _Parser(
        prog=PROG,
        description="Simulate an unmanned steel wire-coil warehouse served by overhead cranes.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (help_, description, args, func) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=description)
        for a in args:
            p.add_argument(*a.flags, **a.kwargs)
        p.set_defaults(_handler=func)
    from cranesim.studies.compare import add_parser as add_compare_parser  # stdlib-only import

    add_compare_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (the console script exits with it)."""
    parser = build_parser()
    ns = parser.parse_args(argv)  # exits 2 on a usage error, 0 for --help/--version
    handler: Handler | None = getattr(ns, "_handler", None)
    if handler is None:
        parser.error("a command is required: " + ", ".join(_COMMANDS))
    try:
        return handler(ns)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place that turns exceptions into exit statuses
        return _report(exc)


def _report(exc: Exception) -> int:
    if isinstance(exc, UserError):
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    debug = os.environ.get("CRANESIM_DEBUG", "") == "1"
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, Failure):
        msg = str(exc).rstrip()  # kept whole: a model error carries a multi-line state dump
    else:
        msg = f"internal error: {type(exc).__name__}: {_one_line(exc)}"
    if not debug:
        msg += ("\n" if "\n" in msg else "; ") + "rerun with CRANESIM_DEBUG=1 for a traceback"
    print(f"{PROG}: {msg}", file=sys.stderr)
    return EXIT_FAILURE


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _core_description() -> str:
    from cranesim.native import CORE, CORE_DETAIL

    return f"{CORE} ({CORE_DETAIL})"


# --------------------------------------------------------------------------- argument types
def _output_file(option: str, path: str, suffixes: tuple[str, ...] | None = None) -> Path:
    """Check an output path before the run starts: its suffix, and that it is not a directory."""
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise UserError(f"{option} {path}: expected a file name ending in {' or '.join(suffixes)}")
    if p.is_dir():
        raise UserError(f"{option} {path}: is a directory, expected a file name")
    return p


def _make_parent(option: str, p: Path) -> None:
    """Create the directory an output file goes into, or say which option cannot be written."""
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"{option} {p}: cannot create directory {p.parent} ({exc.strerror or exc})"
        ) from None
    if not os.access(p.parent, os.W_OK):
        raise UserError(f"{option} {p}: directory {p.parent} is not writable")


# --------------------------------------------------------------------------- commands
@command(
    "validate",
    "check scenario files without running them",
    arg("configs", nargs="+", metavar="CONFIG", help="scenario TOML file(s)"),
    description="Load and check each scenario file (schema, ranges, geometry). Prints one line "
    "per file; exit status 2 if any file cannot be used.",
)
def cmd_validate(ns: argparse.Namespace) -> int:
    from cranesim.errors import ConfigError
    from cranesim.scenario.load import load_config
    from cranesim.scenario.layout import build_layout

    status = EXIT_OK
    for path in ns.configs:
        try:
            sc = load_config(path)
            layout = build_layout(sc, path)
        except ConfigError as exc:
            print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        print(
            f"OK {path}: {sc.scenario.name}, {len(sc.cranes)} cranes, "
            f"{layout.n_slots} storage places"
        )
    return status


@command(
    "run",
    "simulate a scenario and print its KPIs",
    arg(
        "config",
        nargs="?",
        metavar="CONFIG",
        help="scenario TOML file (default: the packaged default)",
    ),
    arg(
        "--hours",
        type=_positive_hours,
        metavar="H",
        help="model hours to simulate (default: scenario.hours)",
    ),
    arg("--seed", type=_seed, metavar="S", help="random seed (default: scenario.seed)"),
    arg("--trace", metavar="PATH", help="write every event record to PATH (.csv or .parquet)"),
    arg("--json", metavar="PATH", help="write the KPI summary to PATH as JSON"),
    arg(
        "--no-progress",
        action="store_true",
        help="no progress bar (it is shown only on a terminal)",
    ),
    arg(
        "--no-energy",
        action="store_true",
        help="plain trapezoid moves without anti-sway shaping and no energy accounting (faster)",
    ),
)
def cmd_run(ns: argparse.Namespace) -> int:
    from cranesim.scenario.load import load_config
    from cranesim.scenario.layout import build_layout
    from cranesim.record.atomic import atomic_write_json

    trace = _output_file("--trace", ns.trace, (".csv", ".parquet")) if ns.trace else None
    json_path = _output_file("--json", ns.json) if ns.json else None
    sc = load_config(ns.config)
    build_layout(sc)  # geometry errors are user errors (exit 2, naming the file), before the run
    for option, p in (("--trace", trace), ("--json", json_path)):
        if p is not None:
            _make_parent(option, p)
    hours = ns.hours if ns.hours is not None else sc.scenario.hours
    seed = ns.seed if ns.seed is not None else sc.scenario.seed

    model = importlib.import_module("cranesim.model")
    from cranesim.record.kpi import kpi_table

    bar = _progress_bar(hours) if _show_progress(ns) else None
    try:
        result = model.run(
            sc,
            hours=hours,
            seed=seed,
            crew="plain" if ns.no_energy else "automated",  # automated: as `compare` models them
            trace_path=str(trace) if trace else None,
            progress=_advance(bar) if bar is not None else None,
        )
    except ModelError as exc:
        raise Failure(f"model error: {exc}") from exc
    finally:
        if bar is not None:
            bar.close()

    print(kpi_table(result.summary))
    if json_path is not None:
        atomic_write_json(json_path, result.summary)
        print(f"{PROG}: wrote {json_path}", file=sys.stderr)
    if trace is not None:
        print(f"{PROG}: wrote {trace}", file=sys.stderr)
    return EXIT_OK


def _show_progress(ns: argparse.Namespace) -> bool:
    return not ns.no_progress and sys.stderr.isatty()


def _progress_bar(hours: float) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=hours,
        unit="h",
        desc="model time",
        file=sys.stderr,
        dynamic_ncols=True,
        bar_format="{l_bar}{bar}| {n:.1f}/{total:.1f} h [{elapsed}<{remaining}]",
    )


def _advance(bar: Any) -> Callable[[float], None]:
    def progress(sim_hours_done: float) -> None:
        step = min(sim_hours_done, bar.total) - bar.n
        if step > 0:
            bar.update(step)

    return progress


@command("info", "show versions, the scheduler core and where the default scenario is")
def cmd_info(ns: argparse.Namespace) -> int:
    import numpy
    import simpy

    from cranesim.scenario.load import default_config_path

    try:
        path = default_config_path()
        default = str(path) if path.is_file() else f"{path} (missing)"
    except ImportError as exc:  # a source checkout that was never installed
        default = f"not found ({exc})"
    rows = [
        ("cranesim", __version__),
        ("scheduler", _core_description()),
        ("python", f"{platform.python_version()} ({sys.executable})"),
        ("numpy", numpy.__version__),
        ("simpy", simpy.__version__),
        ("default scenario", default),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return EXIT_OK


from cranesim.viz.animate import ARGUMENTS as _ANIM_ARGS  # noqa: E402  (no Qt import at load)
from cranesim.viz.animate import DESCRIPTION as _ANIM_DESC  # noqa: E402
from cranesim.viz.animate import HELP as _ANIM_HELP  # noqa: E402


@command("animate", _ANIM_HELP, *(arg(*f, **k) for f, k in _ANIM_ARGS), description=_ANIM_DESC)
def cmd_animate(ns: argparse.Namespace) -> int:
    from cranesim.viz.animate import main_animate

    return main_animate(ns)


from cranesim.studies.bench import ARGUMENTS as _BENCH_ARGS  # noqa: E402  (no OR-Tools import at load)
from cranesim.studies.bench import DESCRIPTION as _BENCH_DESC  # noqa: E402
from cranesim.studies.bench import HELP as _BENCH_HELP  # noqa: E402


@command("bench", _BENCH_HELP, *(arg(*f, **k) for f, k in _BENCH_ARGS), description=_BENCH_DESC)
def cmd_bench(ns: argparse.Namespace) -> int:
    from cranesim.studies.bench import main_bench

    return main_bench(ns)
