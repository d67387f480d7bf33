"""Who drives the crane: a modelled human driver, and an automated crane with anti-sway.

:class:`ManualPlanner` is the manual baseline.  A driver in the cab

* reacts before each stage (``reaction_s_mean``, exponential);
* drives the axes one after another (bridge, then trolley) at ``speed_fraction`` of top speed;
* stops short of the target (``overshoot_m_mean``, exponential; a driver approaches, he does not
  drive through a neighbour's side) and creeps in with ``1 + Poisson(jogs - 1)`` micro-speed jogs,
  each a start and a stop;
* faces the swing his stop left (:func:`cranesim.sway.manual_stop_amplitude_m`) and, above the
  tolerance, either drives counter-moves (share ``counter_sway_share``; each cuts the swing to
  ``counter_move_reduction`` of what it was and is another start and stop, taking at least half
  a period) or waits for it to decay (``τ·ln(A/tol)``);
* lowers to ``hoist_approach_m`` above the set-down or pick height, then creeps the rest in
  ``1 + Poisson(hoist_jogs - 1)`` jogs; takes ``pick_place_extra_s`` longer per pick/set-down;
* respects the motors' switching ceiling (``max_switchings_per_h`` per axis in the last hour):
  at the ceiling he makes a single jog and waits for the swing instead of countering it;
* takes a meal break per shift and hands over at the end of each shift, staggered between
  cranes (:meth:`ManualPlanner.breaks`: the model keeps the crane out of service meanwhile).

Its random draws come only from the warehouse's operator stream (``warehouse.rng_operator``,
spawned into one stream for motions and one per crane for breaks), so the mill and truck streams
are the same with and without a driver (common random numbers).

The same class builds the intermediate steps of the energy waterfall (``trajectories="automated"``:
automated moves with the driver still damping sway; ``sway="shaped"``: anti-sway too).

:class:`ShapedPlanner` is the automated crane with anti-sway: bridge and trolley start together
at full speed and acceleration shaped by a ZV shaper (modelled as a trapezoid with the reduced
acceleration that gives the shaped duration, :func:`cranesim.sway.shaped_accel`); a residual
above the tolerance (rope length error) is waited out.  With ``automated_anti_sway = false`` it
drives unshaped moves and waits for the exact residual swing to decay.
"""

from __future__ import annotations

from collections import deque
from math import pi
from typing import Iterator, Sequence

import numpy as np

from .config import CraneSpec, Manual, Sway
from .kinematics import BRIDGE, HOIST, TROLLEY, AxisMove, Stage
from .motion import AutomatedPlanner, AxisLimits
from .sway import (
    counter_moves_needed,
    manual_stop_amplitude_m,
    move_residual_m,
    period_s,
    settle_time_s,
    shaped_accel,
    zv_residual_ratio,
)

__all__ = ["TaggedMove", "ShapedPlanner", "ManualPlanner", "TAG_NAMES"]

MAIN, JOG, COUNTER, YIELD, HOISTING = range(5)
TAG_NAMES = ("main", "jog", "counter", "yield", "hoist")


class TaggedMove(AxisMove):
    """An :class:`AxisMove` that says what it was for (``tag``: index into ``TAG_NAMES``)."""

    __slots__ = ("tag",)

    def __init__(self, axis, t0, p0, p1, v, a, load_t=0.0, tag=MAIN) -> None:
        super().__init__(axis, t0, p0, p1, v, a, load_t)
        self.tag = tag


def _new_stats() -> dict:
    return {
        "moves": [[0] * len(TAG_NAMES) for _ in range(3)],  # [axis][tag]
        "settle_s": 0.0,
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
        self.ratio = zv_residual_ratio(sway.shaper_length_error) if sway.automated_anti_sway else 1.0
        self.stats = _new_stats()

    def _axis_move(self, axis, t0, p0, p1, v, a, load, tag=MAIN) -> tuple[TaggedMove, float]:
        """Shaped (or unshaped) move and the settle time after it."""
        a_cmd = shaped_accel(p1 - p0, v, a, self.T) if self.sway.automated_anti_sway else a
        m = TaggedMove(axis, t0, p0, p1, v, a_cmd, load, tag)
        # the swing the unshaped move would leave, times what the shaper lets through
        unshaped = TaggedMove(axis, t0, p0, p1, v, a, load)
        resid = self.ratio * move_residual_m(unshaped, self.L, self.sway.decay_time_constant_s)
        settle = settle_time_s(resid, self.sway.tolerance_m, self.sway.decay_time_constant_s)
        self.stats["moves"][axis][tag] += 1
        if settle > 0:
            self.stats["sway_events"] += 1
            self.stats["settle_s"] += settle
        return m, settle

    def travel(self, crane, t0, x0, y0, x1, y1, load_t) -> Stage:
        lim = self.lim[crane]
        moves, end = [], t0
        for axis, p0, p1, v, a in ((BRIDGE, x0, x1, lim.vx, lim.ax), (TROLLEY, y0, y1, lim.vy, lim.ay)):
            if p1 != p0:
                m, settle = self._axis_move(axis, t0, p0, p1, v, a, load_t)
                moves.append(m)
                end = max(end, m.t1 + settle)
        return Stage(t0, end - t0, moves, x0, y0, x1, y1)

    def hoist(self, crane, t0, x, y, z, pick, load_t) -> Stage:
        st = super().hoist(crane, t0, x, y, z, pick, load_t)
        self.stats["moves"][HOIST][HOISTING] += len(st.moves)
        return st

    def yield_move(self, crane, t0, x0, x1, y, load_t) -> Stage:
        lim = self.lim[crane]
        m, _ = self._axis_move(BRIDGE, t0, x0, x1, lim.vx, lim.ax, load_t, YIELD)
        return Stage(t0, m.dur, [m], x0, y, x1, y)  # moving aside: no need to wait for the swing


class ManualPlanner:
    """The modelled human driver (see the module docstring).

    Parameters
    ----------
    specs, travel_height_m
        As for :class:`~cranesim.motion.AutomatedPlanner`.
    manual, sway
        The ``[manual]`` and ``[sway]`` sections of the scenario.
    trajectories
        ``"manual"`` (the driver's moves) or ``"automated"`` (automated moves, the driver still
        in the cab damping the sway and taking breaks): a waterfall step.
    sway_mode
        ``"manual"`` (the driver damps) or ``"shaped"`` (automated anti-sway; needs automated
        trajectories): a waterfall step.
    rng
        Random generator for tests without a warehouse; :meth:`bind` replaces it with streams
        spawned from ``warehouse.rng_operator``.
    """

    def __init__(
        self,
        specs: Sequence[CraneSpec],
        travel_height_m: float,
        manual: Manual,
        sway: Sway,
        trajectories: str = "manual",
        sway_mode: str = "manual",
        rng: np.random.Generator | None = None,
    ) -> None:
        if trajectories not in ("manual", "automated"):
            raise ValueError(f"trajectories must be 'manual' or 'automated', not {trajectories!r}")
        if sway_mode not in ("manual", "shaped"):
            raise ValueError(f"sway_mode must be 'manual' or 'shaped', not {sway_mode!r}")
        if sway_mode == "shaped" and trajectories == "manual":
            raise ValueError("anti-sway shaping needs automated trajectories")
        self.specs = list(specs)
        self.lim = [AxisLimits(s) for s in specs]
        self.top = travel_height_m
        self.cfg = manual
        self.sway = sway
        self.traj = trajectories
        self.sway_mode = sway_mode
        self.L = sway.rope_length_m
        self.T = period_s(self.L)
        self.tau = sway.decay_time_constant_s
        self.n = len(self.specs)
        self.shaped = ShapedPlanner(specs, travel_height_m, sway) if sway_mode == "shaped" else None
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self._break_rngs = list((rng or np.random.default_rng(1)).spawn(self.n))
        self._starts = [[deque() for _ in range(3)] for _ in range(self.n)]
        self.stats = self.shaped.stats if self.shaped is not None else _new_stats()

    # ------------------------------------------------------------------ model hooks
    def bind(self, warehouse) -> None:
        """Take the operator's random stream from the warehouse (called by the model)."""
        streams = warehouse.rng_operator.spawn(1 + self.n)
        self.rng = streams[0]
        self._break_rngs = streams[1:]

    def breaks(self, c: int) -> Iterator[tuple[float, float]]:
        """Meal breaks and shift handovers of crane ``c``'s driver, ``(start_s, dur_s)``.

        Each shift of ``shift_h`` has one meal break of ``meal_break_min`` around its middle
        (``± break_jitter_min``) and ends with a handover of ``handover_min``.  Cranes are
        staggered by one break length so that, as a rule, one crane at a time is unmanned.
        """
        cfg, rng = self.cfg, self._break_rngs[c]
        shift = cfg.shift_h * 3600.0
        meal, hand = cfg.meal_break_min * 60.0, cfg.handover_min * 60.0
        jit = cfg.break_jitter_min * 60.0
        k = 0
        last_end = 0.0
        while True:
            s0 = k * shift
            if meal > 0:
                start = s0 + shift / 2 + (c - (self.n - 1) / 2) * meal + rng.uniform(-jit, jit)
                start = max(start, last_end)
                yield start, meal
                last_end = start + meal
            if hand > 0:
                start = max(s0 + shift + c * hand - (self.n - 1) * hand / 2, last_end)
                yield start, hand
                last_end = start + hand
            k += 1

    # ------------------------------------------------------------------ helpers
    def _budget_ok(self, crane: int, axis: int, t: float, extra: int) -> bool:
        """Whether ``extra`` more starts keep ``axis`` within the switching ceiling."""
        q = self._starts[crane][axis]
        while q and q[0] < t - 3600.0:
            q.popleft()
        return len(q) + extra <= self.cfg.max_switchings_per_h

    def _add(self, moves: list, crane: int, m: TaggedMove) -> TaggedMove:
        if m.dur > 0:
            moves.append(m)
            self._starts[crane][m.axis].append(m.t0)
            self.stats["moves"][m.axis][m.tag] += 1
        return m

    def _reaction(self) -> float:
        if self.traj != "manual" or self.cfg.reaction_s_mean <= 0:
            return 0.0
        r = float(self.rng.exponential(self.cfg.reaction_s_mean))
        self.stats["reaction_s"] += r
        return r

    def _limits(self, crane: int, axis: int) -> tuple[float, float]:
        lim = self.lim[crane]
        return ((lim.vx, lim.ax), (lim.vy, lim.ay), (lim.vz, lim.az))[axis]

    def _damp(self, moves, crane, axis, t, pos, lo, hi, main: AxisMove, load) -> tuple[float, float]:
        """Deal with the swing after ``main`` stopped at ``t``; returns (time, position)."""
        tol = self.sway.tolerance_m
        cruise = max(main.dur - 2.0 * main.t_acc, 0.0)
        phase = float(self.rng.uniform(0.0, 2.0 * pi))
        amp = manual_stop_amplitude_m(self.L, main.a, cruise, self.tau, phase)
        if amp <= tol:
            return t, pos
        self.stats["sway_events"] += 1
        n = counter_moves_needed(amp, tol, self.cfg.counter_move_reduction)
        counter = self.rng.random() < self.cfg.counter_sway_share
        if counter and not self._budget_ok(crane, axis, t, n + 1):
            counter = False
            self.stats["ceiling_hits"] += 1
        if not counter:
            wait = settle_time_s(amp, tol, self.tau)
            self.stats["settle_s"] += wait
            return t + wait, pos
        v, a = self._limits(crane, axis)
        vm = v * self.cfg.micro_speed_fraction
        t_start = t
        sgn = -1.0 if main.p1 >= main.p0 else 1.0  # first counter-move back, towards the start
        for _ in range(n):
            target = min(max(pos + sgn * amp, lo), hi)
            m = self._add(moves, crane, TaggedMove(axis, t, pos, target, vm, a, load, COUNTER))
            t += max(m.dur, self.T / 2.0)
            pos = target
            amp *= self.cfg.counter_move_reduction
            sgn = -sgn
        self.stats["counter_s"] += t - t_start
        return t, pos

    def _position(self, moves, crane, axis, t0, p0, p1, load, tol_sway: bool) -> float:
        """One axis, driven by hand from ``p0`` to ``p1`` from ``t0``; returns the end time."""
        cfg = self.cfg
        v, a = self._limits(crane, axis)
        lo, hi = min(p0, p1), max(p0, p1)
        d = p1 - p0
        sgn = 1.0 if d > 0 else -1.0
        if self.traj == "manual":
            short = min(float(self.rng.exponential(cfg.overshoot_m_mean)) if cfg.overshoot_m_mean > 0 else 0.0,
                        0.5 * abs(d))
            stop = p1 - sgn * short
            main = self._add(moves, crane, TaggedMove(axis, t0, p0, stop, v * cfg.speed_fraction, a, load, MAIN))
        else:
            stop = p1
            main = self._add(moves, crane, TaggedMove(axis, t0, p0, p1, v, a, load, MAIN))
        t, pos = main.t1, stop
        if tol_sway:
            t, pos = self._damp(moves, crane, axis, t, pos, lo, hi, main, load)
        if pos != p1 and self.traj != "manual":
            # automated positioning after the driver's counter-moves: one move back
            m = self._add(moves, crane, TaggedMove(axis, t, pos, p1, v * cfg.micro_speed_fraction, a, load, JOG))
            return m.t1
        if pos != p1:
            # creep in: 1 + Poisson(mean - 1) jogs; each leaves a random part of the error
            n = 1 + int(self.rng.poisson(cfg.jogs_per_positioning_mean - 1.0))
            if n > 1 and not self._budget_ok(crane, axis, t, n):
                n = 1
                self.stats["ceiling_hits"] += 1
            vm = v * cfg.micro_speed_fraction
            for k in range(n):
                if k == n - 1:
                    nxt = p1
                else:
                    nxt = p1 - (p1 - pos) * float(self.rng.uniform(0.0, 0.6))
                m = self._add(moves, crane, TaggedMove(axis, t, pos, nxt, vm, a, load, JOG))
                t = m.t1
                pos = nxt
        return t

    # ------------------------------------------------------------------ planner interface
    def travel(self, crane, t0, x0, y0, x1, y1, load_t) -> Stage:
        if self.shaped is not None:
            return self.shaped.travel(crane, t0, x0, y0, x1, y1, load_t)
        moves: list[AxisMove] = []
        t = t0 + self._reaction()
        end = t
        sequential = self.cfg.sequential_axes and self.traj == "manual"
        for axis, p0, p1 in ((BRIDGE, x0, x1), (TROLLEY, y0, y1)):
            if p1 == p0:
                continue
            t_end = self._position(moves, crane, axis, t, p0, p1, load_t, True)
            end = max(end, t_end)
            if sequential:
                t = t_end
        return Stage(t0, end - t0, moves, x0, y0, x1, y1)

    def hoist(self, crane, t0, x, y, z, pick, load_t) -> Stage:
        if self.traj != "manual":
            st = AutomatedPlanner.hoist(self, crane, t0, x, y, z, pick, load_t)
            self.stats["moves"][HOIST][HOISTING] += len(st.moves)
            return st
        cfg, lim = self.cfg, self.lim[crane]
        moves: list[AxisMove] = []
        down_load = 0.0 if pick else load_t
        up_load = load_t if pick else 0.0
        t = t0 + self._reaction()
        vz = lim.vz * cfg.speed_fraction
        approach = min(cfg.hoist_approach_m, max(self.top - z, 0.0))
        z_slow = z + approach
        m = self._add(moves, crane, TaggedMove(HOIST, t, self.top, z_slow, vz, lim.az, down_load, HOISTING))
        t = m.t1 if m.dur > 0 else t
        pos = z_slow
        if approach > 0:
            n = 1 + int(self.rng.poisson(cfg.hoist_jogs_per_positioning_mean - 1.0))
            if n > 1 and not self._budget_ok(crane, HOIST, t, n + 1):
                n = 1
                self.stats["ceiling_hits"] += 1
            cuts = np.sort(self.rng.uniform(0.0, approach, n - 1)) if n > 1 else np.empty(0)
            vm = lim.vz * cfg.micro_speed_fraction
            for c in list(cuts[::-1]) + [0.0]:
                nxt = z + float(c)
                m = self._add(moves, crane, TaggedMove(HOIST, t, pos, nxt, vm, lim.az, down_load, JOG))
                t = m.t1
                pos = nxt
        t += (lim.pick_s if pick else lim.place_s) + cfg.pick_place_extra_s
        m = self._add(moves, crane, TaggedMove(HOIST, t, z, self.top, vz, lim.az, up_load, HOISTING))
        t = m.t1 if m.dur > 0 else t
        return Stage(t0, t - t0, moves, x, y, x, y)

    def yield_move(self, crane, t0, x0, x1, y, load_t) -> Stage:
        if self.shaped is not None:
            return self.shaped.yield_move(crane, t0, x0, x1, y, load_t)
        lim = self.lim[crane]
        v = lim.vx * (self.cfg.speed_fraction if self.traj == "manual" else 1.0)
        moves: list[AxisMove] = []
        m = self._add(moves, crane, TaggedMove(BRIDGE, t0, x0, x1, v, lim.ax, load_t, YIELD))
        return Stage(t0, m.dur, moves, x0, y, x1, y)
