"""Type stub of the compiled scheduler core ``cranesim._core.scheduler`` (_core/scheduler.pyx).

The interface and the rules are those of :mod:`cranesim.sched.reference`, the pure-Python twin.
"""

from typing import final

from cranesim.sched.state import SchedState

__all__ = [
    "Scheduler",
    "SlotWriter",
    "py_move_time",
    "py_travel_time",
    "py_splitmix64",
    "py_seed_bits",
]

@final
class Scheduler:
    """Compiled scheduler core; keeps typed views of the SchedState arrays.

    Unlike the twin it carries per-slot state from one call to the next (target feasibility,
    counts per row and crane, coil bit sets per grade, coil scans per crane and grade), brought up
    to date at each call from the slots whose coil, booking, grade or mass changed.  The static
    arrays (coordinates, stacking relations, reach, crane kinematics, energy coefficients) must not
    change after construction: build a new Scheduler for a new layout.
    """

    @property
    def state(self) -> SchedState: ...
    @property
    def n_calls(self) -> int:
        """decide() calls so far (call k draws random_free's target from stream position k)."""
    @property
    def last_cost(self) -> float:
        """Score of the last assigned lift (NaN if none): greedy cost (s), fcfs distance (m)."""
    def __init__(self, st: SchedState) -> None: ...
    def decide(self, now: float) -> int:
        """Assign at most one lift; fill ``state.out`` and return 1, or return 0."""

class SlotWriter:
    """cranesim.sched.state.SlotWriter compiled: the model's slot writes, noted for the core."""

    @property
    def st(self) -> SchedState: ...
    @property
    def S(self) -> int: ...
    def __init__(self, st: SchedState) -> None: ...
    def put(self, s: int, coil: int, grade: int, mass: float) -> None: ...
    def clear(self, s: int) -> None: ...
    def book(self, s: int) -> None: ...

def py_move_time(d: float, v: float, a: float) -> float: ...
def py_travel_time(
    xa: float, ya: float, xb: float, yb: float, vx: float, ax: float, vy: float, ay: float
) -> float: ...
def py_splitmix64(x: int) -> int: ...
def py_seed_bits(p: float) -> int: ...
