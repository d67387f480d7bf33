"""The SimPy model of the wire-coil warehouse.

The model reads like the warehouse it describes:

* :meth:`Warehouse.mill` rolls coils and hands them to the unloading station; when every
  buffer place is taken the mill is blocked (the KPI a warehouse must keep at zero);
* :meth:`Warehouse.truck_arrivals` sends trucks with orders; :meth:`Warehouse.truck` queues
  for a loading bay, is loaded and leaves;
* :meth:`Warehouse.crane` executes the lifts the scheduler assigns: empty travel, pick,
  loaded travel, place.  Every travel first obtains runway space from the
  :class:`~cranesim.model.runway.Runway`: cranes on one runway never cross and always keep the
  safety distance, whatever the scheduler asks; a crane in the way is pushed aside when it is
  idle (or waiting with lower priority), or the move waits, and the wait is recorded;
* :func:`~cranesim.model.breaks.crane_breaks`: a modelled driver's breaks keep his crane out of
  service.

Every decision point (a coil arrives, a truck docks, a lift picks or completes) asks the
scheduler (:mod:`cranesim.sched`; injected with ``scheduler=``, the core by default) on the
arrays of :class:`~cranesim.sched.state.SchedState`, which the model updates in place; how a
lift changes them is :class:`~cranesim.sched.lift.LiftEffects`.  Coils, trucks and jobs are in
:mod:`cranesim.model.stock`.  Crane moves are analytic (:mod:`cranesim.physics.kinematics`,
planned by a :class:`~cranesim.physics.planners.Planner`): one SimPy timeout per stage.  All
that happens is one record type (:mod:`cranesim.record.trace`), read by the KPIs, the traces.

Invariants are checked as the run goes (:mod:`cranesim.model.checks`: coil conservation, crane
separation at every crane event, the stacking rule, no place booked twice); a violation raises
:class:`~cranesim.errors.ModelError` with a dump of the state that broke it.
"""

from __future__ import annotations

from math import inf
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np
import simpy

from cranesim.codes import (
    HOIST,
    IDLE,
    LIFT_RELOCATE,
    LIFT_RETRIEVE,
    LIFT_STORE,
    P_STATION_FILL,
    TRAVEL,
    WORK,
)
from cranesim.errors import ModelError
from cranesim.model.breaks import crane_breaks
from cranesim.model.checks import (
    check_conservation,
    check_pick,
    check_place,
    check_separation,
    dump,
    reject,
    watchdog,
)
from cranesim.model.clock import run_until
from cranesim.model.demand import DemandFactory, DemandSource, MillStop
from cranesim.model.dispatch import Decides, SchedulerFactory, core_scheduler
from cranesim.model.horizon import open_records
from cranesim.model.recorded import demand_source
from cranesim.model.records import Recorder, watermark
from cranesim.model.runway import EPS, Runway
from cranesim.model.stock import Lift, Stock, Truck, hoist_times, scheduler_state
from cranesim.physics.kinematics import Stage
from cranesim.physics.planners import AutomatedPlanner, Planner
from cranesim.record.kpi import KpiAccumulator
from cranesim.scenario.layout import Layout, build_layout
from cranesim.scenario.schema import Scenario
from cranesim.sched import travel_time

if TYPE_CHECKING:
    from cranesim.physics.energy import EnergyModel

__all__ = ["Warehouse"]

STORE, RETRIEVE, RELOCATE = LIFT_STORE, LIFT_RETRIEVE, LIFT_RELOCATE


class Warehouse:
    """The warehouse model for one scenario, one seed, one crew.

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
        Motion planner; plain trapezoid moves (:class:`~cranesim.physics.planners.AutomatedPlanner`)
        by default.
    policy
        Scheduling policy, overriding ``[scheduler] policy``.
    layout
        The scenario's layout, if already built.
    energy
        Prices every crane stage (:meth:`~cranesim.physics.energy.EnergyModel.pricer`), or ``None``.
    scheduler
        ``factory(state, warehouse)`` returning the scheduler (an object with
        ``decide(now) -> int``), called once the arrays hold the initial stock;
        :func:`core_scheduler` by default.
    demand
        ``factory(warehouse)`` returning the demand source
        (:class:`~cranesim.model.demand.DemandSource`), called before the initial stock is
        laid out; :func:`~cranesim.model.recorded.demand_source` by default (the scenario's
        ``[demand]``: its generators, or a plant's records).
    """

    def __init__(
        self,
        sc: Scenario,
        seed: int,
        sink: Callable[[tuple], None] | None = None,
        planner: Planner | None = None,
        policy: str | None = None,
        layout: Layout | None = None,
        energy: EnergyModel | None = None,
        scheduler: SchedulerFactory | None = None,
        demand: DemandFactory | None = None,
    ) -> None:
        self.sc = sc
        self.seed = seed
        self.env = env = simpy.Environment()
        s_mill, s_trucks, s_init, s_oper = np.random.SeedSequence(seed).spawn(4)
        self.rng_mill = np.random.default_rng(s_mill)
        self.rng_trucks = np.random.default_rng(s_trucks)
        self.rng_init = np.random.default_rng(s_init)
        #: the operator's own stream, for planners that model a human driver
        self.rng_operator = np.random.default_rng(s_oper)
        self.lay = lay = layout if layout is not None else build_layout(sc)
        #: the coils at the start, the mill's coils and stoppages, the trucks and their orders
        self.demand: DemandSource = (demand or demand_source)(self)
        # plain Python floats for the hot path and for exact, portable trace text
        self.lx, self.ly, self.lz = lay.loc_x.tolist(), lay.loc_y.tolist(), lay.loc_z.tolist()
        self.specs = sc.crane_specs()
        self.n = n = len(self.specs)
        self.top = top = sc.bay.hook_travel_height_m
        self.planner: Planner = planner or AutomatedPlanner(self.specs, top)
        self.planner.bind(self.rng_operator)  # e.g. a human driver takes its own random stream
        #: energy model (``EnergyModel``): the records' energy comes from its pricer
        self.energy = energy
        self.dsafe = sc.runway.safety_distance_m
        self.kpi = KpiAccumulator(n, [sp.name for sp in self.specs])
        self.check = sc.invariants.check
        #: model time of the last progress (the watchdog's clock): a store or retrieval completed
        #: (relocations alone are no progress), or jobs appeared in an empty table
        self.progress_t = 0.0
        #: the trucks in the warehouse by id
        self.trucks: dict[int, Truck] = {}
        self.closed = False  # see close()
        #: SimPy events processed so far by :meth:`run_until`
        self.events = 0
        self.open_since: dict[tuple[str, int], float] = {}  # waits, breaks... (watermark)

        # ---------------- the scheduler's arrays, jobs and the estimates of a lift's end
        #: the scheduling policy (``[scheduler] policy`` unless overridden): the default scheduler
        #: factory builds it (:func:`cranesim.model.dispatch.core_scheduler`)
        self.policy = policy or sc.scheduler.policy
        self.st = st = scheduler_state(sc, lay, seed)
        self.job_capacity = st.job_capacity
        self._n_open_jobs = 0  # active and not taken
        # each crane's reach with the tolerance, as plain floats (c_lo and c_hi are static;
        # numpy scalars are slow in the hot path's arithmetic)
        reach = [(float(st.c_lo[c]) - EPS, float(st.c_hi[c]) + EPS) for c in range(n)]
        self._reach = reach
        # the estimates' speeds as plain floats (the arrays' values: the same arithmetic)
        self._est = [
            tuple(float(a[c]) for a in (st.c_vx, st.c_ax, st.c_vy, st.c_ay)) for c in range(n)
        ]
        self._hoist_pick, self._hoist_place = hoist_times(self.specs, self.lz, top)

        # ---------------- coils, station, stock
        self.stock = stock = Stock(sc, lay, st, self.demand.fill)
        self.demand.bind(stock)
        self.jobs, self.lift_effects = stock.jobs, stock.lift_effects
        # by coil id (for the records); coil on each station place
        self.coil_grade, self.coil_mass = stock.coils.grade, stock.coils.mass
        self.station_coil = stock.station
        self._next_lift = 0

        # ---------------- cranes and the runway
        self.runway = rw = Runway(
            env, [sp.start_x_m for sp in self.specs], [sc.bay.span_m / 2] * n, reach,
            self.dsafe, self._yield_start, self._yield_end,
        )  # fmt: skip
        # the runway's lists, shared (read by the records, the checks, the animation)
        self.rx, self.ry, self.state, self.stage = rw.x, rw.y, rw.state, rw.stage
        price = None if energy is None else energy.pricer()
        rec = self.records = Recorder(
            self.kpi, sink, price, lay.grades, self.coil_grade, rw.x, rw.y
        )
        self.emit, self._event, self._emit_stage = rec.emit, rec.event, rec.stage
        self.current: list[Lift | None] = [None] * n
        self._assign: list[simpy.Event] = [env.event() for _ in range(n)]
        self._n_free = n
        self._yield_free = [False] * n  # pushed aside while free: free again after
        self.on_break = [False] * n
        self._break_wait: list[simpy.Event | None] = [None] * n

        # ---------------- trucks
        self._bays = simpy.Store(env, capacity=lay.n_bays)
        self._bays.items.extend(range(lay.n_bays))
        self._next_truck = 0

        # ---------------- the scheduler, then the processes
        self.sched: Decides = (scheduler or core_scheduler)(st, self)
        env.process(self.mill())
        env.process(self.truck_arrivals())
        for c in range(n):
            env.process(self.crane(c))
        env.process(self.sampler())
        if sc.invariants.watchdog_h > 0:
            env.process(watchdog(self, sc.invariants.watchdog_h * 3600.0))
        if self.planner.takes_breaks:
            for c in range(n):
                env.process(crane_breaks(self, c, self.planner.breaks(c)))

    # ================================================================ state
    def inventory(self) -> int:
        """Coils in the warehouse: on the floor, on the station and on a hook."""
        return self.stock.inventory()

    @property
    def inventory_start(self) -> int:
        return self.stock.inventory_start

    @property
    def coils_in(self) -> int:
        """Coils the mill delivered."""
        return self.stock.coils_in

    @property
    def coils_out(self) -> int:
        """Coils shipped on trucks."""
        return self.stock.coils_out

    def station_fill(self) -> float:
        """Occupied fraction of the unloading station."""
        return self.stock.on_station / len(self.station_coil)

    def crane_x(self, c: int, t: float) -> float:
        """Bridge position of crane ``c`` at time ``t`` (within the current stage)."""
        return self.runway.crane_x(c, t)

    def crane_y(self, c: int, t: float) -> float:
        """Trolley position of crane ``c`` at time ``t``."""
        return self.runway.crane_y(c, t)

    def hook_z(self, c: int, t: float) -> float:
        """Height of crane ``c``'s hook at time ``t``."""
        stage = self.stage[c]
        if stage is None:
            return self.top
        return stage.pos(HOIST, t, self.top)

    def holding(self, k: int) -> bool:
        """Whether crane ``k`` has its coil on the hook (between pick and place)."""
        lift = self.current[k]
        if lift is None:
            return False
        S = self.lay.n_slots
        if lift.src >= S:
            return self.station_coil[lift.src - S] != lift.coil
        return bool(self.st.s_coil[lift.src] != lift.coil)

    # the invariants (cranesim.model.checks), the records' time order, the clock, as methods
    check_separation = check_separation
    check_conservation = check_conservation
    watermark = watermark
    run_until = run_until

    # ================================================================ mill and station
    def mill(self) -> Iterator[simpy.Event]:
        """Roll the coils of the demand source; deliver each to a free station place, or stay
        blocked until one frees; stop when the source says so."""
        env, stock, demand = self.env, self.stock, self.demand
        while (item := demand.next_mill(env.now)) is not None:
            if type(item) is MillStop:
                if item.delay > 0:
                    yield env.timeout(item.delay)
                self._event(env.now, item.dur, -1, "mill_stop")
                yield env.timeout(item.dur)
                continue
            yield env.timeout(item.delay)
            k = stock.free_station_place()
            if k < 0:
                t_b = self.open_since["mill_blocked", -1] = env.now
                while k < 0:
                    ev = stock.station_free = env.event()
                    yield ev
                    k = stock.free_station_place()
                del self.open_since["mill_blocked", -1]
                self._event(t_b, env.now - t_b, -1, "mill_blocked")
            cid = stock.deliver(k, item.grade, item.mass)
            demand.delivered(cid, env.now)
            loc = self.lay.station_loc(k)
            self.records.coil_in(env.now, cid, loc, stock.on_station / len(stock.station))
            self._add_job(STORE, loc, item.grade, env.now, cid)
            self._dispatch()

    # ================================================================ trucks
    def truck_arrivals(self) -> Iterator[simpy.Event]:
        """Send the trucks of the demand source, each with its order; stop when it says so."""
        env, demand, coils = self.env, self.demand, self.stock.coils
        while (delay := demand.next_truck(env.now)) is not None:
            yield env.timeout(delay)
            ident, order = demand.truck_order(env.now, coils)
            if not order:
                continue  # nothing in stock to sell: dispatch sends no truck
            truck = Truck(self._next_truck, env.now, order, env.event())
            self._next_truck += 1
            env.process(self.truck(truck))

    def truck(self, truck: Truck) -> Iterator[simpy.Event]:
        """A truck: queue for a bay, dock, get loaded, secure the load, leave."""
        env, tr = self.env, self.sc.trucks
        n, tid = truck.remaining, truck.id
        self.trucks[tid] = truck
        self._event(env.now, 0.0, -1, "truck_arrive", truck=tid, order=n)
        bay = yield self._bays.get()
        truck.bay = bay
        loc = self.lay.bay_loc(bay)
        self._event(env.now, 0.0, -1, "truck_dock", dst=loc, truck=tid, order=n)
        yield env.timeout(tr.dock_min * 60.0)
        for g, q in truck.order:
            for _ in range(q):
                j = self._add_job(RETRIEVE, loc, g, truck.t_arrive, -1)
                self.jobs.truck[j] = truck
                truck.jobs.append(j)
        truck.untaken = len(truck.jobs)
        for j in truck.jobs:
            self.st.j_rem[j] = truck.untaken
        self._dispatch()
        yield truck.done
        yield env.timeout(tr.secure_min * 60.0)
        self._event(env.now, 0.0, -1, "truck_depart", src=loc, truck=tid, order=n)
        del self.trucks[tid]
        yield self._bays.put(bay)

    # ================================================================ jobs and dispatch
    def _add_job(self, kind: int, loc: int, grade: int, t: float, coil: int) -> int:
        jobs = self.jobs
        if not jobs.free:
            raise ModelError(dump(self, "job table full (capacity %d)" % jobs.capacity))
        if len(jobs.free) == jobs.capacity:  # the first pending job: start the clock
            self.progress_t = self.env.now
        self._n_open_jobs += 1
        return jobs.add(kind, loc, grade, t, coil, self.coil_mass[coil] if kind == STORE else 0.0)

    def _dispatch(self) -> None:
        """Ask the scheduler for lifts while there are free cranes and open jobs."""
        if self._n_free == 0 or self._n_open_jobs == 0:
            return
        st = self.st
        st.params[P_STATION_FILL] = self.stock.on_station / len(self.station_coil)  # station_fill()
        now = self.env.now
        decide, out = self.sched.decide, st.out
        while self._n_free > 0 and self._n_open_jobs > 0 and decide(now):
            self._assign_lift(*out.tolist())

    def _assign_lift(self, c: int, j: int, src: int, dst: int, kind: int) -> None:
        """The scheduler's decision: crane ``c`` lifts ``src -> dst`` for job ``j``."""
        st = self.st
        S = self.lay.n_slots
        lx = self.lx
        if self.check:
            lo, hi = self._reach[c]
            if not (
                st.c_free[c] and self.state[c] == IDLE and st.j_active[j] and not st.j_taken[j]
                and (src >= S or not st.s_booked[src]) and (dst >= S or not st.s_booked[dst])
                and lo <= lx[src] <= hi and lo <= lx[dst] <= hi
            ):  # fmt: skip
                reject(self, c, j, src, dst)
        coil = self.station_coil[src - S] if kind == STORE else int(st.s_coil[src])
        self.lift_effects.assign(c, j, src, dst, kind)  # crane busy, slots booked, job taken
        truck = self.jobs.truck[j]  # None for a store
        if kind != RELOCATE:
            self._n_open_jobs -= 1
            if kind == RETRIEVE:
                truck.untaken -= 1
                for jj in truck.jobs:
                    st.j_rem[jj] = truck.untaken
        now = self.env.now
        grade, mass = self.coil_grade[coil], self.coil_mass[coil]
        tid = -1 if truck is None else truck.id
        lift = Lift(self._next_lift, kind, j, src, dst, coil, grade, mass, (now, c), tid)
        self._next_lift += 1
        self._n_free -= 1
        # when the lift will end, as the scheduler estimates it (travel_time twice; hoist
        # times from the tables)
        x0, y0 = self.rx[c], self.ry[c]
        xs, ys, xd, yd = lx[src], self.ly[src], lx[dst], self.ly[dst]
        vx, ax, vy, ay = self._est[c]
        st.c_free_at[c] = now + (
            travel_time(x0, y0, xs, ys, vx, ax, vy, ay) + self._hoist_pick[c][src]
            + travel_time(xs, ys, xd, yd, vx, ax, vy, ay) + self._hoist_place[c][dst]
        )  # fmt: skip
        self.runway.prio[c] = lift.prio
        self.current[c] = lift
        self.state[c] = WORK  # committed; stationary until its first travel starts
        self._assign[c].succeed(lift)

    # ================================================================ cranes
    def crane(self, c: int) -> Iterator[simpy.Event]:
        """A crane: wait for a lift, execute it (empty travel, pick, loaded travel, place),
        report free.

        This is the model's hottest loop (every lift passes through it four times), so it is
        written as one generator with its helpers inlined and the attributes it reads bound
        once.
        """
        env, st, rw = self.env, self.st, self.runway
        lx, ly, lz = self.lx, self.ly, self.lz
        rx, ry, stages, state, prio = rw.x, rw.y, rw.stage, rw.state, rw.prio
        travel, hoist = self.planner.stage_calls()
        timeout = env.timeout
        emit_stage = self._emit_stage
        reserve, arrive, notify = rw.reserve, rw.arrive, rw.notify
        check, separation = self.check, self.check_separation
        S, stock, fx = self.lay.n_slots, self.stock, self.lift_effects
        take, put, release = stock.take, stock.put, fx.release
        blocker, gap = fx.blocker, fx.missing_support
        hoist_place = self._hoist_place[c]
        vx, ax, vy, ay = self._est[c]
        while True:
            lift = yield self._assign[c]
            src, dst, mass = lift.src, lift.dst, lift.mass
            xs, ys = lx[src], ly[src]
            xd, yd = lx[dst], ly[dst]
            # 1. empty travel to the pick place (waiting for the runway is a generator only
            # when the crane must wait or push: the usual clear runway costs no generator)
            if not reserve(c, xs):
                yield from self._wait_for_runway(c, xs, lift)
            stage = travel(c, env.now, rx[c], ry[c], xs, ys, 0.0)
            state[c] = TRAVEL
            stages[c] = stage
            if stage.dur > 0:
                yield timeout(stage.dur)
            arrive(c, stage)
            if check:
                separation()
            emit_stage(stage, c, "move_empty", lift, 0.0)
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
            st.c_free_at[c] = (
                env.now + travel_time(xs, ys, xd, yd, vx, ax, vy, ay) + hoist_place[dst]
            )
            if check and src < S and blocker(src) >= 0:
                check_pick(self, lift)  # raises: the stacking rule
            if take(lift):
                # an upper coil left: the coils it rested on may be lifted now.  A freed lower
                # place or station place needs no decision now: the mill's delivery and the
                # end of this lift each ask for one.  (Asking after every pick was a third of
                # all scheduler calls; on the default over 336 h it made 836 of 12,620
                # assignments, and without it lifts, coils out, truck waits and mill blocking
                # stayed within the spread between seeds 1 and 2.)
                self._dispatch()
            # 3. loaded travel to the put-down place
            if not reserve(c, xd):
                yield from self._wait_for_runway(c, xd, lift)
            stage = travel(c, env.now, rx[c], ry[c], xd, yd, mass)  # may have been pushed
            state[c] = TRAVEL
            stages[c] = stage
            if stage.dur > 0:
                yield timeout(stage.dur)
            arrive(c, stage)
            if check:
                separation()
            emit_stage(stage, c, "move_loaded", lift, mass)
            # 4. place
            stage = hoist(c, env.now, xd, yd, lz[dst], False, mass)
            stages[c] = stage
            yield timeout(stage.dur)
            stages[c] = None
            emit_stage(stage, c, "place", lift, mass)
            if lift.kind != RELOCATE:  # a store or retrieval completed: the watchdog's progress
                self.progress_t = env.now
            if check and dst < S and (gap(dst) >= 0 or st.s_coil[dst] >= 0):
                check_place(self, lift)  # raises: the stacking rule, or the place is taken
            put(lift)
            # free again, unless a break is due (the crane stays unavailable)
            self._assign[c] = env.event()
            self.current[c] = None
            state[c] = IDLE
            prio[c] = (inf, c)
            free = self._break_wait[c] is None
            release(c, rx[c], ry[c], free)
            notify()  # an idle crane can be pushed aside
            if free:
                self._n_free += 1
                self._dispatch()
            else:
                self._wake_break(c)

    def _wait_for_runway(self, c: int, x_target: float, lift: Lift) -> Iterator[simpy.Event]:
        """Crane ``c`` waits (and pushes) until the runway to ``x_target`` is its; the wait is
        recorded."""
        t0 = self.open_since["wait", c] = self.env.now
        yield from self.runway.request(c, x_target)
        del self.open_since["wait", c]
        if self.env.now > t0:
            self._event(t0, self.env.now - t0, c, "wait", lift)

    # ================================================================ pushes and breaks
    def _yield_start(self, k: int, t: float, x0: float, x1: float) -> tuple[Stage, float]:
        """The runway pushes crane ``k`` aside from ``x0`` to ``x1`` from ``t``: an idle crane
        takes no lift meanwhile; its motion, with whatever hangs on its hook."""
        st = self.st
        free = self._yield_free[k] = bool(st.c_free[k])
        if free:
            st.c_free[k] = 0
            self._n_free -= 1
        lift = self.current[k]
        load = lift.mass if lift is not None and self.holding(k) else 0.0
        return self.planner.yield_move(k, t, x0, x1, self.ry[k], load), load

    def _yield_end(self, k: int, stage: Stage, load: float) -> None:
        """Crane ``k``'s push is over (the runway has put it back in its state)."""
        self._emit_stage(stage, k, "yield", self.current[k], load)
        if self.state[k] == IDLE:
            self.lift_effects.release(k, stage.x1, self.ry[k], free=False)
        free_again = self._yield_free[k] and self._break_wait[k] is None
        if free_again:
            self.st.c_free[k] = 1
            self._n_free += 1
        if self.check:
            self.check_separation()
        self._wake_break(k)
        self.runway.notify()
        if free_again:
            self._dispatch()

    def _wake_break(self, c: int) -> None:
        ev = self._break_wait[c]
        if ev is not None:
            self._break_wait[c] = None
            ev.succeed()

    # ================================================================ sampling and running
    def sampler(self) -> Iterator[simpy.Event]:
        """Hourly sample of the inventory (and the conservation check)."""
        while True:
            if self.check:
                self.check_conservation()
            self._event(self.env.now, 0.0, -1, "sample", inventory=self.inventory())
            yield self.env.timeout(3600.0)

    def close(self) -> None:
        """End the run now (the horizon): emit a record of everything still open (a blocked
        mill, trucks in the warehouse, crane stages running; :func:`~cranesim.model.horizon.
        open_records`), so the KPIs count it.  Once, after the last :meth:`run_until`."""
        if not self.closed:
            self.closed = True
            open_records(self)
