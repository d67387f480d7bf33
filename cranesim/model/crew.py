"""The crews: who drives the cranes and picks their lifts, as every command builds them.

* the automated cranes (:func:`automated_cranes`, crew ``"automated"`` of :func:`crew_cranes`):
  anti-sway shaping (:class:`~cranesim.physics.planners.ShapedPlanner`), the ``[scheduler]``
  policy, every stage priced by the automated drives; ``cranesim run``, ``compare`` and
  ``animate`` use it;
* crew ``"plain"``: plain trapezoid moves, no energy accounting (``cranesim run --no-energy``);
* the manual crew (:func:`build_planner` with ``"manual"``, :func:`human_dispatch`): the modelled
  driver (:class:`~cranesim.physics.driver.ManualPlanner`) and the crew's dispatch rules
  (:class:`HumanDispatch`), given to the warehouse as its scheduler.

:func:`crew_warehouse` is the one place that puts a crew into a warehouse: ``cranesim compare``
(every step of its chain) and ``cranesim animate --side-by-side`` (both panes) call it, so the
animated manual pane is the baseline that ``compare`` scores.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from cranesim.codes import P_STATION_FILL
from cranesim.model.scheduling import core_scheduler
from cranesim.physics.driver import ManualPlanner
from cranesim.physics.energy import EnergyModel
from cranesim.physics.planners import ShapedPlanner
from cranesim.scenario.schema import Manual, Scenario
from cranesim.sched.state import SchedState

__all__ = [
    "CREWS",
    "VARIANTS",
    "HumanDispatch",
    "automated_cranes",
    "build_planner",
    "crew_cranes",
    "crew_warehouse",
    "human_dispatch",
]

VARIANTS = ("manual", "auto_traj", "auto_sway", "automated")
#: the crews of :func:`crew_cranes` (``cranesim run`` and :func:`cranesim.model.run`)
CREWS = ("automated", "plain")


def build_planner(sc: Scenario, variant: str):
    """Planner and scheduling policy of one step of the chain (see the module docstring)."""
    specs = sc.crane_specs()
    top = sc.bay.hook_travel_height_m
    if variant == "automated":
        return ShapedPlanner(specs, top, sc.sway), sc.scheduler.policy
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    traj = "manual" if variant == "manual" else "automated"
    sway = "shaped" if variant == "auto_sway" else "manual"
    return ManualPlanner(specs, top, sc.manual, sc.sway, traj, sway), sc.manual.policy


def crew_warehouse(
    sc: Scenario,
    seed: int,
    variant: str,
    *,
    sink: Callable[[tuple], None] | None = None,
    energy: EnergyModel | None = None,
):
    """The warehouse run by the crew of one step of the chain (``VARIANTS``).

    ``"automated"``: anti-sway cranes and the ``[scheduler] policy``; every other step: the
    driver model and, unless the crew's policy is ``greedy``, :class:`HumanDispatch` picking the
    lifts around the ``[manual] policy``.  ``sink`` and ``energy`` are passed to the model.
    """
    from cranesim.model.warehouse import Warehouse  # late: it imports the compiled scheduler

    planner, policy = build_planner(sc, variant)
    dispatch = None  # the core, running ``policy``
    if variant != "automated" and policy != "greedy":
        dispatch = human_dispatch(sc.manual)  # drivers pick their lifts
    return Warehouse(
        sc, seed, sink=sink, planner=planner, policy=policy, energy=energy, scheduler=dispatch
    )


def automated_cranes(sc: Scenario) -> dict[str, Any]:
    """``planner`` and ``energy`` for :func:`cranesim.model.run`: the automated cranes as
    ``cranesim run`` simulates them (anti-sway shaping as this module models them, every stage
    priced, no per-move energy log)."""
    planner, _ = build_planner(sc, "automated")
    return {"planner": planner, "energy": EnergyModel(sc, "automated", log=False)}


def crew_cranes(sc: Scenario, crew: str) -> dict[str, Any]:
    """``planner`` and ``energy`` of a crew of :data:`CREWS`: ``"automated"``
    (:func:`automated_cranes`) or ``"plain"`` (plain trapezoid moves, no energy: both ``None``,
    the warehouse's defaults)."""
    if crew == "automated":
        return automated_cranes(sc)
    if crew == "plain":
        return {"planner": None, "energy": None}
    raise ValueError(f"crew must be one of {', '.join(map(repr, CREWS))}, not {crew!r}")


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
        mill_first = float(st.params[P_STATION_FILL]) >= self.fill
        kind, jt = st.j_kind, st.j_t
        order = sorted(
            open_j.tolist(),
            key=lambda j: (0 if mill_first and kind[j] == 0 else 1, float(jt[j]), j),
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
