"""The seam between the warehouse and whoever decides its lifts.

A :class:`~cranesim.model.warehouse.Warehouse` asks its scheduler ``decide(now)`` at every decision
point.  It gets the scheduler from a factory, ``Warehouse(..., scheduler=factory)``, called once
with the scheduler arrays (holding the initial stock) and the warehouse: the automated cranes' core
by default (:func:`core_scheduler`), the manual crew's dispatch rules
(:func:`cranesim.model.crew.human_dispatch`), or anything a study or a test injects.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from cranesim.sched import Scheduler
from cranesim.sched.state import SchedState

__all__ = ["Decides", "SchedulerFactory", "core_scheduler"]


class Decides(Protocol):
    """What the model asks of a scheduler: assign at most one lift now (write it to the
    state's ``out`` and return 1) or return 0."""

    def decide(self, now: float) -> int: ...


#: ``factory(state, warehouse) -> scheduler``: how a warehouse gets its scheduler
#: (``Warehouse(..., scheduler=factory)``), called once the arrays hold the initial stock
SchedulerFactory = Callable[[SchedState, Any], Decides]


def core_scheduler(st: SchedState, warehouse: Any) -> Decides:
    """The default :data:`SchedulerFactory`, the automated cranes' dispatch: the scheduler
    core on ``st`` (compiled, or its pure-Python reference; see :mod:`cranesim.native`)."""
    return Scheduler(st)
