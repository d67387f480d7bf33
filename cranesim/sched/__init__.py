"""The crane scheduler: which crane does which lift, and where a coil goes.

The model keeps a :class:`~cranesim.sched.state.SchedState` (numpy arrays, built once, updated in
place) and asks a scheduler ``decide(now)`` at every decision point; a decision writes one lift to
``state.out`` (crane, job, source, target, lift kind).  The rules and policies are stated in
:mod:`cranesim.sched.reference`, the pure-Python core that is both the specification and the test
oracle of the compiled core (``_core/scheduler.pyx``): both make bit-identical decisions.

Exports
-------
Scheduler
    ``Scheduler(st)``, the core :mod:`cranesim.native` selects (compiled, or the reference).
SlotWriter
    ``SlotWriter(st)``: the model's slot writes (``put``, ``clear``, ``book``), each noted for
    the core (:class:`cranesim.sched.state.SlotWriter`, compiled along with the core).
travel_time
    ``travel_time(xa, ya, xb, yb, vx, ax, vy, ay)``: the core's estimate of a crane move (the
    slower of bridge and trolley); the model's estimates of when a lift ends use it.
CORE, CORE_DETAIL
    ``"compiled"`` or ``"pure-python"``, and where it comes from (see :mod:`cranesim.native`).
SchedState
    The array container.
"""

from __future__ import annotations

from cranesim.native import CORE, CORE_DETAIL, PURE_PYTHON_ENV, kernel
from cranesim.sched import reference as _reference
from cranesim.sched.state import SchedState
from cranesim.sched.state import SlotWriter as _SlotWriterPy

__all__ = [
    "Scheduler",
    "SlotWriter",
    "SchedState",
    "CORE",
    "CORE_DETAIL",
    "PURE_PYTHON_ENV",
    "travel_time",
]

Scheduler = kernel("Scheduler", _reference.Scheduler)
SlotWriter = kernel("SlotWriter", _SlotWriterPy)
travel_time = kernel("travel_time", _reference.travel_time)
