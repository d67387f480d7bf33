"""Scheduling policies as scheduler factories: the core's own, and the plants' rules around it.

:func:`make_scheduler` builds what the model calls ``decide(now)`` on, for every name
``[scheduler] policy`` accepts (:data:`cranesim.codes.SCHEDULER_POLICIES`):

* the core's policies (``joint``, ``rollout``, ``greedy``, and the naive references
  ``fcfs_nearest`` and ``random_free``): the compiled core (or its twin) with
  ``params[P_POLICY]`` set; the rules are stated in :mod:`cranesim.sched.reference`;
* ``plant_rules``: the rules a crane crew follows (:class:`~cranesim.model.crew.HumanDispatch`,
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

from typing import Any, Protocol

import numpy as np

from cranesim.codes import (
    DISPATCH_POLICIES,
    P_POLICY,
    P_STATION_FILL,
    POLICY_CODES,
    POLICY_FCFS_NEAREST,
    SCHEDULER_POLICIES,
)
from cranesim.model.crew import HumanDispatch
from cranesim.sched import Scheduler
from cranesim.sched.state import SchedState

__all__ = [
    "Decider",
    "UnknownPolicy",
    "ZonedDispatch",
    "make_scheduler",
    "zone_bounds",
    "SCHEDULER_POLICIES",
]


class UnknownPolicy(ValueError, KeyError):
    """A policy name :func:`make_scheduler` does not know (a ``KeyError`` too: the name is a
    key of the policy table)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class Decider(Protocol):
    """What the model asks for lifts: ``decide(now) -> 1`` with ``state.out`` filled, or 0."""

    def decide(self, now: float) -> int: ...


def make_scheduler(policy: str, st: SchedState, warehouse: Any, core: Any = Scheduler) -> Decider:
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
    * Within that, the crew's rules of :class:`~cranesim.model.crew.HumanDispatch`: the
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
        open_j = np.flatnonzero((st.j_active != 0) & (st.j_taken == 0))
        if open_j.size == 0 or not st.c_free.any():
            return 0
        mill_first = float(st.params[P_STATION_FILL]) >= self.fill
        kind, jt = st.j_kind, st.j_t
        order = sorted(
            open_j.tolist(),
            key=lambda j: (0 if mill_first and kind[j] == 0 else 1, float(jt[j]), j),
        )
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
