"""Who decides the lifts: the seam between the warehouse and its scheduler, and the policies.

A :class:`~cranesim.model.warehouse.Warehouse` asks its scheduler ``decide(now)`` at every decision
point (:class:`Decides`).  It gets the scheduler from a factory, ``Warehouse(..., scheduler=factory)``
(:data:`SchedulerFactory`), called once with the scheduler arrays (holding the initial stock) and
the warehouse; by default :func:`core_scheduler`, the warehouse's policy as built below.

:func:`make_scheduler` builds what the model calls ``decide(now)`` on, for every name
``[scheduler] policy`` accepts (:data:`cranesim.codes.SCHEDULER_POLICIES`):

* the core's policies (``joint``, ``rollout``, ``greedy``, and the naive references
  ``fcfs_nearest`` and ``random_free``): the compiled core (or its twin) with
  ``params[P_POLICY]`` set; the rules are stated in :mod:`cranesim.sched.reference`;
* ``plant_rules``: the rules a crane crew follows (:class:`~cranesim.model.dispatch.HumanDispatch`,
  the same rules as the modelled manual crew, ``[manual]`` mill_first_fill and the other two
  switches) applied to the automated cranes: the mill's station first once it is half full,
  no lift across a working crane, for a truck a coil with nothing on top when there is one,
  the oldest job first, the nearest free crane, the nearest free place.  The fair baseline:
  what a plant would do without an optimising scheduler;
* ``plant_zoned``: the same rules with crane zones (:class:`ZonedDispatch`).

Each factory takes the :class:`~cranesim.sched.state.SchedState` and the warehouse (for the
wrappers: crane states, safety distance), and must be called once the warehouse is built (the
wrappers switch the slot-change notes off: they book slots in bulk around each call).
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

import numpy as np

from cranesim.codes import (
    DISPATCH_POLICIES,
    P_POLICY,
    P_STATION_FILL,
    POLICY_CODES,
    POLICY_FCFS_NEAREST,
    SCHEDULER_POLICIES,
)
from cranesim.scenario.schema import Manual
from cranesim.sched import Scheduler
from cranesim.sched.state import SchedState

__all__ = [
    "Decides",
    "SchedulerFactory",
    "HumanDispatch",
    "UnknownPolicy",
    "ZonedDispatch",
    "core_scheduler",
    "human_dispatch",
    "make_scheduler",
    "zone_bounds",
    "SCHEDULER_POLICIES",
]


class UnknownPolicy(ValueError, KeyError):
    """A policy name :func:`make_scheduler` does not know (a ``KeyError`` too: the name is a
    key of the policy table)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class Decides(Protocol):
    """What the model asks of a scheduler: assign at most one lift now (write it to the
    state's ``out`` and return 1) or return 0."""

    def decide(self, now: float) -> int: ...


#: ``factory(state, warehouse) -> scheduler``: how a warehouse gets its scheduler
#: (``Warehouse(..., scheduler=factory)``), called once the arrays hold the initial stock
SchedulerFactory = Callable[[SchedState, Any], Decides]


def core_scheduler(st: SchedState, warehouse: Any) -> Decides:
    """The default :data:`SchedulerFactory`: the warehouse's policy (``warehouse.policy``,
    normally ``[scheduler] policy``) as :func:`make_scheduler` builds it."""
    return make_scheduler(warehouse.policy, st, warehouse)


def make_scheduler(policy: str, st: SchedState, warehouse: Any, core: Any = Scheduler) -> Decides:
    """The scheduler for ``policy`` (a name in :data:`~cranesim.codes.SCHEDULER_POLICIES`).

    ``warehouse`` needs ``sc`` (the scenario: ``[manual]`` holds the crew's rules), ``st``,
    ``n``, ``dsafe`` and ``state`` (the crane states, read at each decision); ``core`` is the
    scheduler core class (:class:`cranesim.sched.Scheduler`: compiled, or the twin)."""
    if policy in POLICY_CODES:
        st.params[P_POLICY] = POLICY_CODES[policy]
        return core(st)
    if policy not in DISPATCH_POLICIES:
        raise UnknownPolicy(
            f"unknown scheduler policy {policy!r}: expected one of {SCHEDULER_POLICIES}"
        )
    st.params[P_POLICY] = POLICY_FCFS_NEAREST  # nearest place and coil, as the crew takes them
    inner = core(st)
    rules = warehouse.sc.manual
    if policy == "plant_rules":
        return HumanDispatch(warehouse, inner, rules)
    return ZonedDispatch(warehouse, inner, rules)


def human_dispatch(manual: Manual) -> Callable[[SchedState, Any], HumanDispatch]:
    """The scheduler factory of a manual crew (``Warehouse(..., scheduler=...)``): the core,
    running the warehouse's policy (``[manual] policy``), inside :class:`HumanDispatch`."""

    def factory(st: SchedState, warehouse: Any) -> HumanDispatch:
        return HumanDispatch(warehouse, core_scheduler(st, warehouse), manual)

    return factory


class HumanDispatch:
    """How the drivers of a manual warehouse pick their next lift, around the scheduler core.

    Wraps a scheduler (``inner``: the core, which runs the ``[manual] policy``,
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

    def _job_order(self) -> list[int]:
        """The open jobs in the crew's order: the station's stores first while it is at least
        ``mill_first_fill`` full, then the oldest job first."""
        st = self.st
        open_j = np.flatnonzero((st.j_active != 0) & (st.j_taken == 0))
        mill_first = float(st.params[P_STATION_FILL]) >= self.fill
        kind, jt = st.j_kind, st.j_t
        return sorted(
            open_j.tolist(),
            key=lambda j: (0 if mill_first and kind[j] == 0 else 1, float(jt[j]), j),
        )

    def decide(self, now: float) -> int:
        st = self.st
        free = np.flatnonzero(st.c_free != 0)
        order = self._job_order() if free.size else []
        if not order:
            return 0
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
            return 0
        finally:
            st.c_free[:] = saved_free
            st.j_taken[:] = saved_taken


def zone_bounds(st: SchedState) -> list[tuple[float, float]]:
    """Each crane's zone: the runway reach [min c_lo, max c_hi] cut into equal parts, west to
    east (the zones of the core's ``w_zone`` penalty)."""
    lo, hi = float(st.c_lo.min()), float(st.c_hi.max())
    n = st.n_cranes
    w = (hi - lo) / n
    return [(lo + c * w, lo + (c + 1) * w) for c in range(n)]


class ZonedDispatch(HumanDispatch):
    """The crew's rules with crane zones, as plants run several cranes on one runway.

    The runway is cut into one zone per crane (:func:`zone_bounds`).  A job belongs to the
    crane whose zone holds its place (the unloading stop or the truck bay).

    * Its owner takes it.  Hand-over: when the owner is not free (working, or held by a
      break), a free neighbour (the crane of an adjacent zone) takes it instead and works in
      the owner's zone for that lift (the owner is then busy elsewhere or pushed aside, as the
      runway rules allow); plants with zone interlocks hand a zone over the same way, on
      request, while its crane cannot serve it.
    * The crane stores and relocates coils in its own zone, and for a truck takes a coil from
      its own zone, when it can; only when its zone has no place (or no coil of the grade)
      does it look beyond (still never across a working crane).
    * Within that, the crew's rules of :class:`~cranesim.model.dispatch.HumanDispatch`: the
      station first once half full, oldest job first, a coil with nothing on top first, the
      nearest free place.
    """

    def __init__(self, warehouse: Any, inner: Any, manual: Any) -> None:
        super().__init__(warehouse, inner, manual)
        self.zones = zone_bounds(self.st)
        self._zone_only = False
        self._outside = [
            (self._slot_x < zlo - 1e-9) | (self._slot_x > zhi + 1e-9) for zlo, zhi in self.zones
        ]

    def owner(self, x: float) -> int:
        """The crane whose zone holds runway position x (the westmost on a boundary)."""
        for c, (_, zhi) in enumerate(self.zones):
            if x <= zhi + 1e-9:
                return c
        return len(self.zones) - 1

    def _hidden(self, c: int, j: int, lo: float, hi: float, covered_fn) -> np.ndarray:
        hide = super()._hidden(c, j, lo, hi, covered_fn)
        if self._zone_only:
            hide = hide | (self._outside[c] & (self.st.s_booked == 0))
        return hide

    def decide(self, now: float) -> int:
        st = self.st
        order = self._job_order() if st.c_free.any() else []
        if not order:
            return 0
        saved_free = st.c_free.copy()
        saved_taken = st.j_taken.copy()
        try:
            for j in order:
                own = self.owner(float(st.loc_x[st.j_loc[j]]))
                if saved_free[own]:
                    allowed = [own]
                else:  # hand-over: a free neighbour covers for the busy owner
                    allowed = [
                        k for k in (own - 1, own + 1) if 0 <= k < self.wh.n and saved_free[k]
                    ]
                if not allowed:
                    continue
                st.j_taken[:] = 1
                st.j_taken[j] = 0
                st.c_free[:] = 0
                st.c_free[allowed] = 1
                for zone_only in (True, False):
                    self._zone_only = zone_only
                    if super().decide(now):
                        return 1
            return 0
        finally:
            self._zone_only = False
            st.c_free[:] = saved_free
            st.j_taken[:] = saved_taken
