"""Every exception cranesim raises on purpose, and what the command line makes of it.

* :class:`UserError` and its kinds (:class:`ConfigError`): something the user can fix, an option,
  a scenario or data file, an output path.  ``str(err)`` is one line naming the file or option,
  the key and what was expected.  Exit status 2.
* :class:`ModelError`: an invariant of the warehouse was violated during a run (a bug or an
  impossible scenario); the message carries a dump of the state.  Exit status 1.
* :class:`Failure`: the run failed for a reason that is not the user's input.  Exit status 1.

Anything else that escapes is an internal error (exit status 1, traceback with
``CRANESIM_DEBUG=1``).
"""

from __future__ import annotations

__all__ = ["CranesimError", "UserError", "ConfigError", "ModelError", "Failure"]


class CranesimError(Exception):
    """Base of the exceptions below."""


class UserError(CranesimError, ValueError):
    """Something the user can fix (an option, a file): exit status 2, one line."""


class ConfigError(UserError):
    """A scenario file cannot be used.  ``str(err)`` is a single line for the user."""


class ModelError(CranesimError, RuntimeError):
    """An invariant of the warehouse was violated: the message carries the state dump."""


class Failure(CranesimError, RuntimeError):
    """The run failed for a reason that is not the user's input: exit status 1."""
