"""Who drives the crane: a modelled human driver, and an automated crane with anti-sway.

:class:`ManualPlanner` is the manual baseline.  A driver in the cab

* reacts before each stage (``reaction_s_mean``, exponential);
* drives the axes one after another (bridge, then trolley) at ``speed_fraction`` of top speed;
* stops short of the target (``overshoot_m_mean``, exponential; a driver approaches, he does not
  drive through a neighbour's side);
* then faces the swing his stops left (:func:`cranesim.physics.sway.manual_stop_amplitude_m`; the first
  axis's swing decays while the second axis moves) and, above the tolerance, either drives
  counter-moves (share ``counter_sway_share``; each cuts the swing to ``counter_move_reduction``
  of what it was and is another start and stop, taking at least half a period) or waits for
  the larger swing to decay (``τ·ln(A/tol)``);
* and creeps in, axis by axis, with ``1 + Poisson(jogs - 1)`` micro-speed jogs, each a start and
  a stop;
* the jogs swing the calmed load again (a 0.1 m jog at creep speed leaves ~0.1 m): the swing they
  leave is computed exactly (:func:`cranesim.physics.sway.residual_amplitude_m` over the jogs'
  acceleration phases, the hook calm before them) and, above the tolerance, the driver waits for
  it to decay before he lowers (a counter-move now would undo the positioning he just made);
* lowers to ``hoist_approach_m`` above the set-down or pick height, then creeps the rest in
  ``1 + Poisson(hoist_jogs - 1)`` jogs; takes ``pick_place_extra_s`` longer per pick/set-down;
* respects the motors' switching ceiling (``max_switchings_per_h`` per axis in the last hour):
  at the ceiling he makes a single jog and waits for the swing instead of countering it;
* takes a meal break per shift and hands over at the end of each shift, staggered between
  cranes (:meth:`ManualPlanner.breaks`: the model keeps the crane out of service meanwhile).

Its random draws come only from the warehouse's operator stream (``warehouse.rng_operator``,
spawned into one stream for motions and one per crane for breaks), so the mill and truck streams
are the same with and without a driver (common random numbers).

:class:`~cranesim.model.dispatch.HumanDispatch` is how the crew picks its lifts (the job order and storage choice of a
manual warehouse): first come first served and nearest free place (the scheduler core's
``fcfs_nearest``), with the mill first, nobody crossing a working neighbour, and a coil on top
taken before a buried one.

The same class builds the intermediate steps of the energy waterfall (``trajectories="automated"``:
automated moves with the driver still damping sway; ``sway="shaped"``: anti-sway too).

:class:`ShapedPlanner` is the automated crane with anti-sway: bridge and trolley start together
at full speed and acceleration shaped by a ZV shaper (modelled as a trapezoid with the reduced
acceleration that gives the shaped duration, :func:`cranesim.physics.sway.shaped_accel`); a residual
above the tolerance (rope length error) is waited out.  With ``automated_anti_sway = false`` it
drives unshaped moves and waits for the exact residual swing to decay.
"""

from __future__ import annotations

from collections import deque
from math import exp, pi
from typing import Iterator, Sequence

import numpy as np

from cranesim.codes import (
    BRIDGE,
    HOIST,
    TAG_COUNTER,
    TAG_HOIST,
    TAG_JOG,
    TAG_MAIN,
    TAG_YIELD,
    TROLLEY,
)
from cranesim.physics.kinematics import AxisMove, Stage
from cranesim.physics.planners import (
    AutomatedPlanner,
    AxisLimits,
    PlannerBase,
    ShapedPlanner,
    TaggedMove,
    new_stats,
)
from cranesim.physics.sway import (
    counter_moves_needed,
    manual_stop_amplitude_m,
    period_s,
    residual_amplitude_m,
    settle_time_s,
    trapezoid_phases,
)
from cranesim.scenario.schema import CraneSpec, Manual, Sway

__all__ = ["ManualPlanner"]


class ManualPlanner(PlannerBase):
    """The modelled human driver (see the module docstring).

    Parameters
    ----------
    specs, travel_height_m
        As for :class:`~cranesim.physics.planners.AutomatedPlanner`.
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
        spawned from the warehouse's operator stream.
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
        self.stats = self.shaped.stats if self.shaped is not None else new_stats()

    # ------------------------------------------------------------------ model hooks
    takes_breaks = True  # see breaks()

    def bind(self, rng_operator: np.random.Generator) -> None:
        """Take the warehouse's operator random stream (called by the model)."""
        streams = rng_operator.spawn(1 + self.n)
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
                m = self._add(
                    moves, crane, TaggedMove(axis, t, pos, target, vm, a, load, TAG_COUNTER)
                )
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
            return self._add(moves, crane, TaggedMove(axis, t, pos, p1, vm, a, load, TAG_JOG)).t1
        # 1 + Poisson(mean - 1) jogs; each leaves a random part of the error
        n = 1 + int(self.rng.poisson(cfg.jogs_per_positioning_mean - 1.0))
        if n > 1 and not self._budget_ok(crane, axis, t, n):
            n = 1
            self.stats["ceiling_hits"] += 1
        for k in range(n):
            nxt = p1 if k == n - 1 else p1 - (p1 - pos) * float(self.rng.uniform(0.0, 0.6))
            t = self._add(moves, crane, TaggedMove(axis, t, pos, nxt, vm, a, load, TAG_JOG)).t1
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
                short = (
                    float(self.rng.exponential(cfg.overshoot_m_mean))
                    if cfg.overshoot_m_mean > 0
                    else 0.0
                )
                stop = p1 - (1.0 if p1 > p0 else -1.0) * min(short, 0.5 * abs(p1 - p0))
                main = TaggedMove(axis, t, p0, stop, v * cfg.speed_fraction, a, load_t, TAG_MAIN)
            else:
                main = TaggedMove(axis, start, p0, p1, v, a, load_t, TAG_MAIN)
            self._add(moves, crane, main)
            axes.append([axis, main.p1, min(p0, p1), max(p0, p1), main, 0.0])
            if manual and cfg.sequential_axes:
                t = main.t1
        t = max([t] + [ax[4].t1 for ax in axes])
        for ax in axes:  # the swing each stop left, decayed until the last axis stopped
            ax[5] = self._stop_swing(ax[4]) * exp(-(t - ax[4].t1) / self.tau)
        t = self._damp(moves, crane, t, axes, load_t)
        k0 = len(moves)
        for axis, pos, _, _, _, _ in axes:
            p1 = x1 if axis == BRIDGE else y1
            t = self._creep(moves, crane, axis, t, pos, p1, load_t)
        t = self._settle_after_jogs(moves[k0:], t)
        return Stage(t0, t - t0, moves, x0, y0, x1, y1)

    def _settle_after_jogs(self, jogs: Sequence[AxisMove], t: float) -> float:
        """Wait until the swing the creep jogs left (hook calm before them) is within tolerance.

        Bridge and trolley swing in perpendicular planes; the larger amplitude decides."""
        if not jogs:
            return t
        worst = 0.0
        for axis in (BRIDGE, TROLLEY):
            phases = [ph for m in jogs if m.axis == axis for ph in trapezoid_phases(m)]
            if phases:
                worst = max(worst, residual_amplitude_m(phases, self.L, self.tau, t))
        wait = settle_time_s(worst, self.sway.tolerance_m, self.tau)
        if wait > 0.0:
            self.stats["sway_events"] += 1
            self.stats["jog_settle_s"] += wait
            self.stats["settle_s"] += wait
        return t + wait

    def hoist(self, crane, t0, x, y, z, pick, load_t) -> Stage:
        if self.traj != "manual":
            st = AutomatedPlanner.hoist(self, crane, t0, x, y, z, pick, load_t)
            self.stats["moves"][HOIST][TAG_HOIST] += len(st.moves)
            return st
        cfg, lim = self.cfg, self.lim[crane]
        moves: list[AxisMove] = []
        down_load = 0.0 if pick else load_t
        up_load = load_t if pick else 0.0
        t = t0 + self._reaction()
        vz = lim.vz * cfg.speed_fraction
        approach = min(cfg.hoist_approach_m, max(self.top - z, 0.0))
        z_slow = z + approach
        m = self._add(
            moves, crane, TaggedMove(HOIST, t, self.top, z_slow, vz, lim.az, down_load, TAG_HOIST)
        )
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
                m = self._add(
                    moves, crane, TaggedMove(HOIST, t, pos, nxt, vm, lim.az, down_load, TAG_JOG)
                )
                t = m.t1
                pos = nxt
        t += (lim.pick_s if pick else lim.place_s) + cfg.pick_place_extra_s
        m = self._add(
            moves, crane, TaggedMove(HOIST, t, z, self.top, vz, lim.az, up_load, TAG_HOIST)
        )
        t = m.t1 if m.dur > 0 else t
        return Stage(t0, t - t0, moves, x, y, x, y)

    def yield_move(self, crane, t0, x0, x1, y, load_t) -> Stage:
        if self.shaped is not None:
            return self.shaped.yield_move(crane, t0, x0, x1, y, load_t)
        lim = self.lim[crane]
        v = lim.vx * (self.cfg.speed_fraction if self.traj == "manual" else 1.0)
        moves: list[AxisMove] = []
        m = self._add(moves, crane, TaggedMove(BRIDGE, t0, x0, x1, v, lim.ax, load_t, TAG_YIELD))
        return Stage(t0, m.dur, moves, x0, y, x1, y)
