"""Advancing the SimPy clock, counting the events processed.

:func:`advance` runs an environment to a model time exactly as ``env.run(until=t)`` does (the
same events in the same order, and ``env.now == t`` after) and returns how many events it
processed.  The count is exact and costs one integer increment per event: the stepping loop is
ours, and the stop is an urgent event scheduled at ``t`` through SimPy's public ``schedule``, as
``run`` schedules its own.  Every event already queued for ``t`` is a timeout or a triggered
event (normal priority, processed after the stop, in the next run); processes start with urgent
events at the time they are started, so none of those is queued for ``t`` before the clock
reaches it.

>>> import simpy
>>> env = simpy.Environment()
>>> def ticks(env):
...     while True:
...         yield env.timeout(1.0)
>>> _ = env.process(ticks(env))
>>> advance(env, 3.0), env.now  # the start, and the ticks at 1 and 2 (the one at 3 is next)
(3, 3.0)
"""

from __future__ import annotations

from typing import Any, Callable

import simpy
from simpy.events import URGENT

__all__ = ["advance", "run_until"]


class _Reached(Exception):
    """Raised by the stop event of :func:`advance`."""


def _reached(_event: simpy.Event) -> None:
    raise _Reached


def advance(env: simpy.Environment, t: float) -> int:
    """Process every event before model time ``t`` and stop at ``t``; the number of events
    processed (the stop not counted).  An exception from a process propagates as from
    ``env.run``; the stop then stays queued, so the environment cannot run on."""
    if not t > env.now:
        raise ValueError(f"until ({t}) must be greater than the current simulation time")
    stop = env.event()
    stop.callbacks.append(_reached)
    env.schedule(stop, URGENT, t - env.now)
    step = env.step
    n = 0
    try:
        while True:
            step()
            n += 1
    except _Reached:
        return n


def run_until(
    wh: Any, t_end: float, progress: Callable[[float], None] | None = None, step_s: float = 3600.0
) -> None:
    """Simulate warehouse ``wh`` to model time ``t_end`` (s), as ``env.run(until=t_end)`` does,
    calling ``progress(hours)`` every ``step_s`` model seconds; count the events in
    ``wh.events``; then check coil conservation (``Warehouse.run_until``).  A closed run
    (``Warehouse.close``) cannot run on."""
    if wh.closed:
        raise RuntimeError("the run is closed (Warehouse.close): it cannot run on")
    if progress is None:
        wh.events += advance(wh.env, t_end)
    else:
        t = wh.env.now
        while t < t_end:
            t = min(t + step_s, t_end)
            wh.events += advance(wh.env, t)
            progress(t / 3600.0)
    if wh.check:
        wh.check_conservation()
