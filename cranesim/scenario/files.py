"""Reading a user's input file (a scenario, a data file) safely.

A path on the command line can name anything: a FIFO (reading it waits forever for a writer),
``/dev/zero`` (reading it never ends), a directory, a file of gigabytes.  :func:`read_input`
accepts only a regular file no larger than a limit, and opens it without blocking, so none of
these hangs the command or exhausts memory; each is a :class:`~cranesim.errors.UserError`
(``ConfigError`` for a scenario) naming the file and what was expected.

>>> import tempfile, os
>>> fd, p = tempfile.mkstemp(suffix=".toml"); os.close(fd)
>>> read_input(p, "a scenario (TOML)")
b''
>>> read_input(os.path.dirname(p), "a scenario (TOML)")
Traceback (most recent call last):
...
cranesim.errors.UserError: ...: is a directory, expected a scenario (TOML)
"""

from __future__ import annotations

import os
import stat

from cranesim.errors import UserError

__all__ = ["read_input", "MAX_INPUT_BYTES"]

#: Largest input file read (bytes): a scenario is a few kB; a meter file of a year of hourly
#: readings for 16 cranes and two modes is ~10 MB.
MAX_INPUT_BYTES = 64 * 1024 * 1024


def read_input(
    path: str | os.PathLike[str],
    what: str,
    *,
    limit: int = MAX_INPUT_BYTES,
    error: type[UserError] = UserError,
    label: str = "",
) -> bytes:
    """The bytes of the regular file ``path`` (``what`` it should be, for the messages).

    ``error`` is the exception raised (a :class:`~cranesim.errors.UserError` kind); ``label``
    is put before the path in its message (e.g. ``"--meters "``).
    """
    name = f"{label}{path}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO does not block
    except FileNotFoundError:
        raise error(f"{name}: no such file") from None
    except IsADirectoryError:
        raise error(f"{name}: is a directory, expected {what}") from None
    except OSError as exc:
        raise error(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{name}: is a directory, expected {what}")
        if not stat.S_ISREG(st.st_mode):
            raise error(
                f"{name}: is not a regular file (a device, FIFO or socket), expected {what}"
            )
        if st.st_size > limit:
            raise error(
                f"{name}: {st.st_size:,} bytes, larger than the {limit:,} bytes {what} may have"
            )
        chunks, size = [], 0
        while True:  # to the end (the file may have grown since fstat), never past the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise error(f"{name}: larger than the {limit:,} bytes {what} may have")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
