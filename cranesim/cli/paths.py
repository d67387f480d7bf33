"""The checks of output paths, shared by every command that writes files.

Two steps, so that a run never starts when its results could not be written, and a mistake in
the arguments creates nothing:

1. :func:`output_file` / :func:`output_dir` check the name (suffix, file or directory) while the
   arguments are read; nothing is created;
2. :func:`make_room` creates the directory the output goes into and checks it can be written,
   just before the work starts;
3. after the work, :func:`write_json` writes a result and :func:`wrote` says where it went.

Each raises :class:`~cranesim.errors.UserError` (exit status 2) naming the option.  The files
themselves are written atomically by :mod:`cranesim.record.atomic`.

``--json -`` is standard output (:data:`STDOUT`): :func:`write_json` prints the JSON there, and
the command prints its human-readable text on stderr instead (:func:`text_stream`), so that
``cranesim run --json - | jq .lifts`` reads clean JSON.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

from cranesim.errors import UserError

__all__ = [
    "STDOUT",
    "output_file",
    "json_file",
    "output_dir",
    "make_room",
    "write_json",
    "wrote",
    "text_stream",
]

#: the file name that means standard output (``--json -``)
STDOUT = Path("-")


def output_file(
    option: str, path: str | os.PathLike[str], suffixes: tuple[str, ...] | None = None
) -> Path:
    """An output file name: ends in one of ``suffixes`` (any if None), is not a directory."""
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise UserError(f"{option} {path}: expected a file name ending in {' or '.join(suffixes)}")
    if p.is_dir():
        raise UserError(f"{option} {path}: is a directory, expected a file name")
    return p


def json_file(
    option: str, path: str | None, suffixes: tuple[str, ...] | None = None
) -> Path | None:
    """``--json PATH``: an output file name (see :func:`output_file`), or ``-`` (standard
    output); None if the option is not given."""
    if path is None:
        return None
    if path == "-":
        return STDOUT
    return output_file(option, path, suffixes)


def output_dir(option: str, path: str | os.PathLike[str]) -> Path:
    """An output directory: it may exist (as a directory) or not yet."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UserError(f"{option} {path}: exists and is not a directory")
    return p


def make_room(option: str, path: Path, *, is_dir: bool = False) -> None:
    """Create the directory ``path`` goes into (``path`` itself if ``is_dir``), writable."""
    if path == STDOUT:
        return
    d = path if is_dir else path.parent
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"{option} {path}: cannot create directory {d} ({exc.strerror or exc})"
        ) from None
    if not os.access(d, os.W_OK):
        raise UserError(f"{option} {path}: directory {d} is not writable")


def write_json(path: Path, obj: Any) -> None:
    """Write ``obj`` to ``path`` as strict JSON, atomically, and say so; ``-``: to stdout."""
    from cranesim.record.atomic import atomic_write_json, json_text

    if path == STDOUT:
        sys.stdout.write(json_text(obj))
        sys.stdout.flush()
        return
    atomic_write_json(path, obj)
    wrote(path)


def text_stream(*paths: Path | None) -> TextIO:
    """Where a command prints its text: stdout, or stderr when a result goes to stdout."""
    return sys.stderr if any(p == STDOUT for p in paths) else sys.stdout


def wrote(what: str | os.PathLike[str]) -> None:
    """Tell the user on stderr that output went to ``what``."""
    print(f"cranesim: wrote {what}", file=sys.stderr)
