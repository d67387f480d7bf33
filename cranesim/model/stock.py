"""What the warehouse holds: coils, lifts, trucks, the job table, and the scheduler's arrays.

* :class:`Stock`: the coils in the warehouse and where they are (floor slots, the unloading
  station, the hooks), the job table, the coils in and out; a lift's pick (:meth:`Stock.take`)
  and place (:meth:`Stock.put`);
* :class:`Coils`: every coil present, by id (grade, mass), and per grade how many are in stock
  and how many trucks have ordered; draws the mill's products and the trucks' orders;
* :class:`Lift` and :class:`Truck`: one coil moved by one crane; one truck and its order;
* :class:`JobTable`: the demand the scheduler serves (a coil on the station to store, a coil a
  docked truck waits for), in the scheduler's job arrays;
* :func:`scheduler_state`: the scheduler's arrays (:class:`~cranesim.sched.state.SchedState`)
  packed from the scenario and its layout, parameters by their ``P_*`` names;
  :func:`fill_initial_stock` puts the initial stock on the floor.

How a lift changes the stock (bookings, pick, place) is
:class:`cranesim.sched.lift.LiftEffects`, shared with the benchmark, the replay and the tests.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from itertools import accumulate
from typing import Callable, Sequence

import numpy as np
import simpy

from cranesim.codes import (
    LIFT_RELOCATE,
    LIFT_RETRIEVE,
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
)
from cranesim.physics.energy import scheduler_coefficients
from cranesim.physics.kinematics import move_time
from cranesim.scenario.layout import Layout
from cranesim.scenario.schema import CraneSpec, Product, Scenario
from cranesim.sched.lift import LiftEffects
from cranesim.sched.state import SchedState

__all__ = [
    "Stock",
    "Coils",
    "JobTable",
    "Lift",
    "Truck",
    "fill_initial_stock",
    "hoist_times",
    "job_capacity",
    "scheduler_state",
    "truck_rate_per_h",
]


class Lift:
    """One coil moved from one location to another by one crane."""

    __slots__ = ("id", "kind", "job", "src", "dst", "coil", "grade", "mass", "prio", "truck")

    def __init__(self, id, kind, job, src, dst, coil, grade, mass, prio, truck=-1):
        self.id, self.kind, self.job, self.src, self.dst = id, kind, job, src, dst
        self.coil, self.grade, self.mass, self.prio = coil, grade, mass, prio
        #: the id of the truck a retrieve (or a relocation for one) serves; -1 for a store
        self.truck = truck


class Truck:
    """A truck and its order ``[(grade, coils), ...]``; ``done`` fires when it is loaded."""

    __slots__ = ("id", "t_arrive", "order", "remaining", "bay", "done", "jobs", "untaken")

    def __init__(self, id, t_arrive, order, done):
        self.id, self.t_arrive, self.order = id, t_arrive, order
        self.remaining = sum(n for _, n in order)  # coils not yet on the truck
        self.bay = -1
        self.done = done
        self.jobs: list[int] = []  # its retrieve jobs, once docked
        self.untaken = 0  # of them, not yet taken by a lift (the scheduler's j_rem)


class Coils:
    """Every coil in the warehouse by id, and the stock per grade.

    ``grade`` and ``mass`` map a coil id to its grade index and mass (t) while the coil is in
    the warehouse; ``in_stock[g]`` counts the coils of grade ``g`` present (station, floor,
    hook), ``promised[g]`` those ordered by trucks and not yet loaded.
    """

    def __init__(self, products: Sequence[Product]) -> None:
        self.products = list(products)
        self._cum_share = list(accumulate(p.share for p in self.products))
        self._cum_share[-1] = 1.0
        self.grade: dict[int, int] = {}
        self.mass: dict[int, float] = {}
        self.in_stock = [0] * len(self.products)
        self.promised = [0] * len(self.products)
        self._next = 0

    def draw(self, rng: np.random.Generator) -> tuple[int, float]:
        """A product of the mill's mix: ``(grade, mass)``."""
        g = bisect_right(self._cum_share, rng.random())
        if g >= len(self.products):
            g = len(self.products) - 1
        p = self.products[g]
        m = (
            p.mass_t_mean + p.mass_t_sd * rng.standard_normal()
            if p.mass_t_sd > 0
            else p.mass_t_mean
        )
        return g, max(m, 0.25 * p.mass_t_mean)

    @property
    def issued(self) -> int:
        """Coils numbered so far (the next coil's number)."""
        return self._next

    def new(self, g: int, mass: float) -> int:
        """A new coil of grade ``g`` enters the warehouse: its id."""
        cid = self._next
        self._next += 1
        self.grade[cid] = g
        self.mass[cid] = mass
        self.in_stock[g] += 1
        return cid

    def ship(self, coil: int) -> None:
        """Coil ``coil`` left on a truck (it was promised to it)."""
        g = self.grade.pop(coil)
        del self.mass[coil]
        self.in_stock[g] -= 1
        self.promised[g] -= 1

    def order(self, rng: np.random.Generator, n: int, k: int) -> list[tuple[int, int]]:
        """A truck's order of ``n`` coils in up to ``k`` grades, drawn in proportion to what is
        in stock and not yet promised, and promised to it: ``[(grade, coils), ...]``."""
        # Coils per grade are integers, so their sum is exact and each share a / tot is the
        # correctly rounded quotient, as numpy's float64 arrays gave them; accumulate adds the
        # shares in order, as np.cumsum does.  Plain ints: numpy costs more on six numbers.
        avail = [max(s - p, 0) for s, p in zip(self.in_stock, self.promised)]
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
            self.promised[g] += q
        return [(g, q) for g, q in order if q > 0]


class JobTable:
    """The scheduler's jobs (``j_*`` arrays of :class:`~cranesim.sched.state.SchedState`).

    A job takes the lowest free index (a heap: deterministic).  ``truck[j]`` is the truck a
    retrieve job loads.
    """

    def __init__(self, st: SchedState) -> None:
        self.st = st
        self.capacity = st.job_capacity
        self.free = list(range(self.capacity))  # a heap
        self.truck: list[Truck | None] = [None] * self.capacity

    @property
    def pending(self) -> int:
        """Jobs active (taken or not)."""
        return self.capacity - len(self.free)

    def add(self, kind: int, loc: int, grade: int, t: float, coil: int, mass: float) -> int:
        """A new job (the caller checks that one is free): its index."""
        st = self.st
        j = heapq.heappop(self.free)
        st.j_active[j] = 1
        st.j_taken[j] = 0
        st.j_kind[j] = kind
        st.j_loc[j] = loc
        st.j_grade[j] = grade
        st.j_t[j] = t
        st.j_coil[j] = coil
        st.j_mass[j] = mass
        st.j_rem[j] = 0  # a truck's jobs get theirs once all are added
        if kind == LIFT_RETRIEVE:
            st.g_demand[grade] += 1
        return j

    def release(self, j: int) -> None:
        """Job ``j``'s index is free again (its arrays were closed by its lift)."""
        self.truck[j] = None
        heapq.heappush(self.free, j)


def job_capacity(sc: Scenario, lay: Layout) -> int:
    """Jobs that can be pending at once: one store per station place, one per crane carrying
    a coil from the station, a full order per truck bay."""
    return lay.n_station + len(sc.cranes) + lay.n_bays * sc.trucks.order_coils_max


def scheduler_state(sc: Scenario, lay: Layout, seed: int) -> SchedState:
    """The scheduler's arrays for a scenario: locations, stacking relations, cranes at their
    start positions (free), energy coefficients, parameters; no coils and no jobs yet.

    ``params[P_POLICY]`` is set by the policy that builds the scheduler
    (:func:`cranesim.model.dispatch.make_scheduler`)."""
    specs = sc.crane_specs()
    n = len(specs)
    st = SchedState.allocate(n, lay.n_locs, lay.n_slots, job_capacity(sc, lay), len(lay.grades))
    st.loc_x[:] = lay.loc_x
    st.loc_y[:] = lay.loc_y
    st.loc_z[:] = lay.loc_z
    st.s_level[:] = lay.slot_level
    st.s_sup0[:] = lay.slot_sup[:, 0]
    st.s_sup1[:] = lay.slot_sup[:, 1]
    st.s_blk0[:] = lay.slot_blk[:, 0]
    st.s_blk1[:] = lay.slot_blk[:, 1]
    for c, sp in enumerate(specs):
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
    w, p = sc.scheduler, st.params
    p[P_W_RELOC] = w.w_reloc_s
    p[P_W_STATION] = w.w_station_s
    p[P_W_TRUCK_WAIT] = w.w_truck_wait_s_per_min
    p[P_W_UPPER] = w.w_upper_s
    p[P_W_BLOCK_DEMAND] = w.w_block_demand_s
    p[P_W_INTERFERENCE] = w.w_interference_s
    p[P_SAFETY] = sc.runway.safety_distance_m
    p[P_SEED] = float(seed % (2**52))
    p[P_MAX_INTERF] = w.max_interference_s
    p[P_W_ZONE] = w.w_zone_s_per_m
    p[P_OBJECTIVE] = OBJECTIVE_CODES[w.objective]
    p[P_S_PER_KWH] = w.seconds_per_kwh
    p[P_TOP_Z] = sc.bay.hook_travel_height_m
    p[P_W_COVER] = w.w_cover_s
    p[P_W_FINISH] = w.w_finish_s
    p[P_W_LOOKAHEAD] = w.w_lookahead
    p[P_LIFT_HANDLING] = w.lift_handling_s
    p[P_ROLL_MARGIN] = w.rollout_margin_s
    p[P_ROLL_JOBS] = w.rollout_jobs
    p[P_ROLL_CANDS] = w.rollout_candidates
    p[P_STATION_FIRST] = w.station_first_fill
    # P_STATION_FILL is the model's to refresh before each decision
    st.c_e[:] = scheduler_coefficients(sc, "automated").ravel()
    return st


def hoist_times(
    specs: Sequence[CraneSpec], loc_z: list[float], top: float
) -> tuple[list[list[float]], list[list[float]]]:
    """Per crane and location: the hoist's time down from ``top`` and back up plus the pick
    dwell, and the same with the place dwell (s): the hoisting part of the scheduler's
    estimate of when a lift ends (``c_free_at``)."""
    pick, place = [], []
    for sp in specs:
        v, a = sp.hoist_speed_m_min / 60.0, sp.hoist_accel_m_s2
        ht = [2.0 * move_time(top - z, v, a) for z in loc_z]
        pick.append([h + sp.pick_s for h in ht])
        place.append([h + sp.place_s for h in ht])
    return pick, place


def truck_rate_per_h(sc: Scenario) -> float:
    """Trucks per hour that carry away what the mill rolls (times ``[trucks] balance``): the
    mill's coils per hour, its stoppages included, over the mean order."""
    m, tr = sc.mill, sc.trucks
    mean_mass = sum(p.share * p.mass_t_mean for p in m.products)
    stop_h = m.stop_mean_min / 60.0
    availability = m.stop_mtbf_h / (m.stop_mtbf_h + stop_h) if stop_h > 0 else 1.0
    coils_per_h = m.rate_t_h / mean_mass * availability
    return tr.balance * coils_per_h / ((tr.order_coils_min + tr.order_coils_max) / 2)


def fill_initial_stock(
    st: SchedState, lay: Layout, coils: Coils, fill: float, rng: np.random.Generator
) -> None:
    """Put ``fill`` of the floor's capacity in stock: lower places first (drawn at random),
    then upper places whose supports both hold a coil."""
    S = lay.n_slots
    target = int(round(fill * S))
    lower = np.flatnonzero(lay.slot_level == 0)
    n_low = min(target, lower.size)
    for s in np.sort(rng.permutation(lower)[:n_low]):
        g, m = coils.draw(rng)
        st.s_coil[s] = coils.new(g, m)
        st.s_grade[s] = g
        st.s_mass[s] = m
    rest = target - n_low
    if rest > 0:
        upper = np.flatnonzero(lay.slot_level == 1)
        sup = lay.slot_sup
        ok = upper[(st.s_coil[sup[upper, 0]] >= 0) & (st.s_coil[sup[upper, 1]] >= 0)]
        for s in np.sort(rng.permutation(ok)[:rest]):
            g, m = coils.draw(rng)
            st.s_coil[s] = coils.new(g, m)
            st.s_grade[s] = g
            st.s_mass[s] = m


class Stock:
    """The coils in the warehouse and where they are: on floor slots (the scheduler's arrays
    ``st``), on the places of the unloading station (``station``: coil id or -1), on the hooks
    (``on_hook``); the job table (``jobs``); the coils delivered by the mill and shipped.

    Built with the initial stock on the floor; from then on every slot write is noted for the
    compiled core (``st.touch[0] = 1``).  How a lift changes the arrays is ``lift_effects``
    (:class:`~cranesim.sched.lift.LiftEffects`); :meth:`take` and :meth:`put` add what the model
    keeps besides: the station's count and the mill waiting for a free place, coils shipped.

    Parameters
    ----------
    sc, lay
        The scenario and its layout.
    st
        The scheduler's arrays (:func:`scheduler_state`), no coils yet.
    fill
        ``fill(st, lay, coils)`` puts the initial stock on the floor: the demand source's
        :meth:`~cranesim.model.demand.DemandSource.fill` (drawn by :func:`fill_initial_stock`, or
        a plant's stock list).

    Slots are written through :class:`~cranesim.sched.lift.LiftEffects`'s slot writer (the
    compiled one when built).
    """

    def __init__(
        self,
        sc: Scenario,
        lay: Layout,
        st: SchedState,
        fill: Callable[[SchedState, Layout, Coils], object],
    ) -> None:
        self.st = st
        self.S = lay.n_slots
        self.coils = Coils(sc.mill.products)
        self.station: list[int] = [-1] * lay.n_station
        self.on_station = 0  # count of station >= 0
        #: fired when a station place frees: the mill waits for it when the station is full
        self.station_free: simpy.Event | None = None
        self.on_hook = 0
        self.coils_in = 0
        self.coils_out = 0
        self.jobs = JobTable(st)
        self._upper = [lv != 0 for lv in lay.slot_level.tolist()]
        fill(st, lay, self.coils)
        st.touch[0] = 1  # from here on every slot write is noted (SchedState.touched)
        self.lift_effects = LiftEffects(st, self.station)
        self.inventory_start = self.inventory()

    def inventory(self) -> int:
        """Coils in the warehouse: on the floor, on the station and on a hook."""
        on_station = sum(1 for c in self.station if c >= 0)
        return int(np.count_nonzero(self.st.s_coil >= 0)) + on_station + self.on_hook

    def free_station_place(self) -> int:
        """First empty station place (places free when their coil is picked), or -1."""
        for k, c in enumerate(self.station):
            if c < 0:
                return k
        return -1

    def deliver(self, k: int, g: int, mass: float) -> int:
        """A new coil of grade ``g`` and ``mass`` t from the mill on station place ``k``: its id."""
        cid = self.coils.new(g, mass)
        self.coils_in += 1
        self.station[k] = cid
        self.on_station += 1
        return cid

    def take(self, lift: Lift) -> bool:
        """The pick: the coil leaves its slot or station place and hangs on the hook.  Returns
        whether it left an upper slot (the coils it rested on may be lifted now)."""
        src = lift.src
        self.lift_effects.take(src)
        self.on_hook += 1
        if src < self.S:
            return self._upper[src]
        self.on_station -= 1
        ev = self.station_free
        if ev is not None:
            self.station_free = None
            ev.succeed()
        return False

    def put(self, lift: Lift) -> None:
        """The place: the coil lies on its slot, or is on its truck (shipped; the truck is done
        when its order is complete); a store or retrieve job ends."""
        self.on_hook -= 1
        if not self.lift_effects.put(lift.dst, lift.coil, lift.grade, lift.mass):
            truck = self.jobs.truck[lift.job]
            self.coils_out += 1
            self.coils.ship(lift.coil)
            truck.remaining -= 1
            if truck.remaining == 0:
                truck.done.succeed()
        if lift.kind != LIFT_RELOCATE:
            self.lift_effects.close(lift.job, lift.kind)
            self.jobs.release(lift.job)
