"""The ``cranesim`` command line: parse, call, print.

* :mod:`~cranesim.cli.app`: the parser, the registry of commands, :func:`main`;
* :mod:`~cranesim.cli.exits`: exceptions -> exit statuses and messages;
* one module per command: :mod:`~cranesim.cli.run`, :mod:`~cranesim.cli.compare`, :mod:`~cranesim.cli.sweep`,
  :mod:`~cranesim.cli.animate`, :mod:`~cranesim.cli.validate`, :mod:`~cranesim.cli.validate_moves`,
  :mod:`~cranesim.cli.examples`, :mod:`~cranesim.cli.bench`, :mod:`~cranesim.cli.info`;
* shared by the commands: :mod:`~cranesim.cli.command` (what a command is, shared arguments,
  the scenario with ``--set`` and ``--demand`` and its check),
  :mod:`~cranesim.cli.argtypes` (option types), :mod:`~cranesim.cli.paths` (output-path checks),
  :mod:`~cranesim.cli.progress` (progress bars).

This is the top layer: nothing else in cranesim imports it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (``cranesim`` is this function)."""
    from cranesim.cli.app import main as _main

    return _main(argv)
