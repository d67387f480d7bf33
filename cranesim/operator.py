"""Who drives the crane: a modelled human driver, and an automated crane with anti-sway.

:class:`ManualPlanner` is the manual baseline.  A driver in the cab

* reacts before each stage (``reaction_s_mean``, exponential);
* drives the axes one after another (bridge, then trolley) at ``speed_fraction`` of top speed;
* stops short of the target (``overshoot_m_mean``, exponential; a driver approaches, he does not
  drive through a neighbour's side);
* then faces the swing his stops left (:func:`cranesim.sway.manual_stop_amplitude_m`; the first
  axis's swing decays while the second axis moves) and, above the tolerance, either drives
  counter-moves (share ``counter_sway_share``; each cuts the swing to ``counter_move_reduction``
  of what it was and is another start and stop, taking at least half a period) or waits for
  the larger swing to decay (``τ·ln(A/tol)``);
* and creeps in, axis by axis, with ``1 + Poisson(jogs - 1)`` micro-speed jogs, each a start and
  a stop;
* lowers to ``hoist_approach_m`` above the set-down or pick height, then creeps the rest in
  ``1 + Poisson(hoist_jogs - 1)`` jogs; takes ``pick_place_extra_s`` longer per pick/set-down;
* respects the motors' switching ceiling (``max_switchings_per_h`` per axis in the last hour):
  at the ceiling he makes a single jog and waits for the swing instead of countering it;
* takes a meal break per shift and hands over at the end of each shift, staggered between
  cranes (:meth:`ManualPlanner.breaks`: the model keeps the crane out of service meanwhile).

Its random draws come only from the warehouse's operator stream (``warehouse.rng_operator``,
spawned into one stream for motions and one per crane for breaks), so the mill and truck streams
are the same with and without a driver (common random numbers).

:class:`HumanDispatch` is how the crew picks its lifts (the job order and storage choice of a
manual warehouse): first come first served and nearest free place (the scheduler core's
``fcfs_nearest``), with the mill first, nobody crossing a working neighbour, and a coil on top
taken before a buried one.

The same class builds the intermediate steps of the energy waterfall (``trajectories="automated"``:
automated moves with the driver still damping sway; ``sway="shaped"``: anti-sway too).

:class:`ShapedPlanner` is the automated crane with anti-sway: bridge and trolley start together
at full speed and acceleration shaped by a ZV shaper (modelled as a trapezoid with the reduced
acceleration that gives the shaped duration, :func:`cranesim.sway.shaped_accel`); a residual
above the tolerance (rope length error) is waited out.  With ``automated_anti_sway = false`` it
drives unshaped moves and waits for the exact residual swing to decay.
"""

from __future__ import annotations

from cmath import exp as cexp
from collections import deque
from functools import partial
from math import exp, isfinite, pi
from typing import Iterator, Sequence

import numpy as np

from .config import CraneSpec, Manual, Sway
from .kinematics import BRIDGE, HOIST, TROLLEY, AxisMove, AxisMovePy, Stage, profile
from .motion import AutomatedPlanner, AxisLimits
from .native import PHYSICS
from .sway import (
    counter_moves_needed,
    manual_stop_amplitude_m,
    omega,
    period_s,
    settle_time_s,
    zv_residual_ratio,
)

__all__ = ["TaggedMove", "ShapedPlanner", "ManualPlanner", "HumanDispatch", "TAG_NAMES"]

MAIN, JOG, COUNTER, YIELD, HOISTING = range(5)
TAG_NAMES = ("main", "jog", "counter", "yield", "hoist")


class TaggedMovePy(AxisMovePy):
    """An :class:`AxisMove` that says what it was for (``tag``: index into ``TAG_NAMES``).

    The pure-Python reference; ``TaggedMove`` is its compiled twin when built."""

    __slots__ = ("tag",)

    def __init__(self, axis, t0, p0, p1, v, a, load_t=0.0, tag=MAIN) -> None:
        super().__init__(axis, t0, p0, p1, v, a, load_t)
        self.tag = tag


TaggedMove = PHYSICS.TaggedMove if PHYSICS is not None else TaggedMovePy


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
        # constants of sway.residual_amplitude_m for this rope and damping
        tau = sway.decay_time_constant_s
        self._w = omega(self.L)
        self._s = complex(1.0 / tau if isfinite(tau) else 0.0, -self._w)
        self._a_trap: dict[tuple[float, float], float] = {}  # sway.shaped_accel's trapezoid a
        #: ``(t0, p0, p1, v, a) -> (a_cmd, settle)``: the compiled twin of :meth:`_shape_py`
        #: when built (same bits), else that method
        self._shape = self._shape_py
        #: the compiled travel stage (the same moves, settle times and stats as the loop below)
        self._travel_c = None
        if PHYSICS is not None:
            consts = (self.T, bool(sway.automated_anti_sway), self.ratio, self._s.real, self._s.imag,
                      self._w, sway.tolerance_m, tau)  # fmt: skip
            self._shape = partial(PHYSICS.shaped_move, *consts)
            kern = PHYSICS.ShapedTravel(*consts)
            self._travel_c = kern.travel
            kern.bind([(lim.vx, lim.ax, lim.vy, lim.ay) for lim in self.lim], self.stats, MAIN)
            #: ``travel`` and ``hoist`` whole in one compiled call each, stats included: what
            #: the model calls
            self.travel_counted = kern.counted
            kern.bind_hoist([(lim.vz, lim.az, lim.pick_s, lim.place_s) for lim in self.lim], self.top, HOISTING)
            self.hoist_counted = kern.hoist_counted

    def _axis_move(self, axis, t0, p0, p1, v, a, load, tag=MAIN) -> tuple[TaggedMove, float]:
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

        The shaped acceleration is :func:`~cranesim.sway.shaped_accel` and the swing the unshaped
        move leaves is :func:`~cranesim.sway.move_residual_m`, written out here with the same
        operations (this runs for every axis move of a simulation; tests compare the two)."""
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
            s, z = self._s, 0j
            for q0, q1, acc in ((t0, t0 + ta, sgn * a), (t1 - ta, t1, -sgn * a)):
                if q1 <= q0 or acc == 0.0:
                    continue
                z += acc * (cexp(s * (q1 - t1)) - cexp(s * (q0 - t1))) / s
            resid = abs(z) / self._w
        resid = self.ratio * resid
        return a_cmd, settle_time_s(resid, self.sway.tolerance_m, self.sway.decay_time_constant_s)

    def travel(self, crane, t0, x0, y0, x1, y1, load_t) -> Stage:
        lim = self.lim[crane]
        if self._travel_c is not None:
            stage, s_bridge, s_trolley = self._travel_c(t0, x0, y0, x1, y1, load_t, lim.vx, lim.ax,
                                                        lim.vy, lim.ay, MAIN)  # fmt: skip
            stats = self.stats
            for axis, settle in ((BRIDGE, s_bridge), (TROLLEY, s_trolley)):
                if settle == settle:  # the axis moved (NaN when not), as _axis_move counts it
                    stats["moves"][axis][MAIN] += 1
                    if settle > 0:
                        stats["sway_events"] += 1
                        stats["settle_s"] += settle
            return stage
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

    def _stop_swing(self, main: AxisMove) -> float:
        """Swing left by the driver's stop at the end of ``main`` (random phase)."""
        cruise = max(main.dur - 2.0 * main.t_acc, 0.0)
        phase = float(self.rng.uniform(0.0, 2.0 * pi))
        return manual_stop_amplitude_m(self.L, main.a, cruise, self.tau, phase)

    def _damp(self, moves, crane, t, axes, load) -> float:
        """Calm the hook before lowering; ``axes`` = [axis, pos, lo, hi, main, swing at t].

        The driver either waits for the larger swing to decay or counters each axis's swing
        with counter-moves (the other axis keeps decaying meanwhile).  Updates each axis's
        position in ``axes``; returns the time the hook is calm.
        """
        tol = self.sway.tolerance_m
        worst = max((ax[5] for ax in axes), default=0.0)
        if worst <= tol:
            return t
        self.stats["sway_events"] += 1
        red = self.cfg.counter_move_reduction
        counter = self.rng.random() < self.cfg.counter_sway_share
        if counter:
            for ax in axes:
                n = counter_moves_needed(ax[5], tol, red)
                if n and not self._budget_ok(crane, ax[0], t, n + 1):
                    counter = False
                    self.stats["ceiling_hits"] += 1
                    break
        if not counter:
            wait = settle_time_s(worst, tol, self.tau)
            self.stats["settle_s"] += wait
            return t + wait
        t_start = t
        for ax in axes:
            axis, pos, lo, hi, main, amp = ax
            amp *= exp(-(t - t_start) / self.tau)  # it kept decaying while the other was countered
            n = counter_moves_needed(amp, tol, red)
            if n == 0:
                continue
            v, a = self._limits(crane, axis)
            vm = v * self.cfg.micro_speed_fraction
            sgn = -1.0 if main.p1 >= main.p0 else 1.0  # first counter-move back, towards the start
            for _ in range(n):
                target = min(max(pos + sgn * amp, lo), hi)
                m = self._add(moves, crane, TaggedMove(axis, t, pos, target, vm, a, load, COUNTER))
                t += max(m.dur, self.T / 2.0)
                pos = target
                amp *= red
                sgn = -sgn
            ax[1] = pos
        self.stats["counter_s"] += t - t_start
        return t

    def _creep(self, moves, crane, axis, t, pos, p1, load) -> float:
        """Creep from ``pos`` to ``p1`` with micro-speed jogs; returns the end time."""
        if pos == p1:
            return t
        cfg = self.cfg
        v, a = self._limits(crane, axis)
        vm = v * cfg.micro_speed_fraction
        if self.traj != "manual":
            # automated positioning after the driver's counter-moves: one move back
            return self._add(moves, crane, TaggedMove(axis, t, pos, p1, vm, a, load, JOG)).t1
        # 1 + Poisson(mean - 1) jogs; each leaves a random part of the error
        n = 1 + int(self.rng.poisson(cfg.jogs_per_positioning_mean - 1.0))
        if n > 1 and not self._budget_ok(crane, axis, t, n):
            n = 1
            self.stats["ceiling_hits"] += 1
        for k in range(n):
            nxt = p1 if k == n - 1 else p1 - (p1 - pos) * float(self.rng.uniform(0.0, 0.6))
            t = self._add(moves, crane, TaggedMove(axis, t, pos, nxt, vm, a, load, JOG)).t1
            pos = nxt
        return t

    # ------------------------------------------------------------------ planner interface
    def travel(self, crane, t0, x0, y0, x1, y1, load_t) -> Stage:
        """Main moves (one axis after the other, stopping short), calm the hook, creep in."""
        if self.shaped is not None:
            return self.shaped.travel(crane, t0, x0, y0, x1, y1, load_t)
        cfg = self.cfg
        manual = self.traj == "manual"
        moves: list[AxisMove] = []
        t = t0 + self._reaction()
        start = t
        axes = []
        for axis, p0, p1 in ((BRIDGE, x0, x1), (TROLLEY, y0, y1)):
            if p1 == p0:
                continue
            v, a = self._limits(crane, axis)
            if manual:
                short = float(self.rng.exponential(cfg.overshoot_m_mean)) if cfg.overshoot_m_mean > 0 else 0.0
                stop = p1 - (1.0 if p1 > p0 else -1.0) * min(short, 0.5 * abs(p1 - p0))
                main = TaggedMove(axis, t, p0, stop, v * cfg.speed_fraction, a, load_t, MAIN)
            else:
                main = TaggedMove(axis, start, p0, p1, v, a, load_t, MAIN)
            self._add(moves, crane, main)
            axes.append([axis, main.p1, min(p0, p1), max(p0, p1), main, 0.0])
            if manual and cfg.sequential_axes:
                t = main.t1
        t = max([t] + [ax[4].t1 for ax in axes])
        for ax in axes:  # the swing each stop left, decayed until the last axis stopped
            ax[5] = self._stop_swing(ax[4]) * exp(-(t - ax[4].t1) / self.tau)
        t = self._damp(moves, crane, t, axes, load_t)
        for axis, pos, _, _, _, _ in axes:
            p1 = x1 if axis == BRIDGE else y1
            t = self._creep(moves, crane, axis, t, pos, p1, load_t)
        return Stage(t0, t - t0, moves, x0, y0, x1, y1)

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


class HumanDispatch:
    """How the drivers of a manual warehouse pick their next lift, around the scheduler core.

    Wraps the warehouse's scheduler (``warehouse.sched``, which runs the ``[manual] policy``,
    normally ``fcfs_nearest``: oldest job first, nearest crane, nearest free place) with two
    rules every crane crew follows:

    * the mill first: once the unloading station is at least ``mill_first_fill`` full, its
      coils are stored before any truck is served (a blocked mill stops the line);
    * nobody crosses a working crane: a crane takes a lift only if its path keeps the safety
      distance from the working interval of every busy neighbour (idle neighbours are asked to
      move aside, as the model does);
    * a coil on top first: for a truck, a driver takes a coil of the grade that nothing rests
      on, when his crane can reach one, and digs out a buried one only otherwise.

    Jobs are tried in that order (oldest first within a class), each with the free cranes
    nearest first; for each pair the core is asked with all other jobs and cranes masked, so
    the choice of coil and of storage place stays the core's.  The masks are restored after
    every call.  Nothing here is random.
    """

    def __init__(self, warehouse, inner, manual: Manual) -> None:
        self.wh = warehouse
        self.inner = inner
        self.st = warehouse.st
        # it books slots in bulk around each call (to hide them): the cores compare all slots
        self.st.touch[0] = 0
        self.fill = manual.mill_first_fill
        self.avoid = manual.avoid_crossing_working_cranes
        self.accessible = manual.prefer_accessible_coils
        self.dsafe = float(warehouse.dsafe)
        self.rejected = 0  # lifts the core proposed that would have crossed a working crane
        st = self.st
        self._blk0 = st.s_blk0.astype(np.intp)
        self._blk1 = st.s_blk1.astype(np.intp)
        self._slot_x = st.loc_x[: len(st.s_coil)]

    def _covered(self) -> np.ndarray:
        """Slots with a coil (or a booked place) resting on them."""
        st = self.st
        occ = (st.s_coil >= 0) | (st.s_booked != 0)
        covered = np.zeros(occ.shape, dtype=bool)
        for b in (self._blk0, self._blk1):
            has = b >= 0
            covered[has] |= occ[b[has]]
        return covered

    def _free_range(self, c: int) -> tuple[float, float]:
        """The part of the runway crane ``c`` can work in without nearing a working crane."""
        st, wh, d = self.st, self.wh, self.dsafe
        lo, hi = float(st.c_lo[c]), float(st.c_hi[c])
        if not self.avoid:
            return lo, hi
        for k in range(wh.n):
            if k == c or wh.state[k] == 0:  # 0 = IDLE: can be pushed aside
                continue
            if k < c:
                lo = max(lo, float(st.c_busy_hi[k]) + (c - k) * d)
            else:
                hi = min(hi, float(st.c_busy_lo[k]) - (k - c) * d)
        return lo, hi

    def _hidden(self, c: int, j: int, lo: float, hi: float, covered_fn) -> np.ndarray:
        """Places the driver of crane ``c`` does not consider for job ``j``: beyond a working
        neighbour, and (for a truck) coils of the grade under another coil when one of that
        grade lies on top within his range."""
        st = self.st
        x = self._slot_x
        hide = (x < lo - 1e-9) | (x > hi + 1e-9)
        if self.accessible and st.j_kind[j] == 1:
            covered = covered_fn()
            mine = (st.s_grade == st.j_grade[j]) & (st.s_coil >= 0) & (st.s_booked == 0) & ~hide
            if np.any(mine & ~covered):
                hide |= mine & covered
        return hide & (st.s_booked == 0)

    @property
    def n_calls(self) -> int:
        return getattr(self.inner, "n_calls", 0)

    def _clean(self, c: int, src: int, dst: int) -> bool:
        st = self.st
        return self._clean_x(c, (float(st.c_x[c]), float(st.loc_x[src]), float(st.loc_x[dst])))

    def _clean_x(self, c: int, xs: tuple[float, ...]) -> bool:
        """Whether crane ``c`` can sweep ``[min(xs), max(xs)]`` without nearing a working crane."""
        st, wh, d = self.st, self.wh, self.dsafe
        lo, hi = min(xs), max(xs)
        for k in range(wh.n):
            if k == c or wh.state[k] == 0:  # 0 = IDLE: can be pushed aside
                continue
            if k < c and st.c_busy_hi[k] + (c - k) * d > lo + 1e-9:
                return False
            if k > c and st.c_busy_lo[k] - (k - c) * d < hi - 1e-9:
                return False
        return True

    def decide(self, now: float) -> int:
        st = self.st
        open_j = np.flatnonzero((st.j_active != 0) & (st.j_taken == 0))
        free = np.flatnonzero(st.c_free != 0)
        if open_j.size == 0 or free.size == 0:
            return 0
        mill_first = float(st.params[7]) >= self.fill
        kind, jt = st.j_kind, st.j_t
        order = sorted(
            open_j.tolist(), key=lambda j: (0 if mill_first and kind[j] == 0 else 1, float(jt[j]), j)
        )
        saved_free = st.c_free.copy()
        saved_taken = st.j_taken.copy()
        cache: dict[str, np.ndarray] = {}

        def covered() -> np.ndarray:
            if "c" not in cache:
                cache["c"] = self._covered()
            return cache["c"]

        ranges = {c: self._free_range(c) for c in free.tolist()}
        try:
            for j in order:
                xj = float(st.loc_x[st.j_loc[j]])
                for c in sorted(free.tolist(), key=lambda c: (abs(float(st.c_x[c]) - xj), c)):
                    lo, hi = ranges[c]
                    if not (lo - 1e-9 <= xj <= hi + 1e-9 and lo - 1e-9 <= st.c_x[c] <= hi + 1e-9):
                        continue  # every lift for this job passes its station or truck bay
                    st.c_free[:] = 0
                    st.c_free[c] = 1
                    st.j_taken[:] = 1
                    st.j_taken[j] = 0
                    hide = self._hidden(c, j, lo, hi, covered)
                    st.s_booked[hide] = 1  # the core sees only what the driver would consider
                    ok = self.inner.decide(now)
                    st.s_booked[hide] = 0
                    if ok:
                        _, _, src, dst, _ = (int(v) for v in st.out)
                        if not self.avoid or self._clean(c, src, dst):
                            return 1
                        self.rejected += 1
            return 0
        finally:
            st.c_free[:] = saved_free
            st.j_taken[:] = saved_taken
