"""The pure-Python core's rollout policy: joint's lifts, chosen by a short plan of what follows.

Part of the twin :mod:`cranesim.sched.reference` (which states the rule in its docstring),
built on :mod:`cranesim.sched.reference_policies`.  Every expression is evaluated in the same
order as in ``_core/scheduler.pyx``.
"""

from __future__ import annotations

from cranesim.sched.reference_policies import Out, Policies

__all__ = ["Rollout"]

#: a lift in the plan: first leg a -> b, then (a relocation) the freed coil s2 -> bay b2, or -1
Legs = tuple[int, int, int, int]
#: a planned lift: (crane, start, end, lo, hi)
Planned = tuple[int, float, float, float, float]
#: a candidate: (cost, (c, j, src, dst, kind), wanted slot of a relocation or -1)
Cand = tuple[float, Out, int]


class Rollout(Policies):
    """The rollout policy (see :mod:`cranesim.sched.reference`, policy 4)."""

    def rollout(self, now: float) -> Out | None:
        keep = self._roll_candidates(now)
        if not keep:
            return None
        self.best_cost = keep[0][0]
        if len(keep) == 1:
            return keep[0][1]
        jobs = self._plan_jobs([r[1][1] for r in keep])
        legs = {(k, j): self._legs(k, j) for k in range(self.n) for j in jobs}
        win, win_f = 0, 0.0
        for i, (_, out, wanted) in enumerate(keep):
            f = self._plan(now, out, wanted, jobs, legs)
            if i == 0 or f < win_f:
                win, win_f = i, f
        self.best_cost = keep[win][0]
        return keep[win][1]

    def _roll_candidates(self, now: float) -> list[Cand]:
        """Joint's lifts within ``roll_margin`` of the cheapest, by (cost, crane, job); a lift
        (crane, src, dst) already listed for a cheaper job is left out; ``roll_cands`` at most
        (and at least 1)."""
        cands = self._candidates(now, False)
        if not cands:
            return []
        cands.sort(key=lambda r: (r[0], r[1][0], r[1][1]))
        limit = cands[0][0] + self.roll_margin
        most = int(self.roll_cands) if self.roll_cands >= 1.0 else 1
        keep = [cands[0]]
        for r in cands[1:]:
            if len(keep) >= most:
                break
            if not r[0] <= limit:
                continue
            c, _, src, dst, _ = r[1]
            if any(q[1][0] == c and q[1][2] == src and q[1][3] == dst for q in keep):
                continue
            keep.append(r)
        return keep

    def _plan_jobs(self, must: list[int]) -> list[int]:
        """The plan's jobs: the candidates' and the oldest other open jobs (by ``j_t``, then
        index) up to ``roll_jobs`` in all (the candidates' always), in index order."""
        opened = [j for j in range(self.J) if self._job_open(j)]
        opened.sort(key=lambda j: (self.j_t[j], j))
        chosen = set(must)
        for j in opened:
            if not len(chosen) < self.roll_jobs:
                break
            chosen.add(j)
        return sorted(chosen)

    def _legs(self, k: int, j: int) -> Legs | None:
        """The lift crane ``k`` would make for job ``j`` by the greedy rules, from where it
        stands (a busy crane: where its lift ends); a relocation goes on with the freed coil."""
        lift = Policies._lift(self, k, j)
        if lift is None:
            return None
        src, dst, kind = lift[0], lift[1], lift[2]
        if kind != 2:
            return (src, dst, -1, -1)
        s = self._coils(k, self.j_loc[j] - self.S)[self.j_grade[j]][0]
        return (src, dst, s, self.j_loc[j])

    def _place(
        self, k: int, a: int, b: int, ready: float, avail: list[float], px: list[float],
        py: list[float], planned: list[Planned],
    ) -> tuple[float, float, float, float]:  # fmt: skip
        """Start, end and runway span [lo, hi] of a lift a -> b by crane ``k`` in the plan:
        from where the crane is, once it is free and the lift may start (``ready``), after
        every planned lift of another crane whose span clashes with it (the earliest gap)."""
        x0, y0 = px[k], py[k]
        dur = self._travel(k, x0, y0, self.loc_x[a], self.loc_y[a]) + self._travel_loc(k, a, b)
        dur = dur + self.lift_handling
        lo = hi = x0
        for x in (self.loc_x[a], self.loc_x[b]):
            if x < lo:
                lo = x
            if x > hi:
                hi = x
        d = self.safety
        clash = []
        for kk, s0, e0, lo0, hi0 in planned:
            if kk == k:
                continue
            if k < kk:
                apart = hi + (kk - k) * d <= lo0
            else:
                apart = hi0 + (k - kk) * d <= lo
            if not apart:
                clash.append((s0, e0))
        clash.sort()
        start = avail[k] if avail[k] >= ready else ready
        for s0, e0 in clash:
            if start < e0 and s0 < start + dur:
                start = e0
        return start, start + dur, lo, hi

    def _commit(
        self, k: int, a: int, b: int, ready: float, avail: list[float], px: list[float],
        py: list[float], planned: list[Planned],
    ) -> float:  # fmt: skip
        start, end, lo, hi = self._place(k, a, b, ready, avail, px, py, planned)
        planned.append((k, start, end, lo, hi))
        avail[k] = end
        px[k] = self.loc_x[b]
        py[k] = self.loc_y[b]
        return end

    def _plan(
        self, now: float, first: Out, wanted: int, jobs: list[int],
        legs: dict[tuple[int, int], Legs | None],
    ) -> float:  # fmt: skip
        """The sum of the end times (s from now) of the lifts in the plan that starts with the
        candidate ``first`` (see the module docstring of :mod:`cranesim.sched.reference`)."""
        avail = [0.0] * self.n
        px = list(self.c_x)
        py = list(self.c_y)
        planned: list[Planned] = []
        for k in range(self.n):
            if not self.c_free[k]:
                r = self.c_free_at[k] - now
                if r > 0.0:
                    avail[k] = r
                    planned.append((k, 0.0, r, self.c_busy_lo[k], self.c_busy_hi[k]))
        # per plan job: the stage of its next lift (0 its lift, 1 the freed coil, 2 done), when
        # that may start, and the freed coil's (slot, bay)
        stage = {jj: 0 for jj in jobs}
        ready = {jj: 0.0 for jj in jobs}
        freed: dict[int, tuple[int, int]] = {}
        c, j, src, dst, kind = first
        end = self._commit(c, src, dst, 0.0, avail, px, py, planned)
        stage[j] = 2
        if kind == 2:
            stage[j] = 1
            ready[j] = end
            freed[j] = (wanted, self.j_loc[j])
        idle = [False] * self.n  # no plan lift the crane can make
        while True:
            k = -1  # the crane free first takes the lift it would end first
            for kk in range(self.n):
                if not idle[kk] and (k < 0 or avail[kk] < avail[k]):
                    k = kk
            if k < 0:
                break
            best = None
            for jj in jobs:
                if stage[jj] == 2:
                    continue
                if stage[jj] == 0:
                    lg = legs[(k, jj)]
                    if lg is None:
                        continue
                    a, b = lg[0], lg[1]
                else:
                    a, b = freed[jj]
                    if not (self._reach(k, a) and self._reach(k, b)):
                        continue
                e = self._place(k, a, b, ready[jj], avail, px, py, planned)[1]
                if best is None or e < best[0]:
                    best = (e, jj, a, b)
            if best is None:
                idle[k] = True
                continue
            _, jj, a, b = best
            e = self._commit(k, a, b, ready[jj], avail, px, py, planned)
            lg = legs[(k, jj)]
            if stage[jj] == 0 and lg is not None and lg[2] >= 0:
                stage[jj] = 1
                ready[jj] = e
                freed[jj] = (lg[2], lg[3])
                for kk in range(self.n):  # a new lift: every crane may take it
                    idle[kk] = False
            else:
                stage[jj] = 2
        total = 0.0
        for p in planned:
            total = total + p[2]
        return total
