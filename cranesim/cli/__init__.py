"""The ``cranesim`` command line: parse, call, print (see :mod:`cranesim.cli.main`)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from cranesim.cli.main import main as _main

    return _main(argv)
