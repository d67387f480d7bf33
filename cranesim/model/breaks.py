"""Driver breaks and shift handovers of a modelled manual crew (a planner that
``takes_breaks``): the SimPy process the :class:`~cranesim.model.warehouse.Warehouse` starts for
each crane.  It takes the warehouse (``wh``) and keeps its crane bookkeeping (free cranes, the
crane waiting for a push to end) as the warehouse's own processes do.
"""

from __future__ import annotations

from typing import Any, Iterator

import simpy

from cranesim.codes import IDLE, YIELDING

__all__ = ["crane_breaks"]


def crane_breaks(wh: Any, c: int, breaks: Iterator[tuple[float, float]]) -> Iterator[simpy.Event]:
    """Driver breaks and shift handovers: the crane takes no new lift for ``dur`` seconds.

    ``breaks`` yields ``(start_s, dur_s)`` in increasing start order.  A break that falls
    due during a lift starts when the lift ends (nobody leaves a coil on the hook).
    """
    env, st = wh.env, wh.st
    for start, dur in breaks:
        if start > env.now:
            yield env.timeout(start - env.now)
        while not (wh.current[c] is None and wh.state[c] == IDLE):
            ev = wh._break_wait[c] = env.event()
            yield ev  # woken when the lift ends or a push aside is over
        if st.c_free[c]:
            st.c_free[c] = 0
            wh._n_free -= 1
        wh.on_break[c] = True
        t0 = wh.open_since["break", c] = env.now
        yield env.timeout(dur)
        del wh.open_since["break", c]
        wh.on_break[c] = False
        wh._event(t0, env.now - t0, c, "break")
        if wh.state[c] == YIELDING:
            wh._yield_free[c] = True  # free it when the push is over
        elif wh.state[c] == IDLE:
            st.c_free[c] = 1
            wh._n_free += 1
            wh._dispatch()
