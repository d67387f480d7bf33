"""What is still open when a run ends: one record each, so that time-based KPIs count it.

A record is emitted when what it describes ends: a mill block when a station place frees, a
truck's wait when it docks, a crane stage when the crane arrives.  At the horizon some of them
have not ended.  Left out, an overloaded plant looks healthy (a mill blocked for the whole
week reported as "blocked 0 min", trucks queued for days as "mean wait 0 min").
:func:`open_records` emits them at the horizon (``t_s`` = the horizon, ``dur_s`` = how long
each has been open by then; see :data:`cranesim.codes.RECORD_KINDS`):

``mill_blocked_open``
    the mill is blocked (the station is full);
``truck_queued``
    a truck waits for a bay (``value``: coils ordered);
``truck_loading``
    a truck is at a bay (``value``: coils still to load);
``crane_open``
    a crane's lift (or a push aside) is under way: ``dur_s`` is its busy time since its last
    record, ``value`` the :data:`~cranesim.codes.STAGE_CODES` code of what it is doing (5:
    waiting for runway space).

:class:`~cranesim.record.kpi.KpiAccumulator` adds them to the KPIs they belong to and reports
the open part separately; the trace holds them too, so a trace replays to the same KPIs.
"""

from __future__ import annotations

from typing import Any

from cranesim.codes import STAGE_CODES, TRAVEL, WAITING, WORK, YIELDING

__all__ = ["open_records", "crane_activity"]

_WAIT, _YIELD = STAGE_CODES["wait"], STAGE_CODES["yield"]


def crane_activity(wh: Any, c: int) -> tuple[int, float]:
    """``(stage code, since)``: what crane ``c`` is doing now and since when its time is not
    yet recorded; ``(-1, now)`` when it is idle (or between two stages of a lift)."""
    now = wh.env.now
    state = wh.state[c]
    lift = wh.current[c]
    if lift is None:
        stage = wh.stage[c]
        if state == YIELDING and stage is not None:  # an idle crane pushed aside
            return _YIELD, stage.t0
        return -1, now
    since = max(lift.prio[0], wh.records.busy_to[c])  # assigned, or its last record ended
    holding = wh.holding(c)
    if state in (WAITING, YIELDING):  # waits for runway space (and may be pushed meanwhile)
        return _WAIT, since
    if state == TRAVEL:
        return STAGE_CODES["move_loaded" if holding else "move_empty"], since
    if state == WORK and wh.stage[c] is not None:  # hoisting
        return STAGE_CODES["place" if holding else "pick"], since
    return -1, now


def open_records(wh: Any) -> None:
    """Emit, at the current model time, a record of everything still open (module docstring):
    the blocked mill, the trucks by arrival, then the cranes west to east."""
    now = wh.env.now
    event = wh.records.event
    if wh.mill_blocked_since is not None:
        event(now, now - wh.mill_blocked_since, -1, "mill_blocked_open")
    for _tid, truck in sorted(wh.trucks.items()):
        if truck.bay < 0:
            n = sum(q for _, q in truck.order)
            event(now, now - truck.t_arrive, -1, "truck_queued", value=n)
        else:
            event(now, now - truck.t_arrive, -1, "truck_loading", value=truck.remaining)
    for c in range(wh.n):
        code, since = crane_activity(wh, c)
        if code >= 0 and now > since:
            event(now, now - since, c, "crane_open", lift=wh.current[c], value=code)
