"""``cranesim bench``: how fast the scheduler decides, how good its decisions are.

Usage::

    cranesim bench [--json PATH] [--quick] [--seeds N] [--hours H] [--policy P ...]
                   [--instances K] [--time-limit S] [--skip SECTION ...]

Three sections, each printed as a table and written to the JSON report (atomically):

latency
    Median wall time of one ``Scheduler.decide`` call of the compiled core and of its
    pure-Python twin on one synthetic state: 4 free cranes, 200 pending jobs (5 store, 195
    retrieve), 5,000 places (4,960 slots in 160 two-layer pyramid rows, 5 station places,
    35 truck bay places), greedy policy.  ``decide`` writes only ``state.out``, so the same state
    is decided again and again, with one slot's booking flipped before each call (the compiled
    core carries per-slot state between calls and must catch up, as in a run).  Both cores
    must return the same lift on the first call (checked).
    JSON: ``latency.compiled_us``, ``latency.python_us``, ``speedup`` (goal >= 50).

quality
    The default scenario simulated with each policy (``greedy`` with the time objective,
    ``greedy_mix`` and ``greedy_energy`` with the mix and energy objectives, ``fcfs_nearest``,
    ``random_free``) on the same seeds and hours, the automated energy model pricing every
    crane stage: relocations per retrieved coil, empty travel per lift (m), truck turnaround
    (min), crane interference wait (min, summed over cranes), mill blocked (min), crane motion
    energy per coil handled (kWh per coil in or out).  Mean over the seeds.  JSON: ``quality``.

optimality
    The greedy policy against an exact solver (OR-Tools CP-SAT, optional: ``pip install
    cranesim[bench]``) on small static instances.  The static problem is defined in
    :func:`make_static_instance` and :func:`evaluate_greedy`: a fixed set of store and retrieve
    jobs released at t = 0, two cranes, makespan.  JSON: ``optimality_gap_pct_mean`` and
    ``optimality.instances``.  Without OR-Tools the section is skipped with a message.

Exit status: 0, or 2 for bad arguments (one line on stderr).
"""

from __future__ import annotations

import math
import os
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from cranesim.errors import UserError

__all__ = [
    "POLICIES",
    "SECTIONS",
    "BenchError",
    "latency_state",
    "bench_latency",
    "bench_quality",
    "StaticInstance",
    "StaticLift",
    "make_static_instance",
    "evaluate_greedy",
    "solve_exact",
    "check_runway",
    "bench_optimality",
    "report_text",
    "run_bench",
]

POLICIES = ("greedy", "greedy_mix", "greedy_energy", "fcfs_nearest", "random_free")
#: greedy under another objective than the scenario's: policy name -> [scheduler] objective
OBJECTIVE_VARIANTS = {"greedy": "time", "greedy_mix": "mix", "greedy_energy": "energy"}
SECTIONS = ("latency", "quality", "optimality")


class BenchError(UserError):
    """Bad user input for ``cranesim bench`` (exit status 2)."""


# =============================================================================== latency
def latency_state(seed: int = 1) -> Any:
    """The latency benchmark's state: 4 free cranes, 200 open jobs, 5,000 places.

    160 rows (x = 8 + 2.2 r m) of 16 lower and 15 upper places (y = 5.5 + 1.4 i m), 60 % of
    the lower places filled, an upper place filled with probability 0.5 when both supports are;
    6 grades; 5 station places (x = 175..191 m, y = 1.5 m, each with a store job), 35 truck bay
    places (x = 20..360 m, y = 28.5 m) sharing 195 retrieve jobs; default weights, 20 m safety
    distance, cranes at 60, 140, 220, 300 m.
    """
    from cranesim.sched.state import SchedState

    rng = random.Random(seed)
    rows, lower, n_grades = 160, 16, 6
    per_row = 2 * lower - 1
    S = rows * per_row
    n_station, n_bays = 5, 35
    L = S + n_station + n_bays
    n_store, n_retrieve = 5, 195
    st = SchedState.allocate(4, L, S, n_store + n_retrieve, n_grades)
    for r in range(rows):
        x = 8.0 + 2.2 * r
        first = r * per_row
        for i in range(lower):
            s = first + i
            st.loc_x[s], st.loc_y[s] = x, 5.5 + 1.4 * i
            if rng.random() < 0.6:
                st.s_coil[s], st.s_grade[s] = s, rng.randrange(n_grades)
        for i in range(lower - 1):
            s = first + lower + i
            a, b = first + i, first + i + 1
            st.loc_x[s], st.loc_y[s], st.loc_z[s] = x, 5.5 + 1.4 * (i + 0.5), 1.08
            st.s_level[s], st.s_sup0[s], st.s_sup1[s] = 1, a, b
            st.s_blk1[a] = s  # a's east blocker
            st.s_blk0[b] = s  # b's west blocker
            if st.s_coil[a] >= 0 and st.s_coil[b] >= 0 and rng.random() < 0.5:
                st.s_coil[s], st.s_grade[s] = s, rng.randrange(n_grades)
    # blk0 is the lower-index blocker: for lower place i that is upper i-1, then upper i
    for s in range(S):
        b0, b1 = int(st.s_blk0[s]), int(st.s_blk1[s])
        if b0 < 0 and b1 >= 0:
            st.s_blk0[s], st.s_blk1[s] = b1, -1
    for k in range(n_station):
        st.loc_x[S + k], st.loc_y[S + k] = 175.0 + 4.0 * k, 1.5
    for k in range(n_bays):
        st.loc_x[S + n_station + k], st.loc_y[S + n_station + k] = 20.0 + 10.0 * k, 28.5
    for j in range(n_store):
        st.j_active[j], st.j_kind[j], st.j_loc[j], st.j_grade[j] = 1, 0, S + j, 0
        st.j_t[j], st.j_coil[j] = -60.0 * j, 10**6 + j
    for j in range(n_store, n_store + n_retrieve):
        g = rng.randrange(n_grades)
        st.j_active[j], st.j_kind[j], st.j_loc[j], st.j_grade[j] = (
            1,
            1,
            S + n_station + rng.randrange(n_bays),
            g,
        )
        st.j_t[j] = -30.0 * rng.randrange(60)
        st.g_demand[g] += 1
    for c, x in enumerate((60.0, 140.0, 220.0, 300.0)):
        st.c_x[c], st.c_y[c], st.c_free[c] = x, 15.0, 1
        st.c_lo[c], st.c_hi[c] = 5.0 + 20.0 * c, 365.0 - 20.0 * (3 - c)
        st.c_busy_lo[c] = st.c_busy_hi[c] = x
        st.c_vx[c], st.c_ax[c], st.c_vy[c], st.c_ay[c] = 100 / 60, 0.3, 1.0, 0.3
    p = {0: 120.0, 1: 600.0, 2: 2.0, 3: 30.0, 4: 200.0, 5: 60.0, 6: 0.0, 7: 0.4, 8: 20.0,
         9: 7.0, 10: 150.0, 19: 60.0}  # fmt: skip
    for i, v in p.items():
        st.params[i] = v
    st.validate()
    return st


def _median_us(
    decide: Callable[[float], int], calls: int, budget_s: float, st: Any = None
) -> tuple[float, int]:
    """Median of per-call wall times (µs) over ``calls`` calls, fewer if ``budget_s`` runs out.

    With ``st``, one slot's booking flips before each call (untimed), the way the model books
    a lift's places between two decisions: the compiled core keeps per-slot state between
    calls and must bring it up to date, so an unchanged state would flatter it.
    """
    times = []
    t_stop = time.perf_counter() + budget_s
    clock = time.perf_counter_ns
    for i in range(calls):
        if st is not None:
            s = (i * 7919) % st.n_slots
            st.s_booked[s] ^= 1
        t0 = clock()
        decide(0.0)
        times.append(clock() - t0)
        if len(times) >= 5 and time.perf_counter() > t_stop:
            break
    return statistics.median(times) / 1000.0, len(times)


def bench_latency(quick: bool = False, seed: int = 1) -> dict[str, Any]:
    """Median decision latency of both cores on :func:`latency_state` (µs) and their ratio."""
    import cranesim.sched.reference as scheduler_py

    st = latency_state(seed)
    py = scheduler_py.Scheduler(st)
    py.decide(0.0)
    out_py = st.out.tolist()
    res: dict[str, Any] = {
        "instance": {"cranes": st.n_cranes, "jobs": int(st.j_active.sum()), "places": st.n_locs,
                     "slots": st.n_slots, "coils": int((st.s_coil >= 0).sum()), "policy": "greedy"},
    }  # fmt: skip
    base = st.s_booked.copy()
    py_us, py_n = _median_us(py.decide, 15 if quick else 60, 3.0 if quick else 20.0, st)
    st.s_booked[:] = base
    res["python_us"], res["python_calls"] = py_us, py_n
    try:
        import cranesim._core.scheduler as _scheduler  # type: ignore[import-not-found]
    except Exception as exc:  # not built
        res.update(compiled_us=None, compiled_calls=0, speedup=None, same_decision=None,
                   note=f"compiled core not importable: {type(exc).__name__}: {exc}")  # fmt: skip
        return res
    cc = _scheduler.Scheduler(st)
    cc.decide(0.0)
    res["same_decision"] = st.out.tolist() == out_py
    res["decision"] = out_py
    c_us, c_n = _median_us(cc.decide, 500 if quick else 5000, 2.0 if quick else 10.0, st)
    st.s_booked[:] = base
    res["compiled_us"], res["compiled_calls"] = c_us, c_n
    res["speedup"] = py_us / c_us if c_us > 0 else None
    return res


# =============================================================================== quality
QUALITY_KPIS = (
    ("relocations_per_retrieval", "relocations / retrieved coil", "{:.3f}"),
    ("empty_travel_m_per_lift", "empty travel / lift (m)", "{:.1f}"),
    ("truck_turnaround_mean_min", "truck turnaround (min)", "{:.1f}"),
    ("interference_wait_min", "interference wait, sum (min)", "{:.1f}"),
    ("mill_blocked_min", "mill blocked (min)", "{:.1f}"),
    ("energy_kwh_per_coil", "motion energy / coil (kWh)", "{:.3f}"),
)


def quality_run(sc: Any, policy: str, seed: int, hours: float) -> dict[str, float]:
    """One run of the scenario with ``policy``, its moves priced by the automated energy model.

    ``greedy``, ``greedy_mix`` and ``greedy_energy`` are the greedy policy with the time, mix
    and energy objective (:data:`OBJECTIVE_VARIANTS`), the scenario's other weights unchanged.
    """
    from cranesim.model.warehouse import Warehouse
    from cranesim.physics.energy import EnergyModel

    if policy in OBJECTIVE_VARIANTS:
        w = sc.scheduler.model_copy(update={"objective": OBJECTIVE_VARIANTS[policy]})
        sc, policy = sc.model_copy(update={"scheduler": w}), "greedy"
    em = EnergyModel(sc, "automated", log=False)
    wh = Warehouse(sc, seed, policy=policy, energy=em)
    wh.run_until(hours * 3600.0)
    wh.close()  # what is still open at the horizon counts
    s = wh.kpi.summary(hours * 3600.0)
    coils = s["coils_in"] + s["coils_out"]
    e = s.get("energy_kwh")
    return {
        "relocations_per_retrieval": s["relocations_per_retrieval"],
        "empty_travel_m_per_lift": s["empty_travel_m_per_lift"],
        "truck_turnaround_mean_min": s["truck_turnaround_mean_min"],
        "interference_wait_min": float(sum(s["crane_interference_wait_min"].values())),
        "mill_blocked_min": s["mill_blocked_min"],
        "energy_kwh_per_coil": (e / coils) if (e is not None and coils) else float("nan"),
        "lifts": s["lifts"],
        "coils_in": s["coils_in"],
        "coils_out": s["coils_out"],
    }


def bench_quality(
    seeds: Sequence[int],
    hours: float,
    config: str | None = None,
    policies: Sequence[str] = POLICIES,
) -> dict[str, Any]:
    """KPIs per policy (mean over ``seeds``, and per seed) on one scenario."""
    from cranesim.scenario.load import load_config

    sc = load_config(config)
    out: dict[str, Any] = {"scenario": sc.scenario.name, "hours": hours, "seeds": list(seeds),
                           "policies": {}}  # fmt: skip
    for pol in policies:
        runs = [quality_run(sc, pol, s, hours) for s in seeds]
        mean = {k: statistics.fmean([float(r[k]) for r in runs]) for k in runs[0]}
        out["policies"][pol] = {"mean": mean, "runs": runs}
    return out


# =============================================================================== static problem
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
    p = {0: w.w_reloc_s, 1: w.w_station_s, 2: w.w_truck_wait_s_per_min, 3: w.w_upper_s,
         4: w.w_block_demand_s, 5: w.w_interference_s, 6: 0.0, 7: n_sto / 2.0, 8: safety,
         9: float(seed), 10: w.max_interference_s, 12: w.w_lookahead,
         13: w.lift_handling_s, 19: w.w_cover_s}  # fmt: skip
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


def evaluate_greedy(inst: StaticInstance, policy: str = "greedy") -> tuple[int, list[StaticLift]]:
    """Simulate the scheduler core's decisions on a static instance: (makespan, lifts).

    Decision epochs are t = 0 and the end of every lift.  At each epoch the core
    (:class:`cranesim.sched.Scheduler`, the one the model uses) is asked for lifts while it
    gives one; a lift starts as soon as its crane is free and no lift of the other crane whose
    runway hull clashes with it is running (earliest gap).  The state is changed when a lift
    ends (source emptied, target filled, job closed); source and target are booked from the
    decision on (the model's bookkeeping, :class:`cranesim.sched.lift.LiftEffects`).  Returns the
    makespan in deciseconds (``-1`` if the core stops with open jobs).
    """
    from cranesim.codes import P_POLICY, P_STATION_FILL, POLICY_CODES
    from cranesim.sched import Scheduler
    from cranesim.sched.lift import LiftEffects

    st = inst.st.copy()
    st.params[P_POLICY] = POLICY_CODES[policy]
    sched = Scheduler(st)
    fx = LiftEffects(st)
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
            fx.release(lf.crane, float(st.c_x[lf.crane]), float(st.c_y[lf.crane]))
            fx.take(lf.src)
            fx.put(lf.dst, 10**6 + lf.job, 0, 0.0)
            fx.close(lf.job, lf.kind)
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
            fx.assign(c, j, src, dst, kind)  # crane busy over [lo, hi], slots booked, job taken
            st.c_free_at[c] = lf.end / 10.0
            if kind == 0:
                station_left -= 1
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


def _static_lifts(inst: StaticInstance) -> list[dict[str, Any]]:
    """The fixed lift set of a static instance: src, fixed dst (or None: a lower place to choose),
    job, kind, the wanted slot it waits for (relocations) and the relocations it waits for."""
    st = inst.st
    S = st.n_slots
    out: list[dict[str, Any]] = []
    reloc_index: dict[int, int] = {}
    for s, bs in inst.blockers.items():
        for b in bs:
            if b not in reloc_index:
                reloc_index[b] = len(out)
                out.append({"kind": 2, "src": b, "dst": None, "job": -1, "after": []})
    for j in range(st.job_capacity):
        if not st.j_active[j]:
            continue
        if st.j_kind[j] == 1:
            s = inst.wanted[int(st.j_grade[j])]
            out.append({"kind": 1, "src": s, "dst": int(st.j_loc[j]), "job": j,
                        "after": [reloc_index[b] for b in inst.blockers[s]], "vacates": s})  # fmt: skip
        else:
            out.append({"kind": 0, "src": int(st.j_loc[j]), "dst": None, "job": j, "after": []})
    del S
    return out


def solve_exact(inst: StaticInstance, time_limit_s: float = 10.0, hint: Sequence[StaticLift] | None = None,
                workers: int | None = None, fix: bool = False) -> dict[str, Any]:  # fmt: skip
    """Minimum makespan of a static instance with OR-Tools CP-SAT (raises ImportError without it).

    The model: each lift on one crane (reach of its source and target), a circuit per crane
    (sequence-dependent empty travel from the previous lift's target), a target place for each
    store and relocation (an empty lower place, each used once; a place a retrieve empties only
    after that retrieve ends), relocations before the retrieve they free, and for every pair of
    lifts on different cranes: one ends before the other starts, or their runway hulls keep the
    safety distance (crane 0 west).  Returns ``{"status", "makespan", "bound", "optimal",
    "wall_s"}`` (deciseconds).  With ``fix``, the ``hint`` schedule is imposed (cranes, start
    times, targets): a check that it is feasible in the model, with its makespan.
    """
    from ortools.sat.python import cp_model

    st = inst.st
    S = st.n_slots
    lifts = _static_lifts(inst)
    N = len(lifts)
    n = st.n_cranes
    cm = lambda x: int(round(float(x) * 100))  # noqa: E731 - positions in cm
    dcm = cm(inst.safety)
    lower_free = [s for s in range(S) if st.s_level[s] == 0 and st.s_coil[s] < 0]
    vacated = {lf["vacates"]: i for i, lf in enumerate(lifts) if lf["kind"] == 1}
    cand = lower_free + sorted(vacated)
    m = cp_model.CpModel()
    horizon = 0
    for lf in lifts:
        far = max(inst.travel(0, inst.pos(lf["src"]), inst.pos(loc)) for loc in range(st.n_locs))
        horizon += 2 * far + max(inst.hoist_pick) + max(inst.hoist_place)
    start = [m.NewIntVar(0, horizon, f"S{i}") for i in range(N)]
    end = [m.NewIntVar(0, horizon, f"E{i}") for i in range(N)]
    empty = [m.NewIntVar(0, horizon, f"empty{i}") for i in range(N)]
    xmin, xmax = cm(st.loc_x.min()) - 1, cm(max(st.loc_x.max(), st.c_x.max())) + 1
    xmin = min(xmin, cm(st.c_x.min()))
    lo = [m.NewIntVar(xmin, xmax, f"lo{i}") for i in range(N)]
    hi = [m.NewIntVar(xmin, xmax, f"hi{i}") for i in range(N)]
    xd = [m.NewIntVar(xmin, xmax, f"xd{i}") for i in range(N)]
    assign = [[m.NewBoolVar(f"a{i}_{c}") for c in range(n)] for i in range(N)]
    z: list[dict[int, Any]] = []
    per_crane: list[list[Any]] = [[] for _ in range(n)]
    all_iv: list[Any] = []
    for i, lf in enumerate(lifts):
        m.AddExactlyOne(assign[i])
        for c in range(n):
            if not inst.reach(c, lf["src"]):
                m.Add(assign[i][c] == 0)
        zi: dict[int, Any] = {}
        if lf["dst"] is None:
            for d in cand:
                if d == lf["src"]:
                    continue
                zi[d] = m.NewBoolVar(f"z{i}_{d}")
                for c in range(n):
                    if not inst.reach(c, d):
                        m.AddBoolOr([zi[d].Not(), assign[i][c].Not()])
                if d in vacated:
                    m.Add(start[i] >= end[vacated[d]]).OnlyEnforceIf(zi[d])
            m.AddExactlyOne(zi.values())
            loaded = sum(zi[d] * inst.travel(0, inst.pos(lf["src"]), inst.pos(d)) for d in zi)
            place = sum(zi[d] * inst.hoist_place[d] for d in zi)
            m.Add(xd[i] == sum(zi[d] * cm(st.loc_x[d]) for d in zi))
        else:
            d = lf["dst"]
            for c in range(n):
                if not inst.reach(c, d):
                    m.Add(assign[i][c] == 0)
            loaded = inst.travel(0, inst.pos(lf["src"]), inst.pos(d))
            place = inst.hoist_place[d]
            m.Add(xd[i] == cm(st.loc_x[d]))
        z.append(zi)
        m.Add(end[i] == start[i] + empty[i] + inst.hoist_pick[lf["src"]] + loaded + place)
        size = m.NewIntVar(0, horizon, f"size{i}")
        m.Add(size == end[i] - start[i])
        all_iv.append(m.NewIntervalVar(start[i], size, end[i], f"iv{i}"))
        for c in range(n):  # redundant (the circuit implies it) but propagates well
            per_crane[c].append(m.NewOptionalIntervalVar(start[i], size, end[i], assign[i][c],
                                                         f"iv{i}_{c}"))  # fmt: skip
        xs = cm(st.loc_x[lf["src"]])
        m.Add(lo[i] <= xs)
        m.Add(hi[i] >= xs)
        m.Add(lo[i] <= xd[i])
        m.Add(hi[i] >= xd[i])
        for k in lf["after"]:
            m.Add(start[i] >= end[k])
    for c in range(n):
        m.AddNoOverlap(per_crane[c])
    m.AddCumulative(all_iv, [1] * N, n)  # redundant: n cranes, one lift each at a time
    # empty travel is at least the shortest approach from any place a crane can start from
    # (redundant, it tightens the bound)
    origins = list(inst.crane_start) + [
        inst.pos(lf["dst"]) for lf in lifts if lf["dst"] is not None
    ]
    origins += [inst.pos(d) for d in cand]
    for i, lf in enumerate(lifts):
        m.Add(empty[i] >= min(inst.travel(0, p, inst.pos(lf["src"])) for p in origins
                              if p != inst.pos(lf["src"])))  # fmt: skip
    for d in cand:
        users = [z[i][d] for i in range(N) if d in z[i]]
        if users:
            m.AddAtMostOne(users)

    def ends_at(i: int) -> list[tuple[tuple[float, float], Any]]:
        """(place, literal) pairs for where lift i ends."""
        if lifts[i]["dst"] is not None:
            return [(inst.pos(lifts[i]["dst"]), None)]
        return [(inst.pos(d), lit) for d, lit in z[i].items()]

    for c in range(n):
        arcs = []
        x0, y0 = inst.crane_start[c]
        unused = m.NewBoolVar(f"unused{c}")
        arcs.append((0, 0, unused))
        for i in range(N):
            arcs.append((i + 1, i + 1, assign[i][c].Not()))
            first = m.NewBoolVar(f"first{c}_{i}")
            last = m.NewBoolVar(f"last{c}_{i}")
            arcs.append((0, i + 1, first))
            arcs.append((i + 1, 0, last))
            m.Add(empty[i] >= inst.travel(c, (x0, y0), inst.pos(lifts[i]["src"]))).OnlyEnforceIf(
                first
            )
            m.Add(lo[i] <= cm(x0)).OnlyEnforceIf(first)
            m.Add(hi[i] >= cm(x0)).OnlyEnforceIf(first)
            for k in range(N):
                if k == i:
                    continue
                arc = m.NewBoolVar(f"arc{c}_{k}_{i}")
                arcs.append((k + 1, i + 1, arc))
                m.Add(start[i] >= end[k]).OnlyEnforceIf(arc)
                m.Add(lo[i] <= xd[k]).OnlyEnforceIf(arc)
                m.Add(hi[i] >= xd[k]).OnlyEnforceIf(arc)
                for p, lit in ends_at(k):
                    t_e = inst.travel(c, p, inst.pos(lifts[i]["src"]))
                    m.Add(empty[i] >= t_e).OnlyEnforceIf([arc] if lit is None else [arc, lit])
        m.AddCircuit(arcs)
    for i in range(N):
        for k in range(i + 1, N):
            before = m.NewBoolVar(f"b{i}_{k}")
            after = m.NewBoolVar(f"b{k}_{i}")
            m.Add(end[i] <= start[k]).OnlyEnforceIf(before)
            m.Add(end[k] <= start[i]).OnlyEnforceIf(after)
            for cw in range(n):
                for ce in range(n):
                    if cw == ce:
                        continue
                    w_, e_ = (i, k) if cw < ce else (k, i)
                    sep = m.NewBoolVar(f"sep{i}_{k}_{cw}{ce}")
                    m.Add(hi[w_] + dcm * abs(ce - cw) <= lo[e_]).OnlyEnforceIf(sep)
                    m.AddBoolOr([before, after, sep]).OnlyEnforceIf([assign[i][cw], assign[k][ce]])
    mk = m.NewIntVar(0, horizon, "makespan")
    m.AddMaxEquality(mk, end)
    m.Minimize(mk)
    if hint:
        by_src = {lf.src: lf for lf in hint}
        for i, lf in enumerate(lifts):
            h = by_src.get(lf["src"])
            if h is None:
                continue
            m.AddHint(start[i], h.start)
            for c in range(n):
                m.AddHint(assign[i][c], int(h.crane == c))
            for d, lit in z[i].items():
                m.AddHint(lit, int(h.dst == d))
            if fix:
                m.Add(start[i] == h.start)
                m.Add(assign[i][h.crane] == 1)
                if z[i]:
                    m.Add(z[i][h.dst] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = workers or min(8, os.cpu_count() or 1)
    solver.parameters.random_seed = 1
    t0 = time.perf_counter()
    status = solver.Solve(m)
    wall = time.perf_counter() - t0
    ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return {
        "status": solver.StatusName(status),
        "makespan": int(solver.ObjectiveValue()) if ok else None,
        "bound": int(math.ceil(solver.BestObjectiveBound() - 1e-9)) if ok else None,
        "optimal": status == cp_model.OPTIMAL,
        "wall_s": wall,
        "lifts": N,
    }


def bench_optimality(n_instances: int, time_limit_s: float, first_seed: int = 1) -> dict[str, Any]:
    """Greedy makespan against CP-SAT's on ``n_instances`` static instances (seeds from
    ``first_seed``); skipped with a message when OR-Tools is not installed."""
    try:
        import ortools  # noqa: F401
    except ImportError:
        return {"skipped": "OR-Tools is not installed (pip install 'cranesim[bench]' or ortools)"}
    rows = []
    for seed in range(first_seed, first_seed + n_instances):
        inst = make_static_instance(seed)
        g_mk, g_lifts = evaluate_greedy(inst)
        runway = check_runway(g_lifts, inst.safety)
        ex = solve_exact(inst, time_limit_s, hint=g_lifts)
        row = {
            "seed": seed,
            "jobs": inst.n_jobs,
            "lifts": inst.n_lifts,
            "relocations": inst.n_lifts - inst.n_jobs,
            "greedy_makespan_s": g_mk / 10.0 if g_mk >= 0 else None,
            "exact_makespan_s": ex["makespan"] / 10.0 if ex["makespan"] is not None else None,
            "exact_bound_s": ex["bound"] / 10.0 if ex["bound"] is not None else None,
            "exact_status": ex["status"],
            "exact_wall_s": ex["wall_s"],
            "greedy_runway_ok": not runway,
            "greedy_stalled": g_mk < 0,
        }
        if g_mk >= 0 and ex["makespan"]:
            row["gap_pct"] = 100.0 * (g_mk - ex["makespan"]) / ex["makespan"]
            row["gap_pct_vs_bound"] = 100.0 * (g_mk - ex["bound"]) / max(ex["bound"], 1)
        else:
            row["gap_pct"] = None
        rows.append(row)
    gaps = [r["gap_pct"] for r in rows if r["gap_pct"] is not None]
    return {
        "problem": "static, 2 cranes, jobs at t=0, relocations of blockers, lower-layer targets, "
        "makespan (see cranesim.studies.bench.StaticInstance)",
        "time_limit_s": time_limit_s,
        "instances": rows,
        "optimality_gap_pct_mean": statistics.fmean(gaps) if gaps else None,
        "optimality_gap_pct_max": max(gaps) if gaps else None,
        "proved_optimal": sum(1 for r in rows if r["exact_status"] == "OPTIMAL"),
        "greedy_stalled": sum(1 for r in rows if r["greedy_stalled"]),
        "note": "gap_pct = (greedy - best exact) / best exact; where CP-SAT did not prove its "
        "solution optimal the true gap lies between gap_pct and gap_pct_vs_bound; a stalled greedy "
        "(the core assigns nothing while jobs are open and every crane is free) has no gap and is "
        "left out of the mean",
    }


# =============================================================================== report
def _fmt(v: Any, spec: str = "{:.1f}") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return spec.format(v)


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
            )
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report_text(rep: dict[str, Any]) -> str:
    out = []
    lat = rep.get("latency")
    if lat:
        inst = lat["instance"]
        out.append(f"Decision latency ({inst['cranes']} cranes, {inst['jobs']} jobs, "
                   f"{inst['places']} places, {inst['coils']} coils, greedy; median)")  # fmt: skip
        out.append(_table([
            ["core", "µs / decision", "calls"],
            ["compiled", _fmt(lat.get("compiled_us")), str(lat.get("compiled_calls", 0))],
            ["pure Python", _fmt(lat.get("python_us")), str(lat.get("python_calls", 0))],
        ]))  # fmt: skip
        out.append(f"speedup {_fmt(rep.get('speedup'))}x (goal >= 50x); same decision: "
                   f"{lat.get('same_decision')}")  # fmt: skip
        out.append("")
    q = rep.get("quality")
    if q:
        pols = list(q["policies"])
        out.append(
            f"Quality on {q['scenario']}: {len(q['seeds'])} seed(s) x {q['hours']:g} h, mean"
        )
        rows = [["KPI", *pols]]
        for key, label, spec in QUALITY_KPIS:
            rows.append([label, *(_fmt(q["policies"][p]["mean"][key], spec) for p in pols)])
        out.append(_table(rows))
        out.append("")
    o = rep.get("optimality")
    if o:
        if "skipped" in o:
            out.append(f"Optimality gap: skipped: {o['skipped']}")
        else:
            out.append(
                f"Optimality gap on static instances (makespan, CP-SAT {o['time_limit_s']:g} s each)"
            )
            rows = [["seed", "jobs", "lifts", "greedy s", "exact s", "bound s", "status", "gap %"]]
            for r in o["instances"]:
                g = "stalled" if r["greedy_stalled"] else _fmt(r["greedy_makespan_s"])
                rows.append([str(r["seed"]), str(r["jobs"]), str(r["lifts"]), g,
                             _fmt(r["exact_makespan_s"]), _fmt(r["exact_bound_s"]), r["exact_status"],
                             _fmt(r["gap_pct"])])  # fmt: skip
            out.append(_table(rows))
            out.append(f"mean gap {_fmt(o['optimality_gap_pct_mean'])} % (goal <= 5 %), max "
                       f"{_fmt(o['optimality_gap_pct_max'])} %; proved optimal "
                       f"{o['proved_optimal']}/{len(o['instances'])}; greedy stalled on "
                       f"{o['greedy_stalled']} (left out)")  # fmt: skip
    return "\n".join(out).rstrip()


def run_bench(
    quick: bool = False,
    seeds: int | None = None,
    hours: float | None = None,
    instances: int | None = None,
    time_limit_s: float | None = None,
    skip: Sequence[str] = (),
    policies: Sequence[str] = POLICIES,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """All sections as one JSON-ready dict (see the module docstring for the keys)."""
    from cranesim._version import __version__
    from cranesim.sched import CORE

    say = progress or (lambda _msg: None)
    seeds = seeds if seeds is not None else (1 if quick else 3)
    hours = hours if hours is not None else (6.0 if quick else 48.0)
    instances = instances if instances is not None else (3 if quick else 10)
    time_limit_s = time_limit_s if time_limit_s is not None else (5.0 if quick else 10.0)
    rep: dict[str, Any] = {"version": __version__, "core": CORE, "quick": quick, "speedup": None,
                           "optimality_gap_pct_mean": None}  # fmt: skip
    if "latency" not in skip:
        say("latency ...")
        rep["latency"] = bench_latency(quick)
        rep["speedup"] = rep["latency"]["speedup"]
    if "quality" not in skip:
        say(f"quality: {len(policies)} policies x {seeds} seed(s) x {hours:g} h ...")
        rep["quality"] = bench_quality(list(range(1, seeds + 1)), hours, policies=policies)
    if "optimality" not in skip:
        say(f"optimality: {instances} instance(s), CP-SAT {time_limit_s:g} s each ...")
        rep["optimality"] = bench_optimality(instances, time_limit_s)
        rep["optimality_gap_pct_mean"] = rep["optimality"].get("optimality_gap_pct_mean")
    return rep
