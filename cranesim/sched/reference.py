"""Pure-Python scheduler core: the specification and the oracle of ``cranesim._core.scheduler``.

Both cores expose the same class::

    Scheduler(st: SchedState)           # keeps references to st's arrays (never reallocated)
    Scheduler.decide(now: float) -> int # 1 and st.out filled when a lift is assigned, else 0
    Scheduler.n_calls                   # decide() calls so far (drives random_free's draws)
    Scheduler.last_cost                 # score of the last assigned lift (NaN if none): the
                                        # greedy/joint cost (s), or fcfs/random's crane distance (m)

and must return bit-identical decisions: every floating-point expression is evaluated in the
same order as in ``_core/scheduler.pyx`` (the C build uses ``-ffp-contract=off`` so no fused
multiply-add changes a rounding), and every tie is broken the same way (the first candidate in
index order wins; comparisons are strict ``<``).  ``decide`` reads ``st`` and writes only
``st.out``.  It reads every slot at every call, so it ignores the list of slots the writer
notes (``touch``, see :mod:`cranesim.sched.state`); the compiled core reads and empties it.
The rules live in :mod:`cranesim.sched.reference_rules` (predicates, costs, argmins,
interference) and :mod:`cranesim.sched.reference_policies` (the policies, the look-ahead).

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
occupied blocker (``blk0`` before ``blk1``) that is liftable and reachable, dst = an
*admissible* target (below).  A blocked coil is not a candidate when an occupied blocker holds
a coil of grade ``g`` itself (that coil serves the truck: nobody digs under it), or when it has
no such src or no admissible dst.  The job is left untaken: the model asks again once the
relocation is done.

*Admissible* relocation target ``t`` for blocker ``b`` (grade ``h``) of the wanted coil ``s``:
not ``b``, not a blocker of ``s`` nor of ``b`` (the coil is not put back on the wanted coil or
on the coil being lifted), and ``covers(t, h) < frees(b)``, where ``covers(t, h)`` counts the
slots ``t`` blocks (those naming ``t`` in ``s_blk0`` or ``s_blk1``) whose coil is of a grade
other than ``h`` with ``g_demand > 0`` (a grade an open truck job wants), and ``frees(b)`` =
``covers(b, h)``: the wanted coils lifting ``b`` unblocks.
So every relocation lowers the number of (coil on top, wanted coil of another grade underneath)
pairs by at least one; only stores and new truck orders raise it.  No policy can therefore move
a coil back and forth between relocations (the livelock of issue 15: fcfs_nearest put a blocker
on the next coil of the grade and back, thousands of times).

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
    C(c, o -> t, g, m) = M(c, o -> t, m, Hd(t, m)) + pen(t, g) + zpen(c, t): a target's cost
    store        M(c, crane -> src, 0, Hp(src, m)) + [C(c, src -> t, g, m)]
                 - w_station * station_fill, t = argmin of the bracket over targets; the coil's
                 grade g = j_grade and mass m = j_mass of the job
    retrieve     [M(c, crane -> s, 0, Hp(s, m)) + M(c, s -> bay, m, Hd(bay, m)) + nblk * w_reloc]
                 - w_truck_wait * (now - j_t) / 60 (+ params[20] * (j_rem - 1) when params[20]
                 != 0: a truck that needs fewer coils goes first, which shortens the mean
                 turnaround, as shortest-remaining-work first does), m = s_mass[s], s = argmin of the bracket over
                 candidates; a relocation's dst = argmin of C(c, src -> t, gb, mb) over its
                 admissible targets (gb, mb: the blocker's grade and mass)
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
                 and extra + w_lookahead * delay > params[10], the lift is not planned now: the
                 neighbour will soon be free and the next decision can pair the two cranes'
                 lifts instead of chaining them.

3 joint: greedy, except that a store's or a relocation's target is chosen together with the
interference test instead of before it.  For crane c and job j, with the lift's source src
(station place or blocker) and reach = T(c, crane -> src), each target t costs
C(c, src -> t, g, m) + X(t), X(t) = extra of the lift's span [min(c_x, x_src, x_t), max(...)]
(as in *interference*, same reach); a t with X(t) past the budget (a busy crane in the way), or
one the look-ahead holds back (its delay test with that t as dst and extra X(t)), is not a
candidate; ties to the lowest slot index.  Where greedy drops the whole lift because the
nearest place clashes with a busy neighbour (and the crane then idles), joint puts the coil on
the best place that does not.  The lift's cost: a store M(c, crane -> src, 0, Hp) + [best
C + X] - w_station * station_fill; a relocation the retrieve's cost (above, bonuses included)
+ X(dst); a retrieve is scored as under greedy.  No further interference or look-ahead test on
stores and relocations (their targets passed them).  The look-ahead's model of the neighbours'
next lifts keeps the greedy rules.

1 fcfs_nearest (a naive reference): the open job with the smallest ``j_t`` that some free crane
can serve; the free crane nearest to the lift's source (``|c_x - x_src|``); nearest target and
nearest coil by travel time, no penalties and no blocker count.

2 random_free (a naive reference): as 1, but the store/relocation target is drawn uniformly
from the targets (the admissible ones for a relocation, in slot index order) with
``splitmix64(seed + k * 0x9E3779B97F4A7C15) % m``, ``k`` = :attr:`n_calls` before the call,
``seed`` = ``params[9]`` truncated to an integer (taken modulo 2**64).

Errors: ``ValueError`` (before anything is decided, ``n_calls`` unchanged) when ``params[6]``
is not 0, 1, 2 or 3, ``params[16]`` not 0, 1 or 2, or a crane speed or acceleration is not
finite and > 0.

Argmins break ties by the lowest slot index.  Between calls only ``n_calls`` changes; per-call
caches (best target per crane and store job, best coil per crane, grade and bay, relocation
target per crane and coil, joint target per crane and job) keep a decision at
O(n * (S + J)) rather than O(n * J * S).
"""

from __future__ import annotations

from math import nan

from cranesim.codes import P_OBJECTIVE, P_POLICY, POLICY_NAMES, POLICY_RANDOM_FREE, POLICY_ROLLOUT
from cranesim.sched.reference_policies import GOLDEN_GAMMA, splitmix64
from cranesim.sched.reference_rollout import Rollout
from cranesim.sched.reference_rules import seed_bits, travel_time
from cranesim.sched.state import SchedState

__all__ = ["Scheduler", "splitmix64", "travel_time", "seed_bits", "GOLDEN_GAMMA"]

_POLICY_FLOATS = {float(code): code for code in range(len(POLICY_NAMES))}


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

    def decide(self, now: float) -> int:
        """Assign at most one lift; fill ``state.out`` and return 1, or return 0."""
        st = self.state
        pol = float(st.params[P_POLICY])
        policy = _POLICY_FLOATS.get(pol)
        if policy is None:
            raise ValueError(f"params[6] = {pol!r}: expected a policy code 0, 1, 2, 3 or 4")
        if float(st.params[P_OBJECTIVE]) not in (0.0, 1.0, 2.0):
            raise ValueError(
                f"params[16] = {float(st.params[P_OBJECTIVE])!r}: expected an objective code 0, 1 or 2"
            )
        _check_kinematics(st)
        k = self.n_calls
        self.n_calls = k + 1
        now = float(now)
        d = Rollout(st, policy, k)
        if policy == POLICY_ROLLOUT:
            best = d.rollout(now)
        elif d.costed:
            best = d.greedy(now)
        else:
            best = d.fcfs(policy == POLICY_RANDOM_FREE)
        self.last_cost = d.best_cost
        if best is None:
            return 0
        st.out[0], st.out[1], st.out[2], st.out[3], st.out[4] = best
        return 1
