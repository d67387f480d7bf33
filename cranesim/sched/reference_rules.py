"""The pure-Python core's rules: predicates, costs, argmins and the interference test.

Part of the twin :mod:`cranesim.sched.reference` (which states every rule in its docstring);
:mod:`cranesim.sched.reference_policies` builds the policies on this class.  Every expression
is evaluated in the same order as in ``_core/scheduler.pyx``.
"""

from __future__ import annotations

from math import fabs, nan
from math import inf as INF

from cranesim.codes import (
    P_LIFT_HANDLING,
    P_MAX_INTERF,
    P_OBJECTIVE,
    P_ROLL_CANDS,
    P_ROLL_JOBS,
    P_ROLL_MARGIN,
    P_S_PER_KWH,
    P_SAFETY,
    P_SEED,
    P_STATION_FILL,
    P_STATION_FIRST,
    P_TOP_Z,
    P_W_BLOCK_DEMAND,
    P_W_COVER,
    P_W_FINISH,
    P_W_INTERFERENCE,
    P_W_LOOKAHEAD,
    P_W_RELOC,
    P_W_STATION,
    P_W_TRUCK_WAIT,
    P_W_UPPER,
    P_W_ZONE,
    POLICY_GREEDY,
    POLICY_JOINT,
    POLICY_ROLLOUT,
)
from cranesim.physics.kinematics import move_time
from cranesim.sched.state import SchedState

__all__ = ["Decision", "travel_time", "seed_bits"]

_M64 = 0xFFFFFFFFFFFFFFFF
_SEED_LIMIT = 9.2e18


def seed_bits(p: float) -> int:
    """``params[9]`` as 64 random-seed bits: truncated toward zero, modulo 2**64 (0 if not finite)."""
    if -_SEED_LIMIT <= p <= _SEED_LIMIT:
        return int(p) & _M64
    return 0


def travel_time(
    xa: float, ya: float, xb: float, yb: float, vx: float, ax: float, vy: float, ay: float
) -> float:
    """Time of a crane move: bridge and trolley move at once, the slower one decides."""
    tx = move_time(fabs(xb - xa), vx, ax)
    ty = move_time(fabs(yb - ya), vy, ay)
    return tx if tx >= ty else ty


#: a joint target search's context: (job, now, reach), see Decision._best_target
JointCtx = tuple[int, float, float]


class Decision:
    """Everything one call of ``decide`` needs: plain-Python copies of the arrays and caches."""

    def __init__(self, st: SchedState, policy: int, k: int) -> None:
        self.policy = policy
        #: greedy, joint and rollout compare costs (objective, penalties, zones); fcfs and
        #: random do not; joint and rollout choose targets jointly with the interference test
        self.costed = policy in (POLICY_GREEDY, POLICY_JOINT, POLICY_ROLLOUT)
        self.joint = policy in (POLICY_JOINT, POLICY_ROLLOUT)
        self.k = k
        self.n = st.n_cranes
        self.L = st.n_locs
        self.S = S = st.n_slots
        self.J = st.job_capacity
        self.G = st.n_grades
        self.c_x = st.c_x.tolist()
        self.c_y = st.c_y.tolist()
        self.c_free = st.c_free.tolist()
        self.c_lo = st.c_lo.tolist()
        self.c_hi = st.c_hi.tolist()
        self.c_busy_lo = st.c_busy_lo.tolist()
        self.c_busy_hi = st.c_busy_hi.tolist()
        self.c_free_at = st.c_free_at.tolist()
        self.c_vx = st.c_vx.tolist()
        self.c_ax = st.c_ax.tolist()
        self.c_vy = st.c_vy.tolist()
        self.c_ay = st.c_ay.tolist()
        self.loc_x = st.loc_x.tolist()
        self.loc_y = st.loc_y.tolist()
        self.loc_z = st.loc_z.tolist()
        self.s_mass = st.s_mass.tolist()
        self.j_mass = st.j_mass.tolist()
        self.c_e = st.c_e.tolist()
        self.s_coil = st.s_coil.tolist()
        self.s_grade = st.s_grade.tolist()
        self.s_booked = st.s_booked.tolist()
        self.s_level = st.s_level.tolist()
        # out-of-range relation indices are treated as "none", like the compiled core does
        self.s_sup0 = [v if 0 <= v < S else -1 for v in st.s_sup0.tolist()]
        self.s_sup1 = [v if 0 <= v < S else -1 for v in st.s_sup1.tolist()]
        self.s_blk0 = [v if 0 <= v < S else -1 for v in st.s_blk0.tolist()]
        self.s_blk1 = [v if 0 <= v < S else -1 for v in st.s_blk1.tolist()]
        self.j_active = st.j_active.tolist()
        self.j_taken = st.j_taken.tolist()
        self.j_kind = st.j_kind.tolist()
        self.j_loc = st.j_loc.tolist()
        self.j_grade = st.j_grade.tolist()
        self.j_t = st.j_t.tolist()
        self.j_rem = st.j_rem.tolist()
        self.g_demand = st.g_demand.tolist()
        #: the slots each slot blocks (the reverse of s_blk0, s_blk1)
        self.blocks: list[list[int]] = [[] for _ in range(S)]
        for s in range(S):
            for b in (self.s_blk0[s], self.s_blk1[s]):
                if b >= 0:
                    self.blocks[b].append(s)
        p = st.params.tolist()
        self.w_reloc = p[P_W_RELOC]
        self.w_station = p[P_W_STATION]
        self.w_truck_wait = p[P_W_TRUCK_WAIT]
        self.w_upper = p[P_W_UPPER]
        self.w_block_demand = p[P_W_BLOCK_DEMAND]
        self.w_interference = p[P_W_INTERFERENCE]
        self.max_interf = p[P_MAX_INTERF]
        self.w_zone = p[P_W_ZONE]
        self.w_look = p[P_W_LOOKAHEAD]
        self.lift_handling = p[P_LIFT_HANDLING]
        self.station_fill = p[P_STATION_FILL]
        self.station_first = p[P_STATION_FIRST]
        self.safety = p[P_SAFETY]
        self.seed = seed_bits(p[P_SEED])
        obj = int(p[P_OBJECTIVE]) if self.costed else 0  # the objective: greedy, joint, rollout
        self.obj = obj
        self.wt = 0.0 if obj == 1 else 1.0
        self.we = 0.0 if obj == 0 else p[P_S_PER_KWH]
        self.top = p[P_TOP_Z]
        self.w_cover = p[P_W_COVER]
        self.w_finish = p[P_W_FINISH]
        self.roll_margin = p[P_ROLL_MARGIN]
        self.roll_jobs = p[P_ROLL_JOBS]
        self.roll_cands = p[P_ROLL_CANDS]

        # per-call precomputation: base target feasibility, counts per crane
        self.tgt_ok = tgt_ok = [False] * S
        for t in range(S):
            tgt_ok[t] = self._target_base(t)
        self.n_tgt = [0] * self.n
        for c in range(self.n):
            if self.c_free[c]:
                self.n_tgt[c] = self._count_targets(c)
        # (grade, bay) pairs some open retrieve job asks for
        self.need: set[tuple[int, int]] = set()
        for j in range(self.J):
            if self._job_open(j) and self.j_kind[j] == 1:
                self.need.add((self.j_grade[j], self.j_loc[j] - S))
        # crane zones: the runway reach [min c_lo, max c_hi] cut into n equal parts, west to east
        zl = self.c_lo[0]
        zh = self.c_hi[0]
        for c in range(1, self.n):
            if self.c_lo[c] < zl:
                zl = self.c_lo[c]
            if self.c_hi[c] > zh:
                zh = self.c_hi[c]
        self.zone_lo = zl
        self.zone_w = (zh - zl) / self.n
        self.zoned = self.costed and self.w_zone > 0.0
        self.store_cache: dict[tuple[int, int], tuple[int, float]] = {}
        self.joint_cache: dict[tuple[int, int], tuple[int, float, float]] = {}
        self.coil_cache: dict[tuple[int, int], dict[int, tuple[int, int, int, float]]] = {}
        self.reloc_cache: dict[tuple[int, int], int] = {}
        self.t1_cache: dict[int, dict[int, float]] = {}
        self.next_cache: dict[int, list[tuple[int, float, float, float]]] = {}
        self.best_cost = nan

    def _count_targets(self, c: int) -> int:
        m = 0
        for t in range(self.S):
            if self.tgt_ok[t] and self._reach(c, t):
                m += 1
        return m

    # ------------------------------------------------------------------ penalties, costs
    def _zone_pen(self, c: int, x: float) -> float:
        """w_zone per metre that x lies outside crane c's zone (0 when inside or w_zone == 0)."""
        lo = self.zone_lo
        w = self.zone_w
        zlo = lo + c * w
        zhi = lo + (c + 1) * w
        if x < zlo:
            return self.w_zone * (zlo - x)
        if x > zhi:
            return self.w_zone * (x - zhi)
        return 0.0

    def _pen(self, t: int, g: int) -> float:
        """Upper-layer penalty of putting a coil of grade ``g`` on target ``t`` (greedy, joint)."""
        dsum = 0
        ndiff = 0
        for sp in (self.s_sup0[t], self.s_sup1[t]):
            gs = self.s_grade[sp]
            if 0 <= gs < self.G and gs != g:
                dsum += self.g_demand[gs]
                ndiff += 1
        pen = self.w_upper + self.w_block_demand * float(dsum)
        if self.w_cover != 0.0:
            pen = pen + self.w_cover * float(ndiff)
        return pen

    def _etravel(self, c: int, xa: float, ya: float, xb: float, yb: float, m: float) -> float:
        """Travel energy estimate E(c, a -> b, m), kWh."""
        e = self.c_e
        k = 16 * c
        dx = fabs(xb - xa)
        dy = fabs(yb - ya)
        en = 0.0
        if dx > 0.0:
            en = en + ((e[k] + e[k + 1] * m) + dx * (e[k + 2] + e[k + 3] * m))
        if dy > 0.0:
            en = en + ((e[k + 4] + e[k + 5] * m) + dy * (e[k + 6] + e[k + 7] * m))
        return en

    def _ehoist(self, c: int, loc: int, m: float, pick: bool) -> float:
        """Hoist energy estimate of a pick (Hp) or a put-down (Hd) at ``loc``, kWh; 0 under time."""
        if self.obj == 0:
            return 0.0
        h = self.top - self.loc_z[loc]
        if not h > 0.0:
            return 0.0
        e = self.c_e
        k = 16 * c
        mu = m if pick else 0.0
        md = 0.0 if pick else m
        down = (e[k + 12] + e[k + 13] * md) + h * (e[k + 14] + e[k + 15] * md)
        up = (e[k + 8] + e[k + 9] * mu) + h * (e[k + 10] + e[k + 11] * mu)
        return down + up

    def _move_cost(
        self, c: int, xa: float, ya: float, xb: float, yb: float, m: float, eh: float
    ) -> float:
        """M(c, a -> b, m, eh): the travel measure of the objective."""
        t = self._travel(c, xa, ya, xb, yb)
        if self.obj == 0:
            return t
        return self.wt * t + self.we * (self._etravel(c, xa, ya, xb, yb, m) + eh)

    # ------------------------------------------------------------------ predicates
    def _reach(self, c: int, loc: int) -> bool:
        x = self.loc_x[loc]
        return self.c_lo[c] <= x and x <= self.c_hi[c]

    def _target_base(self, t: int) -> bool:
        if self.s_coil[t] >= 0 or self.s_booked[t]:
            return False
        if self.s_level[t] != 0:
            a = self.s_sup0[t]
            b = self.s_sup1[t]
            if a < 0 or b < 0:
                return False
            if self.s_coil[a] < 0 or self.s_coil[b] < 0 or self.s_booked[a] or self.s_booked[b]:
                return False
        return True

    def _liftable(self, s: int) -> bool:
        if self.s_coil[s] < 0 or self.s_booked[s]:
            return False
        for b in (self.s_blk0[s], self.s_blk1[s]):
            if b >= 0 and (self.s_coil[b] >= 0 or self.s_booked[b]):
                return False
        return True

    def _job_open(self, j: int) -> bool:
        if not self.j_active[j] or self.j_taken[j]:
            return False
        loc = self.j_loc[j]
        if loc < self.S or loc >= self.L:
            return False
        kind = self.j_kind[j]
        if kind == 0:
            return True
        if kind == 1:
            g = self.j_grade[j]
            return 0 <= g < self.G
        return False

    def _travel(self, c: int, xa: float, ya: float, xb: float, yb: float) -> float:
        return travel_time(xa, ya, xb, yb, self.c_vx[c], self.c_ax[c], self.c_vy[c], self.c_ay[c])

    def _travel_loc(self, c: int, a: int, b: int) -> float:
        return self._travel(c, self.loc_x[a], self.loc_y[a], self.loc_x[b], self.loc_y[b])

    # ------------------------------------------------------------------ relocation rules
    def _excluded(self, t: int, s: int, b: int) -> bool:
        return (
            t == b
            or t == self.s_blk0[s]
            or t == self.s_blk1[s]
            or t == self.s_blk0[b]
            or t == self.s_blk1[b]
        )

    def _wanted_other(self, sp: int, h: int) -> int:
        """1 when slot ``sp``'s coil is of a grade other than ``h`` that an open truck job wants."""
        if sp < 0:
            return 0
        gs = self.s_grade[sp]
        if 0 <= gs < self.G and gs != h and self.g_demand[gs] > 0:
            return 1
        return 0

    def _covers(self, t: int, h: int) -> int:
        """How many wanted coils of another grade a coil of grade ``h`` on ``t`` would block
        (the slots ``t`` blocks: those naming it in ``s_blk0`` or ``s_blk1``)."""
        m = 0
        for s in self.blocks[t]:
            m += self._wanted_other(s, h)
        return m

    def _frees(self, b: int) -> int:
        """How many wanted coils of another grade lifting the coil in ``b`` unblocks."""
        return self._covers(b, self.s_grade[b])

    def _admissible(self, t: int, s: int, b: int, frees: int) -> bool:
        """Relocation target ``t`` for blocker ``b`` of the wanted coil ``s`` (``frees`` =
        :meth:`_frees` of ``b``): not excluded, and blocking fewer wanted coils than it frees."""
        return not self._excluded(t, s, b) and self._covers(t, self.s_grade[b]) < frees

    def _first_blocker(self, c: int, s: int) -> int:
        for b in (self.s_blk0[s], self.s_blk1[s]):
            if b >= 0 and self.s_coil[b] >= 0 and self._liftable(b) and self._reach(c, b):
                return b
        return -1

    def _under_own_grade(self, s: int, g: int) -> bool:
        """Whether an occupied blocker of ``s`` holds a coil of grade ``g`` (that coil serves)."""
        for b in (self.s_blk0[s], self.s_blk1[s]):
            if b >= 0 and self.s_coil[b] >= 0 and self.s_grade[b] == g:
                return True
        return False

    # ------------------------------------------------------------------ interference
    def _span(self, c: int, xs: float, xd: float) -> tuple[float, float]:
        """Runway span [lo, hi] of a lift of crane c from x = xs to x = xd: c_x[c], xs, xd."""
        lo = hi = self.c_x[c]
        if xs < lo:
            lo = xs
        if xs > hi:
            hi = xs
        if xd < lo:
            lo = xd
        if xd > hi:
            hi = xd
        return lo, hi

    def _wait(self, k: int, now: float, reach: float) -> float:
        """Expected wait for busy crane ``k`` on arriving after ``reach`` s (0 if none); inf
        when ``k`` is late (its own lift is held up: no estimate can be trusted)."""
        w = self.c_free_at[k] - now - reach
        if self.c_free_at[k] <= now:
            return INF
        if w > 0.0:
            return w
        return 0.0

    def _extra(self, c: int, xs: float, xd: float, now: float, reach: float) -> float:
        """Pushing free cranes aside and waiting for busy ones (s); inf past the budget when a
        busy crane is in the way."""
        lo, hi = self._span(c, xs, xd)
        d = self.safety
        extra = 0.0
        waits = False  # a busy crane is in the way: waiting may help
        for k in range(self.n):
            if k == c:
                continue
            if k > c:
                need = hi + (k - c) * d
                if self.c_free[k]:
                    if self.c_x[k] < need:
                        extra = extra + self.w_interference + (need - self.c_x[k]) / self.c_vx[k]
                elif self.c_busy_lo[k] < need:
                    waits = True
                    extra = extra + self.w_interference + self._wait(k, now, reach)
                    if self.c_x[k] < need:  # where its lift ends it is still in the way
                        extra = extra + (need - self.c_x[k]) / self.c_vx[k]
            else:
                need = lo - (c - k) * d
                if self.c_free[k]:
                    if self.c_x[k] > need:
                        extra = extra + self.w_interference + (self.c_x[k] - need) / self.c_vx[k]
                elif self.c_busy_hi[k] > need:
                    waits = True
                    extra = extra + self.w_interference + self._wait(k, now, reach)
                    if self.c_x[k] > need:
                        extra = extra + (self.c_x[k] - need) / self.c_vx[k]
        if extra > self.max_interf and waits:
            return INF
        return extra

    def _interference(
        self, c: int, cost: float, xs: float, xd: float, now: float, reach: float
    ) -> float:
        """Cost plus :meth:`_extra`; inf past the budget when a busy crane is in the way."""
        extra = self._extra(c, xs, xd, now, reach)
        if extra == INF:
            return INF
        return cost + extra

    def _doomed(self, c: int, x: float, now: float) -> bool:
        """Whether every store lift of crane ``c`` from the station place at ``x`` is past the
        interference budget.

        Such a lift spans at least [min(c_x, x), max(c_x, x)], and every term :meth:`_extra`
        adds grows with the span and is at least 0; a busy crane's wait is smallest (0, or
        infinite when the crane is late) for an infinite ``reach``.  So :meth:`_extra` over
        this span with that reach is a lower bound, and when it is ``inf`` so is every lift of
        the job by this crane: the policy skips the job for it without choosing a target.  A
        pruning only; decisions are the same without it.  Not for retrieve jobs: their lift
        may be a relocation, which does not go to the bay."""
        return self._extra(c, x, x, now, INF) == INF

    # ------------------------------------------------------------------ target argmins
    def _target_cost(self, c: int, t: int, ox: float, oy: float, g: int, m: float) -> float:
        """Cost of target ``t`` from (ox, oy) for a coil of grade g, mass m."""
        cost = self._move_cost(
            c, ox, oy, self.loc_x[t], self.loc_y[t], m, self._ehoist(c, t, m, False)
        )
        if self.costed and self.s_level[t] != 0:
            cost = cost + self._pen(t, g)
        if self.zoned:
            zp = self._zone_pen(c, self.loc_x[t])
            if zp > 0.0:
                cost = cost + zp
        return cost

    def _best_target(
        self, c: int, origin: int, s: int, b: int, g: int, m: float, jctx: JointCtx | None
    ) -> tuple[int, float, float]:
        """Argmin over crane ``c``'s targets of :meth:`_target_cost` from ``origin``: (slot,
        cost, extra), slot -1 when none.

        ``s >= 0``: a relocation of blocker ``b`` off the wanted coil ``s``: only admissible
        targets.  ``jctx = (job, now, reach)``: the joint choice: each target's cost includes
        the interference :meth:`_extra` of the lift (its span runs from the crane over
        ``origin`` to the target); a target past the budget, or one the look-ahead holds back
        (see :meth:`cranesim.sched.reference_policies.Policies._held`), is not a candidate.
        Both tests only need to run for a target that would become the best: the result is the
        minimum over the candidates, ties to the lowest slot index."""
        ox, oy = self.loc_x[origin], self.loc_y[origin]
        frees = self._frees(b) if s >= 0 else 0
        memo: dict[float, float] = {}
        best, best_cost, best_x = -1, 0.0, 0.0
        for t in range(self.S):
            if not self.tgt_ok[t] or not self._reach(c, t):
                continue
            if s >= 0 and not self._admissible(t, s, b, frees):
                continue
            cost = self._target_cost(c, t, ox, oy, g, m)
            extra = 0.0
            if jctx is not None:
                j, now, reach = jctx
                xt = self.loc_x[t]
                extra = memo.get(xt, -1.0)
                if extra < 0.0:
                    extra = memo[xt] = self._extra(c, ox, xt, now, reach)
                if extra == INF:
                    continue
                cost = cost + extra
                if best >= 0 and not cost < best_cost:
                    continue
                if self._held(c, j, origin, t, now, reach, extra):
                    continue
            if best < 0 or cost < best_cost:
                best, best_cost, best_x = t, cost, extra
        return best, best_cost, best_x

    def _held(
        self, c: int, j: int, src: int, dst: int, now: float, reach: float, extra: float
    ) -> bool:
        raise NotImplementedError  # the look-ahead, in reference_policies

    def _store_slot(self, c: int, j: int) -> tuple[int, float]:
        """Best target for store job ``j``'s coil (grade ``j_grade``, mass ``j_mass``, picked at
        ``j_loc``) by crane ``c``: (slot, cost)."""
        key = (c, j)
        hit = self.store_cache.get(key)
        if hit is None:
            t, cost, _ = self._best_target(
                c, self.j_loc[j], -1, -1, self.j_grade[j], self.j_mass[j], None
            )
            hit = self.store_cache[key] = (t, cost)
        return hit

    def _reloc_slot(self, c: int, s: int, b: int) -> int:
        """Best relocation target for blocker ``b`` of the wanted coil ``s`` (crane ``c``)."""
        key = (c, s)
        hit = self.reloc_cache.get(key)
        if hit is None:
            hit = self.reloc_cache[key] = self._best_target(
                c, b, s, b, self.s_grade[b], self.s_mass[b], None
            )[0]
        return hit

    def _coils(self, c: int, x: int) -> dict[int, tuple[int, int, int, float]]:
        """Best candidate coil per grade for crane ``c`` and bay place ``S + x``.

        grade -> (slot, src, nblk, cost); src is the slot itself or the blocker to move first.
        """
        key = (c, x)
        hit = self.coil_cache.get(key)
        if hit is not None:
            return hit
        bay = self.S + x
        bx, by = self.loc_x[bay], self.loc_y[bay]
        cx, cy = self.c_x[c], self.c_y[c]
        best: dict[int, tuple[int, int, int, float]] = {}
        need = self.need
        t1_cache = self.t1_cache.setdefault(c, {})
        for s in range(self.S):
            if self.s_coil[s] < 0 or self.s_booked[s]:
                continue
            g = self.s_grade[s]
            if g < 0 or g >= self.G or (g, x) not in need:
                continue
            if not self._reach(c, s):
                continue
            nblk = 0
            bad = False
            for b in (self.s_blk0[s], self.s_blk1[s]):
                if b >= 0:
                    if self.s_booked[b]:
                        bad = True
                    if self.s_coil[b] >= 0:
                        nblk += 1
            if bad:
                continue
            sx, sy = self.loc_x[s], self.loc_y[s]
            ms = self.s_mass[s]
            t1 = t1_cache.get(s)  # crane -> slot travel is shared by every bay
            if t1 is None:
                t1 = t1_cache[s] = self._move_cost(
                    c, cx, cy, sx, sy, 0.0, self._ehoist(c, s, ms, True)
                )
            if self.costed:
                t2 = self._move_cost(c, sx, sy, bx, by, ms, self._ehoist(c, bay, ms, False))
                cost = t1 + t2 + float(nblk) * self.w_reloc
            else:
                cost = t1
            cur = best.get(g)
            if cur is not None and not cost < cur[3]:
                continue
            src = s
            if nblk > 0:
                if self._under_own_grade(s, g):
                    continue
                src = self._first_blocker(c, s)
                if src < 0 or self._reloc_slot(c, s, src) < 0:
                    continue
            best[g] = (s, src, nblk, cost)
        self.coil_cache[key] = best
        return best
