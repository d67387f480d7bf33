"""The checks of user paths, shared by every command that reads or writes files.

Every path is checked before the work starts, so a run never starts when its results could
not be written, and a mistake in the arguments creates nothing:

1. :func:`output_file` / :func:`output_dir` check the name while the arguments are read
   (suffix; a regular file or a new path, never a directory, device or FIFO; a name the file
   system takes); nothing is created;
2. :func:`distinct`: no two outputs are the same file, and no output is an input (the
   scenario, a data file): ``--json my_plant.toml`` would overwrite the scenario;
3. :func:`reserve` (and :func:`probe_dir`) create the directory the output goes into and its
   temporary file (:class:`~cranesim.record.atomic.Outputs`), just before the work starts: a
   directory that cannot be written (read-only, ``/proc``, a full quota) is found then;
4. after the work the command fills the reserved files and commits them together
   (all-or-nothing), and :func:`wrote` says where they went.

Each check raises :class:`~cranesim.errors.UserError` (exit status 2) naming the option.

``--json -`` is standard output (:data:`STDOUT`): the command prints the JSON there when the
work is done (:func:`print_json`), and its human-readable text on stderr instead
(:func:`text_stream`), so that ``cranesim run --json - | jq .lifts`` reads clean JSON.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from cranesim.errors import UserError

__all__ = [
    "STDOUT",
    "output_file",
    "json_file",
    "output_dir",
    "distinct",
    "make_room",
    "remove_made_dirs",
    "reserve",
    "probe_dir",
    "check_writable",
    "demand_inputs",
    "print_json",
    "wrote",
    "text_stream",
    "input_trace",
]

#: the file name that means standard output (``--json -``)
STDOUT = Path("-")


def _existing_ancestor(p: Path) -> Path:
    for d in (p, *p.parents):
        if d.is_dir():
            return d
    return Path(".")


def _check_name(option: str, path: str | os.PathLike[str], p: Path) -> None:
    from cranesim.record.atomic import name_max

    if not p.name or p.name in (".", ".."):
        raise UserError(f"{option} {path}: expected a file name")
    limit = name_max(_existing_ancestor(p.parent.absolute()))
    n = len(os.fsencode(p.name))
    if n > limit:
        raise UserError(
            f"{option} {path}: the file name is {n} bytes long, the file system takes at most "
            f"{limit}: choose a shorter name"
        )


def output_file(
    option: str, path: str | os.PathLike[str], suffixes: tuple[str, ...] | None = None
) -> Path:
    """An output file name: ends in one of ``suffixes`` (any if None), is a regular file or a
    new path (not a directory, device, FIFO or socket), and is a name the file system takes."""
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise UserError(f"{option} {path}: expected a file name ending in {' or '.join(suffixes)}")
    try:
        mode = os.stat(p).st_mode
    except OSError:  # a new path (or a dangling link): created by the run
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise UserError(f"{option} {path}: is a directory, expected a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise UserError(
            f"{option} {path}: exists and is not a regular file (a device, FIFO or socket): "
            "cranesim writes only regular files, choose a file name"
        )
    _check_name(option, path, p)
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
    try:
        mode = os.stat(p).st_mode
    except OSError:  # a new path: created before the work
        mode = None
    if mode is not None and not stat.S_ISDIR(mode):
        raise UserError(f"{option} {path}: exists and is not a directory")
    _check_name(option, path, p)
    return p


def _same(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def distinct(
    outputs: Mapping[str, Path | None], inputs: Mapping[str, Path | str | None] | None = None
) -> None:
    """No two ``outputs`` (option -> path) are the same file, and none is one of the
    ``inputs`` (option or role -> path): writing it would destroy the other."""
    outs = [(o, Path(p)) for o, p in outputs.items() if p is not None and p != STDOUT]
    ins = [(o, Path(p)) for o, p in (inputs or {}).items() if p is not None]
    for i, (opt, p) in enumerate(outs):
        for opt2, q in outs[i + 1 :]:
            if _same(p, q):
                raise UserError(f"{opt} {p} and {opt2} {q} are the same file: give each its own")
        for role, q in ins:
            if _same(p, q):
                raise UserError(
                    f"{opt} {p}: is the {role} this command reads; writing it would destroy it"
                )


#: Directories :func:`make_room` created in this process, outermost first: a command that fails
#: removes those still empty (:func:`remove_made_dirs`), so a failed run leaves no empty folder.
MADE_DIRS: list[Path] = []


def make_room(option: str, path: Path, *, is_dir: bool = False) -> None:
    """Create the directory ``path`` goes into (``path`` itself if ``is_dir``), writable."""
    if path == STDOUT:
        return
    d = path if is_dir else path.parent
    new = [p for p in (d, *d.parents) if not p.exists()][::-1]
    try:
        d.mkdir(parents=True, exist_ok=True)
        MADE_DIRS.extend(new)
    except OSError as exc:
        raise UserError(
            f"{option} {path}: cannot create directory {d} ({exc.strerror or exc})"
        ) from None
    if not os.access(d, os.W_OK):
        raise UserError(f"{option} {path}: directory {d} is not writable")


def remove_made_dirs() -> None:
    """Remove the directories :func:`make_room` created that are still empty, innermost first
    (a command that failed or was interrupted calls this; a non-empty one stays)."""
    while MADE_DIRS:
        d = MADE_DIRS.pop()
        try:
            d.rmdir()
        except OSError:  # not empty (or gone): leave it
            pass


def reserve(out: Any, option: str, path: Path) -> Any:
    """Make room for ``path`` and create its temporary file in the group ``out``
    (:class:`~cranesim.record.atomic.Outputs`): the :class:`~cranesim.record.atomic.
    PendingFile` to fill after the work); None for ``-`` (standard output)."""
    if path == STDOUT:
        return None
    make_room(option, path)
    try:
        return out.add(path)
    except OSError as exc:
        raise UserError(f"{option} {path}: cannot write there ({exc.strerror or exc})") from None


def probe_dir(option: str, d: Path) -> None:
    """Make room for the directory ``d`` and check a file can be created in it (then removed)."""
    from cranesim.record.atomic import Outputs

    make_room(option, d, is_dir=True)
    with Outputs() as out:
        try:
            out.add(d / "probe")
        except OSError as exc:
            raise UserError(f"{option} {d}: cannot write there ({exc.strerror or exc})") from None


def check_writable(option: str, path: Path) -> None:
    """Make room for the file ``path`` and check a file can be created beside it (then
    removed): for an output a library call creates itself, after this check."""
    from cranesim.record.atomic import Outputs

    make_room(option, path)
    with Outputs() as out:
        try:
            out.add(path)
        except OSError as exc:
            raise UserError(
                f"{option} {path}: cannot write there ({exc.strerror or exc})"
            ) from None


def demand_inputs(sc: Any) -> dict[str, Path]:
    """The recorded demand files a scenario reads (``[demand]``), by role, for :func:`distinct`:
    no output may be one of them."""
    from cranesim.scenario.demand import demand_files

    if getattr(sc, "demand", None) is None or sc.demand.source != "recorded":
        return {}
    files, _ = demand_files(sc.demand)
    return {f"demand file ({name})": p for name, p in files.items() if p is not None}


def print_json(obj: Any) -> None:
    """``obj`` as strict JSON on standard output (``--json -``)."""
    from cranesim.cli.exits import emit
    from cranesim.record.atomic import json_text

    emit(json_text(obj).rstrip("\n"))


def text_stream(*paths: Path | None) -> TextIO:
    """Where a command prints its text: stdout, or stderr when a result goes to stdout."""
    return sys.stderr if any(p == STDOUT for p in paths) else sys.stdout


def wrote(what: str | os.PathLike[str]) -> None:
    """Tell the user on stderr that output went to ``what``."""
    print(f"cranesim: wrote {what}", file=sys.stderr)


def input_trace(option: str, text: str) -> Path:
    """``option TRACE``: an existing .csv or .parquet trace file (``cranesim run --trace``)."""
    trace = Path(text)
    if not trace.is_file():
        raise UserError(f"{option} {trace}: no such file")
    if trace.suffix.lower() not in (".csv", ".parquet"):
        raise UserError(f"{option} {trace}: expected a .csv or .parquet trace")
    return trace
