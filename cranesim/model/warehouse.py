"""The SimPy model of the wire-coil warehouse.

The model reads like the warehouse it describes:

* :meth:`Warehouse.mill` rolls coils and hands them to the unloading station; when every
  buffer place is taken the mill is blocked (the KPI a warehouse must keep at zero);
* :meth:`Warehouse.truck_arrivals` sends trucks with orders; :meth:`Warehouse.truck` queues
  for a loading bay, is loaded and leaves;
* :meth:`Warehouse.crane` executes the lifts the scheduler assigns: empty travel, pick,
  loaded travel, place.  Every travel first obtains runway space (:meth:`Warehouse.runway_request`):
  cranes on one runway never cross and always keep the safety distance, whatever the scheduler
  asks; a crane in the way is pushed aside when it is idle (or waiting with lower priority), or
  the move waits, and the wait is recorded.

Every decision point (a coil arrives, a truck docks, a lift picks or completes) calls the
scheduler core (:mod:`cranesim.sched`) on the arrays of :class:`~cranesim.sched.state.SchedState`,
which the model updates in place.  Crane moves are analytic (:mod:`cranesim.physics.kinematics`): one
SimPy timeout per stage.  Everything that happens is emitted as one record type
(:mod:`cranesim.record.trace`), from which the KPIs (:mod:`cranesim.record.kpi`) are computed.

Invariants are checked as the run goes (coil conservation, crane separation at every crane
event, the stacking rule, no place booked twice); a violation raises :class:`ModelError` with a
dump of the state that broke it.
"""

from __future__ import annotations

import heapq
import itertools
import time
from bisect import bisect_right
from itertools import accumulate
from math import inf, isfinite
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np
import simpy

from cranesim._version import __version__
from cranesim.codes import (
    HOIST,
    IDLE,
    LIFT_KINDS,
    LIFT_RELOCATE,
    LIFT_RETRIEVE,
    LIFT_STORE,
    OBJECTIVE_CODES,
    P_LIFT_HANDLING,
    P_MAX_INTERF,
    P_OBJECTIVE,
    P_ROLL_CANDS,
    P_ROLL_JOBS,
    P_ROLL_MARGIN,
    P_S_PER_KWH,
    P_SAFETY,
    P_SEED,
    P_STATION_FILL,
    P_STATION_FIRST,
    P_TOP_Z,
    P_W_BLOCK_DEMAND,
    P_W_COVER,
    P_W_FINISH,
    P_W_INTERFERENCE,
    P_W_LOOKAHEAD,
    P_W_RELOC,
    P_W_STATION,
    P_W_TRUCK_WAIT,
    P_W_UPPER,
    P_W_ZONE,
    STAGE_CODES,
    STATE_NAMES,
    TRAVEL,
    WAITING,
    WORK,
    YIELDING,
)
from cranesim.errors import ModelError
from cranesim.native import kernel
from cranesim.physics.energy import scheduler_coefficients
from cranesim.physics.kinematics import Stage, move_time
from cranesim.physics.planners import AutomatedPlanner, Planner
from cranesim.record.kpi import KpiAccumulator, motion_sums
from cranesim.record.trace import TraceWriter
from cranesim.scenario.layout import Layout, build_layout
from cranesim.scenario.schema import Scenario
from cranesim.model.dispatch import make_scheduler
from cranesim.sched import CORE, Scheduler, SlotWriter, travel_time
from cranesim.sched.state import SchedState

if TYPE_CHECKING:
    from cranesim.physics.energy import EnergyModel

__all__ = ["ModelError", "Warehouse", "RunResult", "run"]

STORE, RETRIEVE, RELOCATE = LIFT_STORE, LIFT_RETRIEVE, LIFT_RELOCATE
LIFT_KIND = LIFT_KINDS
KIND_CODES = STAGE_CODES
EPS = 1e-6
NAN = float("nan")


_motion_sums = motion_sums


def first_breach_py(stages, rx, res_lo, res_hi, now: float, d: float) -> tuple | None:
    """``(k, gap, rgap)`` for the first neighbours ``k - 1, k`` (west to east) whose bridges are
    less than ``d`` apart now (``gap``) or in their runway reservations (``rgap``), else None
    (the twin of the compiled ``first_breach``, see :mod:`cranesim.native`)."""
    x = 0.0
    for k in range(len(rx)):  # each position once (crane_x, inlined); pairs west to east
        stage = stages[k]
        x_prev, x = x, (rx[k] if stage is None else stage.pos(0, now, stage.x0))
        if k == 0:
            continue
        gap = x - x_prev
        rgap = res_lo[k] - res_hi[k - 1]
        if gap < d or rgap < d:
            return k, gap, rgap
    return None


_first_breach = kernel("first_breach", first_breach_py)


class Lift:
    """One coil moved from one location to another by one crane."""

    __slots__ = ("id", "kind", "job", "src", "dst", "coil", "grade", "mass", "prio")

    def __init__(self, id, kind, job, src, dst, coil, grade, mass, prio):
        self.id, self.kind, self.job, self.src, self.dst = id, kind, job, src, dst
        self.coil, self.grade, self.mass, self.prio = coil, grade, mass, prio


class Truck:
    __slots__ = ("id", "t_arrive", "order", "remaining", "bay", "done", "jobs", "untaken")

    def __init__(self, id, t_arrive, order, done):
        self.id, self.t_arrive, self.order = id, t_arrive, order
        self.remaining = sum(n for _, n in order)  # coils not yet on the truck
        self.bay = -1
        self.done = done
        self.jobs: list[int] = []  # its retrieve jobs, once docked
        self.untaken = 0  # of them, not yet taken by a lift (the scheduler's j_rem)


class Warehouse:
    """The warehouse model for one scenario, one seed and one motion planner.

    Parameters
    ----------
    sc
        A validated scenario.
    seed
        Master seed; independent streams are spawned for the mill, the trucks, the initial
        stock and the operator, so changing one source does not reshuffle the others.
    sink
        Called with every record (tuple in :data:`cranesim.record.trace.COLUMNS` order), or ``None``.
    planner
        Motion planner; the automated one by default.
    """

    def __init__(
        self,
        sc: Scenario,
        seed: int,
        sink: Callable[[tuple], None] | None = None,
        planner: Planner | None = None,
        policy: str | None = None,
        layout: Layout | None = None,
        energy: "EnergyModel | None" = None,
    ) -> None:
        self.sc = sc
        self.seed = seed
        self.env = simpy.Environment()
        ss = np.random.SeedSequence(seed)
        s_mill, s_trucks, s_init, s_oper = ss.spawn(4)
        self.rng_mill = np.random.default_rng(s_mill)
        self.rng_trucks = np.random.default_rng(s_trucks)
        self.rng_init = np.random.default_rng(s_init)
        #: the operator's own stream, for planners that model a human driver
        self.rng_operator = np.random.default_rng(s_oper)
        self.lay = lay = layout if layout is not None else build_layout(sc)
        # plain Python floats for the hot path and for exact, portable trace text
        self.lx, self.ly, self.lz = lay.loc_x.tolist(), lay.loc_y.tolist(), lay.loc_z.tolist()
        self.specs = sc.crane_specs()
        self.n = n = len(self.specs)
        self.planner: Planner = planner or AutomatedPlanner(self.specs, sc.bay.hook_travel_height_m)
        if hasattr(self.planner, "bind"):
            self.planner.bind(self)  # e.g. a human driver takes its own random stream
        #: energy model: ``stage_kwh(crane, stage, kind) -> float`` fills the records' energy
        self.energy = energy
        #: ``(crane, moves) -> kWh``: what the records' energy comes from (EnergyModel.pricer)
        self._price = None if energy is None else energy.pricer()
        self.dsafe = sc.runway.safety_distance_m
        self.top = sc.bay.hook_travel_height_m
        self.kpi = KpiAccumulator(n)
        self._stage_sums = self.kpi.cs.add_moves
        self._sink = sink
        self.check = sc.invariants.check
        #: model time of the last progress: a lift completed, or jobs appeared in an empty table
        self._progress_t = 0.0

        # ---------------- scheduler arrays (built once, updated in place)
        order_max = sc.trucks.order_coils_max
        n = len(sc.cranes)
        # store jobs: one per station place plus one per crane carrying a coil from the station;
        # retrieve jobs: a full order per bay
        self.job_capacity = jc = lay.n_station + n + lay.n_bays * order_max
        G = len(lay.grades)
        self.st = st = SchedState.allocate(n, lay.n_locs, lay.n_slots, jc, G)
        st.loc_x[:] = lay.loc_x
        st.loc_y[:] = lay.loc_y
        st.loc_z[:] = lay.loc_z
        st.s_level[:] = lay.slot_level
        st.s_sup0[:] = lay.slot_sup[:, 0]
        st.s_sup1[:] = lay.slot_sup[:, 1]
        st.s_blk0[:] = lay.slot_blk[:, 0]
        st.s_blk1[:] = lay.slot_blk[:, 1]
        for c, sp in enumerate(self.specs):
            st.c_x[c] = sp.start_x_m
            st.c_y[c] = sc.bay.span_m / 2
            st.c_free[c] = 1
            st.c_lo[c] = lay.crane_lo[c]
            st.c_hi[c] = lay.crane_hi[c]
            st.c_busy_lo[c] = st.c_busy_hi[c] = sp.start_x_m
            st.c_vx[c] = sp.bridge_speed_m_min / 60.0
            st.c_ax[c] = sp.bridge_accel_m_s2
            st.c_vy[c] = sp.trolley_speed_m_min / 60.0
            st.c_ay[c] = sp.trolley_accel_m_s2
        w = sc.scheduler
        st.params[P_W_RELOC] = w.w_reloc_s
        st.params[P_W_STATION] = w.w_station_s
        st.params[P_W_TRUCK_WAIT] = w.w_truck_wait_s_per_min
        st.params[P_W_UPPER] = w.w_upper_s
        st.params[P_W_BLOCK_DEMAND] = w.w_block_demand_s
        st.params[P_W_INTERFERENCE] = w.w_interference_s
        st.params[P_SAFETY] = self.dsafe
        st.params[P_SEED] = float(seed % (2**52))
        st.params[P_MAX_INTERF] = w.max_interference_s
        st.params[P_W_ZONE] = w.w_zone_s_per_m
        st.params[P_OBJECTIVE] = OBJECTIVE_CODES[w.objective]
        st.params[P_S_PER_KWH] = w.seconds_per_kwh
        st.params[P_TOP_Z] = sc.bay.hook_travel_height_m
        st.params[P_W_COVER] = w.w_cover_s
        st.params[P_W_FINISH] = w.w_finish_s
        st.params[P_W_LOOKAHEAD] = w.w_lookahead
        st.params[P_LIFT_HANDLING] = w.lift_handling_s
        st.params[P_ROLL_MARGIN] = w.rollout_margin_s
        st.params[P_ROLL_JOBS] = w.rollout_jobs
        st.params[P_ROLL_CANDS] = w.rollout_candidates
        st.params[P_STATION_FIRST] = w.station_first_fill
        st.c_e[:] = scheduler_coefficients(sc, "automated").ravel()
        self._slots = SlotWriter(st)  # the slot writes below, noted for the core
        # each crane's reach with the tolerance, as plain floats (c_lo and c_hi are static;
        # numpy scalars are slow in the hot path's arithmetic)
        self._reach = [(float(st.c_lo[c]) - EPS, float(st.c_hi[c]) + EPS) for c in range(n)]
        # the estimates' speeds as plain floats (the arrays' values: the same arithmetic)
        self._est = [tuple(float(a[c]) for a in (st.c_vx, st.c_ax, st.c_vy, st.c_ay)) for c in range(n)]
        # hoist time down to each location and back up, plus the pick or place dwell
        self._hoist_pick: list[list[float]] = []
        self._hoist_place: list[list[float]] = []
        for sp in self.specs:
            v, a = sp.hoist_speed_m_min / 60.0, sp.hoist_accel_m_s2
            ht = [2.0 * move_time(self.top - z, v, a) for z in self.lz]
            self._hoist_pick.append([h + sp.pick_s for h in ht])
            self._hoist_place.append([h + sp.place_s for h in ht])
        self._free_jobs = list(range(jc))  # a heap: lowest free index first (deterministic)
        self._job_truck: list[Truck | None] = [None] * jc
        self._n_open_jobs = 0  # active and not taken
        self._n_free = n

        # ---------------- crane and runway state
        self.rx = [sp.start_x_m for sp in self.specs]  # bridge position when stationary
        self.ry = [sc.bay.span_m / 2] * n
        self.res_lo = list(self.rx)  # runway reservations: [lo, hi] per crane
        self.res_hi = list(self.rx)
        self.state = [IDLE] * n
        #: runway interval a waiting crane needs, or None
        self.want: list[tuple[float, float] | None] = [None] * n
        self.prio: list[tuple[float, int]] = [(inf, c) for c in range(n)]
        self.stage: list[Stage | None] = [None] * n  # motion in progress, for positions
        self._yield_prev = [IDLE] * n
        self._yield_free = [False] * n
        self._changed: simpy.Event | None = None
        self._assign: list[simpy.Event] = [self.env.event() for _ in range(n)]
        self.current: list[Lift | None] = [None] * n
        self.on_break = [False] * n
        self._break_wait: list[simpy.Event | None] = [None] * n

        # ---------------- coils, station, stock
        self.products = sc.mill.products
        self._cum_share = list(accumulate(p.share for p in self.products))
        self._cum_share[-1] = 1.0
        self.coil_grade: dict[int, int] = {}
        self.coil_mass: dict[int, float] = {}
        self._next_coil = 0
        self._next_lift = 0
        self.station_coil = [-1] * lay.n_station
        self._station_on = 0  # coils on the station: count of station_coil >= 0
        self._station_free_ev: simpy.Event | None = None
        self.g_stock = [0] * G  # coils in the warehouse (station, floor, hook)
        self.g_promised = [0] * G  # coils ordered by trucks, not yet loaded
        self.coils_in = 0
        self.coils_out = 0
        self.on_hook = 0
        self._fill_initial_stock()
        st.touch[0] = 1  # from here on every slot write below is noted (SchedState.touched)
        self.inventory_start = self.inventory()

        # ---------------- trucks
        self._bays = simpy.Store(self.env, capacity=lay.n_bays)
        self._bays.items.extend(range(lay.n_bays))
        self._next_truck = 0
        mean_mass = sum(p.share * p.mass_t_mean for p in self.products)
        mill = sc.mill
        stop_h = mill.stop_mean_min / 60.0
        self.mill_availability = mill.stop_mtbf_h / (mill.stop_mtbf_h + stop_h) if stop_h > 0 else 1.0
        self.mill_coils_per_h = mill.rate_t_h / mean_mass * self.mill_availability
        tr = sc.trucks
        self.truck_rate_per_h = (
            tr.balance * self.mill_coils_per_h / ((tr.order_coils_min + tr.order_coils_max) / 2)
        )

        env = self.env
        env.process(self.mill())
        env.process(self.truck_arrivals())
        for c in range(n):
            env.process(self.crane(c))
        env.process(self.sampler())
        if sc.invariants.watchdog_h > 0:
            env.process(self.watchdog(sc.invariants.watchdog_h * 3600.0))
        if hasattr(self.planner, "breaks"):
            for c in range(n):
                env.process(self.crane_breaks(c, self.planner.breaks(c)))
        #: what decides the lifts: the scheduler core, or a dispatch wrapper around it
        #: (cranesim.model.dispatch; built last: a wrapper reads the crane states)
        self.sched = make_scheduler(policy or w.policy, st, self, core=Scheduler)

    # ================================================================ helpers
    def emit(self, rec: tuple) -> None:
        self.kpi.consume(rec)
        if self._sink is not None:
            self._sink(rec)

    def inventory(self) -> int:
        """Coils in the warehouse: on the floor, on the station and on a hook."""
        return int(np.count_nonzero(self.st.s_coil >= 0)) + sum(
            1 for c in self.station_coil if c >= 0
        ) + self.on_hook

    def _draw_product(self, rng: np.random.Generator) -> tuple[int, float]:
        g = bisect_right(self._cum_share, rng.random())
        if g >= len(self.products):
            g = len(self.products) - 1
        p = self.products[g]
        m = p.mass_t_mean + p.mass_t_sd * rng.standard_normal() if p.mass_t_sd > 0 else p.mass_t_mean
        return g, max(m, 0.25 * p.mass_t_mean)

    def _new_coil(self, g: int, mass: float) -> int:
        cid = self._next_coil
        self._next_coil += 1
        self.coil_grade[cid] = g
        self.coil_mass[cid] = mass
        self.g_stock[g] += 1
        return cid

    def _fill_initial_stock(self) -> None:
        st, lay, rng = self.st, self.lay, self.rng_init
        S = lay.n_slots
        target = int(round(self.sc.storage.initial_fill * S))
        lower = np.flatnonzero(lay.slot_level == 0)
        n_low = min(target, lower.size)
        for s in np.sort(rng.permutation(lower)[:n_low]):
            g, m = self._draw_product(rng)
            st.s_coil[s] = self._new_coil(g, m)
            st.s_grade[s] = g
            st.s_mass[s] = m
        rest = target - n_low
        if rest > 0:
            upper = np.flatnonzero(lay.slot_level == 1)
            ok = upper[(st.s_coil[lay.slot_sup[upper, 0]] >= 0) & (st.s_coil[lay.slot_sup[upper, 1]] >= 0)]
            for s in np.sort(rng.permutation(ok)[:rest]):
                g, m = self._draw_product(rng)
                st.s_coil[s] = self._new_coil(g, m)
                st.s_grade[s] = g
                st.s_mass[s] = m

    def _rec(
        self,
        t: float,
        dur: float,
        crane: int,
        kind: str,
        lift: Lift | None = None,
        coil: int = -1,
        value: float = 0.0,
    ) -> tuple:
        """A record with no motion (mill, trucks, waits)."""
        if lift is not None:
            return (
                t, dur, crane, kind, lift.id, LIFT_KIND[lift.kind], lift.coil,
                self.lay.grades[lift.grade], lift.src, lift.dst,
                self.rx[crane], self.ry[crane], self.rx[crane], self.ry[crane],
                0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, lift.mass, NAN, value,
            )  # fmt: skip
        g = self.lay.grades[self.coil_grade[coil]] if coil >= 0 else ""
        return (
            t, dur, crane, kind, -1, "", coil, g, -1, -1,
            NAN, NAN, NAN, NAN, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0.0, NAN, value,
        )  # fmt: skip

    def _emit_stage(self, stage: Stage, crane: int, kind: str, lift: Lift | None, load_t: float) -> None:
        """Emit the record of a crane stage.  Without a sink (no trace) the KPIs take its
        figures directly (:meth:`CraneStageSums.add_moves <cranesim.record.kpi.CraneStageSumsPy>`,
        the sums ``consume`` adds such a record to) and the record itself is not built."""
        moves = stage.moves
        price = self._price
        energy = NAN if price is None else price(crane, moves)
        if self._sink is None:
            if lift is None:
                self._stage_sums(KIND_CODES[kind], crane, stage.dur, -1, -1, moves, energy)
            else:
                self._stage_sums(KIND_CODES[kind], crane, stage.dur, lift.id, lift.kind, moves, energy)
            return
        bm, tm, hm, bs, ts, hs, bn, tn, hn = _motion_sums(moves)
        if lift is None:
            ident = (-1, "", -1, "", -1, -1)
        else:
            ident = (lift.id, LIFT_KIND[lift.kind], lift.coil, self.lay.grades[lift.grade], lift.src, lift.dst)
        self.emit(
            (stage.t0, stage.dur, crane, kind) + ident
            + (stage.x0, stage.y0, stage.x1, stage.y1, bm, tm, hm, bs, ts, hs, bn, tn, hn, load_t, energy, 0.0)
        )  # fmt: skip

    # ================================================================ mill and station
    def mill(self) -> Iterator[simpy.Event]:
        """Roll coils; deliver each to a free station place, or stay blocked until one frees."""
        env, rng, m = self.env, self.rng_mill, self.sc.mill
        cv = m.interval_cv
        shape = 1.0 / (cv * cv) if cv > 0 else 0.0
        stops = m.stop_mean_min > 0 and isfinite(m.stop_mtbf_h)
        next_stop = rng.exponential(m.stop_mtbf_h * 3600.0) if stops else inf
        rolled = 0.0
        while True:
            g, mass = self._draw_product(rng)
            interval = mass / m.rate_t_h * 3600.0
            if shape > 0:
                interval *= rng.gamma(shape, 1.0 / shape)
            yield env.timeout(interval)
            rolled += interval
            k = self._free_station_place()
            if k < 0:
                t_b = env.now
                while k < 0:
                    ev = self._station_free_ev = env.event()
                    yield ev
                    k = self._free_station_place()
                self.emit(self._rec(t_b, env.now - t_b, -1, "mill_blocked"))
            cid = self._new_coil(g, mass)
            self.coils_in += 1
            self.station_coil[k] = cid
            self._station_on += 1
            n_on = self._station_on
            fill = n_on / len(self.station_coil)
            if self._sink is None:
                self.kpi.coil_in(fill)  # what consume takes from the record, without building it
            else:
                self.emit(self._rec(env.now, 0.0, -1, "coil_in", coil=cid, value=fill))
            self._add_job(STORE, self.lay.station_loc(k), g, env.now, cid)
            self._dispatch()
            if rolled >= next_stop:
                dur = rng.exponential(m.stop_mean_min * 60.0)
                self.emit(self._rec(env.now, dur, -1, "mill_stop"))
                yield env.timeout(dur)
                rolled = 0.0
                next_stop = rng.exponential(m.stop_mtbf_h * 3600.0)

    def _free_station_place(self) -> int:
        """First empty station place (places free when their coil is picked), or -1."""
        for k, c in enumerate(self.station_coil):
            if c < 0:
                return k
        return -1

    def station_fill(self) -> float:
        return self._station_on / len(self.station_coil)

    # ================================================================ trucks
    def truck_arrivals(self) -> Iterator[simpy.Event]:
        """Send trucks; dispatch sends more when stock is high and fewer when it is low."""
        env, rng, tr = self.env, self.rng_trucks, self.sc.trucks
        cap = self.lay.n_slots
        target = max(tr.inventory_target_fill, 0.05)
        while True:
            fill = self.inventory() / cap
            mult = max(0.1, 1.0 + tr.inventory_gain * (fill - target) / target)
            yield env.timeout(rng.exponential(3600.0 / (self.truck_rate_per_h * mult)))
            n = int(rng.integers(tr.order_coils_min, tr.order_coils_max + 1))
            k = int(rng.integers(1, tr.max_grades_per_order + 1))
            order = self._make_order(rng, n, k)
            if not order:
                continue  # nothing in stock to sell: dispatch sends no truck
            truck = Truck(self._next_truck, env.now, order, env.event())
            self._next_truck += 1
            env.process(self.truck(truck))

    def _make_order(self, rng: np.random.Generator, n: int, k: int) -> list[tuple[int, int]]:
        # Coils per grade are integers, so their sum is exact and each share a / tot is the
        # correctly rounded quotient, as numpy's float64 arrays gave them; accumulate adds the
        # shares in order, as np.cumsum does.  Plain ints: numpy costs more on six numbers.
        avail = [max(s - p, 0) for s, p in zip(self.g_stock, self.g_promised)]
        order: list[tuple[int, int]] = []
        left = n
        for i in range(k):
            tot = sum(avail)
            if tot <= 0 or left <= 0:
                break
            g = bisect_right(list(accumulate(a / tot for a in avail)), rng.random())
            g = min(g, len(avail) - 1)
            while avail[g] <= 0:  # guard against rounding at the top of the cumsum
                g -= 1
            share = left if i == k - 1 else max(1, left // (k - i))
            q = int(min(share, avail[g]))
            order.append((g, q))
            avail[g] -= q
            left -= q
        for g, q in order:
            self.g_promised[g] += q
        return [(g, q) for g, q in order if q > 0]

    def truck(self, truck: Truck) -> Iterator[simpy.Event]:
        """A truck: queue for a bay, dock, get loaded, secure the load, leave."""
        env, tr = self.env, self.sc.trucks
        n = truck.remaining
        self.emit(self._rec(env.now, 0.0, -1, "truck_arrive", value=n))
        bay = yield self._bays.get()
        truck.bay = bay
        self.emit(self._rec(truck.t_arrive, env.now - truck.t_arrive, -1, "truck_dock", value=bay))
        yield env.timeout(tr.dock_min * 60.0)
        loc = self.lay.bay_loc(bay)
        for g, q in truck.order:
            for _ in range(q):
                j = self._add_job(RETRIEVE, loc, g, truck.t_arrive, -1)
                self._job_truck[j] = truck
                truck.jobs.append(j)
        truck.untaken = len(truck.jobs)
        for j in truck.jobs:
            self.st.j_rem[j] = truck.untaken
        self._dispatch()
        yield truck.done
        yield env.timeout(tr.secure_min * 60.0)
        self.emit(self._rec(truck.t_arrive, env.now - truck.t_arrive, -1, "truck_depart", value=n))
        yield self._bays.put(bay)

    # ================================================================ jobs and dispatch
    def _add_job(self, kind: int, loc: int, grade: int, t: float, coil: int) -> int:
        st = self.st
        if not self._free_jobs:
            raise ModelError(self._dump("job table full (capacity %d)" % self.job_capacity))
        if len(self._free_jobs) == self.job_capacity:  # the first pending job: start the clock
            self._progress_t = self.env.now
        j = heapq.heappop(self._free_jobs)
        st.j_active[j] = 1
        st.j_taken[j] = 0
        st.j_kind[j] = kind
        st.j_loc[j] = loc
        st.j_grade[j] = grade
        st.j_t[j] = t
        st.j_coil[j] = coil
        st.j_mass[j] = self.coil_mass[coil] if kind == STORE else 0.0
        st.j_rem[j] = 0  # a truck's jobs get theirs once all are added
        if kind == RETRIEVE:
            st.g_demand[grade] += 1
        self._n_open_jobs += 1
        return j

    def _close_job(self, j: int) -> None:
        st = self.st
        st.j_active[j] = 0
        st.j_taken[j] = 0
        self._job_truck[j] = None
        heapq.heappush(self._free_jobs, j)

    def _dispatch(self) -> None:
        """Ask the scheduler for lifts while there are free cranes and open jobs."""
        if self._n_free == 0 or self._n_open_jobs == 0:
            return
        st = self.st
        st.params[P_STATION_FILL] = self._station_on / len(self.station_coil)  # station_fill()
        now = self.env.now
        decide, out = self.sched.decide, st.out
        while self._n_free > 0 and self._n_open_jobs > 0 and decide(now):
            self._apply(*out.tolist())

    def _apply(self, c: int, j: int, src: int, dst: int, kind: int) -> None:
        st, lay = self.st, self.lay
        S = lay.n_slots
        if self.check:
            (lo, hi), lx = self._reach[c], self.lx
            if not (
                st.c_free[c] and self.state[c] == IDLE and st.j_active[j] and not st.j_taken[j]
                and (src >= S or not st.s_booked[src]) and (dst >= S or not st.s_booked[dst])
                and lo <= lx[src] <= hi and lo <= lx[dst] <= hi
            ):  # fmt: skip
                self._reject(c, j, src, dst)
        if kind == STORE:
            coil = self.station_coil[src - S]
            st.j_taken[j] = 1
            self._n_open_jobs -= 1
        else:
            coil = int(st.s_coil[src])
            self._slots.book(src)
            if kind == RETRIEVE:
                st.j_taken[j] = 1
                st.g_demand[st.j_grade[j]] -= 1
                self._n_open_jobs -= 1
                truck = self._job_truck[j]
                truck.untaken -= 1
                for jj in truck.jobs:
                    st.j_rem[jj] = truck.untaken
        if dst < S:
            self._slots.book(dst)
        lift = Lift(
            self._next_lift, kind, j, src, dst, coil, self.coil_grade[coil], self.coil_mass[coil],
            (self.env.now, c),
        )
        self._next_lift += 1
        x0 = self.rx[c]
        xs, xd = self.lx[src], self.lx[dst]
        st.c_free[c] = 0
        self._n_free -= 1
        st.c_busy_lo[c] = min(x0, xs, xd)
        st.c_busy_hi[c] = max(x0, xs, xd)
        y0 = self.ry[c]
        ys, yd = self.ly[src], self.ly[dst]
        vx, ax, vy, ay = self._est[c]  # _travel_est twice, inlined; hoist times from the tables
        st.c_free_at[c] = self.env.now + (
            travel_time(x0, y0, xs, ys, vx, ax, vy, ay) + self._hoist_pick[c][src]
            + travel_time(xs, ys, xd, yd, vx, ax, vy, ay) + self._hoist_place[c][dst]
        )  # fmt: skip
        st.c_x[c] = xd
        st.c_y[c] = self.ly[dst]
        self.prio[c] = lift.prio
        self.current[c] = lift
        self.state[c] = WORK  # committed; stationary until its first travel starts
        self._assign[c].succeed(lift)

    def _reject(self, c: int, j: int, src: int, dst: int) -> None:
        """Raise ModelError naming every rule the scheduler's decision breaks."""
        st, lay = self.st, self.lay
        S = lay.n_slots
        problems = []
        if not st.c_free[c] or self.state[c] != IDLE:
            problems.append(f"crane {c} is not free")
        if not st.j_active[j] or st.j_taken[j]:
            problems.append(f"job {j} is not open")
        for loc in (src, dst):
            if loc < S and st.s_booked[loc]:
                problems.append(f"{lay.describe_loc(loc)} booked twice")
        for loc in (src, dst):
            x = self.lx[loc]
            if not self._reach[c][0] <= x <= self._reach[c][1]:
                problems.append(f"{lay.describe_loc(loc)} is out of crane {c}'s reach")
        raise ModelError(self._dump("scheduler decision rejected: " + "; ".join(problems)))

    # ================================================================ cranes
    def _travel_est(self, c: int, x0: float, y0: float, x1: float, y1: float) -> float:
        """Automated travel time (axes together): the scheduler's estimate of a move."""
        vx, ax, vy, ay = self._est[c]
        return travel_time(x0, y0, x1, y1, vx, ax, vy, ay)  # the scheduler core's own

    def crane(self, c: int) -> Iterator[simpy.Event]:
        """A crane: wait for a lift, execute it (empty travel, pick, loaded travel, place),
        report free.

        This is the model's hottest loop (every lift passes through it four times), so it is
        written as one generator with its helpers inlined and the attributes it reads bound
        once; :meth:`_travel_done` is what follows each travel.
        """
        env, st, pl = self.env, self.st, self.planner
        lx, ly, lz = self.lx, self.ly, self.lz
        rx, ry, stages, state = self.rx, self.ry, self.stage, self.state
        # a planner may offer its travel and hoist as one compiled call each (ShapedPlanner)
        travel, hoist = getattr(pl, "travel_counted", pl.travel), getattr(pl, "hoist_counted", pl.hoist)
        timeout = env.timeout
        emit_stage, travel_done = self._emit_stage, self._travel_done
        runway_clear = self._runway_clear
        while True:
            lift = yield self._assign[c]
            src, dst, mass = lift.src, lift.dst, lift.mass
            xs, ys = lx[src], ly[src]
            xd, yd = lx[dst], ly[dst]
            # 1. empty travel to the pick place (the runway request is a generator only when
            # the crane must wait or push: the usual clear runway costs no generator)
            if not runway_clear(c, xs):
                yield from self.runway_request(c, xs, lift)
            stage = travel(c, env.now, rx[c], ry[c], xs, ys, 0.0)
            state[c] = TRAVEL
            stages[c] = stage
            if stage.dur > 0:
                yield timeout(stage.dur)
            travel_done(c, stage, "move_empty", lift, 0.0)
            # 2. pick
            stage = hoist(c, env.now, xs, ys, lz[src], True, mass)
            stages[c] = stage
            yield timeout(stage.dur)
            stages[c] = None
            emit_stage(stage, c, "pick", lift, mass)
            # the rest of the lift spans less runway and ends sooner
            if xs < xd:
                st.c_busy_lo[c], st.c_busy_hi[c] = xs, xd
            else:
                st.c_busy_lo[c], st.c_busy_hi[c] = xd, xs
            st.c_free_at[c] = env.now + self._travel_est(c, xs, ys, xd, yd) + self._hoist_place[c][dst]
            self._take_coil(lift)
            # 3. loaded travel to the put-down place
            if not runway_clear(c, xd):
                yield from self.runway_request(c, xd, lift)
            stage = travel(c, env.now, rx[c], ry[c], xd, yd, mass)  # may have been pushed
            state[c] = TRAVEL
            stages[c] = stage
            if stage.dur > 0:
                yield timeout(stage.dur)
            travel_done(c, stage, "move_loaded", lift, mass)
            # 4. place
            stage = hoist(c, env.now, xd, yd, lz[dst], False, mass)
            stages[c] = stage
            yield timeout(stage.dur)
            stages[c] = None
            emit_stage(stage, c, "place", lift, mass)
            self._put_coil(lift)
            # free again
            self._assign[c] = env.event()
            self.current[c] = None
            state[c] = IDLE
            self.prio[c] = (inf, c)
            x = rx[c]
            st.c_x[c] = x
            st.c_y[c] = ry[c]
            st.c_busy_lo[c] = st.c_busy_hi[c] = x
            self._notify()  # an idle crane can be pushed aside
            if self._break_wait[c] is not None:
                self._wake_break(c)  # a break is due: the crane stays unavailable
            else:
                st.c_free[c] = 1
                self._n_free += 1
                self._dispatch()

    def _wake_break(self, c: int) -> None:
        ev = self._break_wait[c]
        if ev is not None:
            self._break_wait[c] = None
            ev.succeed()

    def crane_breaks(self, c: int, breaks: Iterator[tuple[float, float]]) -> Iterator[simpy.Event]:
        """Driver breaks and shift handovers: the crane takes no new lift for ``dur`` seconds.

        ``breaks`` yields ``(start_s, dur_s)`` in increasing start order.  A break that falls
        due during a lift starts when the lift ends (nobody leaves a coil on the hook).
        """
        env, st = self.env, self.st
        for start, dur in breaks:
            if start > env.now:
                yield env.timeout(start - env.now)
            while not (self.current[c] is None and self.state[c] == IDLE):
                ev = self._break_wait[c] = env.event()
                yield ev  # woken when the lift ends or a push aside is over
            if st.c_free[c]:
                st.c_free[c] = 0
                self._n_free -= 1
            self.on_break[c] = True
            t0 = env.now
            yield env.timeout(dur)
            self.on_break[c] = False
            self.emit(self._rec(t0, env.now - t0, c, "break"))
            if self.state[c] == YIELDING:
                self._yield_free[c] = True  # free it when the push is over
            elif self.state[c] == IDLE:
                st.c_free[c] = 1
                self._n_free += 1
                self._dispatch()

    def _travel_done(self, c: int, stage: Stage, kind: str, lift: Lift, load: float) -> None:
        """A travel ended: the crane stands at its end, holds no more runway than that."""
        self.stage[c] = None
        self.rx[c], self.ry[c] = stage.x1, stage.y1
        self.res_lo[c] = self.res_hi[c] = stage.x1
        self.state[c] = WORK
        if self.check:
            self.check_separation()
        self._emit_stage(stage, c, kind, lift, load)
        self._notify()

    def _take_coil(self, lift: Lift) -> None:
        st, S = self.st, self.lay.n_slots
        if lift.src >= S:
            k = lift.src - S
            self.station_coil[k] = -1
            self._station_on -= 1
            ev = self._station_free_ev
            if ev is not None:
                self._station_free_ev = None
                ev.succeed()
        else:
            if self.check:
                for b in (st.s_blk0[lift.src], st.s_blk1[lift.src]):
                    if b >= 0 and st.s_coil[b] >= 0:
                        raise ModelError(
                            self._dump(f"stacking rule: lifting coil {lift.coil} from "
                                       f"{self.lay.describe_loc(lift.src)} under {self.lay.describe_loc(b)}")
                        )  # fmt: skip
            self._slots.clear(lift.src)
        self.on_hook += 1
        if lift.src < S and st.s_level[lift.src] != 0:
            # an upper coil left: the coils it rested on may be lifted now.  A freed lower
            # place or station place needs no decision now: the mill's delivery and the end of
            # this lift each ask for one.  (Asking after every pick was a third of all
            # scheduler calls; on the default over 336 h it made 836 of 12,620 assignments, and
            # without it lifts, coils out, truck waits and mill blocking stayed within the
            # spread between seeds 1 and 2.)
            self._dispatch()

    def _put_coil(self, lift: Lift) -> None:
        st, S = self.st, self.lay.n_slots
        self.on_hook -= 1
        self._progress_t = self.env.now
        if lift.dst < S:
            if self.check:
                for s in (st.s_sup0[lift.dst], st.s_sup1[lift.dst]):
                    if s >= 0 and st.s_coil[s] < 0:
                        raise ModelError(
                            self._dump(f"stacking rule: coil {lift.coil} placed on "
                                       f"{self.lay.describe_loc(lift.dst)} over empty {self.lay.describe_loc(s)}")
                        )  # fmt: skip
                if st.s_coil[lift.dst] >= 0:
                    raise ModelError(self._dump(f"{self.lay.describe_loc(lift.dst)} already holds a coil"))
            self._slots.put(lift.dst, lift.coil, lift.grade, lift.mass)
        else:
            truck = self._job_truck[lift.job]
            self.coils_out += 1
            g = lift.grade
            self.g_stock[g] -= 1
            self.g_promised[g] -= 1
            del self.coil_grade[lift.coil]
            del self.coil_mass[lift.coil]
            truck.remaining -= 1
            if truck.remaining == 0:
                truck.done.succeed()
        if lift.kind != RELOCATE:
            self._close_job(lift.job)

    # ================================================================ runway
    def _changed_event(self) -> simpy.Event:
        ev = self._changed
        if ev is None:
            ev = self._changed = self.env.event()
        return ev

    def _notify(self) -> None:
        ev = self._changed
        if ev is not None:
            self._changed = None
            ev.succeed()

    def _pushable(self, k: int, prio: tuple[float, int]) -> bool:
        s = self.state[k]
        return s == IDLE or (s == WAITING and self.prio[k] > prio)

    def _yields_to_waiting(self, c: int, x_target: float) -> bool:
        """Whether travelling to ``x_target`` would take crane ``c`` into the space that a
        waiting crane with a higher priority needs.  Such a crane must wait (and so becomes
        pushable) instead: otherwise a stream of short lifts could starve an older lift."""
        prio, d = self.prio[c], self.dsafe
        for w in range(self.n):
            want = self.want[w]
            if want is None or w == c or not self.prio[w] < prio:
                continue
            if w > c and x_target > want[0] - (w - c) * d + EPS:
                return True
            if w < c and x_target < want[1] + (c - w) * d - EPS:
                return True
        return False

    def _clear_plan(self, c: int, lo: float, hi: float):
        """``True`` if [lo, hi] is free for crane ``c``; a list of pushes that would free it;
        or ``None`` if it cannot be freed now (a neighbour is busy in the way)."""
        prio = self.prio[c]
        east: list[tuple[int, float]] = []
        need = hi + self.dsafe
        k = c + 1
        while k < self.n and self.res_lo[k] < need - EPS:
            if not self._pushable(k, prio) or need > self._reach[k][1]:
                return None
            east.append((k, need))
            need += self.dsafe
            k += 1
        west: list[tuple[int, float]] = []
        need = lo - self.dsafe
        k = c - 1
        while k >= 0 and self.res_hi[k] > need + EPS:
            if not self._pushable(k, prio) or need < self._reach[k][0]:
                return None
            west.append((k, need))
            need -= self.dsafe
            k -= 1
        if not east and not west:
            return True
        return east, west

    def _runway_clear(self, c: int, x_target: float) -> bool:
        """Reserve the runway to ``x_target`` if no neighbour is in the way and no waiting
        crane with a higher priority needs it, and return ``True``; else change nothing and
        return ``False``.  The lift calls it first: only when it fails does it enter the
        ``runway_request`` generator, which pushes or waits until this succeeds."""
        if self.state[c] == YIELDING or (any(self.want) and self._yields_to_waiting(c, x_target)):
            return False  # (any: no crane waits, nobody to yield to: the usual case)
        x = self.rx[c]
        lo, hi = (x, x_target) if x <= x_target else (x_target, x)
        if self._clear_plan(c, lo, hi) is not True:
            return False
        self.want[c] = None
        self.res_lo[c], self.res_hi[c] = lo, hi
        self.state[c] = TRAVEL
        return True

    def runway_request(self, c: int, x_target: float, lift: Lift) -> Iterator[simpy.Event]:
        """Obtain runway space for crane ``c`` to travel to ``x_target``.

        Idle neighbours (and waiting neighbours with lower priority: a later lift) in the way
        are pushed aside; otherwise the crane waits for the runway to change.  Pushes along a
        chain of cranes run one after another, farthest first, so the reserved intervals of
        neighbours never come closer than the safety distance.
        """
        env = self.env
        t0 = env.now
        while True:
            while self.state[c] == YIELDING:  # pushed aside meanwhile: wait until it stops
                yield self._changed_event()
            if self._runway_clear(c, x_target):  # reserved
                break
            x = self.rx[c]
            lo, hi = (x, x_target) if x <= x_target else (x_target, x)
            plan = None if self._yields_to_waiting(c, x_target) else self._clear_plan(c, lo, hi)
            self.want[c] = (lo, hi)
            if self.state[c] != WAITING:
                self.state[c] = WAITING
                self._notify()  # a waiting crane may now be pushed by a higher-priority one
            if plan is not None:
                self._start_pushes(plan)
            yield self._changed_event()
        if env.now > t0:
            self.emit(self._rec(t0, env.now - t0, c, "wait", lift))

    def _start_pushes(self, plan: tuple[list[tuple[int, float]], list[tuple[int, float]]]) -> None:
        """Move the cranes of ``plan`` aside: farthest first on each side, each after the last."""
        env = self.env
        for side in plan:
            t = env.now
            for k, newx in reversed(side):  # farthest first
                self._yield_prev[k] = self.state[k]
                self._yield_free[k] = bool(self.st.c_free[k])
                if self._yield_free[k]:  # an idle crane takes no lift while pushed aside
                    self.st.c_free[k] = 0
                    self._n_free -= 1
                self.state[k] = YIELDING
                x0 = self.rx[k]
                load = self.current[k].mass if self.current[k] is not None and self.holding(k) else 0.0
                stage = self.planner.yield_move(k, t, x0, newx, self.ry[k], load)
                if t <= env.now:
                    self._push_begin(k, stage)
                else:  # reserve the runway only when this crane's turn comes
                    ev = env.timeout(t - env.now)
                    ev.callbacks.append(lambda _ev, k=k, stage=stage: self._push_begin(k, stage))
                ev = env.timeout(t + stage.dur - env.now)
                ev.callbacks.append(lambda _ev, k=k, stage=stage, load=load: self._push_done(k, stage, load))
                t += stage.dur

    def _push_begin(self, k: int, stage: Stage) -> None:
        self.stage[k] = stage
        self.res_lo[k], self.res_hi[k] = min(stage.x0, stage.x1), max(stage.x0, stage.x1)

    def holding(self, k: int) -> bool:
        """Whether crane ``k`` has its coil on the hook (between pick and place)."""
        lift = self.current[k]
        if lift is None:
            return False
        st, S = self.st, self.lay.n_slots
        src_has = (self.station_coil[lift.src - S] == lift.coil) if lift.src >= S else (st.s_coil[lift.src] == lift.coil)
        return not src_has

    def _push_done(self, k: int, stage: Stage, load: float) -> None:
        st = self.st
        self.stage[k] = None
        self.rx[k] = stage.x1
        self.res_lo[k] = self.res_hi[k] = stage.x1
        self.state[k] = self._yield_prev[k]
        self._emit_stage(stage, k, "yield", self.current[k], load)
        if self.state[k] == IDLE:
            st.c_x[k] = stage.x1
            st.c_busy_lo[k] = st.c_busy_hi[k] = stage.x1
        free_again = self._yield_free[k] and self._break_wait[k] is None
        if free_again:
            st.c_free[k] = 1
            self._n_free += 1
        if self.check:
            self.check_separation()
        self._wake_break(k)
        self._notify()
        if free_again:
            self._dispatch()

    # ================================================================ invariants
    def crane_x(self, c: int, t: float) -> float:
        """Bridge position of crane ``c`` at time ``t`` (within the current stage)."""
        stage = self.stage[c]
        if stage is None:
            return self.rx[c]
        return stage.pos(0, t, stage.x0)

    def crane_y(self, c: int, t: float) -> float:
        stage = self.stage[c]
        if stage is None:
            return self.ry[c]
        return stage.pos(1, t, stage.y0)

    def hook_z(self, c: int, t: float) -> float:
        stage = self.stage[c]
        if stage is None:
            return self.top
        return stage.pos(HOIST, t, self.top)

    def check_separation(self) -> None:
        """Neighbouring cranes keep the safety distance, now and in their reservations."""
        hit = _first_breach(self.stage, self.rx, self.res_lo, self.res_hi, self.env.now, self.dsafe - EPS)
        if hit is not None:
            k, gap, rgap = hit
            raise ModelError(
                self._dump(f"cranes {k - 1} and {k} are {gap:.3f} m apart (reserved gap "
                           f"{rgap:.3f} m), below the safety distance {self.dsafe} m")
            )  # fmt: skip

    def check_conservation(self) -> None:
        inv = self.inventory()
        expect = self.inventory_start + self.coils_in - self.coils_out
        if inv != expect:
            raise ModelError(
                self._dump(f"coil conservation: start {self.inventory_start} + in {self.coils_in} - out "
                           f"{self.coils_out} = {expect}, but {inv} coils are in the warehouse")
            )  # fmt: skip
        booked = int(self.st.s_booked.sum())
        busy_slots = 0
        for c, lift in enumerate(self.current):
            if lift is None:
                continue
            if lift.dst < self.lay.n_slots:
                busy_slots += 1
            if lift.src < self.lay.n_slots and not self.holding(c):
                busy_slots += 1
        if booked != busy_slots:
            raise ModelError(self._dump(f"{booked} slots booked but {busy_slots} bookings held by lifts"))

    def _dump(self, what: str) -> str:
        now = self.env.now
        lines = [f"invariant violated at t={now:.3f} s ({now / 3600:.3f} h): {what}", "cranes:"]
        for c in range(self.n):
            lift = self.current[c]
            desc = (
                f"lift {lift.id} {LIFT_KIND[lift.kind]} coil {lift.coil} "
                f"{self.lay.describe_loc(lift.src)} -> {self.lay.describe_loc(lift.dst)}"
                if lift
                else "no lift"
            )
            lines.append(
                f"  {c} {self.specs[c].name}: {STATE_NAMES[self.state[c]]}, x={self.crane_x(c, now):.3f}, "
                f"reserved [{self.res_lo[c]:.3f}, {self.res_hi[c]:.3f}], {desc}"
            )
        st = self.st
        open_jobs = [
            f"{j}:{LIFT_KIND[st.j_kind[j]]}/{self.lay.grades[st.j_grade[j]]}{'*' if st.j_taken[j] else ''}"
            for j in np.flatnonzero(st.j_active)
        ]
        lines.append(f"jobs ({len(open_jobs)} active, * = taken): " + " ".join(open_jobs[:40]))
        lines.append(f"station: {self.station_coil}; inventory {self.inventory()}")
        return "\n".join(lines)

    # ================================================================ sampling and running
    def sampler(self) -> Iterator[simpy.Event]:
        """Hourly sample of the inventory (and the conservation check)."""
        while True:
            if self.check:
                self.check_conservation()
            self.emit(self._rec(self.env.now, 0.0, -1, "sample", value=self.inventory()))
            yield self.env.timeout(3600.0)

    def watchdog(self, limit_s: float) -> Iterator[simpy.Event]:
        """Stop a stuck run: jobs pending and no lift completed for ``limit_s`` model seconds.

        Wakes only when the limit could have been reached (about once per ``limit_s`` in a
        healthy run), and only reads the state, so it changes no other event's order.
        """
        env = self.env
        while True:
            due = self._progress_t + limit_s
            if due > env.now:
                yield env.timeout(due - env.now)
                continue
            pending = self.job_capacity - len(self._free_jobs)
            if pending > 0:
                taken = int(np.count_nonzero(self.st.j_active & self.st.j_taken))
                raise ModelError(
                    self._dump(f"watchdog: {pending} jobs pending ({taken} taken by a crane) and no "
                               f"lift completed for {limit_s / 3600:g} h, since t={self._progress_t:.3f} s "
                               f"([invariants] watchdog_h)")
                )  # fmt: skip
            yield env.timeout(limit_s)  # nothing pending: look again later

    def events_processed(self) -> int:
        """SimPy events processed so far (scheduled minus still queued)."""
        # simpy numbers every scheduled event from one counter; peek at it without a public API
        n = next(self.env._eid)  # noqa: SLF001
        self.env._eid = itertools.count(n)  # noqa: SLF001 - put the counter back
        return n - len(self.env._queue)  # noqa: SLF001

    def run_until(self, t_end: float, progress: Callable[[float], None] | None = None, step_s: float = 3600.0) -> None:
        env = self.env
        if progress is None:
            env.run(until=t_end)
        else:
            t = env.now
            while t < t_end:
                t = min(t + step_s, t_end)
                env.run(until=t)
                progress(t / 3600.0)
        if self.check:
            self.check_conservation()


class RunResult:
    """The outcome of :func:`run`: ``summary`` (a JSON-ready dict) and a printable table."""

    def __init__(self, summary: dict, warehouse: Warehouse) -> None:
        self.summary = summary
        self.warehouse = warehouse

    def kpi_table(self) -> str:
        s = self.summary
        util = ", ".join(f"{u:.0%}" for u in s["crane_utilization"])
        waits = ", ".join(f"{w:.1f}" for w in s["crane_interference_wait_min"])
        rows = [
            ("scenario", s["scenario"]),
            ("simulated", f"{s['sim_hours']:g} h, seed {s['seed']}, {s['core']} scheduler"),
            ("coils in / out", f"{s['coils_in']} / {s['coils_out']}"),
            ("inventory start / end", f"{s['inventory_start']} / {s['inventory_end']} "
             f"(min {s['inventory_min']}, max {s['inventory_max']}, capacity {s['capacity']})"),
            ("lifts", f"{s['lifts']} ({s['lifts_per_hour']:.1f}/h): {s['stores']} store, "
             f"{s['retrievals']} retrieve, {s['relocations']} relocate"),
            ("relocations per retrieved coil", f"{s['relocations_per_retrieval']:.3f}"),
            ("empty / loaded travel per lift", f"{s['empty_travel_m_per_lift']:.1f} m / "
             f"{s['loaded_travel_m_per_lift']:.1f} m (bridge + trolley)"),
            ("crane utilisation", util),
            ("crane interference wait", f"{waits} min"),
            ("mill blocked", f"{s['mill_blocked_min']:.1f} min in {s['mill_blocked_events']} events "
             f"(mill stopped {s['mill_stop_min']:.0f} min)"),
            ("trucks arrived / left", f"{s['trucks_arrived']} / {s['trucks_departed']}"),
            ("truck wait for bay", f"mean {s['truck_wait_mean_min']:.1f} min, max {s['truck_wait_max_min']:.1f} min"),
            ("truck turnaround", f"mean {s['truck_turnaround_mean_min']:.1f} min, "
             f"max {s['truck_turnaround_max_min']:.1f} min"),
            ("SimPy events", f"{s['events']:,} in {s['wall_s']:.2f} s wall"),
        ]  # fmt: skip
        if s.get("energy_kwh") is not None:
            rows.insert(-1, ("crane motion energy", f"{s['energy_kwh']:.1f} kWh"))
        w = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{w}}  {v}" for k, v in rows)


def run(
    sc: Scenario,
    hours: float | None = None,
    seed: int | None = None,
    trace_path: str | None = None,
    progress: Callable[[float], None] | None = None,
    planner: Planner | None = None,
    policy: str | None = None,
    sink: Callable[[tuple], None] | None = None,
    energy: "EnergyModel | None" = None,
) -> RunResult:
    """Simulate ``hours`` of the scenario and return its KPIs.

    ``trace_path`` streams every record to a CSV or Parquet file, written atomically: if the
    run fails (e.g. an invariant is violated) no file is left behind.
    """
    hours = sc.scenario.hours if hours is None else hours
    seed = sc.scenario.seed if seed is None else seed
    writer = TraceWriter(trace_path) if trace_path else None
    sinks = [f for f in (writer.write if writer else None, sink) if f is not None]
    if len(sinks) == 2:
        a, b = sinks

        def both(rec: tuple) -> None:
            a(rec)
            b(rec)

        combined = both
    else:
        combined = sinks[0] if sinks else None
    t_wall = time.perf_counter()
    try:
        wh = Warehouse(sc, seed, sink=combined, planner=planner, policy=policy, energy=energy)
        wh.run_until(hours * 3600.0, progress)
    except BaseException:
        if writer:
            writer.abort()
        raise
    if writer:
        writer.close()
    wall = time.perf_counter() - t_wall
    summary = {
        "scenario": sc.scenario.name,
        "version": __version__,
        "core": CORE,
        "sim_hours": hours,
        "seed": seed,
        "capacity": wh.lay.n_slots,
        "inventory_start": wh.inventory_start,
        "inventory_end": wh.inventory(),
    }
    summary.update(wh.kpi.summary(hours * 3600.0))
    # the hourly samples miss the final state: include it in the range
    end, lo, hi = summary["inventory_end"], summary["inventory_min"], summary["inventory_max"]
    summary["inventory_max"] = end if hi is None else max(hi, end)
    summary["inventory_min"] = end if lo is None else min(lo, end)
    summary["events"] = wh.events_processed()
    summary["wall_s"] = wall
    summary["sim_hours_per_wall_s"] = hours / wall if wall > 0 else None
    return RunResult(summary, wh)
