"""Motion planning: how a crane drives its axes for one stage of a lift.

A *planner* turns a request ("travel from here to there", "lower, grab, raise") into a
:class:`~cranesim.kinematics.Stage` of analytic axis moves.  The model does not care how the
moves are chosen; the automated planner below moves bridge and trolley together with
rest-to-rest trapezoidal profiles, one start and one stop per axis.  Other planners (a modelled
human driver, anti-sway shaping) plug in through the same three methods.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from .config import CraneSpec
from .kinematics import BRIDGE, HOIST, TROLLEY, AxisMove, Stage
from .native import PHYSICS

_hoist_stage = PHYSICS.hoist_stage if PHYSICS is not None else None

__all__ = ["Planner", "AutomatedPlanner", "AxisLimits"]


class AxisLimits:
    """Per-crane speed (m/s) and acceleration (m/s²) limits, converted once from a spec."""

    __slots__ = ("vx", "ax", "vy", "ay", "vz", "az", "pick_s", "place_s")

    def __init__(self, spec: CraneSpec) -> None:
        self.vx = spec.bridge_speed_m_min / 60.0
        self.ax = spec.bridge_accel_m_s2
        self.vy = spec.trolley_speed_m_min / 60.0
        self.ay = spec.trolley_accel_m_s2
        self.vz = spec.hoist_speed_m_min / 60.0
        self.az = spec.hoist_accel_m_s2
        self.pick_s = spec.pick_s
        self.place_s = spec.place_s


class Planner(Protocol):
    """What the model asks of a motion planner (all times in model seconds)."""

    def travel(
        self, crane: int, t0: float, x0: float, y0: float, x1: float, y1: float, load_t: float
    ) -> Stage: ...

    def hoist(
        self, crane: int, t0: float, x: float, y: float, z: float, pick: bool, load_t: float
    ) -> Stage: ...

    def yield_move(self, crane: int, t0: float, x0: float, x1: float, y: float, load_t: float) -> Stage: ...


class AutomatedPlanner:
    """Automated crane: bridge and trolley start together; hoist moves at the travel height.

    Parameters
    ----------
    specs
        Resolved crane specifications, west to east.
    travel_height_m
        Height of the load's underside while travelling (the hoist's top position).
    """

    def __init__(self, specs: Sequence[CraneSpec], travel_height_m: float) -> None:
        self.lim = [AxisLimits(s) for s in specs]
        self.top = travel_height_m

    def travel(
        self, crane: int, t0: float, x0: float, y0: float, x1: float, y1: float, load_t: float
    ) -> Stage:
        lim = self.lim[crane]
        moves = []
        dur = 0.0
        if x1 != x0:
            m = AxisMove(BRIDGE, t0, x0, x1, lim.vx, lim.ax, load_t)
            moves.append(m)
            dur = m.dur
        if y1 != y0:
            m = AxisMove(TROLLEY, t0, y0, y1, lim.vy, lim.ay, load_t)
            moves.append(m)
            dur = max(dur, m.dur)
        return Stage(t0, dur, moves, x0, y0, x1, y1)

    def hoist(
        self, crane: int, t0: float, x: float, y: float, z: float, pick: bool, load_t: float
    ) -> Stage:
        """Lower to ``z``, grab (``pick``) or release, raise back to the travel height.

        ``load_t`` is the coil's mass: it hangs on the hook on the way up after a pick and on
        the way down before a place.
        """
        lim = self.lim[crane]
        if _hoist_stage is not None:  # the compiled twin of the three lines below
            return _hoist_stage(t0, x, y, z, self.top, lim.vz, lim.az,
                                lim.pick_s if pick else lim.place_s, pick, load_t)  # fmt: skip
        down = AxisMove(HOIST, t0, self.top, z, lim.vz, lim.az, 0.0 if pick else load_t)
        dwell = lim.pick_s if pick else lim.place_s
        up = AxisMove(HOIST, down.t1 + dwell, z, self.top, lim.vz, lim.az, load_t if pick else 0.0)
        return Stage(t0, down.dur + dwell + up.dur, [down, up], x, y, x, y)

    def yield_move(self, crane: int, t0: float, x0: float, x1: float, y: float, load_t: float) -> Stage:
        lim = self.lim[crane]
        m = AxisMove(BRIDGE, t0, x0, x1, lim.vx, lim.ax, load_t)
        return Stage(t0, m.dur, [m], x0, y, x1, y)
