"""The one place where an exception becomes an exit status and a message on stderr.

======================================  ======  ==================================================
exception                               status  stderr
======================================  ======  ==================================================
:class:`~cranesim.errors.UserError`     2       one line ``cranesim: error: <message>``
(:class:`~cranesim.errors.ConfigError`,         (the message names the option or the file and key)
``AnimateError``, ``BenchError``, ...)
:class:`~cranesim.errors.ModelError`    1       ``cranesim: model error: <message>``, whole (it
                                                carries a multi-line dump of the warehouse)
:class:`~cranesim.errors.Failure`       1       ``cranesim: <message>``, whole (e.g.
(:class:`~cranesim.errors.OutputError`)         ``cannot write t.csv: No space left on device``)
:class:`~cranesim.errors.Interrupted`   128+N   ``cranesim: interrupted`` (SIGINT, 130) or
                                                ``cranesim: terminated`` (SIGTERM, 143)
:class:`KeyboardInterrupt`              130     ``cranesim: interrupted``
:class:`StdoutClosed`                   141     nothing: the reader of stdout has gone (``| head``)
anything else                           1       ``cranesim: internal error: <type>: <message>``
======================================  ======  ==================================================

With status 1 a hint follows (``rerun with CRANESIM_DEBUG=1 for a traceback``); with
``CRANESIM_DEBUG=1`` the traceback is printed first instead.  Usage errors argparse finds (exit 2)
never get here: :class:`~cranesim.cli.app.Parser` prints them as the same one line.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import TextIO

from cranesim.errors import (
    ConfigError,
    Failure,
    Interrupted,
    ModelError,
    OutputError,
    UserError,
)

__all__ = [
    "EXIT_OK",
    "EXIT_FAILURE",
    "EXIT_USAGE",
    "EXIT_INTERRUPTED",
    "EXIT_PIPE",
    "EXITS",
    "StdoutClosed",
    "emit",
    "report",
    "one_line",
]

PROG = "cranesim"
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_PIPE = 128 + 13  # SIGPIPE: what a shell reports for a writer whose reader went away


class StdoutClosed(Exception):
    """Standard output was closed by its reader (``cranesim run | head``): end quietly."""


def emit(text: str, file: TextIO | None = None) -> None:
    """Print ``text`` on stdout (or ``file``); :class:`StdoutClosed` if the reader has gone."""
    try:
        print(text, file=sys.stdout if file is None else file, flush=True)
    except BrokenPipeError:
        raise StdoutClosed from None


#: exception class -> (exit status, message); the first class that matches wins.  ``{line}`` is
#: the message on one line, ``{whole}`` the message as it is, ``{type}`` the class name.
EXITS: tuple[tuple[type[BaseException], int, str], ...] = (
    (Interrupted, EXIT_INTERRUPTED, "{signal}"),
    (KeyboardInterrupt, EXIT_INTERRUPTED, "interrupted"),
    (UserError, EXIT_USAGE, "error: {line}"),
    (ModelError, EXIT_FAILURE, "model error: {whole}"),
    (Failure, EXIT_FAILURE, "{whole}"),
    (Exception, EXIT_FAILURE, "internal error: {type}: {line}"),
)


def one_line(exc: BaseException | str) -> str:
    """The message of ``exc`` (or a text) on one line (its class name if it has none)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def report(exc: BaseException, file: TextIO | None = None) -> int:
    """Print what ``exc`` means for the user on ``file`` (stderr); return the exit status.

    Raises ``exc`` again if it is none of :data:`EXITS` (``SystemExit``, ``GeneratorExit``).
    """
    file = sys.stderr if file is None else file
    if isinstance(exc, StdoutClosed):
        _silence_stdout()
        return EXIT_PIPE
    for cls, status, template in EXITS:
        if isinstance(exc, cls):
            break
    else:
        raise exc
    if isinstance(exc, Interrupted):
        status = 128 + exc.signum
    if isinstance(exc, ConfigError) and len(exc.problems) > 1:  # one line per problem
        for line in exc.problems:
            print(f"{PROG}: error: {one_line(line)}", file=file)
        return status
    what = "terminated" if getattr(exc, "signum", 2) == 15 else "interrupted"
    msg = template.format(
        line=one_line(exc), whole=str(exc).rstrip(), type=type(exc).__name__, signal=what
    )
    if status == EXIT_FAILURE and not isinstance(exc, OutputError):  # a full disk has no bug
        if os.environ.get("CRANESIM_DEBUG", "") == "1":
            traceback.print_exception(exc, file=file)
        else:
            msg += ("\n" if "\n" in msg else "; ") + "rerun with CRANESIM_DEBUG=1 for a traceback"
    print(f"{PROG}: {msg}", file=file)
    return status


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (captured in tests)
        pass
