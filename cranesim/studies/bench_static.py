"""``cranesim bench``, the static problem: instances, the evaluator, the optimality section.

A static instance (:class:`StaticInstance`, :func:`make_static_instance`) is a fixed set of
store and retrieve jobs released at t = 0 for two cranes; a policy's makespan comes from
:func:`evaluate_policy`, the optimum from :func:`cranesim.studies.bench_exact.solve_exact`.
:func:`bench_optimality` compares them on a *tuning* set (seeds from 1: the set any weight was
tuned on) and a *held-out* set (seeds from ``first_seed``, 1001 by default: never looked at
while tuning), per policy.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any, Sequence

from cranesim.codes import (
    P_LIFT_HANDLING,
    P_MAX_INTERF,
    P_POLICY,
    P_ROLL_CANDS,
    P_ROLL_JOBS,
    P_ROLL_MARGIN,
    P_SAFETY,
    P_SEED,
    P_STATION_FILL,
    P_STATION_FIRST,
    P_W_BLOCK_DEMAND,
    P_W_COVER,
    P_W_INTERFERENCE,
    P_W_LOOKAHEAD,
    P_W_RELOC,
    P_W_STATION,
    P_W_TRUCK_WAIT,
    P_W_UPPER,
    POLICY_CODES,
)

__all__ = [
    "StaticInstance",
    "StaticLift",
    "make_static_instance",
    "evaluate_policy",
    "evaluate_greedy",
    "check_runway",
    "STATIC_POLICIES",
    "HELD_OUT_FIRST_SEED",
]

#: the core policies the optimality section evaluates (the default policy among them)
STATIC_POLICIES = ("joint", "greedy", "rollout")
#: first seed of the held-out static instances (the tuning set starts at seed 1)
HELD_OUT_FIRST_SEED = 1001


@dataclass
class StaticLift:
    """One lift of a static schedule (times in integer deciseconds)."""

    crane: int
    job: int
    kind: int  # 0 store, 1 retrieve, 2 relocate
    src: int
    dst: int
    start: int
    end: int
    lo: float  # runway hull of the lift: crane start x, source x, target x
    hi: float


@dataclass
class StaticInstance:
    """A static two-crane problem: jobs released at t = 0, makespan.

    The warehouse is one block of 2-layer pyramid rows.  Every wanted grade has exactly one coil
    (so a retrieve job names its coil); its occupied upper blockers must be relocated first.
    Coils go to the lower layer only: the upper places are closed to new coils (their support
    relation is removed from the scheduler's state, the blocking relation is kept), so the
    lifts are fixed: one per job and one per blocker; what is chosen is the crane, the order, the
    start times and the place where each store or relocated coil goes (any empty lower place,
    including one a retrieve has emptied, after that retrieve ends).

    Runway rule (used by the evaluator and by the exact model alike): a lift occupies the runway
    interval [min, max] of the crane's start x, the source x and the target x for its whole
    duration; two lifts of different cranes that overlap in time keep crane 0 west of crane 1
    with ``safety`` metres between their intervals.  Idle cranes step aside at no cost and
    resume from where their last lift ended (the same relaxation for both).

    Durations: empty travel + pick + loaded travel + place, each part the automated estimate
    (bridge and trolley together, :func:`cranesim.sched.reference.travel_time`; hoist down and up
    plus pick or place time) rounded up to 0.1 s; all times are integer deciseconds.
    """

    st: Any  # SchedState, t = 0 (the evaluator works on a copy)
    hoist_pick: list[int]  # per location, deciseconds
    hoist_place: list[int]
    crane_start: list[tuple[float, float]]
    safety: float
    wanted: dict[int, int] = field(default_factory=dict)  # grade -> slot
    blockers: dict[int, list[int]] = field(default_factory=dict)  # wanted slot -> occupied blockers
    seed: int = 0

    @property
    def n_jobs(self) -> int:
        return int(self.st.j_active.sum())

    @property
    def n_lifts(self) -> int:
        return self.n_jobs + len({b for bs in self.blockers.values() for b in bs})

    def dsec(self, t: float) -> int:
        return _dsec(t)

    def travel(self, c: int, a: tuple[float, float], b: tuple[float, float]) -> int:
        from cranesim.sched.reference import travel_time

        st = self.st
        return _dsec(travel_time(a[0], a[1], b[0], b[1], float(st.c_vx[c]), float(st.c_ax[c]),
                                 float(st.c_vy[c]), float(st.c_ay[c])))  # fmt: skip

    def pos(self, loc: int) -> tuple[float, float]:
        return float(self.st.loc_x[loc]), float(self.st.loc_y[loc])

    def reach(self, c: int, loc: int) -> bool:
        x = self.st.loc_x[loc]
        return bool(self.st.c_lo[c] <= x <= self.st.c_hi[c])


def _dsec(t: float) -> int:
    """Seconds rounded up to an integer number of deciseconds."""
    return int(math.ceil(t * 10.0 - 1e-9))


def make_static_instance(seed: int, n_retrieve: int | None = None, n_store: int | None = None,
                         rows: int = 6, lower: int = 4) -> StaticInstance:  # fmt: skip
    """A random static instance (see :class:`StaticInstance`); deterministic in ``seed``.

    Rows at x = 10 + 16 r m (r < ``rows``) with ``lower`` lower and ``lower - 1`` upper places
    (y = 6 + 1.4 i m); runway 5..(rows*16 + 5) m, 15 m safety distance, so the end rows are
    reached by one crane only; station places at x = 40 and 56 m (y = 1.5 m), truck bays at
    x = 26 and 66 m (y = 28.5 m); 2-5 retrieve jobs (default), each of its own grade, and 0-2
    store jobs; the default scenario's crane speeds, hoist and weights.
    """
    from cranesim.physics.kinematics import move_time
    from cranesim.scenario.load import load_config
    from cranesim.sched.state import SchedState

    rng = random.Random(seed)
    sc = load_config(None)
    sp = sc.crane_specs()[0]
    w = sc.scheduler
    n_ret = rng.randint(2, 5) if n_retrieve is None else n_retrieve
    n_sto = rng.randint(0, 2) if n_store is None else n_store
    per_row = 2 * lower - 1
    S = rows * per_row
    stations = [(40.0, 1.5), (56.0, 1.5)]
    bays = [(26.0, 28.5), (66.0, 28.5)]
    L = S + len(stations) + len(bays)
    G = 1 + n_ret  # grade 0: filler; grades 1..n_ret: one coil each
    for _attempt in range(1000):
        st = SchedState.allocate(2, L, S, n_ret + n_sto, G)
        for r in range(rows):
            x = 10.0 + 16.0 * r
            first = r * per_row
            for i in range(lower):
                s = first + i
                st.loc_x[s], st.loc_y[s] = x, 6.0 + 1.4 * i
                if rng.random() < 0.75:
                    st.s_coil[s], st.s_grade[s] = s, 0
            for i in range(lower - 1):
                s = first + lower + i
                a, b = first + i, first + i + 1
                st.loc_x[s], st.loc_y[s], st.loc_z[s] = x, 6.0 + 1.4 * (i + 0.5), 1.08
                st.s_level[s] = 1  # supports left at -1: closed to new coils (see the class doc)
                st.s_blk1[a] = s
                st.s_blk0[b] = s
                if st.s_coil[a] >= 0 and st.s_coil[b] >= 0 and rng.random() < 0.6:
                    st.s_coil[s], st.s_grade[s] = s, 0
        for s in range(S):
            if st.s_blk0[s] < 0 and st.s_blk1[s] >= 0:
                st.s_blk0[s], st.s_blk1[s] = st.s_blk1[s], -1
        occ_lower = [s for s in range(S) if st.s_level[s] == 0 and st.s_coil[s] >= 0]
        free_lower = [s for s in range(S) if st.s_level[s] == 0 and st.s_coil[s] < 0]
        if len(occ_lower) < n_ret:
            continue
        wanted = rng.sample(occ_lower, n_ret)
        blockers = {s: [int(b) for b in (st.s_blk0[s], st.s_blk1[s]) if b >= 0 and st.s_coil[b] >= 0]
                    for s in wanted}  # fmt: skip
        n_reloc = len({b for bs in blockers.values() for b in bs})
        if n_ret + n_sto + n_reloc > 14 or len(free_lower) < n_sto + n_reloc:
            continue
        break
    else:  # pragma: no cover - the sizes above always succeed quickly
        raise RuntimeError("could not draw a static instance")
    for k, (x, y) in enumerate(stations + bays):
        st.loc_x[S + k], st.loc_y[S + k], st.loc_z[S + k] = x, y, (0.6 if k < 2 else 1.2)
    for g, s in enumerate(wanted, start=1):
        st.s_grade[s] = g
    j = 0
    for g in range(1, n_ret + 1):
        st.j_active[j], st.j_kind[j], st.j_loc[j], st.j_grade[j] = 1, 1, S + 2 + rng.randrange(2), g
        st.g_demand[g] += 1
        j += 1
    for k in range(n_sto):
        st.j_active[j], st.j_kind[j], st.j_loc[j], st.j_grade[j], st.j_coil[j] = (
            1,
            0,
            S + k,
            0,
            9000 + k,
        )
        j += 1
    x_hi = 10.0 + 16.0 * (rows - 1) + 5.0
    safety = 15.0
    starts = [(15.0, 15.0), (x_hi - 10.0, 15.0)]
    for c in range(2):
        st.c_x[c], st.c_y[c] = starts[c]
        st.c_free[c] = 1
        st.c_lo[c], st.c_hi[c] = 5.0 + c * safety, x_hi - (1 - c) * safety
        st.c_busy_lo[c] = st.c_busy_hi[c] = st.c_x[c]
        st.c_vx[c], st.c_ax[c] = sp.bridge_speed_m_min / 60.0, sp.bridge_accel_m_s2
        st.c_vy[c], st.c_ay[c] = sp.trolley_speed_m_min / 60.0, sp.trolley_accel_m_s2
    p = {P_W_RELOC: w.w_reloc_s, P_W_STATION: w.w_station_s,
         P_W_TRUCK_WAIT: w.w_truck_wait_s_per_min, P_W_UPPER: w.w_upper_s,
         P_W_BLOCK_DEMAND: w.w_block_demand_s, P_W_INTERFERENCE: w.w_interference_s,
         P_POLICY: float(POLICY_CODES["greedy"]), P_STATION_FILL: n_sto / 2.0, P_SAFETY: safety,
         P_SEED: float(seed), P_MAX_INTERF: w.max_interference_s, P_W_LOOKAHEAD: w.w_lookahead,
         P_LIFT_HANDLING: w.lift_handling_s, P_W_COVER: w.w_cover_s,
         P_STATION_FIRST: w.station_first_fill, P_ROLL_MARGIN: w.rollout_margin_s,
         P_ROLL_JOBS: float(w.rollout_jobs), P_ROLL_CANDS: float(w.rollout_candidates)}  # fmt: skip
    for i, v in p.items():
        st.params[i] = v
    v, a, top = sp.hoist_speed_m_min / 60.0, sp.hoist_accel_m_s2, sc.bay.hook_travel_height_m
    hp = [_dsec(2.0 * move_time(top - float(st.loc_z[k]), v, a) + sp.pick_s) for k in range(L)]
    hd = [_dsec(2.0 * move_time(top - float(st.loc_z[k]), v, a) + sp.place_s) for k in range(L)]
    st.validate()
    return StaticInstance(st=st, hoist_pick=hp, hoist_place=hd, crane_start=starts, safety=safety,
                          wanted={g: s for g, s in enumerate(wanted, start=1)},
                          blockers=blockers, seed=seed)  # fmt: skip


def _conflict(c: int, lo: float, hi: float, k: int, lo_k: float, hi_k: float, d: float) -> bool:
    """Do lifts with runway hulls [lo, hi] on crane c and [lo_k, hi_k] on crane k clash?"""
    if c < k:
        return not hi + (k - c) * d <= lo_k
    return not hi_k + (c - k) * d <= lo


def evaluate_policy(inst: StaticInstance, policy: str = "greedy") -> tuple[int, list[StaticLift]]:
    """Simulate a core policy's decisions on a static instance: (makespan, lifts).

    Decision epochs are t = 0 and the end of every lift.  At each epoch the core
    (:class:`cranesim.sched.Scheduler`, the one the model uses) is asked for lifts while it
    gives one; a lift starts as soon as its crane is free and no lift of the other crane whose
    runway hull clashes with it is running (earliest gap).  The state is changed when a lift
    ends (source emptied, target filled, job closed); source and target are booked from the
    decision on.  Returns the makespan in deciseconds (``-1`` if the core stops with open jobs).
    """
    from cranesim.sched import Scheduler

    st = inst.st.copy()
    st.params[P_POLICY] = POLICY_CODES[policy]
    S = st.n_slots
    sched = Scheduler(st)
    n = st.n_cranes
    free_at = [0] * n
    busy = [False] * n
    lifts: list[StaticLift] = []
    pending: list[StaticLift] = []  # running or waiting to start, not yet applied
    station_left = int(
        sum(1 for j in range(st.job_capacity) if st.j_active[j] and st.j_kind[j] == 0)
    )
    n_station = 2
    t = 0
    while True:
        # apply every lift that has ended by t
        for lf in sorted([p for p in pending if p.end <= t], key=lambda p: (p.end, p.crane)):
            pending.remove(lf)
            busy[lf.crane] = False
            st.c_free[lf.crane] = 1
            st.c_busy_lo[lf.crane] = st.c_busy_hi[lf.crane] = st.c_x[lf.crane]
            if lf.src < S:
                st.s_coil[lf.src], st.s_grade[lf.src], st.s_booked[lf.src] = -1, -1, 0
            if lf.dst < S:
                st.s_coil[lf.dst], st.s_grade[lf.dst], st.s_booked[lf.dst] = 10**6 + lf.job, 0, 0
            if lf.kind != 2:
                st.j_active[lf.job] = 0
        st.params[P_STATION_FILL] = station_left / n_station
        while any(st.c_free) and sched.decide(t / 10.0):
            c, j, src, dst, kind = (int(v) for v in st.out)
            x0, y0 = float(st.c_x[c]), float(st.c_y[c])
            dur = (inst.travel(c, (x0, y0), inst.pos(src)) + inst.hoist_pick[src]
                   + inst.travel(c, inst.pos(src), inst.pos(dst)) + inst.hoist_place[dst])  # fmt: skip
            lo = min(x0, float(st.loc_x[src]), float(st.loc_x[dst]))
            hi = max(x0, float(st.loc_x[src]), float(st.loc_x[dst]))
            start = max(t, free_at[c])
            clashing = sorted((p.start, p.end) for p in pending
                              if p.crane != c and _conflict(c, lo, hi, p.crane, p.lo, p.hi, inst.safety))  # fmt: skip
            for s0, e0 in clashing:  # earliest start with no overlap (sorted by start)
                if start < e0 and s0 < start + dur:
                    start = e0
            lf = StaticLift(c, j, kind, src, dst, start, start + dur, lo, hi)
            lifts.append(lf)
            pending.append(lf)
            free_at[c] = lf.end
            busy[c] = True
            st.c_free[c] = 0
            st.c_x[c], st.c_y[c] = st.loc_x[dst], st.loc_y[dst]
            st.c_busy_lo[c], st.c_busy_hi[c] = lo, hi
            st.c_free_at[c] = lf.end / 10.0
            if src < S:
                st.s_booked[src] = 1
            if dst < S:
                st.s_booked[dst] = 1
            if kind == 0:
                st.j_taken[j] = 1
                station_left -= 1
            elif kind == 1:
                st.j_taken[j] = 1
                st.g_demand[st.j_grade[j]] -= 1
        if not pending:
            break
        t = min(p.end for p in pending)
    open_jobs = int(st.j_active.sum())
    makespan = max((lf.end for lf in lifts), default=0)
    return (makespan if open_jobs == 0 else -1), lifts


def check_runway(lifts: Sequence[StaticLift], safety: float) -> list[str]:
    """Problems with a static schedule's runway use: lifts of one crane overlapping in time, or
    lifts of different cranes overlapping in time whose hulls are not separated by ``safety``
    (crane 0 west of crane 1).  Empty when the schedule is sound."""
    problems = []
    for i, a in enumerate(lifts):
        for b in lifts[i + 1 :]:
            if not (a.start < b.end and b.start < a.end):
                continue
            if a.crane == b.crane:
                problems.append(f"crane {a.crane}: lifts at {a.start} and {b.start} overlap")
                continue
            w, e = (a, b) if a.crane < b.crane else (b, a)
            if w.hi + safety * (e.crane - w.crane) > e.lo + 1e-9:
                problems.append(
                    f"cranes {w.crane}/{e.crane} at t={max(a.start, b.start)}: hulls "
                    f"[{w.lo}, {w.hi}] and [{e.lo}, {e.hi}] closer than {safety} m"
                )
    return problems


def evaluate_greedy(inst: StaticInstance, policy: str = "greedy") -> tuple[int, list[StaticLift]]:
    """:func:`evaluate_policy` (the name the greedy-only bench had)."""
    return evaluate_policy(inst, policy)
