"""The ``cranesim`` command line: one parser, one registry of commands, one exit-status map.

:data:`COMMANDS` lists the commands; each is a module of this package holding a
:class:`~cranesim.cli.command.Command` (its arguments and its handler).  :func:`main` parses,
calls the handler, and turns what it raises into an exit status (:mod:`cranesim.cli.exits`):

0
    Success.
1
    The simulation failed (a model invariant was violated) or cranesim itself has a bug.  Set
    ``CRANESIM_DEBUG=1`` to see the traceback.
2
    A user error: bad arguments, or a scenario file that cannot be used.  One line on stderr,
    ``cranesim: error: <message>``, naming the option or the file and key.
130, 143
    Interrupted: Ctrl-C (``SIGINT``) or ``SIGTERM`` (what ``timeout``, CI runners and container
    stops send) are handled alike: one line on stderr, no output file and no temporary file left.
141
    Standard output was closed by its reader (``cranesim run | head``): nothing more is printed;
    the output files are written all the same.

Only the standard library and :mod:`cranesim.cli` are imported to build the parser; each handler
imports the library it calls.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from cranesim._version import __version__
from cranesim.cli.animate import COMMAND as ANIMATE
from cranesim.cli.bench import COMMAND as BENCH
from cranesim.cli.command import Command, Handler
from cranesim.cli.compare import COMMAND as COMPARE
from cranesim.cli.examples import COMMAND as EXAMPLES
from cranesim.cli.exits import EXIT_OK, EXIT_USAGE, PROG, report
from cranesim.cli.info import COMMAND as INFO
from cranesim.cli.info import core_description
from cranesim.cli.run import COMMAND as RUN
from cranesim.cli.sweep import COMMAND as SWEEP
from cranesim.cli.validate import COMMAND as VALIDATE
from cranesim.cli.validate_moves import COMMAND as VALIDATE_MOVES
from cranesim.errors import Interrupted

__all__ = ["COMMANDS", "Parser", "build_parser", "main"]

#: every command, in the order ``cranesim --help`` lists them
COMMANDS: tuple[Command, ...] = (
    RUN,
    COMPARE,
    SWEEP,
    ANIMATE,
    VALIDATE,
    VALIDATE_MOVES,
    EXAMPLES,
    BENCH,
    INFO,
)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, ``cranesim: error: ...``, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see '{self.prog} --help')\n")


class _VersionAction(argparse.Action):
    """``--version``: computed when asked, so the scheduler core is only imported then."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show version and scheduler core")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> NoReturn:
        print(f"{PROG} {__version__}")
        print(f"scheduler: {core_description()}")
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with one subparser per command of :data:`COMMANDS`."""
    parser = Parser(
        prog=PROG,
        description="Simulate an unmanned steel wire-coil warehouse served by overhead cranes.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for cmd in COMMANDS:
        cmd.add_to(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (the console script exits with it).

    Usage errors, ``--help`` and ``--version`` exit through argparse (``SystemExit``).
    """
    parser = build_parser()
    ns, extra = parser.parse_known_args(argv)  # exits 2 on a usage error, 0 for --help/--version
    if extra:  # an unknown option: point to the help of the command it was given to
        getattr(ns, "_parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    handler: Handler | None = getattr(ns, "_handler", None)
    if handler is None:
        parser.error("a command is required: " + ", ".join(c.name for c in COMMANDS))
    from cranesim.cli.paths import MADE_DIRS, remove_made_dirs

    MADE_DIRS.clear()
    with _terminate_as_interrupt():
        try:
            return handler(ns)
        except (Exception, KeyboardInterrupt) as exc:  # the one place that maps exceptions
            remove_made_dirs()  # output folders made for this command, left empty
            return report(exc, sys.stderr)
        finally:
            MADE_DIRS.clear()


def _raise_interrupted(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While a command runs, ``SIGTERM`` unwinds it like Ctrl-C (:class:`Interrupted`), so the
    clean-up that removes temporary files runs, and the exit status is 143."""
    try:
        old = signal.signal(signal.SIGTERM, _raise_interrupted)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
