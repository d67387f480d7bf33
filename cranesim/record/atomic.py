"""Output files that appear whole or not at all, together.

Every output is first written to a temporary file beside its target (a :class:`PendingFile`)
and moved into place only when it is complete, so a failed or interrupted run leaves the
previous file (or none), never half a file.  :class:`Outputs` holds the files of one run: they
are created before the work starts (a path that cannot be written is found then, not after
hours of simulation), and moved into place together when it is done, or all discarded.

* **Names.** A temporary file is named ``.<target>~cranesim-<pid>-<host>-<token>.tmp``
  (hidden, in the target's directory, the target's name shortened to fit the file system's
  name limit): whose it is and which process wrote it.  A run killed outright (``SIGKILL``,
  a power cut) cannot remove its own; the next run that writes into that directory removes
  every such file whose process is gone (same host only: a process on another machine sharing
  the directory cannot be checked).
* **Modes** follow the umask, as for any file the user creates (``0o666 & ~umask``).
* **Together.** :meth:`Outputs.commit` moves the files into place one after the other, with
  ``SIGINT`` and ``SIGTERM`` held until it is done; if a move fails, the files already moved
  are put back as they were (the old file, or none).
* **Symbolic links** to a regular file are followed: the file they point to is replaced, the
  link stays.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from cranesim.errors import OutputError

__all__ = [
    "Outputs",
    "joined",
    "PendingFile",
    "OutputError",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_json",
    "deferred_signals",
    "json_bytes",
    "json_text",
    "jsonable",
    "remove_stale",
    "name_max",
]

_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
#: a temporary output file of cranesim: groups pid and host tag
_TMP = re.compile(r"^\..*~cranesim-(\d+)-([0-9a-f]{8})-[0-9a-z]{8}(?:-old)?\.tmp$")


def name_max(directory: str | os.PathLike[str]) -> int:
    """The longest file name (bytes) the file system of ``directory`` takes (255 if unknown)."""
    try:
        return int(os.pathconf(directory, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


def _tmp_name(target: Path, suffix: str = "") -> str:
    tail = f"~cranesim-{os.getpid()}-{_HOST}-{secrets.token_hex(4)}{suffix}.tmp"
    room = name_max(target.parent) - len(tail.encode()) - 1
    name = target.name.encode()[: max(room, 0)].decode("utf-8", "ignore")
    return f".{name}{tail}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(directory: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files of cranesim runs on this host whose process is gone (killed
    before it could clean up) from ``directory``; the paths removed."""
    gone = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return gone
    for e in entries:
        m = _TMP.match(e.name)
        if m is None or m.group(2) != _HOST:
            continue
        pid = int(m.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        with suppress(OSError):
            os.unlink(e.path)
            gone.append(Path(e.path))
    return gone


def _fsync_dir(directory: Path) -> None:
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class PendingFile:
    """An output file being written: :attr:`tmp`, beside :attr:`target`, until :meth:`commit`
    moves it into place or :meth:`discard` removes it.

    Creating it creates the (empty) temporary file, so it raises ``OSError`` at once when the
    target's directory cannot be written; stale temporaries of killed runs there are removed
    first (:func:`remove_stale`).  ``closers`` are called (errors ignored) before a discard:
    a writer registers the closing of its open handles there.
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        t = Path(target)
        if t.is_symlink():
            t = Path(os.path.realpath(t))  # replace what the link points to, keep the link
        self.target = t
        t.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(t.parent)
        self.tmp = t.parent / _tmp_name(t)
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        os.close(fd)
        self.closers: list[Callable[[], Any]] = []
        self.done = False

    def write_bytes(self, data: bytes) -> None:
        """Write ``data`` as the whole content (flushed to disk); ``OutputError`` if it fails."""
        try:
            with open(self.tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise OutputError(self.target, exc) from exc

    def commit(self) -> None:
        """Move the file into place."""
        os.replace(self.tmp, self.target)
        self.done = True
        _fsync_dir(self.target.parent)

    def discard(self) -> None:
        """Close what writes into it and remove the temporary file (no-op once committed)."""
        if self.done:
            return
        self.done = True
        for close in self.closers:
            with suppress(Exception):
                close()
        with suppress(FileNotFoundError):
            os.unlink(self.tmp)


class Outputs:
    """The output files of one run: created before the work, moved into place together after
    it (:meth:`commit`), or all discarded if it fails.

    As a context manager it discards whatever was not committed when the block ends, normally
    or by an exception (an interrupt included); the removal itself holds off ``SIGINT`` and
    ``SIGTERM``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with Outputs() as out:
    ...     a, b = out.add(d / "a.json"), out.add(d / "b.txt")
    ...     a.write_bytes(b"{}")
    ...     b.write_bytes(b"done")
    ...     out.commit()
    >>> sorted(p.name for p in d.iterdir())
    ['a.json', 'b.txt']
    """

    def __init__(self) -> None:
        self.files: list[PendingFile] = []

    def add(self, target: str | os.PathLike[str]) -> PendingFile:
        """A new pending file for ``target`` (``OSError`` if it cannot be created there)."""
        f = PendingFile(target)
        self.files.append(f)
        return f

    def write_bytes(self, target: str | os.PathLike[str], data: bytes) -> PendingFile:
        """A pending file for ``target`` holding ``data``."""
        try:
            f = self.add(target)
        except OSError as exc:
            raise OutputError(target, exc) from exc
        f.write_bytes(data)
        return f

    def commit(self) -> None:
        """Move every file into place, signals held; on a failure put back what was moved and
        raise :class:`OutputError`."""
        moved: list[tuple[PendingFile, Path | None]] = []
        with deferred_signals():
            try:
                for f in self.files:
                    if f.done:
                        continue
                    old = None
                    if f.target.exists():  # keep the old file until all are in place
                        old = f.target.parent / _tmp_name(f.target, "-old")
                        os.link(f.target, old)
                    moved.append((f, old))
                    f.commit()
            except OSError as exc:
                failed = f.target
                for g, old in reversed(moved):  # put back what was moved
                    with suppress(OSError):
                        if old is not None:
                            os.replace(old, g.target)
                        elif g.done:
                            os.unlink(g.target)
                self._discard()
                raise OutputError(failed, exc) from exc
            finally:
                for _, old in moved:
                    if old is not None:
                        with suppress(FileNotFoundError):
                            os.unlink(old)

    def _discard(self) -> None:
        for f in self.files:
            f.discard()

    def discard(self) -> None:
        """Remove every file not committed (signals held meanwhile)."""
        with deferred_signals():
            self._discard()

    def __enter__(self) -> "Outputs":
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


@contextmanager
def joined(outputs: Outputs | None) -> Iterator[Outputs]:
    """``outputs`` (a caller's group, committed by the caller), or a group of its own that is
    committed if the block completes: for writers that serve both."""
    if outputs is not None:
        yield outputs
        return
    with Outputs() as own:
        yield own
        own.commit()


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold ``SIGINT`` and ``SIGTERM`` while the block runs; one that arrived meanwhile is
    handled when it ends (in the main thread; elsewhere signals cannot be handled anyway)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    sigs = (signal.SIGINT, signal.SIGTERM)
    old = {s: signal.getsignal(s) for s in sigs}
    for s in sigs:
        if callable(old[s]):
            signal.signal(s, lambda signum, frame: got.append(signum))
    try:
        yield
    finally:
        for s in sigs:
            if callable(old[s]):
                signal.signal(s, old[s])
        if got:
            handler = old[got[0]]
            if callable(handler):
                handler(got[0], None)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (temporary file + ``os.replace``)."""
    with Outputs() as out:
        out.write_bytes(target, data)
        out.commit()


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``target`` atomically (UTF-8)."""
    atomic_write_bytes(target, text.encode("utf-8"))


def jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON data: str keys, lists, Python numbers, ``None`` for NaN and inf.

    numpy scalars and arrays become Python numbers and lists (numpy is not imported for it:
    if it is not loaded, ``obj`` holds no numpy values).

    >>> jsonable({1: (0.5, float("nan")), "x": [float("inf"), None, "a"]})
    {'1': [0.5, None], 'x': [None, None, 'a']}
    """
    if isinstance(obj, float):  # numpy's float64 too: a float subclass
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    np = sys.modules.get("numpy")
    if np is not None and isinstance(obj, (np.generic, np.ndarray)):
        return jsonable(obj.tolist())
    return obj


def json_text(obj: Any) -> str:
    """``obj`` as indented, strict JSON text with a final newline (:func:`jsonable`)."""
    return json.dumps(jsonable(obj), indent=2, sort_keys=False, allow_nan=False) + "\n"


def json_bytes(obj: Any) -> bytes:
    """:func:`json_text` as UTF-8 bytes (what a :class:`PendingFile` is filled with)."""
    return json_text(obj).encode("utf-8")


def atomic_write_json(target: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented, strict JSON atomically (:func:`jsonable`: NaN -> null)."""
    atomic_write_bytes(target, json_bytes(obj))
