"""The pure-Python core's policies: greedy and joint (with the look-ahead), fcfs and random.

Part of the twin :mod:`cranesim.sched.reference` (which states every rule in its docstring),
built on the rules of :mod:`cranesim.sched.reference_rules`.  Every expression is evaluated in
the same order as in ``_core/scheduler.pyx``.
"""

from __future__ import annotations

from math import fabs
from math import inf as INF

from cranesim.sched.reference_rules import Decision

__all__ = ["Policies", "splitmix64", "GOLDEN_GAMMA"]

GOLDEN_GAMMA = 0x9E3779B97F4A7C15
_M64 = 0xFFFFFFFFFFFFFFFF

#: a lift: (crane, job, src, dst, kind)
Out = tuple[int, int, int, int, int]


def splitmix64(x: int) -> int:
    """One SplitMix64 output for state ``x`` (the state is advanced by the golden gamma first)."""
    z = (x + GOLDEN_GAMMA) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


class Policies(Decision):
    """One decision of every policy (see :mod:`cranesim.sched.reference`)."""

    # ------------------------------------------------------------------ the lift for a job
    def _lift(
        self, c: int, j: int, now: float | None = None
    ) -> tuple[int, int, int, float, float] | None:
        """The lift crane ``c`` would make for open job ``j``: (src, dst, kind, cost of the
        place or coil choice, extra), or None (job out of reach, no target, no coil).  kind 0
        store, 1 retrieve, 2 relocate.  With ``now`` under the joint policy the store or
        relocation target is the joint choice (its cost includes the interference ``extra``);
        else the greedy rules (``extra`` 0)."""
        loc = self.j_loc[j]
        if not self._reach(c, loc):
            return None
        joint = self.joint and now is not None
        cx, cy = self.c_x[c], self.c_y[c]
        if self.j_kind[j] == 0:
            if joint:
                reach = self._travel(c, cx, cy, self.loc_x[loc], self.loc_y[loc])
                t, cost, extra = self._joint_target(c, j, loc, -1, -1, now, reach)
                return None if t < 0 else (loc, t, 0, cost, extra)
            t, slot_cost = self._store_slot(c, j)
            return None if t < 0 else (loc, t, 0, slot_cost, 0.0)
        hit = self._coils(c, loc - self.S).get(self.j_grade[j])
        if hit is None:
            return None
        s, src, nblk, coil_cost = hit
        if nblk == 0:
            return src, loc, 1, coil_cost, 0.0
        if joint:
            reach = self._travel(c, cx, cy, self.loc_x[src], self.loc_y[src])
            t, _, extra = self._joint_target(c, j, src, s, src, now, reach)
            return None if t < 0 else (src, t, 2, coil_cost, extra)
        return src, self._reloc_slot(c, s, src), 2, coil_cost, 0.0

    def _joint_target(
        self, c: int, j: int, origin: int, s: int, b: int, now: float, reach: float
    ) -> tuple[int, float, float]:
        """The joint choice of the target for job ``j``'s lift from ``origin`` (a store:
        ``s = -1``; a relocation of blocker ``b`` off ``s``), cached per (crane, job)."""
        key = (c, j)
        hit = self.joint_cache.get(key)
        if hit is None:
            if s < 0:
                g, m = self.j_grade[j], self.j_mass[j]
            else:
                g, m = self.s_grade[b], self.s_mass[b]
            hit = self.joint_cache[key] = self._best_target(c, origin, s, b, g, m, (j, now, reach))
        return hit

    # ------------------------------------------------------------------ look-ahead
    def _busy_in_way(self, c: int, k: int, lo: float, hi: float) -> bool:
        """Busy crane k's remaining interval breaks the span [lo, hi] of crane c (as _extra)."""
        if k > c:
            return self.c_busy_lo[k] < hi + (k - c) * self.safety
        return self.c_busy_hi[k] > lo - (c - k) * self.safety

    def _next_lifts(self, k: int) -> list[tuple[int, float, float, float]]:
        """(job, duration, lo, hi) of the lift crane k would make next for each open job it can
        serve, by the greedy rules, from where it stands (a busy crane: where its lift ends)."""
        rows = self.next_cache.get(k)
        if rows is not None:
            return rows
        if not self.c_free[k]:  # targets of a busy crane, counted as for the free ones
            self.n_tgt[k] = self._count_targets(k)
        kx, ky = self.c_x[k], self.c_y[k]
        rows = []
        for j in range(self.J):
            if not self._job_open(j):
                continue
            lift = self._lift(k, j)
            if lift is None:
                continue
            src, dst = lift[0], lift[1]
            dur = self._travel(k, kx, ky, self.loc_x[src], self.loc_y[src]) + self._travel_loc(
                k, src, dst
            )
            dur = dur + self.lift_handling
            lo, hi = self._span(k, self.loc_x[src], self.loc_x[dst])
            rows.append((j, dur, lo, hi))
        self.next_cache[k] = rows
        return rows

    def _lookahead(self, c: int, j: int, src: int, dst: int, now: float, reach: float) -> float:
        """Delay (s) crane c's lift for job j from src to dst would add to the next lifts of the
        busy cranes in its way (see the module docstring); 0 when none is in the way."""
        lo, hi = self._span(c, self.loc_x[src], self.loc_x[dst])
        wait = 0.0
        found = False
        for k in range(self.n):
            if k == c or self.c_free[k] or not self._busy_in_way(c, k, lo, hi):
                continue
            found = True
            w = self.c_free_at[k] - now - reach
            if w > wait:
                wait = w
        if not found:
            return 0.0
        dur = reach + self._travel_loc(c, src, dst)
        dur = dur + self.lift_handling
        end = wait + dur
        d = self.safety
        delay = 0.0
        for k in range(self.n):
            if k == c or self.c_free[k] or not self._busy_in_way(c, k, lo, hi):
                continue
            ready = self.c_free_at[k] - now
            if ready < 0.0:
                ready = 0.0
            f0 = INF
            f1 = INF
            for j2, dur2, lo2, hi2 in self._next_lifts(k):
                if j2 == j:
                    continue
                a = ready + dur2
                if a < f0:
                    f0 = a
                if k > c:
                    clash = lo2 < hi + (k - c) * d
                else:
                    clash = hi2 > lo - (c - k) * d
                start = end if clash and end > ready else ready
                b = start + dur2
                if b < f1:
                    f1 = b
            if f0 < INF:
                delay = delay + (f1 - f0)
        return delay

    def _held(
        self, c: int, j: int, src: int, dst: int, now: float, reach: float, extra: float
    ) -> bool:
        """The look-ahead holds the lift back: its delay to the busy neighbours, weighted, and
        its interference ``extra`` exceed the budget."""
        if not self.w_look > 0.0:
            return False
        delay = self._lookahead(c, j, src, dst, now, reach)
        return delay > 0.0 and extra + self.w_look * delay > self.max_interf

    # ------------------------------------------------------------------ greedy and joint
    def _candidates(self, now: float, first_only: bool) -> list[tuple[float, Out, int]]:
        """The lifts greedy and joint compare: (cost, (c, j, src, dst, kind), wanted slot of a
        relocation or -1) for every free crane x open job with a lift, crane-major then job
        order; with ``first_only`` only the running best (what greedy needs).  While the
        station is at least ``station_first`` full, the store jobs' lifts only, if there are
        any."""
        if self.station_fill >= self.station_first:
            out = self._candidates_of(now, first_only, True)
            if out:
                return out
        return self._candidates_of(now, first_only, False)

    def _candidates_of(
        self, now: float, first_only: bool, stores_only: bool
    ) -> list[tuple[float, Out, int]]:
        out: list[tuple[float, Out, int]] = []
        best_cost = 0.0
        station_bonus = self.w_station * self.station_fill
        for c in range(self.n):
            if not self.c_free[c]:
                continue
            cx, cy = self.c_x[c], self.c_y[c]
            for j in range(self.J):
                if not self._job_open(j) or (stores_only and self.j_kind[j] != 0):
                    continue
                if self.j_kind[j] == 0 and self._doomed(c, self.loc_x[self.j_loc[j]], now):
                    continue
                lift = self._lift(c, j, now)
                if lift is None:
                    continue
                src, dst, kind, choice_cost, extra = lift
                if kind == 0:
                    cost = self._move_cost(c, cx, cy, self.loc_x[src], self.loc_y[src], 0.0,
                                           self._ehoist(c, src, self.j_mass[j], True))  # fmt: skip
                    cost = cost + choice_cost - station_bonus
                else:
                    cost = choice_cost - self.w_truck_wait * (now - self.j_t[j]) / 60.0
                    if self.w_finish != 0.0:
                        cost = cost + self.w_finish * float(self.j_rem[j] - 1)
                if self.joint and kind != 1:  # the target's choice took interference and look-ahead
                    if kind == 2:
                        cost = cost + extra
                else:
                    reach = self._travel(c, cx, cy, self.loc_x[src], self.loc_y[src])
                    base = cost
                    cost = self._interference(c, cost, self.loc_x[src], self.loc_x[dst], now, reach)
                    if cost == INF:
                        continue
                    if self._held(c, j, src, dst, now, reach, cost - base):
                        continue
                wanted = (
                    self._coils(c, self.j_loc[j] - self.S)[self.j_grade[j]][0] if kind == 2 else -1
                )
                if not first_only:
                    out.append((cost, (c, j, src, dst, kind), wanted))
                elif not out or cost < best_cost:
                    out[:] = [(cost, (c, j, src, dst, kind), wanted)]
                    best_cost = cost
        return out

    def greedy(self, now: float) -> Out | None:
        """Greedy and joint: the cheapest lift (ties: crane, then job)."""
        cands = self._candidates(now, True)
        if not cands:
            return None
        self.best_cost = cands[0][0]
        return cands[0][1]

    # ------------------------------------------------------------------ fcfs and random
    def _serve_src(self, c: int, j: int) -> int:
        """Source location of the lift crane ``c`` would make for open job ``j``, or -1."""
        loc = self.j_loc[j]
        if not self._reach(c, loc):
            return -1
        if self.j_kind[j] == 0:
            return loc if self.n_tgt[c] > 0 else -1
        hit = self._coils(c, loc - self.S).get(self.j_grade[j])
        return -1 if hit is None else hit[1]

    def _draw(self, m: int) -> int:
        state = (self.seed + self.k * GOLDEN_GAMMA) & _M64
        return splitmix64(state) % m

    def _draw_target(self, c: int, s: int, b: int) -> int:
        """A target drawn uniformly (in slot index order) from crane ``c``'s targets; for a
        relocation (``s >= 0``) from the admissible ones."""
        frees = self._frees(b) if s >= 0 else 0
        cands = [
            t
            for t in range(self.S)
            if self.tgt_ok[t] and self._reach(c, t) and (s < 0 or self._admissible(t, s, b, frees))
        ]
        return cands[self._draw(len(cands))]

    def fcfs(self, random_target: bool) -> Out | None:
        bj, bt = -1, 0.0
        for j in range(self.J):
            if not self._job_open(j):
                continue
            if bj >= 0 and not self.j_t[j] < bt:
                continue
            for c in range(self.n):
                if self.c_free[c] and self._serve_src(c, j) >= 0:
                    bj, bt = j, self.j_t[j]
                    break
        if bj < 0:
            return None
        bc, bd = -1, 0.0
        for c in range(self.n):
            if not self.c_free[c]:
                continue
            src = self._serve_src(c, bj)
            if src < 0:
                continue
            dist = fabs(self.c_x[c] - self.loc_x[src])
            if bc < 0 or dist < bd:
                bc, bd = c, dist
        c, j, loc = bc, bj, self.j_loc[bj]
        self.best_cost = bd
        if self.j_kind[j] == 0:
            dst = self._draw_target(c, -1, -1) if random_target else self._store_slot(c, j)[0]
            return (c, j, loc, dst, 0)
        s, src, nblk, _ = self._coils(c, loc - self.S)[self.j_grade[j]]
        if nblk == 0:
            return (c, j, s, loc, 1)
        dst = self._draw_target(c, s, src) if random_target else self._reloc_slot(c, s, src)
        return (c, j, src, dst, 2)
