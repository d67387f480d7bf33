"""Atomic output files: written to a temporary file beside the target, moved into place whole.

A failed or interrupted run leaves the previous file (or none), never half a file.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_json",
    "json_text",
    "jsonable",
]


def atomic_path(target: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Return ``(target, tmp)``: a fresh temporary path in the target's directory."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return target, Path(tmp)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (temp file + ``os.replace``)."""
    target, tmp = atomic_path(target)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def atomic_write_json(target: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented, strict JSON atomically (:func:`jsonable`: NaN -> null)."""
    atomic_write_text(target, json_text(obj))
