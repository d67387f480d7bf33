"""Compiled scheduler core, built as ``cranesim._core.scheduler``.

One decision: given the :class:`cranesim.sched.state.SchedState` arrays (updated in place by the
model between calls), pick at most one lift (crane, job, source, target, kind) and write it to
``out``.  The rules, the four policies, the cost formulas and the tie breaks are documented in
``cranesim/sched/reference.py``, the pure-Python twin this module must match bit for bit.

Invariants
----------
* ``decide`` writes only ``out``, empties the list of noted slots when the writer notes its
  changes (``touch``, see cranesim.sched.state), and ``n_calls``, ``last_cost`` and the scratch arrays owned by
  this object).  It never assigns a busy crane, a closed job, a booked slot, an unreachable
  place, an unsupported upper slot or a blocked coil, whatever the state.
* Every cost is computed with the same operands in the same order as in the twin, and the
  extension is compiled with ``-ffp-contract=off`` (no fused multiply-add), so costs agree to
  the bit and so do decisions, ties included.
* Per-call caches are scratch arrays allocated in ``__init__`` with a stamp array: an entry is
  valid when its stamp equals ``epoch``, which ``decide`` increments, so nothing is cleared
  between calls and nothing is allocated in ``decide``.
* State carried between calls (the twin has none): copies of s_coil, s_booked, s_grade and
  s_mass as last seen, compared 64 slots at a time (memcmp) by ``_sync``; target feasibility
  with counts per crane and per row; coil bit sets per grade; version counters per grade that
  tell when a crane's coil scan for that grade must be redone; which grades an open truck job
  wants (the relocation rule reads it).  The static arrays (coordinates,
  stacking relations, reach, kinematics, energy coefficients) are read once in ``__init__``.
* Where the twin is literal, this core is faster but gives the same answer:
  - the bridge part of a travel time depends only on x; it is reused along a run of slots with
    the same x (a row), which is the same computation on the same operands;
  - an argmin skips a candidate when a lower bound of its cost (the bridge parts only: a travel
    time is the max of its bridge and trolley parts, and rounding is monotone) is already
    >= the best cost so far; such a candidate could not win (``<`` is strict) and a NaN bound
    never skips;
  - one pass per crane finds the best coil for every (grade, bay) at once, over the bit sets
    of the wanted grades only (in x order), run by run outward from the crane, passing over a
    run whose lower bound (bridge parts) already loses to every list it could enter, so a
    scan does not visit every coil of a grade; it is kept while nothing it read changed;
    while the crane has not moved it is brought up to date from the slots changed since
    (a change log kept by _sync), ties still going to the lowest slot index;
  - the parts of a coil's cost that do not depend on where the crane stands (the loaded leg to
    the bay, the pick's hoisting) are kept per slot until the slot changes;
  - a store or relocation target is searched outward from the origin in x, a row at a time,
    and within a row outward in y over its targets only (a bit set in y order), and each side
    ends where a lower bound of every remaining target's cost exceeds the best
    (``_best_target_near``); ties go to the lowest slot index, as in a scan in index order.
    So neither search grows with the number of places in a row (the widened bays of
    benchmarks/bench_scale.py).
* Compiler directives (boundscheck, wraparound, cdivision, ...) are set in setup.py only.
"""

cimport cython
from libc.math cimport INFINITY, NAN, fabs, sqrt
from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libc.string cimport memcmp

from codes cimport (
    LIFT_RELOCATE, LIFT_RETRIEVE, LIFT_STORE, POLICY_FCFS_NEAREST, POLICY_GREEDY, POLICY_JOINT,
    POLICY_RANDOM_FREE, POLICY_ROLLOUT,
    P_LIFT_HANDLING, P_MAX_INTERF, P_OBJECTIVE, P_POLICY, P_ROLL_CANDS, P_ROLL_JOBS, P_ROLL_MARGIN,
    P_S_PER_KWH, P_SAFETY, P_SEED, P_STATION_FILL, P_STATION_FIRST,
    P_TOP_Z, P_W_BLOCK_DEMAND, P_W_COVER, P_W_FINISH, P_W_INTERFERENCE, P_W_LOOKAHEAD, P_W_RELOC,
    P_W_STATION, P_W_TRUCK_WAIT, P_W_UPPER, P_W_ZONE,
)

import numpy as np

__all__ = ["Scheduler", "SlotWriter", "py_move_time", "py_travel_time", "py_splitmix64", "py_seed_bits"]

cdef extern from *:
    int __builtin_ctzll(unsigned long long x) noexcept nogil
    int __builtin_clzll(unsigned long long x) noexcept nogil


cdef uint64_t GOLDEN_GAMMA = <uint64_t>0x9E3779B97F4A7C15ULL
cdef enum:
    CHG_CAP = 1024  # changed slots remembered for _rescan_changes (more since a scan: rescan)
    RK = 3  # coil scans keep this many best candidates per (crane, grade, bay) (_rk_insert)


cdef inline double move_time(double d, double v, double a) noexcept nogil:
    """Rest-to-rest trapezoid move over |d| (exactly cranesim.physics.kinematics.move_time)."""
    d = fabs(d)
    if d <= 0.0:
        return 0.0
    if d >= v * v / a:
        return d / v + v / a
    return 2.0 * sqrt(d / a)


cdef inline double travel_time(double xa, double ya, double xb, double yb,
                               double vx, double ax, double vy, double ay) noexcept nogil:
    """Bridge and trolley move together: the slower axis decides."""
    cdef double tx = move_time(fabs(xb - xa), vx, ax)
    cdef double ty = move_time(fabs(yb - ya), vy, ay)
    return tx if tx >= ty else ty


cdef inline double move_time_k(double d, double v, double a, double thr, double va) noexcept nogil:
    """move_time with thr = v * v / a and va = v / a computed beforehand (same result, bit for bit)."""
    d = fabs(d)
    if d <= 0.0:
        return 0.0
    if d >= thr:
        return d / v + va
    return 2.0 * sqrt(d / a)


cdef inline uint64_t splitmix64(uint64_t x) noexcept nogil:
    """One SplitMix64 output for state x (advanced by the golden gamma first); wraps mod 2**64."""
    cdef uint64_t z = x + <uint64_t>0x9E3779B97F4A7C15ULL
    z = (z ^ (z >> 30)) * <uint64_t>0xBF58476D1CE4E5B9ULL
    z = (z ^ (z >> 27)) * <uint64_t>0x94D049BB133111EBULL
    return z ^ (z >> 31)


cdef inline uint64_t seed_bits(double p) noexcept nogil:
    """params[9] as seed bits: truncated toward zero, modulo 2**64; 0 when out of range or NaN."""
    if p >= -9.2e18 and p <= 9.2e18:
        return <uint64_t>(<int64_t>p)
    return 0



def py_move_time(double d, double v, double a) -> float:
    """The core's ``move_time`` (for tests against :func:`cranesim.physics.kinematics.move_time`)."""
    return move_time(d, v, a)


def py_travel_time(double xa, double ya, double xb, double yb,
                   double vx, double ax, double vy, double ay) -> float:
    """The core's travel time (for tests)."""
    return travel_time(xa, ya, xb, yb, vx, ax, vy, ay)


def py_splitmix64(x) -> int:
    """The core's SplitMix64 (for tests); ``x`` is taken modulo 2**64."""
    return splitmix64(<uint64_t>(x & 0xFFFFFFFFFFFFFFFF))


def py_seed_bits(double p) -> int:
    """The core's conversion of ``params[9]`` to seed bits (for tests)."""
    return seed_bits(p)


def _raise_kinematics(st):
    for name in ("c_vx", "c_ax", "c_vy", "c_ay"):
        for v in getattr(st, name).tolist():
            if not 0.0 < v < float("inf"):
                raise ValueError(f"SchedState.{name} = {v!r}: expected a finite value > 0")


@cython.final
cdef class Scheduler:
    """Compiled scheduler core (same interface as ``cranesim.sched.reference.Scheduler``)."""

    # the SchedState (kept alive; its arrays are viewed below, never reacquired)
    cdef readonly object state
    # decide() calls so far; call k draws random_free's target from splitmix64(seed + k * gamma)
    cdef readonly int64_t n_calls
    # score of the last assigned lift, NaN if none: greedy cost (s) or fcfs/random distance (m)
    cdef readonly double last_cost

    # sizes: cranes, locations, slots (first S locations), job capacity, grades, non-slot places
    cdef Py_ssize_t n, L, S, J, G, NX

    # ---- views of the SchedState arrays (read only, except out)
    cdef const double[::1] c_x, c_y, c_lo, c_hi, c_busy_lo, c_busy_hi, c_free_at, c_vx, c_ax, c_vy, c_ay
    cdef const uint8_t[::1] c_free
    cdef const double[::1] loc_x, loc_y, loc_z
    cdef const double[::1] s_mass, j_mass, c_e
    cdef const int64_t[::1] s_coil
    cdef const int32_t[::1] s_grade, s_level, s_sup0, s_sup1, s_blk0, s_blk1
    cdef const uint8_t[::1] s_booked
    cdef const uint8_t[::1] j_active, j_taken
    cdef const int32_t[::1] j_kind, j_loc, j_grade
    cdef const double[::1] j_t
    cdef const int32_t[::1] j_rem
    cdef const int32_t[::1] g_demand
    cdef const double[::1] params
    cdef int64_t[::1] out
    cdef int64_t[::1] touch, touch_list             # changes noted by the writer (written: emptied)
    cdef uint8_t[::1] s_touched

    # ---- per-call parameters (copied from params at the start of each decide)
    cdef int policy
    cdef bint costed, joint                       # greedy or joint (costs, penalties); joint
    cdef double w_reloc, w_station, w_truck_wait, w_upper, w_block_demand, w_interference, max_interf
    cdef double station_fill, safety, station_first
    cdef double w_zone, zone_lo, zone_w           # crane zones (greedy targets), see the twin
    cdef int obj                                  # greedy's travel measure: 0 time, 1 energy, 2 mix
    cdef double wt, we, top, w_cover              # its weights, hook travel height, cover penalty
    cdef double w_finish                          # retrieve: per other coil its truck still needs
    cdef double w_look, lift_handling             # greedy look-ahead (params[12], [13]), see the twin
    cdef double roll_margin, roll_jobs, roll_cands  # rollout (params[14], [15], [21])
    cdef bint zoned
    cdef uint64_t seed
    cdef int64_t k

    # ---- scratch, allocated once in __init__; entries are valid when their stamp == epoch
    cdef int64_t epoch
    cdef uint8_t[::1] tgt_ok                      # [S] empty, unbooked, supported (kept in sync)
    cdef double[::1] thr_x, va_x, thr_y, va_y     # [n] v*v/a and v/a per crane and axis
    cdef uint8_t[::1] bay_ok                      # [NX] scan_coils: crane reaches place S+x
    cdef Py_ssize_t[::1] n_tgt                    # [n] targets crane c reaches (kept in sync)
    cdef Py_ssize_t[::1] n_low                    # [n] ... of them that block no slot
    cdef Py_ssize_t[::1] c_order                  # [n] the order greedy tries the cranes in

    # ---- state carried between calls, brought up to date by _sync at the start of each call
    cdef bint primed                              # False until the first full build
    cdef int64_t[::1] prev_coil                   # [S] s_coil, s_booked, s_grade as last seen
    cdef uint8_t[::1] prev_booked
    cdef int32_t[::1] prev_grade
    cdef Py_ssize_t[::1] dep_ptr, dep_idx         # CSR: slots that rest on slot s (from s_sup*)
    cdef Py_ssize_t W                             # 64-bit words per grade bit set
    cdef uint64_t[::1] gbits                      # [G*W] bit p of set g: s_grade[xorder[p]] == g
    cdef Py_ssize_t[::1] xpos                     # [S] a slot's position in xorder
    cdef Py_ssize_t[::1] xorder                   # [S] slots sorted by (loc_x, index)
    cdef Py_ssize_t[::1] yorder                   # [S] each run's slots by (loc_y, index), in its positions
    cdef double[::1] ysorted                      # [S] loc_y in that order
    cdef Py_ssize_t[::1] ypos                     # [S] a slot's position in yorder
    cdef uint64_t[::1] ybits                      # [(S+63)//64] bit q: slot yorder[q] is a target
    cdef double[::1] xsorted                      # [S] loc_x in that order
    cdef Py_ssize_t[::1] run_of_pos, run_of_slot  # runs: maximal stretches of xorder with one x
    cdef Py_ssize_t[::1] run_lo, run_hi           # [R] first and last position of each run
    cdef Py_ssize_t[::1] run_ntgt                 # [R] targets in the run (kept in sync)
    cdef Py_ssize_t[::1] run_nlow                 # [R] ... of them on the lower layer
    cdef bint near_ok                             # this call: targets may be searched outward
    cdef bint near_joint_ok                       # ... also by the joint choice (interference >= 0)
    cdef bint eb_ok                               # this call: energy lower bounds hold (see _txb)
    cdef double[::1] zlev                         # distinct loc_z of the slots (for hoist bounds)
    cdef double[::1] prev_mass                    # [S] s_mass as last seen (compared bitwise)
    # coil scans kept between calls per (crane, grade) while nothing they read has changed
    cdef int64_t sver, cfg_ver                    # any slot changed; policy/w_reloc/objective changed
    cdef int64_t[::1] gver                        # [G] a slot of grade g or a blocker of one changed
    cdef Py_ssize_t[::1] rb_ptr, rb_idx           # CSR: slots that slot b blocks (s_blk*[s] == b)
    cdef int64_t[::1] cg_gver, cg_sver, cg_cfg    # [n*G] versions the scan of (c, g) saw
    cdef double[::1] cg_x, cg_y                   # [n*G] crane position it saw
    cdef uint64_t[::1] cg_mask                    # [n*G] wanted bay places it served
    cdef uint8_t[::1] cg_ok, cg_tdep              # [n*G] valid; it looked at a blocked coil
    cdef uint8_t[::1] cg_easy                     # [n*G] at the scan: > 4 lower targets, g wanted
    cdef int64_t[::1] cg_dver                     # [n*G] dver the scan saw
    cdef int64_t dver                             # the set of wanted grades changed
    cdef uint8_t[::1] prev_dem                    # [G] g_demand[g] > 0 as last seen (2: unknown)
    cdef int64_t[::1] cg_chg                      # [n*G] chg_n at the scan (or its last update)
    cdef Py_ssize_t[::1] chg_log                  # [CHG_CAP] slots changed, in order (ring)
    cdef int64_t chg_n                            # slots logged so far
    # parts of a coil's cost that do not depend on where the crane stands, kept per slot while
    # its coil stays (entries are valid when their stamp equals the slot's sl_stamp)
    cdef int64_t[::1] sl_stamp                    # [S] a new value whenever the slot changes
    cdef int64_t stamp_ctr, pc_cfg                # last stamp given; cfg_ver the entries hold
    cdef double[::1] t2_val                       # [n*S*NX] _t2: loaded leg to bay place S+x
    cdef int64_t[::1] t2_stamp
    cdef double[::1] hp_val                       # [n*S] _hp: the pick's hoist energy
    cdef int64_t[::1] hp_stamp
    cdef int last_policy, last_obj
    cdef double last_w_reloc, last_we, last_top
    cdef int64_t[::1] need_stamp                  # [G*NX] an open retrieve job wants (g, bay)
    cdef int64_t[::1] need_any                    # [G] ... (g, any bay)
    cdef int64_t[::1] st_stamp                    # [n*J] best target for store job j, crane c
    cdef Py_ssize_t[::1] st_slot
    cdef double[::1] st_cost
    cdef Py_ssize_t[::1] gx_cnt, gx_list          # [G], [G*NX] scan_coils: wanted bay places per grade
    cdef int64_t[::1] rc_stamp                    # [n] coil scan done for crane c
    cdef Py_ssize_t[::1] rk_n, rk_bs               # [n*G*NX] candidates listed; boundary slot
    cdef double[::1] rk_bc                        # [n*G*NX] boundary cost
    cdef Py_ssize_t[::1] rk_slot, rk_src, rk_nblk  # [n*G*NX*RK] the RK best coils per (c, g, bay), best first
    cdef double[::1] rk_cost
    cdef int64_t[::1] rl_stamp                    # [n*S] relocation target for (c, wanted coil)
    cdef Py_ssize_t[::1] rl_dst
    cdef int64_t[::1] nx_stamp                    # [n] look-ahead: next lifts of crane k known
    cdef uint8_t[::1] nx_ok                       # [n*J] crane k has a next lift for job j
    cdef double[::1] nx_dur, nx_lo, nx_hi         # [n*J] its duration and runway span
    cdef int64_t[::1] jt_stamp                    # [n*J] joint target for job j, crane c
    cdef Py_ssize_t[::1] jt_slot
    cdef double[::1] jt_cost, jt_extra
    # rollout scratch: candidates [n*J], the plan's lifts per (crane, job) [n*J], plan state
    cdef Py_ssize_t n_cd
    cdef double[::1] cd_cost
    cdef Py_ssize_t[::1] cd_c, cd_j, cd_src, cd_dst, cd_kind, cd_want, cd_keep
    cdef uint8_t[::1] lg_ok
    cdef Py_ssize_t[::1] lg_a, lg_b, lg_s2, lg_b2
    cdef uint8_t[::1] pj_in, pj_stage, idle
    cdef Py_ssize_t[::1] pj_list, fr_a, fr_b
    cdef double[::1] pj_ready, avail, px, py
    cdef Py_ssize_t n_pl, _n_pj
    cdef Py_ssize_t[::1] pl_k
    cdef double[::1] pl_s, pl_e, pl_lo, pl_hi, cl_s, cl_e


    def __init__(self, st):  # a cranesim.sched.state.SchedState (see the .pyi)
        st.validate()
        self.state = st
        self.n_calls = 0
        self.last_cost = NAN
        self.epoch = 0
        self.n = st.n_cranes
        self.L = st.n_locs
        self.S = st.n_slots
        self.J = st.job_capacity
        self.G = st.n_grades
        self.NX = self.L - self.S

        self.c_x = st.c_x
        self.c_y = st.c_y
        self.c_free = st.c_free
        self.c_lo = st.c_lo
        self.c_hi = st.c_hi
        self.c_busy_lo = st.c_busy_lo
        self.c_busy_hi = st.c_busy_hi
        self.c_free_at = st.c_free_at
        self.c_vx = st.c_vx
        self.c_ax = st.c_ax
        self.c_vy = st.c_vy
        self.c_ay = st.c_ay
        self.loc_x = st.loc_x
        self.loc_y = st.loc_y
        self.loc_z = st.loc_z
        self.s_mass = st.s_mass
        self.j_mass = st.j_mass
        self.c_e = st.c_e
        self.s_coil = st.s_coil
        self.s_grade = st.s_grade
        self.s_booked = st.s_booked
        self.touch = st.touch
        self.touch_list = st.touch_list
        self.s_touched = st.s_touched
        self.s_level = st.s_level
        self.s_sup0 = st.s_sup0
        self.s_sup1 = st.s_sup1
        self.s_blk0 = st.s_blk0
        self.s_blk1 = st.s_blk1
        self.j_active = st.j_active
        self.j_taken = st.j_taken
        self.j_kind = st.j_kind
        self.j_loc = st.j_loc
        self.j_grade = st.j_grade
        self.j_t = st.j_t
        self.j_rem = st.j_rem
        self.g_demand = st.g_demand
        self.params = st.params
        self.out = st.out

        cdef Py_ssize_t n = self.n, S = self.S, G = self.G, NX = self.NX
        self.tgt_ok = np.zeros(S, dtype=np.uint8)
        # greedy tries the middle cranes first (see _greedy): by |c - (n - 1) / 2|, then index
        self.c_order = np.array(sorted(range(n), key=lambda k: (abs(2 * k - (n - 1)), k)), dtype=np.intp)
        self.thr_x = np.zeros(n, dtype=np.float64)
        self.va_x = np.zeros(n, dtype=np.float64)
        self.thr_y = np.zeros(n, dtype=np.float64)
        self.va_y = np.zeros(n, dtype=np.float64)
        self.bay_ok = np.zeros(NX, dtype=np.uint8)
        self.sl_stamp = np.zeros(max(S, 1), dtype=np.int64)
        self.chg_log = np.zeros(CHG_CAP, dtype=np.intp)
        self.chg_n = 0
        self.stamp_ctr = 0
        self.pc_cfg = -1
        self.t2_val = np.zeros(max(n * S * NX, 1), dtype=np.float64)
        self.t2_stamp = np.full(max(n * S * NX, 1), -1, dtype=np.int64)
        self.hp_val = np.zeros(max(n * S, 1), dtype=np.float64)
        self.hp_stamp = np.full(max(n * S, 1), -1, dtype=np.int64)
        self.need_any = np.zeros(G, dtype=np.int64)
        self.n_tgt = np.zeros(n, dtype=np.intp)
        self.n_low = np.zeros(n, dtype=np.intp)
        self.need_stamp = np.zeros(G * NX, dtype=np.int64)
        self.st_stamp = np.zeros(max(n * self.J, 1), dtype=np.int64)
        self.st_slot = np.full(max(n * self.J, 1), -1, dtype=np.intp)
        self.st_cost = np.zeros(max(n * self.J, 1), dtype=np.float64)
        self.rc_stamp = np.zeros(n, dtype=np.int64)
        self.gx_cnt = np.zeros(max(G, 1), dtype=np.intp)
        self.gx_list = np.zeros(max(G * NX, 1), dtype=np.intp)
        self.rk_n = np.zeros(n * G * NX, dtype=np.intp)
        self.rk_bs = np.full(n * G * NX, S, dtype=np.intp)
        self.rk_bc = np.full(n * G * NX, INFINITY, dtype=np.float64)
        self.rk_slot = np.full(n * G * NX * RK, -1, dtype=np.intp)
        self.rk_src = np.full(n * G * NX * RK, -1, dtype=np.intp)
        self.rk_nblk = np.zeros(n * G * NX * RK, dtype=np.intp)
        self.rk_cost = np.zeros(n * G * NX * RK, dtype=np.float64)
        self.rl_stamp = np.zeros(n * S, dtype=np.int64)
        self.rl_dst = np.full(n * S, -1, dtype=np.intp)
        # carried state (see _sync); the stacking relations and coordinates are static
        self.primed = False
        self.prev_coil = np.zeros(S, dtype=np.int64)
        self.prev_booked = np.zeros(S, dtype=np.uint8)
        self.prev_grade = np.zeros(S, dtype=np.int32)
        sup = np.stack([st.s_sup0[:S], st.s_sup1[:S]]).astype(np.intp)
        rest = np.repeat(np.arange(S, dtype=np.intp)[None, :], 2, axis=0)
        keep = (sup >= 0) & (sup < S)
        sup, rest = sup[keep], rest[keep]
        order = np.lexsort((rest, sup))
        self.dep_idx = np.ascontiguousarray(rest[order], dtype=np.intp)
        self.dep_ptr = np.searchsorted(sup[order], np.arange(S + 1)).astype(np.intp)
        self.W = (S + 63) // 64
        self.gbits = np.zeros(max(G * self.W, 1), dtype=np.uint64)
        xs = np.asarray(st.loc_x[:S], dtype=np.float64)
        self.xorder = np.lexsort((np.arange(S), xs)).astype(np.intp)
        self.xsorted = np.ascontiguousarray(xs[np.asarray(self.xorder)])
        xp = np.zeros(max(S, 1), dtype=np.intp)
        xp[np.asarray(self.xorder)[:S]] = np.arange(S)
        self.xpos = xp
        # runs: maximal stretches of xorder with one x (a row); a slot's run, each run's ends
        new_run = np.diff(np.asarray(self.xsorted), prepend=np.nan) != 0.0  # NaN: first is new
        run_of_pos = np.cumsum(new_run) - 1
        starts = np.flatnonzero(new_run)
        R = starts.size
        self.run_of_pos = np.ascontiguousarray(run_of_pos if S else np.zeros(1), dtype=np.intp)
        self.run_lo = np.ascontiguousarray(starts if R else np.zeros(1), dtype=np.intp)
        self.run_hi = np.ascontiguousarray(np.append(starts[1:], S) - 1 if R else np.zeros(1), dtype=np.intp)
        ros = np.zeros(max(S, 1), dtype=np.intp)
        ros[np.asarray(self.xorder)] = run_of_pos
        self.run_of_slot = ros
        self.run_ntgt = np.zeros(max(R, 1), dtype=np.intp)
        # within each run (at its positions run_lo..run_hi), its slots by (y, index)
        ys = np.asarray(st.loc_y[:S], dtype=np.float64)
        yo = np.lexsort((np.arange(S), ys, ros[:S])) if S else np.zeros(1, dtype=np.intp)
        self.yorder = np.ascontiguousarray(yo, dtype=np.intp)
        self.ysorted = np.ascontiguousarray(ys[yo] if S else np.zeros(1), dtype=np.float64)
        ypos = np.zeros(max(S, 1), dtype=np.intp)
        ypos[yo[:S]] = np.arange(S)
        self.ypos = ypos
        self.ybits = np.zeros(max((S + 63) // 64, 1), dtype=np.uint64)
        self.run_nlow = np.zeros(max(R, 1), dtype=np.intp)
        # coil scan caches; reverse blocker relation
        blk = np.stack([st.s_blk0[:S], st.s_blk1[:S]]).astype(np.intp)
        under = np.repeat(np.arange(S, dtype=np.intp)[None, :], 2, axis=0)
        keep = (blk >= 0) & (blk < S)
        blk, under = blk[keep], under[keep]
        order = np.lexsort((under, blk))
        self.rb_idx = np.ascontiguousarray(under[order], dtype=np.intp) if under.size else np.zeros(1, np.intp)
        self.rb_ptr = np.searchsorted(blk[order], np.arange(S + 1)).astype(np.intp)
        self.sver = 0
        self.cfg_ver = 0
        self.gver = np.zeros(max(G, 1), dtype=np.int64)
        self.cg_gver = np.zeros(max(n * G, 1), dtype=np.int64)
        self.cg_sver = np.zeros(max(n * G, 1), dtype=np.int64)
        self.cg_cfg = np.zeros(max(n * G, 1), dtype=np.int64)
        self.cg_x = np.zeros(max(n * G, 1), dtype=np.float64)
        self.cg_y = np.zeros(max(n * G, 1), dtype=np.float64)
        self.cg_mask = np.zeros(max(n * G, 1), dtype=np.uint64)
        self.cg_ok = np.zeros(max(n * G, 1), dtype=np.uint8)
        self.cg_tdep = np.zeros(max(n * G, 1), dtype=np.uint8)
        self.cg_easy = np.zeros(max(n * G, 1), dtype=np.uint8)
        self.cg_dver = np.zeros(max(n * G, 1), dtype=np.int64)
        self.dver = 0
        self.prev_dem = np.full(max(G, 1), 2, dtype=np.uint8)
        self.cg_chg = np.zeros(max(n * G, 1), dtype=np.int64)
        self.last_policy = -1
        self.last_obj = -1
        self.last_w_reloc = NAN
        self.last_we = NAN
        self.last_top = NAN
        self.eb_ok = False
        zl = np.unique(np.asarray(st.loc_z[:S], dtype=np.float64))
        self.zlev = np.ascontiguousarray(zl if zl.size else np.zeros(1), dtype=np.float64)
        self.prev_mass = np.zeros(max(S, 1), dtype=np.float64)
        cdef Py_ssize_t J = self.J
        self.nx_stamp = np.zeros(n, dtype=np.int64)
        self.nx_ok = np.zeros(n * J, dtype=np.uint8)
        self.nx_dur = np.zeros(n * J, dtype=np.float64)
        self.nx_lo = np.zeros(n * J, dtype=np.float64)
        self.nx_hi = np.zeros(n * J, dtype=np.float64)
        self.jt_stamp = np.zeros(max(n * J, 1), dtype=np.int64)
        self.jt_slot = np.full(max(n * J, 1), -1, dtype=np.intp)
        self.jt_cost = np.zeros(max(n * J, 1), dtype=np.float64)
        self.jt_extra = np.zeros(max(n * J, 1), dtype=np.float64)
        nj = max(n * J, 1)
        self.cd_cost = np.zeros(nj, dtype=np.float64)
        self.cd_c = np.zeros(nj, dtype=np.intp)
        self.cd_j = np.zeros(nj, dtype=np.intp)
        self.cd_src = np.zeros(nj, dtype=np.intp)
        self.cd_dst = np.zeros(nj, dtype=np.intp)
        self.cd_kind = np.zeros(nj, dtype=np.intp)
        self.cd_want = np.zeros(nj, dtype=np.intp)
        self.cd_keep = np.zeros(nj, dtype=np.intp)
        self.lg_a = np.zeros(nj, dtype=np.intp)
        self.lg_b = np.zeros(nj, dtype=np.intp)
        self.lg_s2 = np.zeros(nj, dtype=np.intp)
        self.lg_b2 = np.zeros(nj, dtype=np.intp)
        self.lg_ok = np.zeros(nj, dtype=np.uint8)
        self.pj_in = np.zeros(max(J, 1), dtype=np.uint8)
        self.pj_stage = np.zeros(max(J, 1), dtype=np.uint8)
        self.pj_list = np.zeros(max(J, 1), dtype=np.intp)
        self.fr_a = np.zeros(max(J, 1), dtype=np.intp)
        self.fr_b = np.zeros(max(J, 1), dtype=np.intp)
        self.pj_ready = np.zeros(max(J, 1), dtype=np.float64)
        self.idle = np.zeros(n, dtype=np.uint8)
        self.avail = np.zeros(n, dtype=np.float64)
        self.px = np.zeros(n, dtype=np.float64)
        self.py = np.zeros(n, dtype=np.float64)
        npl = n + 2 * J + 2  # busy cranes' lifts, two lifts per job, the first
        self.pl_k = np.zeros(npl, dtype=np.intp)
        self.pl_s = np.zeros(npl, dtype=np.float64)
        self.pl_e = np.zeros(npl, dtype=np.float64)
        self.pl_lo = np.zeros(npl, dtype=np.float64)
        self.pl_hi = np.zeros(npl, dtype=np.float64)
        self.cl_s = np.zeros(npl, dtype=np.float64)
        self.cl_e = np.zeros(npl, dtype=np.float64)

    def decide(self, double now) -> int:
        """Assign at most one lift; fill ``state.out`` and return 1, or return 0."""
        cdef double pol = self.params[P_POLICY]
        cdef int r
        cdef Py_ssize_t c
        if pol == 0.0:
            self.policy = POLICY_GREEDY
        elif pol == 1.0:
            self.policy = POLICY_FCFS_NEAREST
        elif pol == 2.0:
            self.policy = POLICY_RANDOM_FREE
        elif pol == 3.0:
            self.policy = POLICY_JOINT
        elif pol == 4.0:
            self.policy = POLICY_ROLLOUT
        else:
            raise ValueError(f"params[6] = {pol!r}: expected a policy code 0, 1, 2, 3 or 4")
        if not (self.params[P_OBJECTIVE] == 0.0 or self.params[P_OBJECTIVE] == 1.0 or self.params[P_OBJECTIVE] == 2.0):
            raise ValueError(f"params[16] = {self.params[P_OBJECTIVE]!r}: expected an objective code 0, 1 or 2")
        for c in range(self.n):
            # speeds and accelerations divide: a zero, negative or non-finite one is an error
            # (the twin would raise ZeroDivisionError or disagree), reported the twin's way
            if not (0.0 < self.c_vx[c] < INFINITY and 0.0 < self.c_ax[c] < INFINITY
                    and 0.0 < self.c_vy[c] < INFINITY and 0.0 < self.c_ay[c] < INFINITY):
                _raise_kinematics(self.state)
        self.k = self.n_calls
        self.n_calls += 1
        with nogil:
            r = self._decide(now)
        return r

    # ------------------------------------------------------------------ one decision
    cdef int _decide(self, double now) except -1 nogil:
        self.epoch += 1
        self.last_cost = NAN
        self.w_reloc = self.params[P_W_RELOC]
        self.w_station = self.params[P_W_STATION]
        self.w_truck_wait = self.params[P_W_TRUCK_WAIT]
        self.w_upper = self.params[P_W_UPPER]
        self.w_block_demand = self.params[P_W_BLOCK_DEMAND]
        self.w_interference = self.params[P_W_INTERFERENCE]
        self.max_interf = self.params[P_MAX_INTERF]
        self.w_zone = self.params[P_W_ZONE]
        self.w_look = self.params[P_W_LOOKAHEAD]
        self.lift_handling = self.params[P_LIFT_HANDLING]
        self.station_fill = self.params[P_STATION_FILL]
        self.station_first = self.params[P_STATION_FIRST]
        self.safety = self.params[P_SAFETY]
        self.seed = seed_bits(self.params[P_SEED])
        self.costed = (self.policy == POLICY_GREEDY or self.policy == POLICY_JOINT
                       or self.policy == POLICY_ROLLOUT)
        self.joint = self.policy == POLICY_JOINT or self.policy == POLICY_ROLLOUT
        self.roll_margin = self.params[P_ROLL_MARGIN]
        self.roll_jobs = self.params[P_ROLL_JOBS]
        self.roll_cands = self.params[P_ROLL_CANDS]
        self.obj = <int>self.params[P_OBJECTIVE] if self.costed else 0
        self.wt = 0.0 if self.obj == 1 else 1.0
        self.we = 0.0 if self.obj == 0 else self.params[P_S_PER_KWH]
        self.top = self.params[P_TOP_Z]
        self.w_cover = self.params[P_W_COVER]
        self.w_finish = self.params[P_W_FINISH]
        self._prepare()
        if self.costed:
            if self.station_fill >= self.station_first and self._greedy(now, True):
                return 1  # the station first: its stores only, if any has a lift
            return self._greedy(now, False)
        return self._fcfs(self.policy == POLICY_RANDOM_FREE)

    cdef void _prepare(self) noexcept nogil:
        """Per-call constants, targets and bit sets brought up to date, wanted (g, bay)."""
        cdef Py_ssize_t c, j, m
        cdef bint greedy = self.costed
        cdef double v, a, zl, zh
        cdef uint8_t dem
        if not (self.policy == self.last_policy and self.obj == self.last_obj
                and self.w_reloc == self.last_w_reloc and self.we == self.last_we
                and self.top == self.last_top):  # (a NaN never matches: no scan kept)
            self.cfg_ver += 1
            self.last_policy = self.policy
            self.last_obj = self.obj
            self.last_w_reloc = self.w_reloc
            self.last_we = self.we
            self.last_top = self.top
        zl = self.c_lo[0]
        zh = self.c_hi[0]
        for c in range(1, self.n):
            if self.c_lo[c] < zl:
                zl = self.c_lo[c]
            if self.c_hi[c] > zh:
                zh = self.c_hi[c]
        self.zone_lo = zl
        self.zone_w = (zh - zl) / <double>self.n
        self.zoned = greedy and self.w_zone > 0.0
        for c in range(self.n):
            # the constant parts of move_time, computed with the same operations
            v = self.c_vx[c]
            a = self.c_ax[c]
            self.thr_x[c] = v * v / a
            self.va_x[c] = v / a
            v = self.c_vy[c]
            a = self.c_ay[c]
            self.thr_y[c] = v * v / a
            self.va_y[c] = v / a
        self._sync()
        # outward target search (_best_target_near) needs penalties >= 0: non-negative weights
        # and grade demands (the zone penalty is >= 0 by construction); otherwise the full scan
        # energy and mix: bounds need travel coefficients >= 0 (hoisting may be < 0: regeneration;
        # _hmin takes care of it)
        self.eb_ok = self.obj != 0 and 0.0 <= self.we < INFINITY
        if self.eb_ok:
            for m in range(8 * self.n):
                if not (0.0 <= self.c_e[16 * (m // 8) + m % 8] < INFINITY):
                    self.eb_ok = False
        self.near_ok = self.obj == 0 or self.eb_ok
        if greedy:
            if not (0.0 <= self.w_upper < INFINITY and 0.0 <= self.w_block_demand < INFINITY
                    and 0.0 <= self.w_cover < INFINITY):
                self.near_ok = False
            for m in range(self.G):
                if self.g_demand[m] < 0:
                    self.near_ok = False
        # the joint choice adds the interference extra, >= 0 and growing outward when
        # w_interference >= 0 (see _best_target_near)
        self.near_joint_ok = self.near_ok and self.w_interference >= 0.0
        for m in range(self.G):  # the wanted grades (the relocation rule reads them)
            dem = 1 if self.g_demand[m] > 0 else 0
            if dem != self.prev_dem[m]:
                self.prev_dem[m] = dem
                self.dver += 1
        for j in range(self.J):
            if self._job_open(j) and self.j_kind[j] == 1:
                self.need_stamp[self.j_grade[j] * self.NX + (self.j_loc[j] - self.S)] = self.epoch
                self.need_any[self.j_grade[j]] = self.epoch

    cdef void _sync(self) noexcept nogil:
        """Bring tgt_ok, n_tgt and the grade bit sets up to date with s_coil, s_booked, s_grade
        (and s_mass, which the coil scans read under the energy and mix objectives).

        The model changes a few slots between calls.  When it notes them (touch[0] = 1, see
        cranesim.sched.state) only the noted slots are compared with the copies taken at the
        last call, and the list is emptied; otherwise the slot arrays are compared with the
        copies, 64 slots at a time (memcmp).  A changed slot has its own target feasibility and
        that of the slots resting on it recomputed, and moves between grade bit sets.  The
        first call builds everything.  The result equals a full recomputation (tested against
        the twin, which recomputes everything every call).
        """
        cdef Py_ssize_t S = self.S, G = self.G, W = self.W, s, a, e, i, c, n
        cdef int32_t g
        cdef bint changed
        if not self.primed:
            for i in range(G * W):
                self.gbits[i] = 0
            for c in range(self.n):
                self.n_tgt[c] = 0
                self.n_low[c] = 0
            for i in range(self.run_ntgt.shape[0]):
                self.run_ntgt[i] = 0
                self.run_nlow[i] = 0
            for i in range(self.ybits.shape[0]):
                self.ybits[i] = 0
            for s in range(S):
                self.tgt_ok[s] = 0
                self.prev_coil[s] = self.s_coil[s]
                self.prev_booked[s] = self.s_booked[s]
                self.prev_mass[s] = self.s_mass[s]
                g = self.s_grade[s]
                self.prev_grade[s] = g
                if g >= 0 and g < G:
                    i = self.xpos[s]
                    self.gbits[g * W + (i >> 6)] |= (<uint64_t>1) << (i & 63)
            for s in range(S):
                self._retarget(s)
            self.primed = True
            self.cfg_ver += 1  # no coil scan kept from before
            if self.touch[0] != 0:
                self._clear_touches()
            return
        if self.touch[0] != 0:
            n = self.touch[1]
            if 0 <= n and n <= S:
                for i in range(n):
                    s = self.touch_list[i]
                    if 0 <= s and s < S:
                        self.s_touched[s] = 0
                        self._sync_slot(s)
                self.touch[1] = 0
                return
            self._clear_touches()  # a broken list: compare everything below
        a = 0
        while a < S:
            e = a + 64
            if e > S:
                e = S
            changed = (memcmp(&self.s_coil[a], &self.prev_coil[a], (e - a) * sizeof(int64_t)) != 0
                       or memcmp(&self.s_booked[a], &self.prev_booked[a], (e - a) * sizeof(uint8_t)) != 0
                       or memcmp(&self.s_grade[a], &self.prev_grade[a], (e - a) * sizeof(int32_t)) != 0
                       or memcmp(&self.s_mass[a], &self.prev_mass[a], (e - a) * sizeof(double)) != 0)
            if changed:
                for s in range(a, e):
                    self._sync_slot(s)
            a = e

    cdef void _clear_touches(self) noexcept nogil:
        """Empty the list of noted slots (all flags cleared when the count is out of range)."""
        cdef Py_ssize_t i, s, n = self.touch[1], S = self.S
        if 0 <= n and n <= S:
            for i in range(n):
                s = self.touch_list[i]
                if 0 <= s and s < S:
                    self.s_touched[s] = 0
        else:
            for s in range(S):
                self.s_touched[s] = 0
        self.touch[1] = 0

    cdef void _sync_slot(self, Py_ssize_t s) noexcept nogil:
        """Slot s against its copy from the last call: if anything changed, update the copies,
        the bit sets, the versions, the change log and the targets."""
        cdef Py_ssize_t G = self.G, W = self.W, i, p
        cdef int32_t g, gb
        if (self.s_coil[s] == self.prev_coil[s] and self.s_booked[s] == self.prev_booked[s]
                and self.s_grade[s] == self.prev_grade[s]
                and memcmp(&self.s_mass[s], &self.prev_mass[s], sizeof(double)) == 0):
            return
        self.sver += 1
        self.stamp_ctr += 1
        self.sl_stamp[s] = self.stamp_ctr  # its coil's cached cost parts are stale
        self.chg_log[self.chg_n % CHG_CAP] = s  # for _rescan_changes
        self.chg_n += 1
        p = self.xpos[s]
        g = self.prev_grade[s]
        if g >= 0 and g < G:
            self.gbits[g * W + (p >> 6)] &= ~((<uint64_t>1) << (p & 63))
            self.gver[g] += 1
        g = self.s_grade[s]
        if g >= 0 and g < G:
            self.gbits[g * W + (p >> 6)] |= (<uint64_t>1) << (p & 63)
            self.gver[g] += 1
        for i in range(self.rb_ptr[s], self.rb_ptr[s + 1]):  # coils s blocks
            gb = self.s_grade[self.rb_idx[i]]
            if gb >= 0 and gb < G:
                self.gver[gb] += 1
        self.prev_coil[s] = self.s_coil[s]
        self.prev_booked[s] = self.s_booked[s]
        self.prev_grade[s] = g
        self.prev_mass[s] = self.s_mass[s]
        self._retarget(s)
        for i in range(self.dep_ptr[s], self.dep_ptr[s + 1]):
            self._retarget(self.dep_idx[i])

    cdef void _retarget(self, Py_ssize_t t) noexcept nogil:
        """Recompute tgt_ok[t]; keep the per-crane target counts in step."""
        cdef bint ok = self._target_base(t)
        cdef bint low = self.s_level[t] == 0
        cdef bint blocks_none = self.rb_ptr[t + 1] == self.rb_ptr[t]
        cdef Py_ssize_t c, d, q
        if ok == (self.tgt_ok[t] != 0):
            return
        self.tgt_ok[t] = ok
        q = self.ypos[t]
        if ok:
            self.ybits[q >> 6] |= (<uint64_t>1) << (q & 63)
        else:
            self.ybits[q >> 6] &= ~((<uint64_t>1) << (q & 63))
        d = 1 if ok else -1
        self.run_ntgt[self.run_of_slot[t]] += d
        if low:
            self.run_nlow[self.run_of_slot[t]] += d
        for c in range(self.n):
            if self._reach(c, t):
                self.n_tgt[c] += d
                if blocks_none:
                    self.n_low[c] += d

    cdef double _pen(self, Py_ssize_t t, int32_t g) noexcept nogil:
        """Upper-layer penalty of a coil of grade g on target t (greedy; see the twin)."""
        cdef int64_t dsum = 0
        cdef int64_t ndiff = 0
        cdef int32_t gs
        cdef Py_ssize_t sp
        cdef double pen
        sp = self._rel(self.s_sup0[t])
        if sp >= 0:
            gs = self.s_grade[sp]
            if gs >= 0 and gs < self.G and gs != g:
                dsum += self.g_demand[gs]
                ndiff += 1
        sp = self._rel(self.s_sup1[t])
        if sp >= 0:
            gs = self.s_grade[sp]
            if gs >= 0 and gs < self.G and gs != g:
                dsum += self.g_demand[gs]
                ndiff += 1
        pen = self.w_upper + self.w_block_demand * <double>dsum
        if self.w_cover != 0.0:
            pen = pen + self.w_cover * <double>ndiff
        return pen

    cdef double _etravel(self, Py_ssize_t c, double xa, double ya, double xb, double yb, double m) noexcept nogil:
        """Travel energy estimate E(c, a -> b, m), kWh (see the twin)."""
        cdef Py_ssize_t k = 16 * c
        cdef double dx = fabs(xb - xa), dy = fabs(yb - ya), en = 0.0
        if dx > 0.0:
            en = en + ((self.c_e[k] + self.c_e[k + 1] * m) + dx * (self.c_e[k + 2] + self.c_e[k + 3] * m))
        if dy > 0.0:
            en = en + ((self.c_e[k + 4] + self.c_e[k + 5] * m) + dy * (self.c_e[k + 6] + self.c_e[k + 7] * m))
        return en

    cdef double _ehoist(self, Py_ssize_t c, Py_ssize_t loc, double m, bint pick) noexcept nogil:
        """Hoist energy estimate of a pick or a put-down at loc, kWh; 0 under the time objective."""
        return self._ehoist_z(c, self.loc_z[loc], m, pick)

    cdef double _hmin(self, Py_ssize_t c, double m) noexcept nogil:
        """The least put-down estimate Hd over the slot heights (a lower bound for any target)."""
        cdef double h = 0.0, v
        cdef Py_ssize_t i
        for i in range(self.zlev.shape[0]):
            v = self._ehoist_z(c, self.zlev[i], m, False)
            if i == 0 or v < h:
                h = v
        return h

    cdef double _txb(self, Py_ssize_t c, double tx, double d, double m, double hmin) noexcept nogil:
        """A lower bound of M(c, origin -> t, m, Hd(t, m)) from the bridge part alone (bridge
        time tx over d = |x_t - x_origin|): tx under time; wt tx + we (E_bridge + hmin) under
        energy and mix when eb_ok (every other part is >= 0 and rounding is monotone), else
        -inf (no bound).  Non-decreasing in d."""
        cdef Py_ssize_t k = 16 * c
        cdef double ex = 0.0
        if self.obj == 0:
            return tx
        if not self.eb_ok:
            return -INFINITY
        if d > 0.0:
            ex = ex + ((self.c_e[k] + self.c_e[k + 1] * m) + d * (self.c_e[k + 2] + self.c_e[k + 3] * m))
        return self.wt * tx + self.we * (ex + hmin)

    cdef inline Py_ssize_t _ynext(self, Py_ssize_t q, Py_ssize_t last) noexcept nogil:
        """The first target position >= q and <= last in yorder (ybits), or last + 1."""
        cdef Py_ssize_t w
        cdef uint64_t bits
        if q > last:
            return last + 1
        w = q >> 6
        bits = self.ybits[w] & (~(<uint64_t>0) << (q & 63))
        while bits == 0:
            w += 1
            if (w << 6) > last:
                return last + 1
            bits = self.ybits[w]
        q = (w << 6) + __builtin_ctzll(bits)
        return q if q <= last else last + 1

    cdef inline Py_ssize_t _yprev(self, Py_ssize_t q, Py_ssize_t first) noexcept nogil:
        """The last target position <= q and >= first in yorder (ybits), or first - 1."""
        cdef Py_ssize_t w
        cdef uint64_t bits
        if q < first:
            return first - 1
        w = q >> 6
        bits = self.ybits[w] & (~(<uint64_t>0) >> (63 - (q & 63)))
        while bits == 0:
            if (w << 6) <= first:
                return first - 1
            w -= 1
            bits = self.ybits[w]
        q = (w << 6) + 63 - __builtin_clzll(bits)
        return q if q >= first else first - 1

    cdef inline double _lb_travel(self, Py_ssize_t c, double tx, double ox, double oy, double xt,
                                  double yt, double m, double hmin) noexcept nogil:
        """A lower bound of M(c, origin -> t, m, Hd(t, m)) for a target at (xt, yt) whose bridge
        time is tx: the same operations with the least put-down hoist ``hmin`` (see _hmin),
        hence <= it (rounding is monotone).  Non-decreasing in |yt - oy| at fixed xt when the
        travel energy coefficients are >= 0 (eb_ok) or under the time objective."""
        cdef double ty = move_time_k(fabs(yt - oy), self.c_vy[c], self.c_ay[c], self.thr_y[c], self.va_y[c])
        cdef double t = tx if tx >= ty else ty
        if self.obj == 0:
            return t
        return self.wt * t + self.we * (self._etravel(c, ox, oy, xt, yt, m) + hmin)

    cdef double _ehoist_z(self, Py_ssize_t c, double z, double m, bint pick) noexcept nogil:
        """_ehoist for a place at height z."""
        cdef Py_ssize_t k = 16 * c
        cdef double h, mu, md, down, up
        if self.obj == 0:
            return 0.0
        h = self.top - z
        if not h > 0.0:
            return 0.0
        mu = m if pick else 0.0
        md = 0.0 if pick else m
        down = (self.c_e[k + 12] + self.c_e[k + 13] * md) + h * (self.c_e[k + 14] + self.c_e[k + 15] * md)
        up = (self.c_e[k + 8] + self.c_e[k + 9] * mu) + h * (self.c_e[k + 10] + self.c_e[k + 11] * mu)
        return down + up

    cdef double _mcost(self, Py_ssize_t c, double xa, double ya, double xb, double yb, double m,
                       double eh) noexcept nogil:
        """M(c, a -> b, m, eh): the objective's travel measure (time, energy or mix)."""
        cdef double t = self._travel(c, xa, ya, xb, yb)
        if self.obj == 0:
            return t
        return self.wt * t + self.we * (self._etravel(c, xa, ya, xb, yb, m) + eh)

    cdef double _zone_pen(self, Py_ssize_t c, double x) noexcept nogil:
        """w_zone per metre that x lies outside crane c's zone (0 inside)."""
        cdef double lo = self.zone_lo, w = self.zone_w
        cdef double zlo = lo + <double>c * w
        cdef double zhi = lo + <double>(c + 1) * w
        if x < zlo:
            return self.w_zone * (zlo - x)
        if x > zhi:
            return self.w_zone * (x - zhi)
        return 0.0

    # ------------------------------------------------------------------ predicates
    cdef Py_ssize_t _rel(self, int32_t v) noexcept nogil:
        """A relation entry (support or blocker) as a slot index, -1 when none or out of range."""
        if v >= 0 and v < self.S:
            return v
        return -1

    cdef bint _reach(self, Py_ssize_t c, Py_ssize_t loc) noexcept nogil:
        cdef double x = self.loc_x[loc]
        return self.c_lo[c] <= x and x <= self.c_hi[c]

    cdef int64_t _grade_demand(self, Py_ssize_t s) noexcept nogil:
        cdef int32_t g = self.s_grade[s]
        if g >= 0 and g < self.G:
            return self.g_demand[g]
        return 0

    cdef bint _target_base(self, Py_ssize_t t) noexcept nogil:
        cdef Py_ssize_t a, b
        if self.s_coil[t] >= 0 or self.s_booked[t]:
            return False
        if self.s_level[t] != 0:
            a = self._rel(self.s_sup0[t])
            b = self._rel(self.s_sup1[t])
            if a < 0 or b < 0:
                return False
            if (self.s_coil[a] < 0 or self.s_coil[b] < 0
                    or self.s_booked[a] or self.s_booked[b]):
                return False
        return True

    cdef bint _liftable(self, Py_ssize_t s) noexcept nogil:
        cdef Py_ssize_t b
        if self.s_coil[s] < 0 or self.s_booked[s]:
            return False
        b = self._rel(self.s_blk0[s])
        if b >= 0 and (self.s_coil[b] >= 0 or self.s_booked[b]):
            return False
        b = self._rel(self.s_blk1[s])
        if b >= 0 and (self.s_coil[b] >= 0 or self.s_booked[b]):
            return False
        return True

    cdef bint _job_open(self, Py_ssize_t j) noexcept nogil:
        cdef int32_t loc, kind, g
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
            return g >= 0 and g < self.G
        return False

    cdef double _travel(self, Py_ssize_t c, double xa, double ya, double xb, double yb) noexcept nogil:
        """travel_time for crane c (move_time_k with the per-crane constants: same bits)."""
        cdef double tx = move_time_k(fabs(xb - xa), self.c_vx[c], self.c_ax[c],
                                     self.thr_x[c], self.va_x[c])
        cdef double ty = move_time_k(fabs(yb - ya), self.c_vy[c], self.c_ay[c],
                                     self.thr_y[c], self.va_y[c])
        return tx if tx >= ty else ty

    # ------------------------------------------------------------------ relocation exclusions
    cdef bint _excluded(self, Py_ssize_t t, Py_ssize_t s, Py_ssize_t b) noexcept nogil:
        return (t == b
                or t == self._rel(self.s_blk0[s])
                or t == self._rel(self.s_blk1[s])
                or t == self._rel(self.s_blk0[b])
                or t == self._rel(self.s_blk1[b]))

    cdef inline int _wanted_other(self, Py_ssize_t sp, int32_t h) noexcept nogil:
        """1 when slot sp's coil is of a grade other than h that an open truck job wants."""
        cdef int32_t gs
        if sp < 0:
            return 0
        gs = self.s_grade[sp]
        if gs >= 0 and gs < self.G and gs != h and self.g_demand[gs] > 0:
            return 1
        return 0

    cdef inline int _covers(self, Py_ssize_t t, int32_t h) noexcept nogil:
        """How many wanted coils of another grade a coil of grade h on t would block (the
        slots t blocks: rb_idx)."""
        cdef int m = 0
        cdef Py_ssize_t i
        for i in range(self.rb_ptr[t], self.rb_ptr[t + 1]):
            m += self._wanted_other(self.rb_idx[i], h)
        return m

    cdef inline int _frees(self, Py_ssize_t b) noexcept nogil:
        """How many wanted coils of another grade lifting the coil in b unblocks."""
        return self._covers(b, self.s_grade[b])

    cdef inline bint _admissible(self, Py_ssize_t t, Py_ssize_t s, Py_ssize_t b, int frees) noexcept nogil:
        """Relocation target t for blocker b of the wanted coil s (frees = _frees(b)): not
        excluded, and blocking fewer wanted coils than it frees (see the twin)."""
        return not self._excluded(t, s, b) and self._covers(t, self.s_grade[b]) < frees

    cdef bint _under_own_grade(self, Py_ssize_t s, int32_t g) noexcept nogil:
        """An occupied blocker of s holds a coil of grade g (that coil serves the truck)."""
        cdef Py_ssize_t b = self._rel(self.s_blk0[s])
        if b >= 0 and self.s_coil[b] >= 0 and self.s_grade[b] == g:
            return True
        b = self._rel(self.s_blk1[s])
        return b >= 0 and self.s_coil[b] >= 0 and self.s_grade[b] == g

    cdef Py_ssize_t _first_blocker(self, Py_ssize_t c, Py_ssize_t s) noexcept nogil:
        cdef Py_ssize_t b = self._rel(self.s_blk0[s])
        if b >= 0 and self.s_coil[b] >= 0 and self._liftable(b) and self._reach(c, b):
            return b
        b = self._rel(self.s_blk1[s])
        if b >= 0 and self.s_coil[b] >= 0 and self._liftable(b) and self._reach(c, b):
            return b
        return -1

    # ------------------------------------------------------------------ cached argmins
    cdef double _target_cost(self, Py_ssize_t c, Py_ssize_t t, double xt, double tx, double txb,
                             double ox, double oy, int32_t g, double m, bint addx, double xr,
                             double bound,
                             bint ties_win, bint* skip) noexcept nogil:
        """Cost of target t for crane c and a coil of grade g, mass m, from an origin (ox, oy)
        whose bridge time to t is tx: M(c, origin -> t, m, Hd(t, m)), + pen(t, g) on an upper
        slot under greedy and joint, + the zone penalty when > 0, + xr (the joint choice's
        interference extra, added when ``addx``).

        Sets skip (and returns 0) when a lower bound of the cost already loses against
        ``bound``: >= bound, or > bound when an equal cost could still win on the slot index
        (``ties_win``).  The bound starts from txb, a lower bound of M (see _txb), and is exact:
        the parts left out are >= 0 and rounding is monotone.  A NaN bound (no best yet) or a
        NaN or -inf lower bound never skips.
        """
        cdef bint upper = self.costed and self.s_level[t] != 0
        cdef double zp = self._zone_pen(c, xt) if self.zoned else 0.0
        cdef double pen = 0.0, lb, ty, cost
        skip[0] = False
        if self.near_ok:  # every penalty >= 0: try the bound without pen(t, g) first
            lb = txb + zp if zp > 0.0 else txb
            if addx:
                lb = lb + xr
            skip[0] = (lb > bound) if ties_win else (lb >= bound)
            if skip[0]:
                return 0.0
        if upper:
            pen = self._pen(t, g)
        lb = txb + pen if upper else txb
        if zp > 0.0:
            lb = lb + zp
        if addx:
            lb = lb + xr
        skip[0] = (lb > bound) if ties_win else (lb >= bound)
        if skip[0]:
            return 0.0
        ty = move_time_k(fabs(self.loc_y[t] - oy), self.c_vy[c], self.c_ay[c], self.thr_y[c], self.va_y[c])
        cost = tx if tx >= ty else ty
        if self.obj != 0:
            cost = self.wt * cost + self.we * (self._etravel(c, ox, oy, xt, self.loc_y[t], m)
                                               + self._ehoist(c, t, m, False))
        if upper:
            cost = cost + pen
        if zp > 0.0:
            cost = cost + zp
        if addx:
            cost = cost + xr
        return cost

    cdef Py_ssize_t _best_target(self, Py_ssize_t c, Py_ssize_t origin, Py_ssize_t s,
                                 Py_ssize_t b, int32_t g, double m, Py_ssize_t jj, double now,
                                 double reach, double* cost_out, double* extra_out) noexcept nogil:
        """Argmin over the targets of crane c of travel from `origin` (+ penalty under greedy
        and joint).

        With s >= 0, only the targets admissible for relocating blocker b of the wanted coil s.
        With jj >= 0, the joint choice for job jj (see the twin): each target's cost includes
        the interference extra of the lift over [c_x, x_origin, x_t] (its reach given), a
        target past the budget is no candidate, and one the look-ahead holds back neither (that
        test runs for a target that would become the best only: same result).  Equal costs:
        the lowest slot index wins.  The bridge time depends only on the target's x, so it is
        reused along a run of slots with the same x (a row): the same operations on the same
        operands, hence the same bits as a fresh travel_time; so is the extra.  When the
        penalties cannot be negative the search runs outward from the origin
        (_best_target_near).
        """
        cdef bint skip
        cdef double ox = self.loc_x[origin], oy = self.loc_y[origin]
        cdef double vx = self.c_vx[c], ax = self.c_ax[c], thx = self.thr_x[c], vax = self.va_x[c]
        cdef double lo = self.c_lo[c], hi = self.c_hi[c]
        cdef double last_x = NAN, tx = 0.0, txb = 0.0, xt, cost, best_cost = 0.0, xr = -1.0
        cdef double best_x = 0.0
        cdef double hmin = self._hmin(c, m) if self.obj != 0 else 0.0
        cdef Py_ssize_t t, best = -1
        cdef int fr = self._frees(b) if s >= 0 else 0
        extra_out[0] = 0.0
        if (self.near_joint_ok if jj >= 0 else self.near_ok) and self.S > 0:
            return self._best_target_near(c, origin, s, b, g, m, jj, now, reach, cost_out, extra_out)
        for t in range(self.S):
            if not self.tgt_ok[t]:
                continue
            xt = self.loc_x[t]
            if not (lo <= xt and xt <= hi):
                continue
            if s >= 0 and not self._admissible(t, s, b, fr):
                continue
            if xt != last_x:
                tx = move_time_k(fabs(xt - ox), vx, ax, thx, vax)
                txb = self._txb(c, tx, fabs(xt - ox), m, hmin)
                if jj >= 0:
                    xr = self._extra(c, ox, xt, now, reach)
                last_x = xt
            if jj >= 0 and xr == INFINITY:
                continue
            cost = self._target_cost(c, t, xt, tx, txb, ox, oy, g, m, jj >= 0, xr,
                                     best_cost if best >= 0 else NAN, False, &skip)
            if skip:
                continue
            if best >= 0 and not cost < best_cost:
                continue
            if jj >= 0 and self._held(c, jj, origin, t, now, reach, xr):
                continue
            best = t
            best_cost = cost
            best_x = xr
        cost_out[0] = best_cost
        if jj >= 0:
            extra_out[0] = best_x
        return best

    cdef inline void _walk_start(self, double ox, Py_ssize_t* pw, Py_ssize_t* pe) noexcept nogil:
        """Start a walk over the runs outward in x from ox (see _walk_next)."""
        cdef Py_ssize_t lo_p = 0, hi_p = self.S, mid
        while lo_p < hi_p:  # first position with x >= ox
            mid = (lo_p + hi_p) // 2
            if self.xsorted[mid] < ox:
                lo_p = mid + 1
            else:
                hi_p = mid
        pw[0] = lo_p - 1  # the last position of the nearest run west of ox
        pe[0] = lo_p  # the first position of the nearest run at or east of it

    cdef inline Py_ssize_t _walk_next(self, double ox, double lo, double hi, Py_ssize_t* pw,
                                      Py_ssize_t* pe, bint* west) noexcept nogil:
        """The next run (slots of one x) outward from ox, by bridge distance, alternately west
        and east, whose x lies in [lo, hi]; -1 when none is left.  ``west`` tells its side; a
        caller ends a side with pw = -1 (west) or pe = S (east)."""
        cdef Py_ssize_t S = self.S, p, r
        cdef double xt
        while pw[0] >= 0 or pe[0] < S:
            if pw[0] >= 0 and pe[0] < S:
                west[0] = ox - self.xsorted[pw[0]] < self.xsorted[pe[0]] - ox
            else:
                west[0] = pw[0] >= 0
            p = pw[0] if west[0] else pe[0]
            r = self.run_of_pos[p]
            xt = self.xsorted[p]
            if west[0]:
                pw[0] = self.run_lo[r] - 1
                if xt < lo:  # everything further west is out of reach too
                    pw[0] = -1
                    continue
            else:
                pe[0] = self.run_hi[r] + 1
                if xt > hi:
                    pe[0] = S
                    continue
            if xt < lo or xt > hi:  # (an origin out of reach: not this run, maybe the next)
                continue
            return r
        return -1

    cdef Py_ssize_t _best_target_near(self, Py_ssize_t c, Py_ssize_t origin, Py_ssize_t s,
                                      Py_ssize_t b, int32_t g, double m, Py_ssize_t jj, double now,
                                      double reach, double* cost_out, double* extra_out) noexcept nogil:
        """_best_target by an outward search in x from the origin (same result).

        Runs (slots of one x; xorder sorts the slots by x, then index) are visited in order of
        bridge distance |x - ox|, alternately west and east of the origin.  Every penalty is
        >= 0 (near_ok), so a target costs at least the bound _txb of its bridge part (the bridge
        time under the time objective), which grows with the distance, plus its zone penalty,
        which grows with the distance on a side that leads away from the crane's zone, plus
        (joint) the interference extra, which grows as the lift's span widens, that is with the
        distance on either side (every term of _extra is >= 0 when w_interference >= 0, and a
        crane in the way stays in the way), and is infinite from some distance on or not at
        all; a side ends when that bound exceeds the best cost (with a margin of 1e-9 relative
        for the rounding at the kink of the trapezoid formula) or the extra is infinite.  A run
        without targets, or whose bound (plus w_upper under greedy and joint when it has no
        lower-layer target) exceeds the best cost, is skipped whole.  The winner is the lowest
        cost, then the lowest slot index, as in the scan in index order.  Sides end at the
        crane's reach.
        """
        cdef bint west, south, skip, greedy = self.costed
        cdef double ox = self.loc_x[origin], oy = self.loc_y[origin]
        cdef double vx = self.c_vx[c], ax = self.c_ax[c], thx = self.thr_x[c], vax = self.va_x[c]
        cdef double lo = self.c_lo[c], hi = self.c_hi[c]
        cdef double tx, txb, xt, lb, cost, best_cost = 0.0, xr = -1.0, best_x = 0.0, zp, lbt, lbu
        cdef Py_ssize_t qs, qn
        cdef double hmin = self._hmin(c, m) if self.obj != 0 else 0.0
        cdef Py_ssize_t S = self.S, pw, pe, q, q0, q1, r, lo_p, hi_p, mid, t, best = -1
        cdef double zlo = self.zone_lo + <double>c * self.zone_w
        cdef double zhi = self.zone_lo + <double>(c + 1) * self.zone_w
        cdef int fr = self._frees(b) if s >= 0 else 0
        if s >= 0 and fr <= 0:  # no target blocks fewer than none
            cost_out[0] = 0.0
            return -1
        self._walk_start(ox, &pw, &pe)
        while True:
            r = self._walk_next(ox, lo, hi, &pw, &pe, &west)
            if r < 0:
                break
            q0 = self.run_lo[r]
            q1 = self.run_hi[r]
            xt = self.xsorted[q0]
            if self.run_ntgt[r] == 0:
                continue
            if jj >= 0:
                xr = self._extra(c, ox, xt, now, reach)
                if xr == INFINITY:  # and so for every run further out on this side
                    if west:
                        pw = -1
                    else:
                        pe = S
                    continue
            tx = move_time_k(fabs(xt - ox), vx, ax, thx, vax)
            txb = self._txb(c, tx, fabs(xt - ox), m, hmin)
            if best >= 0:
                # a bound for this run and every run further out on its side: the bridge time,
                # plus the zone penalty when the side leads away from the crane's zone, plus
                # the joint choice's extra
                lb = txb
                if self.zoned and (xt < zlo if west else xt > zhi):
                    lb = lb + self._zone_pen(c, xt)
                if jj >= 0:
                    lb = lb + xr
                if lb > best_cost + 1e-9 * (1.0 + fabs(best_cost)):
                    if west:
                        pw = -1
                    else:
                        pe = S
                    continue
                # none of this run's slots can beat the best: they share x, hence the bridge
                # time, the zone penalty and the extra, and with no lower-layer target in the
                # run each pays at least w_upper under greedy and joint (every penalty is >= 0)
                lb = txb + self.w_upper if (greedy and self.run_nlow[r] == 0) else txb
                if self.zoned:
                    lb = lb + self._zone_pen(c, xt)
                if jj >= 0:
                    lb = lb + xr
                if lb > best_cost:
                    continue
            # the run's targets (ybits) outward in y from the origin: one costs at least its travel
            # (bridge and trolley) measure with the least put-down hoist, plus the zone penalty
            # and the extra (every other part is >= 0), which grows with |y - oy| on each side;
            # a side ends where that bound exceeds the best cost (with the kink's margin); an
            # upper target whose bound plus w_upper (its least penalty) exceeds it is passed over
            zp = self._zone_pen(c, xt) if self.zoned else 0.0
            lo_p = q0
            hi_p = q1 + 1
            while lo_p < hi_p:  # first position with y >= oy
                mid = (lo_p + hi_p) // 2
                if self.ysorted[mid] < oy:
                    lo_p = mid + 1
                else:
                    hi_p = mid
            qs = self._yprev(lo_p - 1, q0)  # the nearest targets south and north of oy
            qn = self._ynext(lo_p, q1)
            while qs >= q0 or qn <= q1:
                if qs >= q0 and qn <= q1:
                    south = oy - self.ysorted[qs] < self.ysorted[qn] - oy
                else:
                    south = qs >= q0
                q = qs if south else qn
                t = self.yorder[q]
                lbu = -INFINITY
                if best >= 0:
                    lbt = self._lb_travel(c, tx, ox, oy, xt, self.ysorted[q], m, hmin)
                    lb = lbt
                    if zp > 0.0:
                        lb = lb + zp
                    if jj >= 0:
                        lb = lb + xr
                    if lb > best_cost + 1e-9 * (1.0 + fabs(best_cost)):
                        if south:  # and every slot further out on this side
                            qs = q0 - 1
                        else:
                            qn = q1 + 1
                        continue
                    if greedy and self.s_level[t] != 0:  # an upper target pays w_upper at least
                        lbu = lbt + self.w_upper
                        if zp > 0.0:
                            lbu = lbu + zp
                        if jj >= 0:
                            lbu = lbu + xr
                if south:
                    qs = self._yprev(qs - 1, q0)
                else:
                    qn = self._ynext(qn + 1, q1)
                if lbu > best_cost:
                    continue
                if s >= 0 and not self._admissible(t, s, b, fr):
                    continue
                cost = self._target_cost(c, t, xt, tx, txb, ox, oy, g, m, jj >= 0, xr,
                                         best_cost if best >= 0 else NAN, True, &skip)
                if skip:
                    continue
                if not (best < 0 or cost < best_cost or (cost == best_cost and t < best)):
                    continue
                if jj >= 0 and self._held(c, jj, origin, t, now, reach, xr):
                    continue
                best = t
                best_cost = cost
                best_x = xr
        cost_out[0] = best_cost
        if jj >= 0:
            extra_out[0] = best_x
        return best

    cdef Py_ssize_t _store_slot(self, Py_ssize_t c, Py_ssize_t j) noexcept nogil:
        """Best target for store job j's coil (grade j_grade, mass j_mass, at place j_loc) by
        crane c; the cost is left in st_cost[c * J + j]."""
        cdef Py_ssize_t key = c * self.J + j
        cdef double cost = 0.0, extra = 0.0
        if self.st_stamp[key] != self.epoch:
            self.st_slot[key] = self._best_target(c, self.j_loc[j], -1, -1, self.j_grade[j], self.j_mass[j],
                                                  -1, 0.0, 0.0, &cost, &extra)
            self.st_cost[key] = cost
            self.st_stamp[key] = self.epoch
        return self.st_slot[key]

    cdef Py_ssize_t _reloc_slot(self, Py_ssize_t c, Py_ssize_t s, Py_ssize_t b) noexcept nogil:
        """Best relocation target for blocker b of the wanted coil s (crane c)."""
        cdef Py_ssize_t key = c * self.S + s
        cdef double cost = 0.0, extra = 0.0
        if self.rl_stamp[key] != self.epoch:
            self.rl_dst[key] = self._best_target(c, b, s, b, self.s_grade[b], self.s_mass[b],
                                                 -1, 0.0, 0.0, &cost, &extra)
            self.rl_stamp[key] = self.epoch
        return self.rl_dst[key]

    cdef Py_ssize_t _joint_slot(self, Py_ssize_t c, Py_ssize_t j, Py_ssize_t origin, Py_ssize_t s,
                                Py_ssize_t b, double now, double reach) noexcept nogil:
        """The joint choice of job j's target by crane c (a store from its place: s = b = -1; a
        relocation of blocker b off s), cached per (crane, job); cost and extra in jt_*."""
        cdef Py_ssize_t key = c * self.J + j
        cdef double cost = 0.0, extra = 0.0
        cdef int32_t g
        cdef double m
        if self.jt_stamp[key] != self.epoch:
            if s < 0:
                g = self.j_grade[j]
                m = self.j_mass[j]
            else:
                g = self.s_grade[b]
                m = self.s_mass[b]
            self.jt_slot[key] = self._best_target(c, origin, s, b, g, m, j, now, reach, &cost, &extra)
            self.jt_cost[key] = cost
            self.jt_extra[key] = extra
            self.jt_stamp[key] = self.epoch
        return self.jt_slot[key]

    cdef void _scan_coils(self, Py_ssize_t c) noexcept nogil:
        """Best candidate coil per (wanted grade, bay place) for crane c, in one pass over the
        slots of the wanted grades (their bit sets, run by run: _scan_runs).

        Every (g, x) entry sees the slots of grade g with the rules of the twin's ``_coils(c,
        x)``, and keeps the lowest cost, then the lowest slot index, so the result is the same
        as one scan per bay in index order.  A scan whose crane has not moved is brought up to
        date from the slots changed since (_rescan_changes) instead of being redone, when a
        blocked coil's candidacy depended on its own neighbourhood only, at the scan and now
        (``easy``: the crane has more than 4 targets that block no slot, so not all of them are
        excluded from a relocation (at most 4 are), and each is admissible when lifting the
        blocker frees a wanted coil, which it does as grade g is wanted and differs from the
        blocker's).
        """
        cdef Py_ssize_t S = self.S, G = self.G, NX = self.NX
        cdef Py_ssize_t g, x, m, key
        cdef uint64_t mask
        cdef bint any_bay = False, same, easy
        cdef double cx = self.c_x[c], cy = self.c_y[c]
        cdef double lo = self.c_lo[c], hi = self.c_hi[c], bx
        for x in range(NX):
            bx = self.loc_x[S + x]
            self.bay_ok[x] = lo <= bx and bx <= hi
            if self.bay_ok[x]:
                any_bay = True
        self.rc_stamp[c] = self.epoch
        if not any_bay:
            return
        if self.pc_cfg != self.cfg_ver:  # the objective or its weights changed: recompute all
            self.t2_stamp[:] = -1
            self.hp_stamp[:] = -1
            self.pc_cfg = self.cfg_ver
        for g in range(G):
            if self.need_any[g] != self.epoch:
                continue
            m = 0
            mask = 0
            for x in range(NX):  # the bay places wanting grade g that crane c reaches, in order
                if self.need_stamp[g * NX + x] == self.epoch and self.bay_ok[x]:
                    self.gx_list[g * NX + m] = x
                    m += 1
                    if x < 64:
                        mask |= (<uint64_t>1) << x
            self.gx_cnt[g] = m
            if m == 0:
                continue
            key = c * G + g
            easy = self.n_low[c] > 4 and self.g_demand[g] > 0
            same = (NX <= 64 and self.cg_ok[key] and self.cg_cfg[key] == self.cfg_ver
                    and self.cg_x[key] == cx and self.cg_y[key] == cy and self.cg_mask[key] == mask)
            if same and self.cg_gver[key] == self.gver[g] and (
                    not self.cg_tdep[key]
                    or (self.cg_sver[key] == self.sver and self.cg_dver[key] == self.dver)):
                continue  # nothing this scan reads has changed: its entries stand
            if (same and (not self.cg_tdep[key]
                          or (self.cg_easy[key] and easy and self.cg_dver[key] == self.dver))
                    and self._rescan_changes(c, g, key)):
                self.cg_gver[key] = self.gver[g]
                self.cg_sver[key] = self.sver
                self.cg_dver[key] = self.dver
                self.cg_chg[key] = self.chg_n
                continue
            for x in range(NX):
                m = (c * G + g) * NX + x
                self.rk_n[m] = 0
                self.rk_bc[m] = INFINITY
                self.rk_bs[m] = S
            self.cg_ok[key] = 1
            self.cg_gver[key] = self.gver[g]
            self.cg_sver[key] = self.sver
            self.cg_cfg[key] = self.cfg_ver
            self.cg_x[key] = cx
            self.cg_y[key] = cy
            self.cg_mask[key] = mask
            self.cg_tdep[key] = 0
            self.cg_chg[key] = self.chg_n
            self.cg_dver[key] = self.dver
            self.cg_easy[key] = easy
            self._scan_runs(c, g, key)

    cdef void _scan_runs(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t key) noexcept nogil:
        """A full scan of grade g's coils for crane c, run by run (slots of one x), outward in x
        from the crane.  A run is passed over when a lower bound of every coil's cost in it
        already loses to the boundary of every wanted bay's list (_rk_insert): the bridge parts
        of both legs (of the empty one only under fcfs and random, whose cost is that leg's
        time; under energy and mix also their energy with no coil on the hook and
        the least hoisting, when every coefficient is >= 0, so that coil mass and trolley
        travel only add), every other part being >= 0 and rounding monotone.  The lists end
        as a scan in index order leaves them (each keeps the best by (cost, slot))."""
        cdef Py_ssize_t S = self.S, NX = self.NX, G = self.G, W = self.W
        cdef Py_ssize_t pw, pe, q0, q1, r, s, k, x, i, wd, m
        cdef double cx = self.c_x[c], cy = self.c_y[c], xt, tx1, d1, lb1, lb, e
        cdef double vx = self.c_vx[c], ax = self.c_ax[c], thx = self.thr_x[c], vax = self.va_x[c]
        cdef double lo = self.c_lo[c], hi = self.c_hi[c], hp0 = 0.0
        cdef bint west, lb_ok = self.obj == 0, skip
        cdef uint64_t bits, mask
        cdef Py_ssize_t kc = 16 * c
        if not lb_ok and self.eb_ok:
            lb_ok = True
            for m in range(8, 16):
                if not (0.0 <= self.c_e[kc + m] < INFINITY):
                    lb_ok = False
            if lb_ok:
                for i in range(self.zlev.shape[0]):
                    e = self._ehoist_z(c, self.zlev[i], 0.0, True)
                    if i == 0 or e < hp0:
                        hp0 = e
        self._walk_start(cx, &pw, &pe)
        while True:
            r = self._walk_next(cx, lo, hi, &pw, &pe, &west)
            if r < 0:
                break
            q0 = self.run_lo[r]
            q1 = self.run_hi[r]
            xt = self.xsorted[q0]
            tx1 = move_time_k(fabs(xt - cx), vx, ax, thx, vax)
            if lb_ok:  # pass the run over when no coil in it can enter any wanted bay's list
                d1 = fabs(xt - cx)
                lb1 = tx1
                if self.obj != 0:
                    e = 0.0
                    if d1 > 0.0:
                        e = e + ((self.c_e[kc] + self.c_e[kc + 1] * 0.0) + d1 * (self.c_e[kc + 2] + self.c_e[kc + 3] * 0.0))
                    lb1 = self.wt * tx1 + self.we * (e + hp0)
                skip = True
                for k in range(self.gx_cnt[g]):
                    x = self.gx_list[g * NX + k]
                    i = (c * G + g) * NX + x
                    lb = lb1 + self._t2_bound(c, xt, x) if self.costed else lb1
                    if not lb > self.rk_bc[i]:
                        skip = False
                        break
                if skip:
                    continue
            for wd in range(q0 >> 6, (q1 >> 6) + 1):
                bits = self.gbits[g * W + wd]
                if wd == (q0 >> 6):
                    bits &= ~(<uint64_t>0) << (q0 & 63)
                if wd == (q1 >> 6) and (q1 & 63) != 63:
                    mask = ((<uint64_t>1) << ((q1 & 63) + 1)) - 1
                    bits &= mask
                while bits != 0:
                    s = self.xorder[(wd << 6) + __builtin_ctzll(bits)]
                    bits &= bits - 1
                    if self.s_coil[s] < 0 or self.s_booked[s]:
                        continue
                    self._offer(c, g, key, s, tx1)

    cdef inline double _t2_bound(self, Py_ssize_t c, double xt, Py_ssize_t x) noexcept nogil:
        """A lower bound of _t2 for any coil at x = xt to bay place S + x (see _scan_runs)."""
        cdef Py_ssize_t b = self.S + x, kc = 16 * c
        cdef double d2 = fabs(self.loc_x[b] - xt), e = 0.0
        cdef double tx2 = move_time_k(d2, self.c_vx[c], self.c_ax[c], self.thr_x[c], self.va_x[c])
        if self.obj == 0:
            return tx2
        if d2 > 0.0:
            e = e + ((self.c_e[kc] + self.c_e[kc + 1] * 0.0) + d2 * (self.c_e[kc + 2] + self.c_e[kc + 3] * 0.0))
        return self.wt * tx2 + self.we * (e + self._ehoist(c, b, 0.0, False))

    cdef bint _offer(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t key, Py_ssize_t s,
                     double tx1) noexcept nogil:
        """Offer the coil in slot s (grade g, occupied, unbooked, reached by crane c; tx1 the
        bridge time from the crane to it) to the (c, g) entries of the wanted bay places.

        An entry's list takes it when it is a candidate (no blocker booked; a blocked coil needs
        a liftable first blocker and a target) that beats the entry's boundary: a lower cost,
        or an equal cost and a lower slot index (_rk_insert).  Returns True when a cost came
        out NaN (an incremental caller then rescans).
        """
        cdef Py_ssize_t S = self.S, G = self.G, NX = self.NX, b, nblk = 0, src = s, k, x, i
        cdef bint bad = False, has, t1_known = False, lb1_known = False, greedy = self.costed
        cdef int actionable = -1  # -1 not yet known, 0 no, 1 yes
        cdef double sx = self.loc_x[s], sy = self.loc_y[s], cx = self.c_x[c], cy = self.c_y[c]
        cdef double d1, e1, lb1 = 0.0, lb, t1 = 0.0, t2 = 0.0, ty, xr, cost
        b = self._rel(self.s_blk0[s])
        if b >= 0:
            if self.s_booked[b]:
                bad = True
            if self.s_coil[b] >= 0:
                nblk += 1
        b = self._rel(self.s_blk1[s])
        if b >= 0:
            if self.s_booked[b]:
                bad = True
            if self.s_coil[b] >= 0:
                nblk += 1
        if bad:
            return False
        xr = <double>nblk * self.w_reloc
        for k in range(self.gx_cnt[g]):
            x = self.gx_list[g * NX + k]
            i = (c * G + g) * NX + x
            has = self.rk_bs[i] < S  # a boundary to prune against (see _rk_insert)
            if greedy:
                t2 = self._t2(c, s, x)
                if has and (self.obj == 0 or self.eb_ok):
                    # Exact pruning: t1 is at least lb1, its bridge time (under energy and mix:
                    # wt * bridge time + we * (bridge energy, written as in _etravel, + the
                    # pick), the other parts being >= 0), rounding is monotone and t2 is exact;
                    # a NaN bound fails the test (full path)
                    if not lb1_known:
                        lb1 = tx1
                        if self.obj != 0:
                            d1 = fabs(sx - cx)
                            e1 = 0.0
                            if d1 > 0.0:
                                e1 = e1 + ((self.c_e[16 * c] + self.c_e[16 * c + 1] * 0.0)
                                           + d1 * (self.c_e[16 * c + 2] + self.c_e[16 * c + 3] * 0.0))
                            lb1 = self.wt * tx1 + self.we * (e1 + self._hp(c, s))
                        lb1_known = True
                    lb = lb1 + t2 + xr
                    if lb > self.rk_bc[i] or (lb == self.rk_bc[i] and s >= self.rk_bs[i]):
                        continue
            elif has and (tx1 > self.rk_bc[i] or (tx1 == self.rk_bc[i] and s >= self.rk_bs[i])):
                continue
            if not t1_known:
                ty = move_time_k(fabs(sy - cy), self.c_vy[c], self.c_ay[c], self.thr_y[c], self.va_y[c])
                t1 = tx1 if tx1 >= ty else ty
                if self.obj != 0:
                    t1 = self.wt * t1 + self.we * (self._etravel(c, cx, cy, sx, sy, 0.0) + self._hp(c, s))
                t1_known = True
            if greedy:
                cost = t1 + t2 + xr
            else:
                cost = t1
            if cost != cost:
                return True
            if not (cost < self.rk_bc[i] or (cost == self.rk_bc[i] and s < self.rk_bs[i])):
                continue
            if actionable < 0:
                actionable = 1
                if nblk > 0:  # reads targets and blockers' blockers: any change counts
                    self.cg_tdep[key] = 1
                    src = -1 if self._under_own_grade(s, g) else self._first_blocker(c, s)
                    if src < 0 or self._frees(src) <= 0:
                        actionable = 0
                    elif self.n_low[c] <= 4 and self._reloc_slot(c, s, src) < 0:
                        actionable = 0  # (> 4 targets blocking nothing: one is admissible, see _scan_coils)
            if actionable == 0:
                continue
            self._rk_insert(i, s, src, nblk, cost)
        return False

    cdef void _rk_insert(self, Py_ssize_t i, Py_ssize_t s, Py_ssize_t src, Py_ssize_t nblk,
                         double cost) noexcept nogil:
        """Insert candidate s into entry i's list, which keeps up to RK candidates by (cost,
        slot), best first, and a boundary B = (rk_bc, rk_bs).

        The invariant: every candidate not in the list is no better than B, and every one in it
        is no worse.  A full scan starts with an empty list and no boundary (B = (inf, S): no
        candidate left out) and offers only candidates better than B.  When the list is full, B
        becomes its last element (the one dropped to make room was no better).  Removing a
        changed slot (_reoffer) leaves B as it is, so the list's head is the best candidate as
        long as the list is not empty; an empty list with a boundary needs a full scan
        (_rescan_changes).  The head is what a scan keeping only the best would find.
        """
        cdef Py_ssize_t base = i * RK, n = self.rk_n[i], p, q
        if n == RK:
            n -= 1  # the last one drops out: it is B, and the new candidate beats it
        p = n
        while p > 0 and (cost < self.rk_cost[base + p - 1]
                         or (cost == self.rk_cost[base + p - 1] and s < self.rk_slot[base + p - 1])):
            p -= 1
        q = n
        while q > p:
            self.rk_slot[base + q] = self.rk_slot[base + q - 1]
            self.rk_src[base + q] = self.rk_src[base + q - 1]
            self.rk_nblk[base + q] = self.rk_nblk[base + q - 1]
            self.rk_cost[base + q] = self.rk_cost[base + q - 1]
            q -= 1
        self.rk_slot[base + p] = s
        self.rk_src[base + p] = src
        self.rk_nblk[base + p] = nblk
        self.rk_cost[base + p] = cost
        n += 1
        self.rk_n[i] = n
        if n == RK:
            self.rk_bc[i] = self.rk_cost[base + RK - 1]
            self.rk_bs[i] = self.rk_slot[base + RK - 1]

    cdef bint _rk_remove(self, Py_ssize_t i, Py_ssize_t s) noexcept nogil:
        """Take slot s out of entry i's list (the boundary stays); False if it is not there."""
        cdef Py_ssize_t base = i * RK, n = self.rk_n[i], p = 0
        while p < n and self.rk_slot[base + p] != s:
            p += 1
        if p == n:
            return False
        while p + 1 < n:
            self.rk_slot[base + p] = self.rk_slot[base + p + 1]
            self.rk_src[base + p] = self.rk_src[base + p + 1]
            self.rk_nblk[base + p] = self.rk_nblk[base + p + 1]
            self.rk_cost[base + p] = self.rk_cost[base + p + 1]
            p += 1
        self.rk_n[i] = n - 1
        return True

    cdef bint _rescan_changes(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t key) noexcept nogil:
        """Bring the (c, g) entries up to date from the slots changed since their scan, the
        crane not having moved; False when a full scan is needed instead.

        A coil's cost and candidacy depend on its own slot, its blockers and theirs, and the
        other coils its first blocker blocks (how many wanted coils lifting it frees) (all slot state
        the change log records: _sync logs every changed slot), on the crane's position and the
        objective (the caller checks both are unchanged), on which grades are wanted (dver: the
        caller checks it is unchanged), and for a blocked coil on the crane having an
        admissible target (the caller asks for ``easy`` now and at the scan: then one exists
        exactly when lifting the blocker frees a wanted coil).  So only the changed slots, the
        coils they block and those the latter block, and the coils blocked by the blockers of a
        changed slot can change an entry: each is taken out of the entries' lists and
        offered again (_rk_insert).  A list left empty with a boundary means the best is
        unknown: everything is rescanned.  The heads end as a full scan would leave them
        (lowest cost, then lowest index)."""
        cdef Py_ssize_t k, i, a, i1, i2, s1
        cdef int64_t q
        if self.chg_n - self.cg_chg[key] > CHG_CAP:
            return False
        for q in range(self.cg_chg[key], self.chg_n):
            s1 = self.chg_log[q % CHG_CAP]
            if not self._reoffer(c, g, key, s1):
                return False
            for i1 in range(self.rb_ptr[s1], self.rb_ptr[s1 + 1]):
                a = self.rb_idx[i1]
                if not self._reoffer(c, g, key, a):
                    return False
                for i2 in range(self.rb_ptr[a], self.rb_ptr[a + 1]):
                    if not self._reoffer(c, g, key, self.rb_idx[i2]):
                        return False
            for k in range(2):  # the blockers of s1: the coils they block count the wanted
                a = self._rel(self.s_blk0[s1] if k == 0 else self.s_blk1[s1])  # coils lifting
                if a < 0:  # them frees
                    continue
                for i2 in range(self.rb_ptr[a], self.rb_ptr[a + 1]):
                    if not self._reoffer(c, g, key, self.rb_idx[i2]):
                        return False
        for k in range(self.gx_cnt[g]):
            i = (c * self.G + g) * self.NX + self.gx_list[g * self.NX + k]
            if self.rk_n[i] == 0 and self.rk_bs[i] < self.S:
                return False
        return True

    cdef bint _reoffer(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t key, Py_ssize_t s) noexcept nogil:
        """Offer slot s again (see _rescan_changes), out of the (c, g) lists first; False when
        its cost is NaN."""
        cdef Py_ssize_t k, i
        cdef double sx
        for k in range(self.gx_cnt[g]):
            self._rk_remove((c * self.G + g) * self.NX + self.gx_list[g * self.NX + k], s)
        if self.s_grade[s] != g or self.s_coil[s] < 0 or self.s_booked[s]:
            return True
        sx = self.loc_x[s]
        if not (self.c_lo[c] <= sx and sx <= self.c_hi[c]):
            return True
        return not self._offer(c, g, key, s, move_time_k(fabs(sx - self.c_x[c]), self.c_vx[c],
                                                          self.c_ax[c], self.thr_x[c], self.va_x[c]))

    cdef double _t2(self, Py_ssize_t c, Py_ssize_t s, Py_ssize_t x) noexcept nogil:
        """M(c, s -> S+x, m_s, Hd(S+x, m_s)), the loaded leg of a retrieve (greedy), kept per
        (crane, slot, bay place) while the slot's coil stays: it does not depend on where the
        crane stands.  The same operations as the twin's t2 (it is computed the same way)."""
        cdef Py_ssize_t i = (c * self.S + s) * self.NX + x, b = self.S + x
        cdef double sx, sy, ms, tx, ty, t2
        if self.t2_stamp[i] == self.sl_stamp[s]:
            return self.t2_val[i]
        sx = self.loc_x[s]
        sy = self.loc_y[s]
        ms = self.s_mass[s]
        tx = move_time_k(fabs(self.loc_x[b] - sx), self.c_vx[c], self.c_ax[c], self.thr_x[c], self.va_x[c])
        ty = move_time_k(fabs(self.loc_y[b] - sy), self.c_vy[c], self.c_ay[c], self.thr_y[c], self.va_y[c])
        t2 = tx if tx >= ty else ty
        if self.obj != 0:
            t2 = self.wt * t2 + self.we * (self._etravel(c, sx, sy, self.loc_x[b], self.loc_y[b], ms)
                                           + self._ehoist(c, b, ms, False))
        self.t2_val[i] = t2
        self.t2_stamp[i] = self.sl_stamp[s]
        return t2

    cdef double _hp(self, Py_ssize_t c, Py_ssize_t s) noexcept nogil:
        """Hp(c, s, m_s): the pick's hoist energy, kept per (crane, slot) like _t2."""
        cdef Py_ssize_t i = c * self.S + s
        if self.hp_stamp[i] != self.sl_stamp[s]:
            self.hp_val[i] = self._ehoist(c, s, self.s_mass[s], True)
            self.hp_stamp[i] = self.sl_stamp[s]
        return self.hp_val[i]

    cdef Py_ssize_t _coil(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t x) noexcept nogil:
        """Index into the rk_* arrays of the best coil of grade g for (c, bay S+x) (the head
        of that entry's list), or -1."""
        cdef Py_ssize_t i
        if self.rc_stamp[c] != self.epoch:
            self._scan_coils(c)
        i = (c * self.G + g) * self.NX + x
        if self.rk_n[i] == 0:
            return -1
        return i * RK

    cdef inline double _wait(self, Py_ssize_t k, double now, double reach) noexcept nogil:
        """Expected wait for busy crane k on arriving after ``reach`` s (0 if none); INFINITY
        when k is late (its own lift is held up: no estimate can be trusted)."""
        cdef double w = self.c_free_at[k] - now - reach
        if self.c_free_at[k] <= now:
            return INFINITY
        if w > 0.0:
            return w
        return 0.0

    cdef double _extra(self, Py_ssize_t c, double xs, double xd, double now, double reach) noexcept nogil:
        """Pushing free cranes aside and waiting for busy ones (s); INFINITY past the budget
        when a busy crane is in the way (see the twin)."""
        cdef double lo, hi, d = self.safety, need, extra = 0.0
        cdef Py_ssize_t k
        cdef bint waits = False  # a busy crane is in the way: waiting may help
        self._span(c, xs, xd, &lo, &hi)
        for k in range(self.n):
            if k == c:
                continue
            if k > c:
                need = hi + <double>(k - c) * d
                if self.c_free[k]:
                    if self.c_x[k] < need:
                        extra = extra + self.w_interference + (need - self.c_x[k]) / self.c_vx[k]
                elif self.c_busy_lo[k] < need:
                    waits = True
                    extra = extra + self.w_interference + self._wait(k, now, reach)
                    if self.c_x[k] < need:  # where its lift ends it is still in the way
                        extra = extra + (need - self.c_x[k]) / self.c_vx[k]
            else:
                need = lo - <double>(c - k) * d
                if self.c_free[k]:
                    if self.c_x[k] > need:
                        extra = extra + self.w_interference + (self.c_x[k] - need) / self.c_vx[k]
                elif self.c_busy_hi[k] > need:
                    waits = True
                    extra = extra + self.w_interference + self._wait(k, now, reach)
                    if self.c_x[k] > need:
                        extra = extra + (self.c_x[k] - need) / self.c_vx[k]
        if extra > self.max_interf and waits:
            return INFINITY
        return extra

    cdef double _interference(self, Py_ssize_t c, double cost, double xs, double xd, double now, double reach) noexcept nogil:
        """Cost plus _extra; INFINITY past the budget when a busy crane is in the way."""
        cdef double extra = self._extra(c, xs, xd, now, reach)
        if extra == INFINITY:
            return INFINITY
        return cost + extra

    cdef bint _doomed(self, Py_ssize_t c, double x, double now) noexcept nogil:
        """Every store lift of crane c from the station place at x is past the interference
        budget (see the twin): _interference over [min(c_x, x), max(c_x, x)] with an infinite
        reach is a lower bound.  Not for retrieve jobs (their lift may be a relocation)."""
        return self._extra(c, x, x, now, INFINITY) == INFINITY

    # ------------------------------------------------------------------ look-ahead (greedy)
    cdef inline void _span(self, Py_ssize_t c, double xs, double xd, double* lo, double* hi) noexcept nogil:
        """Runway span [lo, hi] of a lift of crane c from x = xs to x = xd: c_x[c], xs, xd."""
        cdef double a = self.c_x[c], b = self.c_x[c]
        if xs < a:
            a = xs
        if xs > b:
            b = xs
        if xd < a:
            a = xd
        if xd > b:
            b = xd
        lo[0] = a
        hi[0] = b

    cdef inline bint _busy_in_way(self, Py_ssize_t c, Py_ssize_t k, double lo, double hi) noexcept nogil:
        """Busy crane k's remaining interval breaks the span [lo, hi] of crane c (as _interference)."""
        if k > c:
            return self.c_busy_lo[k] < hi + <double>(k - c) * self.safety
        return self.c_busy_hi[k] > lo - <double>(c - k) * self.safety

    cdef bint _lift(self, Py_ssize_t c, Py_ssize_t j, bint joint, double now, Py_ssize_t* src,
                    Py_ssize_t* dst, Py_ssize_t* kind, double* choice_cost, double* extra,
                    Py_ssize_t* wanted) noexcept nogil:
        """The lift crane c would make for open job j (see the twin's ``_lift``): its source,
        target, kind, the cost of the place or coil choice, the joint choice's extra (0 by the
        greedy rules) and, for a relocation, the wanted coil's slot (else -1); with ``joint``
        the store or relocation target is the joint choice.  False when there is none."""
        cdef Py_ssize_t loc = self.j_loc[j], t, i, key = c * self.J + j
        cdef double reach
        extra[0] = 0.0
        wanted[0] = -1
        if not self._reach(c, loc):
            return False
        if self.j_kind[j] == 0:
            if joint:
                reach = self._travel(c, self.c_x[c], self.c_y[c], self.loc_x[loc], self.loc_y[loc])
                t = self._joint_slot(c, j, loc, -1, -1, now, reach)
                choice_cost[0] = self.jt_cost[key]
                extra[0] = self.jt_extra[key]
            else:
                t = self._store_slot(c, j)
                choice_cost[0] = self.st_cost[key]
            if t < 0:
                return False
            src[0] = loc
            dst[0] = t
            kind[0] = LIFT_STORE
            return True
        i = self._coil(c, self.j_grade[j], loc - self.S)
        if i < 0:
            return False
        src[0] = self.rk_src[i]
        choice_cost[0] = self.rk_cost[i]
        if self.rk_nblk[i] == 0:
            dst[0] = loc
            kind[0] = LIFT_RETRIEVE
            return True
        kind[0] = LIFT_RELOCATE
        wanted[0] = self.rk_slot[i]
        if joint:
            reach = self._travel(c, self.c_x[c], self.c_y[c], self.loc_x[src[0]], self.loc_y[src[0]])
            dst[0] = self._joint_slot(c, j, src[0], self.rk_slot[i], src[0], now, reach)
            extra[0] = self.jt_extra[key]
            return dst[0] >= 0
        dst[0] = self._reloc_slot(c, self.rk_slot[i], src[0])
        return True

    cdef void _next_lifts(self, Py_ssize_t k) noexcept nogil:
        """Duration and span of the lift crane k would make next for each open job it can serve
        (greedy rules, from where it stands), in nx_*[k * J + j]; computed once per decision."""
        cdef Py_ssize_t J = self.J, j, src = -1, dst = -1, kind = 0, row
        cdef double kx = self.c_x[k], ky = self.c_y[k], lo, hi, xs, xd, dur, choice = 0.0, extra = 0.0
        cdef Py_ssize_t wanted = -1
        if self.nx_stamp[k] == self.epoch:
            return
        self.nx_stamp[k] = self.epoch
        # (n_tgt[k] is kept for every crane, busy ones included: see _retarget)
        for j in range(J):
            row = k * J + j
            self.nx_ok[row] = 0
            if not self._job_open(j) or not self._lift(k, j, False, 0.0, &src, &dst, &kind, &choice,
                                                        &extra, &wanted):
                continue
            xs = self.loc_x[src]
            xd = self.loc_x[dst]
            dur = (self._travel(k, kx, ky, xs, self.loc_y[src])
                   + self._travel(k, xs, self.loc_y[src], xd, self.loc_y[dst]))
            dur = dur + self.lift_handling
            self._span(k, xs, xd, &lo, &hi)
            self.nx_ok[row] = 1
            self.nx_dur[row] = dur
            self.nx_lo[row] = lo
            self.nx_hi[row] = hi

    cdef double _lookahead(self, Py_ssize_t c, Py_ssize_t j, Py_ssize_t src, Py_ssize_t dst,
                           double now, double reach) noexcept nogil:
        """Delay (s) crane c's lift for job j from src to dst would add to the next lifts of the
        busy cranes in its way (see the twin); 0 when none is in the way."""
        cdef Py_ssize_t J = self.J, k, j2, row
        cdef double xs = self.loc_x[src], xd = self.loc_x[dst]
        cdef double lo, hi, d = self.safety
        cdef double wait = 0.0, w, dur, end, delay = 0.0, ready, f0, f1, a, b, start
        cdef bint found = False, clash
        self._span(c, xs, xd, &lo, &hi)
        for k in range(self.n):
            if k == c or self.c_free[k] or not self._busy_in_way(c, k, lo, hi):
                continue
            found = True
            w = self.c_free_at[k] - now - reach
            if w > wait:
                wait = w
        if not found:
            return 0.0
        dur = reach + self._travel(c, xs, self.loc_y[src], xd, self.loc_y[dst])
        dur = dur + self.lift_handling
        end = wait + dur
        for k in range(self.n):
            if k == c or self.c_free[k] or not self._busy_in_way(c, k, lo, hi):
                continue
            ready = self.c_free_at[k] - now
            if ready < 0.0:
                ready = 0.0
            self._next_lifts(k)
            f0 = INFINITY
            f1 = INFINITY
            for j2 in range(J):
                row = k * J + j2
                if j2 == j or not self.nx_ok[row]:
                    continue
                a = ready + self.nx_dur[row]
                if a < f0:
                    f0 = a
                if k > c:
                    clash = self.nx_lo[row] < hi + <double>(k - c) * d
                else:
                    clash = self.nx_hi[row] > lo - <double>(c - k) * d
                start = end if (clash and end > ready) else ready
                b = start + self.nx_dur[row]
                if b < f1:
                    f1 = b
            if f0 < INFINITY:
                delay = delay + (f1 - f0)
        return delay

    cdef bint _held(self, Py_ssize_t c, Py_ssize_t j, Py_ssize_t src, Py_ssize_t dst, double now,
                    double reach, double extra) noexcept nogil:
        """The look-ahead holds the lift back: its delay to the busy neighbours, weighted, and
        its interference extra exceed the budget (see the twin)."""
        cdef double delay
        if not self.w_look > 0.0:
            return False
        delay = self._lookahead(c, j, src, dst, now, reach)
        return delay > 0.0 and extra + self.w_look * delay > self.max_interf

    # ------------------------------------------------------------------ policies
    cdef int _greedy(self, double now, bint stores_only) noexcept nogil:
        """The twin's greedy and joint: the lowest cost over free crane x open job, ties to the
        lowest crane, then job.  Cranes are tried middle ones first and every comparison is on (cost,
        crane, job), which gives the same winner in any order; so a store job can be skipped
        for a crane when a lower bound of its cost already loses to the best so far: the
        crane's travel to the station place plus the least any target can cost (_txb at
        distance 0), less the station bonus (interference and penalties only add, when the
        weights are >= 0).  Most of these are the outer cranes' long target searches.  With
        ``stores_only``, the store jobs only (the station first)."""
        cdef Py_ssize_t ci, c, j, jl, src = -1, dst = -1, kind = 0
        cdef Py_ssize_t bc = -1, bj = -1, bsrc = -1, bdst = -1, bkind = 0
        cdef double cost, best_cost = 0.0, cx, cy, base, reach, choice = 0.0, to_src = 0.0, lb
        cdef double extra = 0.0
        cdef double station_bonus = self.w_station * self.station_fill
        cdef bint bound_ok = self.near_ok and self.w_interference >= 0.0
        cdef bint roll = self.policy == POLICY_ROLLOUT
        cdef Py_ssize_t wanted = -1
        self.n_cd = 0
        for ci in range(self.n):
            c = self.c_order[ci]
            if not self.c_free[c]:
                continue
            cx = self.c_x[c]
            cy = self.c_y[c]
            for j in range(self.J):
                if not self._job_open(j) or (stores_only and self.j_kind[j] != LIFT_STORE):
                    continue
                if self.j_kind[j] == LIFT_STORE:
                    jl = self.j_loc[j]
                    if self._doomed(c, self.loc_x[jl], now):
                        continue
                    if self._reach(c, jl):
                        to_src = self._mcost(c, cx, cy, self.loc_x[jl], self.loc_y[jl], 0.0,
                                             self._ehoist(c, jl, self.j_mass[j], True))
                        if bound_ok and bc >= 0:
                            lb = to_src + self._txb(c, 0.0, 0.0, self.j_mass[j],
                                                    self._hmin(c, self.j_mass[j]) if self.obj != 0 else 0.0)
                            lb = lb - station_bonus
                            if roll:  # the rollout wants every lift within its margin
                                if lb > best_cost + self.roll_margin:
                                    continue
                            elif lb > best_cost or (lb == best_cost and (c > bc or (c == bc and j > bj))):
                                continue
                if not self._lift(c, j, self.joint, now, &src, &dst, &kind, &choice, &extra, &wanted):
                    continue
                if kind == LIFT_STORE:
                    cost = to_src + choice - station_bonus
                else:
                    cost = choice - self.w_truck_wait * (now - self.j_t[j]) / 60.0
                    if self.w_finish != 0.0:
                        cost = cost + self.w_finish * <double>(self.j_rem[j] - 1)
                if self.joint and kind != LIFT_RETRIEVE:  # the target's choice took both tests
                    if kind == LIFT_RELOCATE:
                        cost = cost + extra
                else:
                    reach = self._travel(c, cx, cy, self.loc_x[src], self.loc_y[src])
                    base = cost
                    cost = self._interference(c, cost, self.loc_x[src], self.loc_x[dst], now, reach)
                    if cost == INFINITY:
                        continue
                    if self._held(c, j, src, dst, now, reach, cost - base):
                        continue
                if roll:
                    self.cd_cost[self.n_cd] = cost
                    self.cd_c[self.n_cd] = c
                    self.cd_j[self.n_cd] = j
                    self.cd_src[self.n_cd] = src
                    self.cd_dst[self.n_cd] = dst
                    self.cd_kind[self.n_cd] = kind
                    self.cd_want[self.n_cd] = wanted
                    self.n_cd += 1
                if bc < 0 or cost < best_cost or (cost == best_cost and (c < bc or (c == bc and j < bj))):
                    bc = c
                    bj = j
                    bsrc = src
                    bdst = dst
                    bkind = kind
                    best_cost = cost
        if bc < 0:
            return 0
        if roll:
            return self._rollout(now)
        self.last_cost = best_cost
        self.out[0] = bc
        self.out[1] = bj
        self.out[2] = bsrc
        self.out[3] = bdst
        self.out[4] = bkind
        return 1

    # ------------------------------------------------------------------ rollout
    cdef inline bint _cd_before(self, Py_ssize_t a, Py_ssize_t b) noexcept nogil:
        """Candidate a sorts before b: by (cost, crane, job)."""
        if self.cd_cost[a] < self.cd_cost[b]:
            return True
        if self.cd_cost[a] > self.cd_cost[b]:
            return False
        if self.cd_c[a] != self.cd_c[b]:
            return self.cd_c[a] < self.cd_c[b]
        return self.cd_j[a] < self.cd_j[b]

    cdef int _rollout(self, double now) noexcept nogil:
        """The twin's rollout: the candidates (the twin's _roll_candidates) in cd_keep, the plan
        of each (_plan); the candidate whose plan ends its lifts soonest in sum, first wins."""
        cdef Py_ssize_t i, k, q, n_keep = 0, most, win = 0, a, b, c, j
        cdef double limit, f, win_f = 0.0
        cdef bint dup
        # sort the candidates by (cost, crane, job): insertion sort of their indices
        for i in range(self.n_cd):
            k = i
            while k > 0 and self._cd_before(i, self.cd_keep[k - 1]):
                self.cd_keep[k] = self.cd_keep[k - 1]
                k -= 1
            self.cd_keep[k] = i
        if not self.roll_cands >= 1.0:
            most = 1
        elif self.roll_cands < 1e6:
            most = <Py_ssize_t>self.roll_cands
        else:
            most = 1000000
        limit = self.cd_cost[self.cd_keep[0]] + self.roll_margin
        n_keep = 1
        for i in range(1, self.n_cd):
            if n_keep >= most:
                break
            a = self.cd_keep[i]
            if not self.cd_cost[a] <= limit:
                continue
            dup = False
            for q in range(n_keep):
                b = self.cd_keep[q]
                if (self.cd_c[b] == self.cd_c[a] and self.cd_src[b] == self.cd_src[a]
                        and self.cd_dst[b] == self.cd_dst[a]):
                    dup = True
                    break
            if dup:
                continue
            self.cd_keep[n_keep] = a
            n_keep += 1
        if n_keep > 1:
            self._plan_jobs(n_keep)
            for k in range(self.n):
                for q in range(self.pj_list.shape[0]):
                    if q >= self._n_pj:
                        break
                    self._plan_legs(k, self.pj_list[q])
            for i in range(n_keep):
                f = self._plan(now, self.cd_keep[i])
                if i == 0 or f < win_f:
                    win = i
                    win_f = f
        a = self.cd_keep[win]
        self.last_cost = self.cd_cost[a]
        self.out[0] = self.cd_c[a]
        self.out[1] = self.cd_j[a]
        self.out[2] = self.cd_src[a]
        self.out[3] = self.cd_dst[a]
        self.out[4] = self.cd_kind[a]
        return 1

    cdef void _plan_jobs(self, Py_ssize_t n_keep) noexcept nogil:
        """The plan's jobs (the twin's _plan_jobs) in pj_list[:_n_pj], index order."""
        cdef Py_ssize_t i, j, best, count = 0
        for j in range(self.J):
            self.pj_in[j] = 0
        for i in range(n_keep):
            j = self.cd_j[self.cd_keep[i]]
            if not self.pj_in[j]:
                self.pj_in[j] = 1
                count += 1
        while <double>count < self.roll_jobs:  # the oldest other open job, by (j_t, index)
            best = -1
            for j in range(self.J):
                if self.pj_in[j] or not self._job_open(j):
                    continue
                if best < 0 or self.j_t[j] < self.j_t[best]:
                    best = j
            if best < 0:
                break
            self.pj_in[best] = 1
            count += 1
        self._n_pj = 0
        for j in range(self.J):
            if self.pj_in[j]:
                self.pj_list[self._n_pj] = j
                self._n_pj += 1

    cdef void _plan_legs(self, Py_ssize_t k, Py_ssize_t j) noexcept nogil:
        """lg_*[k * J + j]: the lift crane k would make for job j by the greedy rules (the
        twin's _legs)."""
        cdef Py_ssize_t row = k * self.J + j, src = -1, dst = -1, kind = 0, wanted = -1
        cdef double choice = 0.0, extra = 0.0
        self.lg_ok[row] = self._lift(k, j, False, 0.0, &src, &dst, &kind, &choice, &extra, &wanted)
        if not self.lg_ok[row]:
            return
        self.lg_a[row] = src
        self.lg_b[row] = dst
        if kind == LIFT_RELOCATE:
            self.lg_s2[row] = wanted
            self.lg_b2[row] = self.j_loc[j]
        else:
            self.lg_s2[row] = -1
            self.lg_b2[row] = -1

    cdef double _place(self, Py_ssize_t k, Py_ssize_t a, Py_ssize_t b, double ready, double* start_out,
                       double* lo_out, double* hi_out) noexcept nogil:
        """End of a lift a -> b by crane k in the plan (the twin's _place); its start and span."""
        cdef double x0 = self.px[k], y0 = self.py[k], dur, lo, hi, x, d = self.safety, start
        cdef double t0, t1
        cdef Py_ssize_t i, q, m = 0, kk
        cdef bint apart
        dur = self._travel(k, x0, y0, self.loc_x[a], self.loc_y[a]) + self._travel(
            k, self.loc_x[a], self.loc_y[a], self.loc_x[b], self.loc_y[b])
        dur = dur + self.lift_handling
        lo = x0
        hi = x0
        x = self.loc_x[a]
        if x < lo:
            lo = x
        if x > hi:
            hi = x
        x = self.loc_x[b]
        if x < lo:
            lo = x
        if x > hi:
            hi = x
        for i in range(self.n_pl):
            kk = self.pl_k[i]
            if kk == k:
                continue
            if k < kk:
                apart = hi + <double>(kk - k) * d <= self.pl_lo[i]
            else:
                apart = self.pl_hi[i] + <double>(k - kk) * d <= lo
            if apart:
                continue
            t0 = self.pl_s[i]  # insert (start, end) in order
            t1 = self.pl_e[i]
            q = m
            while q > 0 and (t0 < self.cl_s[q - 1] or (t0 == self.cl_s[q - 1] and t1 < self.cl_e[q - 1])):
                self.cl_s[q] = self.cl_s[q - 1]
                self.cl_e[q] = self.cl_e[q - 1]
                q -= 1
            self.cl_s[q] = t0
            self.cl_e[q] = t1
            m += 1
        start = self.avail[k] if self.avail[k] >= ready else ready
        for q in range(m):
            if start < self.cl_e[q] and self.cl_s[q] < start + dur:
                start = self.cl_e[q]
        start_out[0] = start
        lo_out[0] = lo
        hi_out[0] = hi
        return start + dur

    cdef double _commit(self, Py_ssize_t k, Py_ssize_t a, Py_ssize_t b, double ready) noexcept nogil:
        cdef double start = 0.0, lo = 0.0, hi = 0.0
        cdef double end = self._place(k, a, b, ready, &start, &lo, &hi)
        cdef Py_ssize_t i = self.n_pl
        self.pl_k[i] = k
        self.pl_s[i] = start
        self.pl_e[i] = end
        self.pl_lo[i] = lo
        self.pl_hi[i] = hi
        self.n_pl = i + 1
        self.avail[k] = end
        self.px[k] = self.loc_x[b]
        self.py[k] = self.loc_y[b]
        return end

    cdef double _plan(self, double now, Py_ssize_t cand) noexcept nogil:
        """The twin's _plan for candidate cand: the sum of the planned lifts' end times."""
        cdef Py_ssize_t k, kk, q, jj, row, c = self.cd_c[cand], j = self.cd_j[cand], bj, ba = -1, bb = -1
        cdef Py_ssize_t a, b
        cdef double r, end, e, be = 0.0, total, st0 = 0.0, lo0 = 0.0, hi0 = 0.0
        self.n_pl = 0
        for k in range(self.n):
            self.avail[k] = 0.0
            self.px[k] = self.c_x[k]
            self.py[k] = self.c_y[k]
            self.idle[k] = 0
            if not self.c_free[k]:
                r = self.c_free_at[k] - now
                if r > 0.0:
                    self.avail[k] = r
                    self.pl_k[self.n_pl] = k
                    self.pl_s[self.n_pl] = 0.0
                    self.pl_e[self.n_pl] = r
                    self.pl_lo[self.n_pl] = self.c_busy_lo[k]
                    self.pl_hi[self.n_pl] = self.c_busy_hi[k]
                    self.n_pl += 1
        for q in range(self._n_pj):
            jj = self.pj_list[q]
            self.pj_stage[jj] = 0
            self.pj_ready[jj] = 0.0
        end = self._commit(c, self.cd_src[cand], self.cd_dst[cand], 0.0)
        self.pj_stage[j] = 2
        if self.cd_kind[cand] == LIFT_RELOCATE:
            self.pj_stage[j] = 1
            self.pj_ready[j] = end
            self.fr_a[j] = self.cd_want[cand]
            self.fr_b[j] = self.j_loc[j]
        while True:
            k = -1  # the crane free first takes the lift it would end first
            for kk in range(self.n):
                if not self.idle[kk] and (k < 0 or self.avail[kk] < self.avail[k]):
                    k = kk
            if k < 0:
                break
            bj = -1
            for q in range(self._n_pj):
                jj = self.pj_list[q]
                if self.pj_stage[jj] == 2:
                    continue
                if self.pj_stage[jj] == 0:
                    row = k * self.J + jj
                    if not self.lg_ok[row]:
                        continue
                    a = self.lg_a[row]
                    b = self.lg_b[row]
                else:
                    a = self.fr_a[jj]
                    b = self.fr_b[jj]
                    if not (self._reach(k, a) and self._reach(k, b)):
                        continue
                e = self._place(k, a, b, self.pj_ready[jj], &st0, &lo0, &hi0)
                if bj < 0 or e < be:
                    bj = jj
                    be = e
                    ba = a
                    bb = b
            if bj < 0:
                self.idle[k] = 1
                continue
            e = self._commit(k, ba, bb, self.pj_ready[bj])
            row = k * self.J + bj
            if self.pj_stage[bj] == 0 and self.lg_ok[row] and self.lg_s2[row] >= 0:
                self.pj_stage[bj] = 1
                self.pj_ready[bj] = e
                self.fr_a[bj] = self.lg_s2[row]
                self.fr_b[bj] = self.lg_b2[row]
                for kk in range(self.n):  # a new lift: every crane may take it
                    self.idle[kk] = 0
            else:
                self.pj_stage[bj] = 2
        total = 0.0
        for q in range(self.n_pl):
            total = total + self.pl_e[q]
        return total

    cdef Py_ssize_t _serve_src(self, Py_ssize_t c, Py_ssize_t j) noexcept nogil:
        """Source location of the lift crane c would make for open job j, or -1."""
        cdef Py_ssize_t loc = self.j_loc[j], i
        if not self._reach(c, loc):
            return -1
        if self.j_kind[j] == 0:
            if self.n_tgt[c] > 0:
                return loc
            return -1
        i = self._coil(c, self.j_grade[j], loc - self.S)
        if i < 0:
            return -1
        return self.rk_src[i]

    cdef Py_ssize_t _draw(self, Py_ssize_t m) noexcept nogil:
        cdef uint64_t state = self.seed + <uint64_t>self.k * GOLDEN_GAMMA
        return <Py_ssize_t>(splitmix64(state) % <uint64_t>m)

    cdef int _fcfs(self, bint random_target) noexcept nogil:
        cdef Py_ssize_t S = self.S, c, j, loc, t, i, s, src, dst, pick, m
        cdef Py_ssize_t bj = -1, bc = -1
        cdef int fr
        cdef double bt = 0.0, bd = 0.0, dist
        for j in range(self.J):
            if not self._job_open(j):
                continue
            if bj >= 0 and not self.j_t[j] < bt:
                continue
            for c in range(self.n):
                if self.c_free[c] and self._serve_src(c, j) >= 0:
                    bj = j
                    bt = self.j_t[j]
                    break
        if bj < 0:
            return 0
        for c in range(self.n):
            if not self.c_free[c]:
                continue
            src = self._serve_src(c, bj)
            if src < 0:
                continue
            dist = fabs(self.c_x[c] - self.loc_x[src])
            if bc < 0 or dist < bd:
                bc = c
                bd = dist
        c = bc
        j = bj
        loc = self.j_loc[j]
        self.last_cost = bd
        self.out[0] = c
        self.out[1] = j
        if self.j_kind[j] == 0:
            dst = -1
            if random_target:
                pick = self._draw(self.n_tgt[c])
                for t in range(S):
                    if self.tgt_ok[t] and self._reach(c, t):
                        if pick == 0:
                            dst = t
                            break
                        pick -= 1
            else:
                dst = self._store_slot(c, j)
            self.out[2] = loc
            self.out[3] = dst
            self.out[4] = LIFT_STORE
            return 1
        i = self._coil(c, self.j_grade[j], loc - S)
        s = self.rk_slot[i]
        src = self.rk_src[i]
        if self.rk_nblk[i] == 0:
            self.out[2] = s
            self.out[3] = loc
            self.out[4] = LIFT_RETRIEVE
            return 1
        dst = -1
        if random_target:  # from the admissible targets (counted, then drawn)
            fr = self._frees(src)
            m = 0
            for t in range(S):
                if self.tgt_ok[t] and self._reach(c, t) and self._admissible(t, s, src, fr):
                    m += 1
            pick = self._draw(m)
            for t in range(S):
                if self.tgt_ok[t] and self._reach(c, t) and self._admissible(t, s, src, fr):
                    if pick == 0:
                        dst = t
                        break
                    pick -= 1
        else:
            dst = self._reloc_slot(c, s, src)
        self.out[2] = src
        self.out[3] = dst
        self.out[4] = LIFT_RELOCATE
        return 1


cdef class SlotWriter:
    """cranesim.sched.state.SlotWriter compiled: the same writes and notes, without numpy's
    per-item cost (the model makes four of them per lift)."""

    cdef int64_t[::1] s_coil, touch, touch_list
    cdef int32_t[::1] s_grade
    cdef double[::1] s_mass
    cdef uint8_t[::1] s_booked, s_touched
    cdef readonly object st
    cdef readonly Py_ssize_t S

    def __init__(self, st):  # a cranesim.sched.state.SchedState (see the .pyi)
        st.validate()
        self.st = st
        self.S = st.n_slots
        self.s_coil = st.s_coil
        self.s_grade = st.s_grade
        self.s_mass = st.s_mass
        self.s_booked = st.s_booked
        self.s_touched = st.s_touched
        self.touch = st.touch
        self.touch_list = st.touch_list

    cdef int _note(self, Py_ssize_t s) except -1:
        """SchedState.touched(s)."""
        cdef int64_t k
        if self.touch[0] != 0 and self.s_touched[s] == 0:
            k = self.touch[1]
            if not (0 <= k < self.S):
                raise IndexError(f"touch[1] = {k}: the list of noted slots is full or broken")
            self.s_touched[s] = 1
            self.touch_list[k] = s
            self.touch[1] = k + 1
        return 0

    cdef int _check(self, Py_ssize_t s) except -1:
        if not (0 <= s < self.S):
            raise IndexError(f"slot {s} out of range (n_slots = {self.S})")
        return 0

    def put(self, Py_ssize_t s, int64_t coil, int32_t grade, double mass):
        """Coil ``coil`` of ``grade`` and ``mass`` t now lies on slot ``s``; its booking ends."""
        self._check(s)
        self.s_coil[s] = coil
        self.s_grade[s] = grade
        self.s_mass[s] = mass
        self.s_booked[s] = 0
        self._note(s)

    def clear(self, Py_ssize_t s):
        """Slot ``s`` is empty now; its booking ends."""
        self._check(s)
        self.s_coil[s] = -1
        self.s_grade[s] = -1
        self.s_mass[s] = 0.0
        self.s_booked[s] = 0
        self._note(s)

    def book(self, Py_ssize_t s):
        """Slot ``s`` is the source or the target of a lift that has begun."""
        self._check(s)
        self.s_booked[s] = 1
        self._note(s)
