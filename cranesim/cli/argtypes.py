"""Option types shared by the commands (standard library only: cheap to import).

Each returns a converter for ``argparse``'s ``type=``; a bad value becomes argparse's one-line
usage error (exit 2), never a traceback.

>>> positive(float, "a number of hours")("2.5")
2.5
>>> seed_upto(2**63 - 1)("7")
7
"""

from __future__ import annotations

import argparse
import math
from typing import Any, Callable

__all__ = ["positive", "hours", "int_range", "seed_upto", "seed"]


def positive(kind: type, what: str) -> Callable[[str], Any]:
    """A finite number of type ``kind`` (int or float) greater than 0."""

    def conv(text: str) -> Any:
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not (math.isfinite(v) and v > 0):
            raise argparse.ArgumentTypeError(f"expected {what} > 0, got {text!r}")
        return v

    return conv


#: model hours, > 0
hours = positive(float, "a number of hours")


def int_range(lo: int, hi: int | None, what: str) -> Callable[[str], int]:
    """An integer in ``[lo, hi]`` (no upper bound when ``hi`` is None)."""

    def conv(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if v < lo or (hi is not None and v > hi):
            bound = f">= {lo}" if hi is None else f"from {lo} to {hi}"
            raise argparse.ArgumentTypeError(f"expected {what} {bound}, got {text!r}")
        return v

    return conv


def seed_upto(limit: int) -> Callable[[str], int]:
    """A random seed from 0 to ``limit`` (room is left for seeds S..S+R-1 of replications)."""

    def conv(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
        if not 0 <= v <= limit:
            raise argparse.ArgumentTypeError(f"expected an integer from 0 to {limit}, got {text!r}")
        return v

    return conv


#: a seed for one run
seed = seed_upto(2**63 - 1)
