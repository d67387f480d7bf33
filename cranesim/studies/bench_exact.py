"""``cranesim bench``, the exact side: a static instance solved with OR-Tools CP-SAT.

OR-Tools is optional (``pip install "cranesim[bench]"``); it is imported when a solve starts.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any, Sequence

from cranesim.studies.bench_static import StaticInstance, StaticLift

__all__ = ["solve_exact"]


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
    "wall_s"}`` (deciseconds).  ``time_limit_s`` is CP-SAT's deterministic time (about seconds
    on a quiet machine): with one worker a rerun gives the same result whatever the load.  With ``fix``, the ``hint`` schedule is imposed (cranes, start
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
    # the limit in CP-SAT's deterministic time (about seconds on a quiet machine; the same
    # search whatever the machine's load, so a rerun gives the same optimum and bound with one
    # worker), with a wall-clock cap
    solver.parameters.max_deterministic_time = float(time_limit_s)
    solver.parameters.max_time_in_seconds = 10.0 * float(time_limit_s)
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
