"""The model's invariants, the state dump that explains a violation, and the watchdog.

Checked as the run goes (``[invariants] check``): coil conservation and bookings (hourly and at
the end, :func:`check_conservation`), crane separation at every crane event
(:func:`check_separation`), the stacking rule at every pick and place (the warehouse, with
:class:`cranesim.sched.lift.LiftEffects`), every scheduler decision (:func:`reject`).  A violation
raises :class:`~cranesim.errors.ModelError` with a dump of the state that broke it
(:func:`dump`).  The :func:`watchdog` stops a run that is stuck.

Each function takes the :class:`~cranesim.model.warehouse.Warehouse` (``wh``), which calls them;
they only read it.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np
import simpy

from cranesim.codes import IDLE, LIFT_KINDS, STATE_NAMES
from cranesim.errors import ModelError
from cranesim.model.runway import EPS
from cranesim.native import kernel

__all__ = [
    "check_conservation",
    "check_pick",
    "check_place",
    "check_separation",
    "dump",
    "first_breach_py",
    "reject",
    "watchdog",
]


def first_breach_py(stages, rx, res_lo, res_hi, now: float, d: float) -> tuple | None:
    """``(k, gap, rgap)`` for the first neighbours ``k - 1, k`` (west to east) whose bridges are
    less than ``d`` apart now (``gap``) or in their runway reservations (``rgap``), else None
    (the twin of the compiled ``first_breach``, see :mod:`cranesim.native`)."""
    x = 0.0
    for k in range(len(rx)):  # each position once (crane_x, inlined); pairs west to east
        stage = stages[k]
        x_prev, x = x, (rx[k] if stage is None else stage.pos(0, now, stage.x0))
        if k == 0:
            continue
        gap = x - x_prev
        rgap = res_lo[k] - res_hi[k - 1]
        if gap < d or rgap < d:
            return k, gap, rgap
    return None


_first_breach = kernel("first_breach", first_breach_py)


def check_separation(wh: Any) -> None:
    """Neighbouring cranes keep the safety distance, now and in their reservations."""
    rw = wh.runway
    hit = _first_breach(rw.stage, rw.x, rw.lo, rw.hi, wh.env.now, rw.d - EPS)
    if hit is not None:
        k, gap, rgap = hit
        raise ModelError(
            dump(wh, f"cranes {k - 1} and {k} are {gap:.3f} m apart (reserved gap {rgap:.3f} m), "
                     f"below the safety distance {rw.d} m")
        )  # fmt: skip


def check_conservation(wh: Any) -> None:
    """Every coil is accounted for (start + in - out), and every booked slot is held by a lift
    in progress (its target, or its source until the pick)."""
    inv = wh.inventory()
    expect = wh.inventory_start + wh.coils_in - wh.coils_out
    if inv != expect:
        raise ModelError(
            dump(wh, f"coil conservation: start {wh.inventory_start} + in {wh.coils_in} - out "
                     f"{wh.coils_out} = {expect}, but {inv} coils are in the warehouse")
        )  # fmt: skip
    booked = int(wh.st.s_booked.sum())
    S = wh.lay.n_slots
    busy_slots = 0
    for c, lift in enumerate(wh.current):
        if lift is None:
            continue
        if lift.dst < S:
            busy_slots += 1
        if lift.src < S and not wh.holding(c):
            busy_slots += 1
    if booked != busy_slots:
        raise ModelError(dump(wh, f"{booked} slots booked but {busy_slots} bookings held by lifts"))


def check_pick(wh: Any, lift: Any) -> None:
    """The stacking rule at a pick from a floor slot: nothing rests on the coil."""
    b = wh.lift_effects.blocker(lift.src)
    if b >= 0:
        lay = wh.lay
        raise ModelError(
            dump(wh, f"stacking rule: lifting coil {lift.coil} from {lay.describe_loc(lift.src)} "
                     f"under {lay.describe_loc(b)}")
        )  # fmt: skip


def check_place(wh: Any, lift: Any) -> None:
    """The stacking rule at a place on a floor slot: the slot is empty, its supports hold
    coils."""
    lay, dst = wh.lay, lift.dst
    s = wh.lift_effects.missing_support(dst)
    if s >= 0:
        raise ModelError(
            dump(wh, f"stacking rule: coil {lift.coil} placed on {lay.describe_loc(dst)} over "
                     f"empty {lay.describe_loc(s)}")
        )  # fmt: skip
    if wh.st.s_coil[dst] >= 0:
        raise ModelError(dump(wh, f"{lay.describe_loc(dst)} already holds a coil"))


def reject(wh: Any, c: int, j: int, src: int, dst: int) -> None:
    """Raise ModelError naming every rule the scheduler's decision ``(c, j, src, dst)`` breaks."""
    st, lay = wh.st, wh.lay
    S = lay.n_slots
    problems = []
    if not st.c_free[c] or wh.state[c] != IDLE:
        problems.append(f"crane {c} is not free")
    if not st.j_active[j] or st.j_taken[j]:
        problems.append(f"job {j} is not open")
    for loc in (src, dst):
        if loc < S and st.s_booked[loc]:
            problems.append(f"{lay.describe_loc(loc)} booked twice")
    lo, hi = wh.runway.reach[c]
    for loc in (src, dst):
        if not lo <= wh.lx[loc] <= hi:
            problems.append(f"{lay.describe_loc(loc)} is out of crane {c}'s reach")
    raise ModelError(dump(wh, "scheduler decision rejected: " + "; ".join(problems)))


def dump(wh: Any, what: str) -> str:
    """The message of a violated invariant: ``what``, then every crane (state, position,
    reservation, lift), the active jobs, the station and the inventory."""
    now = wh.env.now
    lay, rw = wh.lay, wh.runway
    lines = [f"invariant violated at t={now:.3f} s ({now / 3600:.3f} h): {what}", "cranes:"]
    for c in range(wh.n):
        lift = wh.current[c]
        desc = (
            f"lift {lift.id} {LIFT_KINDS[lift.kind]} coil {lift.coil} "
            f"{lay.describe_loc(lift.src)} -> {lay.describe_loc(lift.dst)}"
            if lift
            else "no lift"
        )
        lines.append(
            f"  {c} {wh.specs[c].name}: {STATE_NAMES[rw.state[c]]}, x={rw.crane_x(c, now):.3f}, "
            f"reserved [{rw.lo[c]:.3f}, {rw.hi[c]:.3f}], {desc}"
        )
    st = wh.st
    open_jobs = [
        f"{j}:{LIFT_KINDS[st.j_kind[j]]}/{lay.grades[st.j_grade[j]]}{'*' if st.j_taken[j] else ''}"
        for j in np.flatnonzero(st.j_active)
    ]
    lines.append(f"jobs ({len(open_jobs)} active, * = taken): " + " ".join(open_jobs[:40]))
    lines.append(f"station: {wh.station_coil}; inventory {wh.inventory()}")
    return "\n".join(lines)


def watchdog(wh: Any, limit_s: float) -> Iterator[simpy.Event]:
    """A SimPy process that stops a stuck run: jobs pending and no store or retrieval completed
    for ``limit_s`` model seconds (``wh.progress_t``: the last one, or the moment jobs appeared
    in an empty table).  Relocations are no progress: cranes that only shuffle coils from
    place to place (a relocation livelock) are stuck too.

    Wakes only when the limit could have been reached (about once per ``limit_s`` in a healthy
    run), and only reads the state, so it changes no other event's order.
    """
    env = wh.env
    while True:
        due = wh.progress_t + limit_s
        if due > env.now:
            yield env.timeout(due - env.now)
            continue
        pending = wh.jobs.pending
        if pending > 0:
            taken = int(np.count_nonzero(wh.st.j_active & wh.st.j_taken))
            raise ModelError(
                dump(wh, f"watchdog: {pending} jobs pending ({taken} taken by a crane) and no "
                         f"store or retrieval completed for {limit_s / 3600:g} h (relocations "
                         f"do not count), since t={wh.progress_t:.3f} s ([invariants] watchdog_h)")
            )  # fmt: skip
        yield env.timeout(limit_s)  # nothing pending: look again later
