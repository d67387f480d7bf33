"""``cranesim bench``, latency section: how fast one scheduler decision is, compiled and twin.

See :mod:`cranesim.studies.bench` for the command; the state is :func:`latency_state`.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any, Callable

__all__ = ["latency_state", "bench_latency"]


def latency_state(seed: int = 1) -> Any:
    """The latency benchmark's state: 4 free cranes, 200 open jobs, 5,000 places.

    160 rows (x = 8 + 2.2 r m) of 16 lower and 15 upper places (y = 5.5 + 1.4 i m), 60 % of
    the lower places filled, an upper place filled with probability 0.5 when both supports are;
    6 grades; 5 station places (x = 175..191 m, y = 1.5 m, each with a store job), 35 truck bay
    places (x = 20..360 m, y = 28.5 m) sharing 195 retrieve jobs; default weights, 20 m safety
    distance, cranes at 60, 140, 220, 300 m; the greedy policy (``params[6]``: set another).
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
         9: 7.0, 10: 150.0, 19: 60.0, 22: 1.01}  # fmt: skip
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


def bench_latency(quick: bool = False, seed: int = 1, policy: str = "joint") -> dict[str, Any]:
    """Median decision latency of both cores on :func:`latency_state` with ``policy`` (µs) and
    their ratio."""
    import cranesim.sched.reference as scheduler_py
    from cranesim.codes import P_POLICY, POLICY_CODES

    st = latency_state(seed)
    st.params[P_POLICY] = POLICY_CODES[policy]
    py = scheduler_py.Scheduler(st)
    py.decide(0.0)
    out_py = st.out.tolist()
    res: dict[str, Any] = {
        "instance": {"cranes": st.n_cranes, "jobs": int(st.j_active.sum()), "places": st.n_locs,
                     "slots": st.n_slots, "coils": int((st.s_coil >= 0).sum()), "policy": policy},
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
