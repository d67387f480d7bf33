"""The SimPy model of the warehouse and the crews that run it.

* :mod:`~cranesim.model.warehouse`: the :class:`Warehouse` and its processes (mill, trucks,
  cranes, driver breaks); the scheduler is injected (``scheduler=``, :func:`core_scheduler` by
  default);
* :mod:`~cranesim.model.runway`: the runway the cranes share, a resource with its own protocol
  (reservations, waits, pushes aside);
* :mod:`~cranesim.model.stock`: coils, lifts, trucks, the job table, the scheduler's arrays;
* :mod:`~cranesim.model.demand`: where the coils and trucks come from (the demand source; the
  generators); :mod:`~cranesim.model.recorded`: a plant's records as the source, and the export
  of a run's demand;
* :mod:`~cranesim.model.records`: the records the model emits; :mod:`~cranesim.model.checks`:
  the invariants, the state dump, the watchdog; :mod:`~cranesim.model.clock`: the event loop;
* :mod:`~cranesim.model.dispatch`: who decides the lifts: the scheduler seam, the policies
  (the core's, the plant's rules around it) and the crew's dispatch rules;
* :mod:`~cranesim.model.crew`: the automated cranes and the manual crew, as every command
  builds them;
* :mod:`~cranesim.model.runner`: :func:`run` simulates a scenario (what ``cranesim run`` does).
"""

from cranesim.errors import ModelError
from cranesim.model.crew import CREWS
from cranesim.model.dispatch import (
    Decides,
    SchedulerFactory,
    core_scheduler,
    human_dispatch,
    make_scheduler,
)
from cranesim.model.runner import RunResult, run
from cranesim.model.warehouse import Warehouse

__all__ = [
    "CREWS",
    "Decides",
    "ModelError",
    "RunResult",
    "SchedulerFactory",
    "Warehouse",
    "core_scheduler",
    "human_dispatch",
    "make_scheduler",
    "run",
]
