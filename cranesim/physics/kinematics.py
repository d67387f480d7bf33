"""Crane kinematics: analytic rest-to-rest axis moves and motion stages.

A crane has three axes: bridge (x, along the runway), trolley (y, across the bay) and hoist
(z, height of the load's underside).  Every motion is a sequence of :class:`AxisMove` objects,
each a rest-to-rest move with a symmetric trapezoidal speed profile (triangular when the
distance is too short to reach top speed).  Nothing is stepped in time: a move is described by
its start time, start and end position, top speed and acceleration, and its position at any time
is computed in closed form.  The same moves feed the event trace, the energy accounting (each
move is one start and one stop of its axis) and the animation.

Examples
--------
A 40 m bridge move at 100 m/min with 0.3 m/s² reaches top speed (trapezoid):

>>> t, t_acc, v_peak = profile(40.0, 100 / 60, 0.3)
>>> round(t, 3), round(t_acc, 3), round(v_peak, 4)
(29.556, 5.556, 1.6667)

A 0.6 m move with the same limits is triangular:

>>> t, t_acc, v_peak = profile(0.6, 100 / 60, 0.3)
>>> round(t, 4), round(v_peak, 4)
(2.8284, 0.4243)
"""

from __future__ import annotations

from math import sqrt

from cranesim.codes import AXIS_NAMES, BRIDGE, HOIST, TROLLEY
from cranesim.native import kernel

__all__ = [
    "BRIDGE",
    "TROLLEY",
    "HOIST",
    "AXIS_NAMES",
    "profile",
    "move_time",
    "displacement",
    "AxisMove",
    "Stage",
]


def profile(d: float, v: float, a: float) -> tuple[float, float, float]:
    """Duration, acceleration time and peak speed of a rest-to-rest move over ``|d|``.

    Acceleration and deceleration are both ``a``; top speed is ``v``.  The profile is a
    trapezoid when ``|d| >= v**2 / a`` and a triangle otherwise.
    """
    d = abs(d)
    if d <= 0.0:
        return 0.0, 0.0, 0.0
    if d >= v * v / a:
        t_acc = v / a
        return d / v + t_acc, t_acc, v
    t_acc = sqrt(d / a)
    return 2.0 * t_acc, t_acc, a * t_acc


def move_time(d: float, v: float, a: float) -> float:
    """Duration of a rest-to-rest move over ``|d|`` (see :func:`profile`)."""
    d = abs(d)
    if d <= 0.0:
        return 0.0
    if d >= v * v / a:
        return d / v + v / a
    return 2.0 * sqrt(d / a)


def displacement(t: float, dur: float, t_acc: float, v_peak: float, a: float) -> float:
    """Distance covered (unsigned) after ``t`` seconds of a profile from :func:`profile`."""
    if t <= 0.0:
        return 0.0
    if t >= dur:
        t = dur
    if t <= t_acc:
        return 0.5 * a * t * t
    d_acc = 0.5 * a * t_acc * t_acc
    t_dec0 = dur - t_acc
    if t <= t_dec0:
        return d_acc + v_peak * (t - t_acc)
    td = dur - t
    return d_acc + v_peak * (t_dec0 - t_acc) + d_acc - 0.5 * a * td * td


class AxisMove:
    """One rest-to-rest move of one axis: a start and a stop.

    Attributes
    ----------
    axis : int
        ``BRIDGE``, ``TROLLEY`` or ``HOIST``.
    t0 : float
        Start time (s, model time).
    p0, p1 : float
        Start and end position (m).
    v, a : float
        Speed limit (m/s) and acceleration (m/s²) used for this move.
    load_t : float
        Mass hanging on the hook during the move (t); 0 when empty.
    dur, t_acc, v_peak : float
        Duration, acceleration time and peak speed (derived).
    """

    __slots__ = ("axis", "t0", "p0", "p1", "v", "a", "load_t", "dur", "t_acc", "v_peak")

    def __init__(
        self, axis: int, t0: float, p0: float, p1: float, v: float, a: float, load_t: float = 0.0
    ) -> None:
        self.axis = axis
        self.t0 = t0
        self.p0 = p0
        self.p1 = p1
        self.v = v
        self.a = a
        self.load_t = load_t
        self.dur, self.t_acc, self.v_peak = profile(p1 - p0, v, a)

    @property
    def t1(self) -> float:
        return self.t0 + self.dur

    @property
    def distance(self) -> float:
        return abs(self.p1 - self.p0)

    def pos(self, t: float) -> float:
        """Position at model time ``t`` (clamped to the move's start and end)."""
        s = displacement(t - self.t0, self.dur, self.t_acc, self.v_peak, self.a)
        return self.p0 + s if self.p1 >= self.p0 else self.p0 - s

    def __repr__(self) -> str:
        return (
            f"AxisMove({AXIS_NAMES[self.axis]}, t0={self.t0:.3f}, {self.p0:.3f}->{self.p1:.3f}, "
            f"dur={self.dur:.3f})"
        )


class Stage:
    """A stretch of crane activity: its axis moves and its total duration.

    ``dur`` may exceed the end of the last move (dwell for picking or placing, settling).
    Positions between and after moves are held.
    """

    __slots__ = ("t0", "dur", "moves", "x0", "y0", "x1", "y1")

    def __init__(
        self,
        t0: float,
        dur: float,
        moves: list[AxisMove],
        x0: float,
        y0: float,
        x1: float,
        y1: float,
    ) -> None:
        self.t0 = t0
        self.dur = dur
        self.moves = moves
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1

    def axis_distance(self, axis: int) -> float:
        return sum(abs(m.p1 - m.p0) for m in self.moves if m.axis == axis)

    def axis_time(self, axis: int) -> float:
        return sum(m.dur for m in self.moves if m.axis == axis)

    def starts(self, axis: int) -> int:
        return sum(1 for m in self.moves if m.axis == axis and m.dur > 0.0)

    def pos(self, axis: int, t: float, default: float) -> float:
        """Position of ``axis`` at time ``t``: the latest move that has started, else ``default``."""
        p = default
        for m in self.moves:
            if m.axis == axis and m.t0 <= t:
                p = m.pos(t)
        return p


#: The pure-Python classes: the reference for the compiled twins, and what runs with
#: ``CRANESIM_PURE_PYTHON=1`` or without a build (see :mod:`cranesim.native`).
AxisMovePy, StagePy = AxisMove, Stage
AxisMove = kernel("AxisMove", AxisMovePy)  # type: ignore[misc]  # same attributes, same arithmetic
Stage = kernel("Stage", StagePy)  # type: ignore[misc]
