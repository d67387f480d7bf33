"""What is still open when a run ends: one record each, so that time-based KPIs count it.

A record is emitted when what it describes ends: a mill block when a station place frees, a
truck's wait when it docks, a crane stage when the crane arrives.  At the horizon some of them
have not ended.  Left out, an overloaded plant looks healthy (a mill blocked for the whole
week reported as "blocked 0 min", trucks queued for days as "mean wait 0 min").
:func:`open_records` emits them (see :data:`cranesim.codes.RECORD_KINDS`), each stamped as the
trace stamps any record, an interval at its start with its duration (here: to the horizon):

``mill_blocked_open``
    the mill is blocked (the station is full), since the block began;
``truck_queued``, ``truck_loading``
    a truck still waits for a bay, or is at its bay (instants at the horizon; ``truck``,
    ``order_coils``; its time so far is the horizon minus its ``truck_arrive``);
``lift_open``, ``wait_open``, ``yield_open``
    a crane's lift under way (the part since its last record), a crane waiting for runway space
    (since the wait began), an idle crane being pushed aside (since the push began).

:class:`~cranesim.record.kpi.KpiAccumulator` adds them to the KPIs they belong to and reports
the open part separately; the trace holds them too, so a trace replays to the same KPIs.
"""

from __future__ import annotations

from typing import Any

from cranesim.codes import TRAVEL, WAITING, WORK, YIELDING

__all__ = ["open_records", "crane_activity"]


def crane_activity(wh: Any, c: int) -> tuple[str, float]:
    """``(kind, since)``: the open record crane ``c`` needs now (``lift_open``, ``wait_open``,
    ``yield_open``) and the start of its part not yet recorded; ``("", now)`` when it is idle
    or between two stages of a lift (nothing unrecorded)."""
    now = wh.env.now
    state = wh.state[c]
    lift = wh.current[c]
    if lift is None:
        stage = wh.stage[c]
        if state == YIELDING and stage is not None:  # an idle crane pushed aside
            return "yield_open", stage.t0
        return "", now
    since = max(lift.prio[0], wh.records.busy_to[c])  # assigned, or its last record ended
    if state in (WAITING, YIELDING):  # waits for runway space (and may be pushed meanwhile)
        return "wait_open", wh.open_since.get(("wait", c), since)
    if state == TRAVEL or (state == WORK and wh.stage[c] is not None):  # travelling, hoisting
        return "lift_open", since
    return "", now


def open_records(wh: Any) -> None:
    """Emit, at the current model time, a record of everything still open (module docstring):
    the blocked mill, the trucks by arrival, then the cranes west to east."""
    now = wh.env.now
    event = wh.records.event
    blocked = wh.open_since.get(("mill_blocked", -1))
    if blocked is not None:
        event(blocked, now - blocked, -1, "mill_blocked_open")
    for tid, truck in sorted(wh.trucks.items()):
        n = sum(q for _, q in truck.order)
        if truck.bay < 0:
            event(now, 0.0, -1, "truck_queued", truck=tid, order=n)
        else:
            bay = wh.lay.bay_loc(truck.bay)
            event(now, 0.0, -1, "truck_loading", dst=bay, truck=tid, order=n)
    for c in range(wh.n):
        kind, since = crane_activity(wh, c)
        if kind and now > since:
            event(since, now - since, c, kind, lift=wh.current[c])
