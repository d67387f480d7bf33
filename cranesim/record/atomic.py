"""Atomic output files: written to a temporary file beside the target, moved into place whole.

A failed or interrupted run leaves the previous file (or none), never half a file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "atomic_write_json"]


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


def _strict(obj: Any) -> Any:
    """NaN and infinities become ``null``: the file stays strict JSON."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _strict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_strict(v) for v in obj]
    return obj


def atomic_write_json(target: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented, strict JSON (NaN -> null) atomically."""
    text = json.dumps(_strict(obj), indent=2, sort_keys=False, allow_nan=False)
    atomic_write_text(target, text + "\n")
