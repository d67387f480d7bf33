"""Every exception cranesim raises on purpose, and what the command line makes of it.

* :class:`UserError` and its kinds (:class:`ConfigError`): something the user can fix, an option,
  a scenario or data file, an output path.  ``str(err)`` is one line naming the file or option,
  the key and what was expected.  Exit status 2.
* :class:`ModelError`: an invariant of the warehouse was violated during a run (a bug or an
  impossible scenario); the message carries a dump of the state.  Exit status 1.
* :class:`Failure`: the run failed for a reason that is not the user's input (e.g.
  :class:`OutputError`: the disk is full).  Exit status 1.
* :class:`Interrupted`: ``SIGINT`` (Ctrl-C) or ``SIGTERM`` arrived.  Exit status 128 + the
  signal's number (130, 143), the convention of shells.

Anything else that escapes is an internal error (exit status 1, traceback with
``CRANESIM_DEBUG=1``).
"""

from __future__ import annotations

import os
import signal

__all__ = [
    "CranesimError",
    "UserError",
    "ConfigError",
    "ModelError",
    "Failure",
    "OutputError",
    "Interrupted",
]


class CranesimError(Exception):
    """Base of the exceptions below."""


class UserError(CranesimError, ValueError):
    """Something the user can fix (an option, a file): exit status 2, one line."""


class ConfigError(UserError):
    """A scenario file cannot be used.  ``problems``: one line per problem, each naming the
    file, the key, the value and the fix (``str(err)``: the lines joined)."""

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__(*problems)  # args rebuild it (SimPy and pickling copy exceptions)

    def __str__(self) -> str:
        return "\n".join(self.problems)


class ModelError(CranesimError, RuntimeError):
    """An invariant of the warehouse was violated: the message carries the state dump."""


class Failure(CranesimError, RuntimeError):
    """The run failed for a reason that is not the user's input: exit status 1."""


class OutputError(Failure):
    """An output file could not be written (disk full, I/O error): exit status 1.  Nothing was
    written: the temporary files are removed.  ``errno`` is the system's error number."""

    def __init__(self, target: str | os.PathLike[str], exc: OSError) -> None:
        self.target, self.errno = str(target), exc.errno
        self.why = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
        super().__init__(target, exc)  # args rebuild it (SimPy and pickling copy exceptions)

    def __str__(self) -> str:
        return f"cannot write {self.target}: {self.why} (nothing was written)"


class Interrupted(KeyboardInterrupt):
    """A signal asked the run to stop (``SIGINT`` or ``SIGTERM``): everything a
    ``KeyboardInterrupt`` unwinds is unwound (temporary files removed), and the command line
    exits with 128 + ``signum``."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)  # args rebuild it (SimPy copies an exception it re-raises)

    def __str__(self) -> str:
        return signal.Signals(self.signum).name
