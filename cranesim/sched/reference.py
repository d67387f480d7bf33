"""Pure-Python scheduler core: the oracle for the compiled ``cranesim._core.scheduler``.

Both cores expose the same class::

    Scheduler(st: SchedState)           # keeps references to st's arrays (never reallocated)
    Scheduler.decide(now: float) -> int # 1 and st.out filled when a lift is assigned, else 0
    Scheduler.n_calls                   # decide() calls so far (drives random_free's draws)
    Scheduler.last_cost                 # score of the last assigned lift (NaN if none): the
                                        # greedy cost (s), or fcfs/random's crane distance (m)

and must return bit-identical decisions: every floating-point expression below is evaluated in
the same order as in ``_core/scheduler.pyx`` (the C build uses ``-ffp-contract=off`` so no fused
multiply-add changes a rounding), and every tie is broken the same way (the first candidate in
index order wins; comparisons are strict ``<``).  ``decide`` reads ``st`` and writes only
``st.out``.  It reads every slot at every call, so it ignores the list of slots the writer
notes (``touch``, see :mod:`cranesim.sched.state`); the compiled core reads and empties it.

Rules every assignment obeys (all policies)
-------------------------------------------
*Reach*: crane ``c`` reaches location ``l`` iff ``c_lo[c] <= loc_x[l] <= c_hi[c]``; the source
and the target of a lift are reachable and so is the truck bay of a retrieve job (also when the
lift is a relocation made for it).  Jobs must have ``j_loc`` in ``[S, L)`` (a station or bay
place), a retrieve job a grade in ``[0, G)``; other jobs are never assigned.

*Target* ``t`` (store or relocation): empty, not booked; an upper slot (``s_level != 0``) needs
both supports occupied and not booked.

*Liftable* coil in ``s``: occupied, not booked, and no blocker occupied or booked.

*Retrieve* job of grade ``g``: candidate coils are occupied, unbooked, reachable slots of grade
``g`` whose blockers are not booked; ``nblk`` = occupied blockers.  ``nblk == 0`` gives a
retrieve lift (src = slot, dst = bay).  Otherwise the lift is a relocation: src = the first
occupied blocker (``blk0`` before ``blk1``) that is liftable and reachable, dst = a target that
is not a blocker of the wanted coil nor of src (so the coil is not put back on the wanted coil or
on the coil being lifted).  A blocked coil with no such src and dst is not a candidate.  The job
is left untaken: the model asks again once the relocation is done.

Policies (``params[6]``)
------------------------
0 greedy: minimum cost over free crane x open job (crane-major, then job index; strict ``<``)::

    T(c, a -> b) = max(mt(|xb - xa|, vx, ax), mt(|yb - ya|, vy, ay))     (kinematics.move_time)
    M(c, a -> b, m, eh)                                  travel measure of the objective (params[16])
                 = T(c, a -> b)                                          time (0)
                 = 0.0 * T + we * (E(c, a -> b, m) + eh)                 energy (1)
                 = 1.0 * T + we * (E(c, a -> b, m) + eh)                 mix (2)
                 we = params[17] (s per kWh); E the travel energy estimate with coil mass m on the
                 hook, eh a hoist energy estimate (both below, kWh); eh and E are not
                 evaluated under time.  fcfs and random_free always use time.
    E(c, a -> b, m) = [dx > 0] ((e0 + e1 m) + dx (e2 + e3 m)) + [dy > 0] ((e4 + e5 m) + dy (e6 + e7 m)),
                 summed from 0.0 in this order; ei = c_e[16 c + i], dx = |xb - xa|, dy = |yb - ya|
    Hp(c, l, m)  pick at l (empty hook down, coil up) and Hd(c, l, m) put down (coil down, empty
                 hook up), with h = params[18] - loc_z[l] (0 when h <= 0):
                 down(mass) + up(mass), down(md) = (e12 + e13 md) + h (e14 + e15 md),
                 up(mu) = (e8 + e9 mu) + h (e10 + e11 mu)
    pen(t, g)    for a coil of grade g on an upper t (else nothing added): over the two supports
                 whose coil grade is valid and differs from g (a same-grade coil under it is no
                 block: the top coil serves the same orders), with dsum their g_demand and
                 ndiff their number:
                 w_upper + w_block_demand * dsum (+ params[19] * ndiff when params[19] != 0)
    zpen(c, t)   = params[11] * (metres loc_x[t] lies outside crane c's zone), added only when
                   > 0 and params[11] > 0 (after pen).  The zones cut the runway reach
                   [min c_lo, max c_hi] into n equal parts, west to east (zone c is
                   [lo + c * w, lo + (c + 1) * w], w = (hi - lo) / n): stores and relocations
                   then keep each crane's work on its own side, so neighbours meet less
    store        M(c, crane -> src, 0, Hp(src, m)) + [M(c, src -> t, m, Hd(t, m)) + pen(t, g) + zpen(c, t)]
                 - w_station * station_fill, t = argmin of the bracket over targets; the coil's
                 grade g = j_grade and mass m = j_mass of the job
    retrieve     [M(c, crane -> s, 0, Hp(s, m)) + M(c, s -> bay, m, Hd(bay, m)) + nblk * w_reloc]
                 - w_truck_wait * (now - j_t) / 60 (+ params[20] * (j_rem - 1) when params[20]
                 != 0: a truck that needs fewer coils goes first, which shortens the mean
                 turnaround, as shortest-remaining-work first does), m = s_mass[s], s = argmin of the bracket over
                 candidates; a relocation's dst = argmin of M(c, src -> t, mb, Hd(t, mb))
                 + pen(t, gb) + zpen(c, t) over its targets (gb, mb: the blocker's grade and mass)
    interference the lift spans I = [lo, hi] = [min(c_x, x_src, x_dst), max(...)] of the runway.
                 Cranes cannot cross, so every other crane k must keep out of
                 [lo - (c - k) * d, hi + (k - c) * d] (west of c: at most lo - (c-k)*d;
                 east of c: at least hi + (k-c)*d).  For a busy crane k whose remaining
                 interval [busy_lo, busy_hi] breaks this, the lift would wait for it on
                 arrival: extra += w_interference + max(0, c_free_at[k] - now - T(c, crane -> src)),
                 plus the push from where its lift ends (c_x[k]) if that is in the way too;
                 a late k (c_free_at[k] <= now) makes the lift not planned now.
                 A free crane k that stands in the way would be pushed aside:
                 extra += w_interference + (distance it must move) / c_vx[k].
                 If extra > params[10] (max_interference_s) and a busy crane is in the way,
                 the lift is not planned now (a better placed crane will take it, or the busy
                 one moves on); else cost += extra.  With only free cranes in the way, waiting
                 would change nothing, so the lift stays a candidate at its full cost (else a
                 job only one crane reaches could stall while every crane is free).
    look-ahead   with params[12] (w_lookahead) > 0, a lift that waits for busy cranes also
                 counts what it costs them afterwards.  The lift (reach = T(c, crane -> src))
                 ends at E = wait + ((reach + T(c, src -> dst)) + params[13]), wait = the
                 largest c_free_at[k] - now - reach over the busy cranes k in the way (above)
                 and at least 0, params[13] the handling time of a lift (hoisting, pick, place).
                 Each busy k in the way is ready at r = max(0, c_free_at[k] - now); its next
                 lifts are its greedy lifts (as if free, from c_x[k]: the same store target,
                 coil and relocation target rules) for the open jobs other than this one, each
                 with duration D = (T(k, crane -> src') + T(k, src' -> dst')) + params[13] and
                 span [lo', hi'] as above.  f0 = min over them of r + D; f1 = the same with the
                 start delayed to E (when E > r) for a lift whose span clashes with this one's
                 (k > c: lo' < hi + (k - c) * d; k < c: hi' > lo - (c - k) * d).  delay =
                 sum over these k of f1 - f0 (k without next lifts adds nothing).  If delay > 0
                 and (cost - cost before interference) + w_lookahead * delay > params[10], the
                 lift is not planned now: the neighbour will soon be free and the next decision
                 can pair the two cranes' lifts instead of chaining them.

1 fcfs_nearest: the open job with the smallest ``j_t`` that some free crane can serve; the free
crane nearest to the lift's source (``|c_x - x_src|``); nearest target and nearest coil by travel
time, no penalties and no blocker count.

2 random_free: as 1, but the store/relocation target is drawn uniformly from the targets (in slot
index order) with ``splitmix64(seed + k * 0x9E3779B97F4A7C15) % m``, ``k`` = :attr:`n_calls`
before the call, ``seed`` = ``params[9]`` truncated to an integer (taken modulo 2**64).

Errors: ``ValueError`` (before anything is decided, ``n_calls`` unchanged) when ``params[6]``
or ``params[16]`` is not 0, 1 or 2, or when a crane speed or acceleration is not finite and > 0.

Argmins break ties by the lowest slot index.  Between calls only ``n_calls`` changes; per-call
caches (best target per crane and store job, best coil per crane, grade and bay, relocation
target per crane and coil) keep a decision at O(n * (S + J)) rather than O(n * J * S).
"""

from __future__ import annotations

from math import fabs, nan
from math import inf as INF

from cranesim.codes import (
    P_LIFT_HANDLING,
    P_MAX_INTERF,
    P_OBJECTIVE,
    P_POLICY,
    P_S_PER_KWH,
    P_SAFETY,
    P_SEED,
    P_STATION_FILL,
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
)
from cranesim.physics.kinematics import move_time
from cranesim.sched.state import SchedState

__all__ = ["Scheduler", "splitmix64", "travel_time", "seed_bits", "GOLDEN_GAMMA"]

GOLDEN_GAMMA = 0x9E3779B97F4A7C15
_M64 = 0xFFFFFFFFFFFFFFFF
_SEED_LIMIT = 9.2e18


def splitmix64(x: int) -> int:
    """One SplitMix64 output for state ``x`` (the state is advanced by the golden gamma first)."""
    z = (x + GOLDEN_GAMMA) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


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


def _check_kinematics(st: SchedState) -> None:
    for name in ("c_vx", "c_ax", "c_vy", "c_ay"):
        for v in getattr(st, name).tolist():
            if not 0.0 < v < float("inf"):
                raise ValueError(f"SchedState.{name} = {v!r}: expected a finite value > 0")


class Scheduler:
    """Pure-Python scheduler core (see the module docstring for the rules)."""

    def __init__(self, st: SchedState) -> None:
        st.validate()
        self.state = st
        self.n_calls = 0
        self.last_cost = nan

    # ------------------------------------------------------------------ entry point
    def decide(self, now: float) -> int:
        """Assign at most one lift; fill ``state.out`` and return 1, or return 0."""
        st = self.state
        pol = float(st.params[P_POLICY])
        if pol == 0.0:
            policy = 0
        elif pol == 1.0:
            policy = 1
        elif pol == 2.0:
            policy = 2
        else:
            raise ValueError(f"params[6] = {pol!r}: expected a policy code 0, 1 or 2")
        if float(st.params[P_OBJECTIVE]) not in (0.0, 1.0, 2.0):
            raise ValueError(
                f"params[16] = {float(st.params[P_OBJECTIVE])!r}: expected an objective code 0, 1 or 2"
            )
        _check_kinematics(st)
        k = self.n_calls
        self.n_calls = k + 1
        now = float(now)
        d = _Decision(st, policy, k)
        best = d.greedy(now) if policy == 0 else d.fcfs(policy == 2)
        self.last_cost = d.best_cost
        if best is None:
            return 0
        st.out[0], st.out[1], st.out[2], st.out[3], st.out[4] = best
        return 1


class _Decision:
    """Everything one call of ``decide`` needs: plain-Python copies of the arrays and caches."""

    def __init__(self, st: SchedState, policy: int, k: int) -> None:
        self.policy = policy
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
        self.safety = p[P_SAFETY]
        self.seed = seed_bits(p[P_SEED])
        obj = int(p[P_OBJECTIVE]) if policy == 0 else 0  # the objective applies to greedy only
        self.obj = obj
        self.wt = 0.0 if obj == 1 else 1.0
        self.we = 0.0 if obj == 0 else p[P_S_PER_KWH]
        self.top = p[P_TOP_Z]
        self.w_cover = p[P_W_COVER]
        self.w_finish = p[P_W_FINISH]

        # per-call precomputation: base target feasibility, counts per crane
        greedy = policy == 0
        self.tgt_ok = tgt_ok = [False] * S
        for t in range(S):
            tgt_ok[t] = self._target_base(t)
        self.n_tgt = [0] * self.n
        for c in range(self.n):
            if self.c_free[c]:
                m = 0
                for t in range(S):
                    if tgt_ok[t] and self._reach(c, t):
                        m += 1
                self.n_tgt[c] = m
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
        self.zoned = greedy and self.w_zone > 0.0
        self.store_cache: dict[tuple[int, int], tuple[int, float]] = {}
        self.coil_cache: dict[tuple[int, int], dict[int, tuple[int, int, int, float]]] = {}
        self.reloc_cache: dict[tuple[int, int], int] = {}
        self.t1_cache: dict[int, dict[int, float]] = {}
        self.next_cache: dict[int, list[tuple[int, float, float, float]]] = {}
        self.best_cost = nan

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
        """Upper-layer penalty of putting a coil of grade ``g`` on target ``t`` (greedy)."""
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

    # ------------------------------------------------------------------ relocation exclusions
    def _excluded(self, t: int, s: int, b: int) -> bool:
        return (
            t == b
            or t == self.s_blk0[s]
            or t == self.s_blk1[s]
            or t == self.s_blk0[b]
            or t == self.s_blk1[b]
        )

    def _n_excluded_targets(self, c: int, s: int, b: int) -> int:
        """How many of the (distinct) excluded slots are targets crane c could use."""
        e = (self.s_blk0[s], self.s_blk1[s], self.s_blk0[b], self.s_blk1[b])
        m = 0
        for i in range(4):
            t = e[i]
            if t < 0 or t == b:
                continue
            dup = False
            for i2 in range(i):
                if e[i2] == t:
                    dup = True
            if dup:
                continue
            if self.tgt_ok[t] and self._reach(c, t):
                m += 1
        return m

    def _first_blocker(self, c: int, s: int) -> int:
        for b in (self.s_blk0[s], self.s_blk1[s]):
            if b >= 0 and self.s_coil[b] >= 0 and self._liftable(b) and self._reach(c, b):
                return b
        return -1

    # ------------------------------------------------------------------ cached argmins
    def _store_slot(self, c: int, j: int) -> tuple[int, float]:
        """Best target for store job ``j``'s coil (grade ``j_grade``, mass ``j_mass``, picked at
        ``j_loc``) by crane ``c``: (slot, cost)."""
        src, g, m = self.j_loc[j], self.j_grade[j], self.j_mass[j]
        key = (c, j)
        hit = self.store_cache.get(key)
        if hit is not None:
            return hit
        greedy = self.policy == 0
        best, best_cost = -1, 0.0
        sx, sy = self.loc_x[src], self.loc_y[src]
        for t in range(self.S):
            if not self.tgt_ok[t] or not self._reach(c, t):
                continue
            cost = self._move_cost(
                c, sx, sy, self.loc_x[t], self.loc_y[t], m, self._ehoist(c, t, m, False)
            )
            if greedy and self.s_level[t] != 0:
                cost = cost + self._pen(t, g)
            if self.zoned:
                zp = self._zone_pen(c, self.loc_x[t])
                if zp > 0.0:
                    cost = cost + zp
            if best < 0 or cost < best_cost:
                best, best_cost = t, cost
        self.store_cache[key] = (best, best_cost)
        return best, best_cost

    def _reloc_slot(self, c: int, s: int, b: int) -> int:
        """Best relocation target for blocker ``b`` of the wanted coil ``s`` (crane ``c``)."""
        key = (c, s)
        hit = self.reloc_cache.get(key)
        if hit is not None:
            return hit
        greedy = self.policy == 0
        best, best_cost = -1, 0.0
        bx, by = self.loc_x[b], self.loc_y[b]
        g, m = self.s_grade[b], self.s_mass[b]
        for t in range(self.S):
            if not self.tgt_ok[t] or not self._reach(c, t) or self._excluded(t, s, b):
                continue
            cost = self._move_cost(
                c, bx, by, self.loc_x[t], self.loc_y[t], m, self._ehoist(c, t, m, False)
            )
            if greedy and self.s_level[t] != 0:
                cost = cost + self._pen(t, g)
            if self.zoned:
                zp = self._zone_pen(c, self.loc_x[t])
                if zp > 0.0:
                    cost = cost + zp
            if best < 0 or cost < best_cost:
                best, best_cost = t, cost
        self.reloc_cache[key] = best
        return best

    def _coils(self, c: int, x: int) -> dict[int, tuple[int, int, int, float]]:
        """Best candidate coil per grade for crane ``c`` and bay place ``S + x``.

        grade -> (slot, src, nblk, cost); src is the slot itself or the blocker to move first.
        """
        key = (c, x)
        hit = self.coil_cache.get(key)
        if hit is not None:
            return hit
        greedy = self.policy == 0
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
            if greedy:
                t2 = self._move_cost(c, sx, sy, bx, by, ms, self._ehoist(c, bay, ms, False))
                cost = t1 + t2 + float(nblk) * self.w_reloc
            else:
                cost = t1
            cur = best.get(g)
            if cur is not None and not cost < cur[3]:
                continue
            src = s
            if nblk > 0:
                src = self._first_blocker(c, s)
                if src < 0:
                    continue
                if self.n_tgt[c] - self._n_excluded_targets(c, s, src) <= 0:
                    continue
            best[g] = (s, src, nblk, cost)
        self.coil_cache[key] = best
        return best

    def _wait(self, k: int, now: float, reach: float) -> float:
        """Expected wait for busy crane ``k`` on arriving after ``reach`` s (0 if none); inf
        when ``k`` is late (its own lift is held up: no estimate can be trusted)."""
        w = self.c_free_at[k] - now - reach
        if self.c_free_at[k] <= now:
            return INF
        if w > 0.0:
            return w
        return 0.0

    def _interference(
        self, c: int, cost: float, xs: float, xd: float, now: float, reach: float
    ) -> float:
        """Cost plus pushing free cranes aside and waiting for busy ones; inf past the budget
        when a busy crane is in the way."""
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
        return cost + extra

    def _doomed(self, c: int, x: float, now: float) -> bool:
        """Whether every store lift of crane ``c`` from the station place at ``x`` is past the
        interference budget.

        Such a lift spans at least [min(c_x, x), max(c_x, x)], and every term
        :meth:`_interference` adds grows with the span and is at least 0; a busy crane's wait
        is smallest (0, or infinite when the crane is late) for an infinite ``reach``.  So
        :meth:`_interference` over this span with that reach is a lower bound, and when it is
        ``inf`` so is every lift of the job by this crane: the greedy skips the job for it
        without choosing a target.  A pruning only; decisions are the same without it.  Not
        for retrieve jobs: their lift may be a relocation, which does not go to the bay."""
        return self._interference(c, 0.0, x, x, now, INF) == INF

    # ------------------------------------------------------------------ look-ahead (greedy)
    def _span(self, c: int, xs: float, xd: float) -> tuple[float, float]:
        """Runway span [lo, hi] of a lift of crane c from x = xs to x = xd (as _interference)."""
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

    def _busy_in_way(self, c: int, k: int, lo: float, hi: float) -> bool:
        """Busy crane k's remaining interval breaks the span [lo, hi] of crane c (as _interference)."""
        if k > c:
            return self.c_busy_lo[k] < hi + (k - c) * self.safety
        return self.c_busy_hi[k] > lo - (c - k) * self.safety

    def _lift(self, c: int, j: int) -> tuple[int, int, int, float] | None:
        """The lift crane ``c`` would make for open job ``j`` by the greedy rules: (src, dst,
        kind, cost of the place or coil choice), or None (job out of reach, no target, no
        coil).  kind 0 store, 1 retrieve, 2 relocate."""
        loc = self.j_loc[j]
        if not self._reach(c, loc):
            return None
        if self.j_kind[j] == 0:
            t, slot_cost = self._store_slot(c, j)
            return None if t < 0 else (loc, t, 0, slot_cost)
        hit = self._coils(c, loc - self.S).get(self.j_grade[j])
        if hit is None:
            return None
        s, src, nblk, coil_cost = hit
        if nblk == 0:
            return src, loc, 1, coil_cost
        return src, self._reloc_slot(c, s, src), 2, coil_cost

    def _next_lifts(self, k: int) -> list[tuple[int, float, float, float]]:
        """(job, duration, lo, hi) of the lift crane k would make next for each open job it can
        serve, by the greedy rules, from where it stands (a busy crane: where its lift ends)."""
        rows = self.next_cache.get(k)
        if rows is not None:
            return rows
        S = self.S
        if not self.c_free[k]:  # targets of a busy crane, counted as for the free ones
            m = 0
            for t in range(S):
                if self.tgt_ok[t] and self._reach(k, t):
                    m += 1
            self.n_tgt[k] = m
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

    # ------------------------------------------------------------------ policies
    def greedy(self, now: float) -> tuple[int, int, int, int, int] | None:
        best: tuple[int, int, int, int, int] | None = None
        best_cost = 0.0
        station_bonus = self.w_station * self.station_fill
        for c in range(self.n):
            if not self.c_free[c]:
                continue
            cx, cy = self.c_x[c], self.c_y[c]
            for j in range(self.J):
                if not self._job_open(j):
                    continue
                if self.j_kind[j] == 0 and self._doomed(c, self.loc_x[self.j_loc[j]], now):
                    continue
                lift = self._lift(c, j)
                if lift is None:
                    continue
                src, dst, kind, choice_cost = lift
                if kind == 0:
                    cost = self._move_cost(c, cx, cy, self.loc_x[src], self.loc_y[src], 0.0,
                                           self._ehoist(c, src, self.j_mass[j], True))  # fmt: skip
                    cost = cost + choice_cost - station_bonus
                else:
                    cost = choice_cost - self.w_truck_wait * (now - self.j_t[j]) / 60.0
                    if self.w_finish != 0.0:
                        cost = cost + self.w_finish * float(self.j_rem[j] - 1)
                reach = self._travel(c, cx, cy, self.loc_x[src], self.loc_y[src])
                base = cost
                cost = self._interference(c, cost, self.loc_x[src], self.loc_x[dst], now, reach)
                if cost == INF:
                    continue
                if self.w_look > 0.0:
                    delay = self._lookahead(c, j, src, dst, now, reach)
                    if delay > 0.0 and (cost - base) + self.w_look * delay > self.max_interf:
                        continue
                if best is None or cost < best_cost:
                    best, best_cost = (c, j, src, dst, kind), cost
        if best is not None:
            self.best_cost = best_cost
        return best

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

    def fcfs(self, random_target: bool) -> tuple[int, int, int, int, int] | None:
        S = self.S
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
            if random_target:
                pick = self._draw(self.n_tgt[c])
                dst = -1
                for t in range(S):
                    if self.tgt_ok[t] and self._reach(c, t):
                        if pick == 0:
                            dst = t
                            break
                        pick -= 1
            else:
                dst = self._store_slot(c, j)[0]
            return (c, j, loc, dst, 0)
        s, src, nblk, _ = self._coils(c, loc - S)[self.j_grade[j]]
        if nblk == 0:
            return (c, j, s, loc, 1)
        if random_target:
            pick = self._draw(self.n_tgt[c] - self._n_excluded_targets(c, s, src))
            dst = -1
            for t in range(S):
                if self.tgt_ok[t] and self._reach(c, t) and not self._excluded(t, s, src):
                    if pick == 0:
                        dst = t
                        break
                    pick -= 1
        else:
            dst = self._reloc_slot(c, s, src)
        return (c, j, src, dst, 2)
