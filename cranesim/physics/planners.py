"""Motion planning: how a crane drives its axes for one stage of a lift.

A *planner* turns a request ("travel from here to there", "lower, grab, raise") into a
:class:`~cranesim.physics.kinematics.Stage` of analytic axis moves.  The model does not care how the
moves are chosen; the automated planner below moves bridge and trolley together with
rest-to-rest trapezoidal profiles, one start and one stop per axis.  Other planners (a modelled
human driver, anti-sway shaping) plug in through the same three methods.
"""

from __future__ import annotations

from functools import partial
from math import isfinite
from typing import Callable, ClassVar, Iterator, Protocol, Sequence

import numpy as np

from cranesim.codes import BRIDGE, HOIST, TAG_HOIST, TAG_MAIN, TAG_NAMES, TAG_YIELD, TROLLEY
from cranesim.native import compiled, kernel
from cranesim.physics.kinematics import AxisMove, AxisMovePy, Stage, profile
from cranesim.physics.sway import (
    forced_swing,
    omega,
    period_s,
    settle_time_s,
    swing_abs,
    zv_residual_ratio,
)
from cranesim.scenario.schema import CraneSpec, Sway

__all__ = [
    "Planner",
    "PlannerBase",
    "AutomatedPlanner",
    "AxisLimits",
    "ShapedPlanner",
    "TaggedMove",
    "hoist_stage_py",
    "new_stats",
]


def hoist_stage_py(
    t0: float,
    x: float,
    y: float,
    z: float,
    top: float,
    vz: float,
    az: float,
    dwell: float,
    pick: bool,
    load_t: float,
) -> Stage:
    """A hoist stage: lower from ``top`` to ``z``, dwell, raise back (the twin of the compiled
    ``hoist_stage``).  The coil hangs on the hook on the way up after a pick, on the way down
    before a place."""
    down = AxisMove(HOIST, t0, top, z, vz, az, 0.0 if pick else load_t)
    up = AxisMove(HOIST, down.t1 + dwell, z, top, vz, az, load_t if pick else 0.0)
    return Stage(t0, down.dur + dwell + up.dur, [down, up], x, y, x, y)


_hoist_stage = kernel("hoist_stage", hoist_stage_py)


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
    """What the model asks of a motion planner (all times in model seconds).

    Every planner has the three motions (:meth:`travel`, :meth:`hoist`, :meth:`yield_move`)
    and declares its optional capabilities; :class:`PlannerBase` gives the defaults (no own
    random stream, no breaks, the motions called as they are):

    * :meth:`bind`: take the warehouse's operator random stream (a modelled driver does);
    * ``takes_breaks`` and :meth:`breaks`: the driver leaves the crane for breaks, which the
      model keeps out of service meanwhile;
    * :meth:`stage_calls`: the travel and hoist callables the model's crane loop calls (the
      same stages as :meth:`travel` and :meth:`hoist`, possibly a faster compiled path).
    """

    #: whether :meth:`breaks` gives breaks the model must keep
    takes_breaks: bool

    def travel(
        self, crane: int, t0: float, x0: float, y0: float, x1: float, y1: float, load_t: float
    ) -> Stage: ...

    def hoist(
        self, crane: int, t0: float, x: float, y: float, z: float, pick: bool, load_t: float
    ) -> Stage: ...

    def yield_move(
        self, crane: int, t0: float, x0: float, x1: float, y: float, load_t: float
    ) -> Stage: ...

    def bind(self, rng_operator: np.random.Generator) -> None: ...

    def breaks(self, crane: int) -> Iterator[tuple[float, float]]: ...

    def stage_calls(self) -> tuple[Callable[..., Stage], Callable[..., Stage]]: ...


class PlannerBase:
    """The defaults of :class:`Planner`'s optional capabilities: a planner without its own
    random stream, without breaks, whose travel and hoist are called as they are."""

    takes_breaks: ClassVar[bool] = False

    def bind(self, rng_operator: np.random.Generator) -> None:
        """Nothing to take: the planner draws no random numbers."""

    def breaks(self, crane: int) -> Iterator[tuple[float, float]]:
        """No breaks."""
        return iter(())

    def stage_calls(self) -> tuple[Callable[..., Stage], Callable[..., Stage]]:
        """``(travel, hoist)`` as the model's crane loop calls them."""
        return self.travel, self.hoist  # type: ignore[attr-defined]


class AutomatedPlanner(PlannerBase):
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
        return _hoist_stage(
            t0, x, y, z, self.top, lim.vz, lim.az, lim.pick_s if pick else lim.place_s, pick, load_t
        )

    def yield_move(
        self, crane: int, t0: float, x0: float, x1: float, y: float, load_t: float
    ) -> Stage:
        lim = self.lim[crane]
        m = AxisMove(BRIDGE, t0, x0, x1, lim.vx, lim.ax, load_t)
        return Stage(t0, m.dur, [m], x0, y, x1, y)


class TaggedMovePy(AxisMovePy):
    """An :class:`AxisMove` that says what it was for (``tag``: index into ``TAG_NAMES``).

    The pure-Python reference; ``TaggedMove`` is its compiled twin when built."""

    __slots__ = ("tag",)

    def __init__(self, axis, t0, p0, p1, v, a, load_t=0.0, tag=TAG_MAIN) -> None:
        super().__init__(axis, t0, p0, p1, v, a, load_t)
        self.tag = tag


TaggedMove = kernel("TaggedMove", TaggedMovePy)


def new_stats() -> dict:
    return {
        "moves": [[0] * len(TAG_NAMES) for _ in range(3)],  # [axis][tag]
        "settle_s": 0.0,
        "jog_settle_s": 0.0,  # of settle_s: waiting out the swing of the creep jogs
        "counter_s": 0.0,
        "sway_events": 0,
        "ceiling_hits": 0,
        "reaction_s": 0.0,
    }


class ShapedPlanner(AutomatedPlanner):
    """Automated crane with anti-sway (ZV input shaping) or, without it, settle waits."""

    def __init__(self, specs: Sequence[CraneSpec], travel_height_m: float, sway: Sway) -> None:
        super().__init__(specs, travel_height_m)
        self.sway = sway
        self.L = sway.rope_length_m
        self.T = period_s(self.L)
        self.ratio = (
            zv_residual_ratio(sway.shaper_length_error) if sway.automated_anti_sway else 1.0
        )
        self.stats = new_stats()
        # constants of sway.residual_amplitude_m for this rope and damping
        tau = sway.decay_time_constant_s
        self._w = omega(self.L)
        self._k = 1.0 / tau if isfinite(tau) else 0.0  # the swing's s = k - iω
        self._a_trap: dict[tuple[float, float], float] = {}  # sway.shaped_accel's trapezoid a
        #: ``(t0, p0, p1, v, a) -> (a_cmd, settle)``: the compiled twin of :meth:`_shape_py`
        #: when built (same bits), else that method
        self._shape = self._shape_py
        #: the compiled travel stage (the same moves, settle times and stats as the loop below)
        self._travel_c = None
        if compiled():
            consts = (self.T, bool(sway.automated_anti_sway), self.ratio, self._k, -self._w,
                      self._w, sway.tolerance_m, tau)  # fmt: skip
            self._shape = partial(kernel("shaped_move", None), *consts)
            kern = kernel("ShapedTravel", None)(*consts)
            self._travel_c = kern.travel
            kern.bind([(lim.vx, lim.ax, lim.vy, lim.ay) for lim in self.lim], self.stats, TAG_MAIN)
            #: ``travel`` and ``hoist`` whole in one compiled call each, stats included: what
            #: the model calls (:meth:`stage_calls`)
            self.travel_counted = kern.counted
            kern.bind_hoist(
                [(lim.vz, lim.az, lim.pick_s, lim.place_s) for lim in self.lim], self.top, TAG_HOIST
            )
            self.hoist_counted = kern.hoist_counted

    def stage_calls(self) -> tuple[Callable[..., Stage], Callable[..., Stage]]:
        """The compiled travel and hoist (same stages and stats), when built."""
        if self._travel_c is not None:
            return self.travel_counted, self.hoist_counted
        return self.travel, self.hoist

    def _axis_move(self, axis, t0, p0, p1, v, a, load, tag=TAG_MAIN) -> tuple[TaggedMove, float]:
        """Shaped (or unshaped) move and the settle time after it."""
        a_cmd, settle = self._shape(t0, p0, p1, v, a)
        m = TaggedMove(axis, t0, p0, p1, v, a_cmd, load, tag)
        self.stats["moves"][axis][tag] += 1
        if settle > 0:
            self.stats["sway_events"] += 1
            self.stats["settle_s"] += settle
        return m, settle

    def _shape_py(self, t0, p0, p1, v, a) -> tuple[float, float]:
        """Acceleration of the shaped (or unshaped) move and the settle time after it.

        The shaped acceleration is :func:`~cranesim.physics.sway.shaped_accel` and the swing the unshaped
        move leaves is :func:`~cranesim.physics.sway.move_residual_m`, written out here with the same
        operations (this runs for every axis move of a simulation; tests compare the two).  The
        swing is :func:`~cranesim.physics.sway.forced_swing`, real arithmetic that the compiled
        ``shaped_move`` repeats operation by operation."""
        d = p1 - p0
        dur, ta, _ = profile(d, v, a)  # of the unshaped move
        a_cmd = a
        if self.sway.automated_anti_sway:
            dd = abs(d)
            if dd > 0.0:
                a_trap = self._a_trap.get((v, a))
                if a_trap is None:
                    a_trap = self._a_trap[(v, a)] = v / (v / a + self.T / 2.0)
                if dd >= v * v / a_trap:
                    a_cmd = a_trap
                else:
                    target = dur + self.T / 2.0
                    a_cmd = 4.0 * dd / (target * target)
        # the swing the unshaped move would leave, times what the shaper lets through
        resid = 0.0
        if dur > 0.0:
            sgn = 1.0 if p1 >= p0 else -1.0
            t1 = t0 + dur
            phases = ((t0, t0 + ta, sgn * a), (t1 - ta, t1, -sgn * a))
            resid = swing_abs(*forced_swing(phases, self._k, self._w, t1)) / self._w
        resid = self.ratio * resid
        return a_cmd, settle_time_s(resid, self.sway.tolerance_m, self.sway.decay_time_constant_s)

    def travel(self, crane, t0, x0, y0, x1, y1, load_t) -> Stage:
        lim = self.lim[crane]
        if self._travel_c is not None:
            stage, s_bridge, s_trolley = self._travel_c(t0, x0, y0, x1, y1, load_t, lim.vx, lim.ax,
                                                        lim.vy, lim.ay, TAG_MAIN)  # fmt: skip
            stats = self.stats
            for axis, settle in ((BRIDGE, s_bridge), (TROLLEY, s_trolley)):
                if settle == settle:  # the axis moved (NaN when not), as _axis_move counts it
                    stats["moves"][axis][TAG_MAIN] += 1
                    if settle > 0:
                        stats["sway_events"] += 1
                        stats["settle_s"] += settle
            return stage
        moves, end = [], t0
        for axis, p0, p1, v, a in (
            (BRIDGE, x0, x1, lim.vx, lim.ax),
            (TROLLEY, y0, y1, lim.vy, lim.ay),
        ):
            if p1 != p0:
                m, settle = self._axis_move(axis, t0, p0, p1, v, a, load_t)
                moves.append(m)
                end = max(end, m.t1 + settle)
        return Stage(t0, end - t0, moves, x0, y0, x1, y1)

    def hoist(self, crane, t0, x, y, z, pick, load_t) -> Stage:
        st = super().hoist(crane, t0, x, y, z, pick, load_t)
        self.stats["moves"][HOIST][TAG_HOIST] += len(st.moves)
        return st

    def yield_move(self, crane, t0, x0, x1, y, load_t) -> Stage:
        lim = self.lim[crane]
        m, _ = self._axis_move(BRIDGE, t0, x0, x1, lim.vx, lim.ax, load_t, TAG_YIELD)
        return Stage(t0, m.dur, [m], x0, y, x1, y)  # moving aside: no need to wait for the swing
