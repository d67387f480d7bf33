# Declarations of the compiled scheduler core ``cranesim._scheduler`` (_core/scheduler.pyx).
#
# Cython finds this file by the module's qualified name: setup.py stages it as
# build/cython_pxd/cranesim._scheduler.pxd on the include path (see setup.py).  Other core
# modules may ``from cranesim._scheduler cimport move_time, travel_time, splitmix64``.
#
# The contract (arrays, rules, policies, tie breaks) is documented in cranesim/scheduler_py.py,
# the pure-Python twin that must give bit-identical decisions.

cimport cython
from libc.math cimport INFINITY, NAN, fabs, sqrt
from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libc.string cimport memcmp

cdef enum:
    POLICY_GREEDY = 0
    POLICY_FCFS_NEAREST = 1
    POLICY_RANDOM_FREE = 2

cdef enum:
    LIFT_STORE = 0
    LIFT_RETRIEVE = 1
    LIFT_RELOCATE = 2


cdef inline double move_time(double d, double v, double a) noexcept nogil:
    """Rest-to-rest trapezoid move over |d| (exactly cranesim.kinematics.move_time)."""
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


@cython.final
cdef class Scheduler:
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
    cdef double w_reloc, w_station, w_truck_wait, w_upper, w_block_demand, w_interference, max_interf
    cdef double station_fill, safety
    cdef double w_zone, zone_lo, zone_w           # crane zones (greedy targets), see the twin
    cdef int obj                                  # greedy's travel measure: 0 time, 1 energy, 2 mix
    cdef double wt, we, top, w_cover              # its weights, hook travel height, cover penalty
    cdef double w_finish                          # retrieve: per other coil its truck still needs
    cdef double w_look, lift_handling             # greedy look-ahead (params[12], [13]), see the twin
    cdef bint zoned
    cdef uint64_t seed
    cdef int64_t k

    # ---- scratch, allocated once in __init__; entries are valid when their stamp == epoch
    cdef int64_t epoch
    cdef uint8_t[::1] tgt_ok                      # [S] empty, unbooked, supported (kept in sync)
    cdef double[::1] thr_x, va_x, thr_y, va_y     # [n] v*v/a and v/a per crane and axis
    cdef uint8_t[::1] bay_ok                      # [NX] scan_coils: crane reaches place S+x
    cdef Py_ssize_t[::1] n_tgt                    # [n] targets crane c reaches (kept in sync)
    cdef Py_ssize_t[::1] c_order                  # [n] the order greedy tries the cranes in

    # ---- state carried between calls, brought up to date by _sync at the start of each call
    cdef bint primed                              # False until the first full build
    cdef int64_t[::1] prev_coil                   # [S] s_coil, s_booked, s_grade as last seen
    cdef uint8_t[::1] prev_booked
    cdef int32_t[::1] prev_grade
    cdef Py_ssize_t[::1] dep_ptr, dep_idx         # CSR: slots that rest on slot s (from s_sup*)
    cdef Py_ssize_t W                             # 64-bit words per grade bit set
    cdef uint64_t[::1] gbits                      # [G*W] bit s of set g: s_grade[s] == g
    cdef Py_ssize_t[::1] xorder                   # [S] slots sorted by (loc_x, index)
    cdef double[::1] xsorted                      # [S] loc_x in that order
    cdef Py_ssize_t[::1] run_of_pos, run_of_slot  # runs: maximal stretches of xorder with one x
    cdef Py_ssize_t[::1] run_lo, run_hi           # [R] first and last position of each run
    cdef Py_ssize_t[::1] run_ntgt                 # [R] targets in the run (kept in sync)
    cdef Py_ssize_t[::1] run_nlow                 # [R] ... of them on the lower layer
    cdef bint near_ok                             # this call: targets may be searched outward
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
    cdef uint8_t[::1] cg_big                      # [n*G] the crane had > 4 targets at the scan
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

    cdef int _decide(self, double now) except -1 nogil
    cdef void _prepare(self) noexcept nogil
    cdef void _sync(self) noexcept nogil
    cdef void _sync_slot(self, Py_ssize_t s) noexcept nogil
    cdef void _clear_touches(self) noexcept nogil
    cdef void _retarget(self, Py_ssize_t t) noexcept nogil
    cdef inline double _pen(self, Py_ssize_t t, int32_t g) noexcept nogil
    cdef double _etravel(self, Py_ssize_t c, double xa, double ya, double xb, double yb, double m) noexcept nogil
    cdef double _ehoist(self, Py_ssize_t c, Py_ssize_t loc, double m, bint pick) noexcept nogil
    cdef double _mcost(self, Py_ssize_t c, double xa, double ya, double xb, double yb, double m,
                       double eh) noexcept nogil
    cdef double _ehoist_z(self, Py_ssize_t c, double z, double m, bint pick) noexcept nogil
    cdef double _hmin(self, Py_ssize_t c, double m) noexcept nogil
    cdef double _txb(self, Py_ssize_t c, double tx, double d, double m, double hmin) noexcept nogil
    cdef inline double _target_cost(self, Py_ssize_t c, Py_ssize_t t, double xt, double tx, double txb,
                                    double ox, double oy, int32_t g, double m, double bound,
                                    bint ties_win, bint* skip) noexcept nogil
    cdef Py_ssize_t _best_target_near(self, Py_ssize_t c, Py_ssize_t origin, Py_ssize_t s,
                                      Py_ssize_t b, int32_t g, double m, double* cost_out) noexcept nogil
    cdef inline Py_ssize_t _rel(self, int32_t v) noexcept nogil
    cdef inline bint _reach(self, Py_ssize_t c, Py_ssize_t loc) noexcept nogil
    cdef bint _target_base(self, Py_ssize_t t) noexcept nogil
    cdef bint _liftable(self, Py_ssize_t s) noexcept nogil
    cdef bint _job_open(self, Py_ssize_t j) noexcept nogil
    cdef int64_t _grade_demand(self, Py_ssize_t s) noexcept nogil
    cdef inline double _travel(self, Py_ssize_t c, double xa, double ya, double xb, double yb) noexcept nogil
    cdef bint _excluded(self, Py_ssize_t t, Py_ssize_t s, Py_ssize_t b) noexcept nogil
    cdef Py_ssize_t _n_excluded_targets(self, Py_ssize_t c, Py_ssize_t s, Py_ssize_t b) noexcept nogil
    cdef Py_ssize_t _first_blocker(self, Py_ssize_t c, Py_ssize_t s) noexcept nogil
    cdef inline double _zone_pen(self, Py_ssize_t c, double x) noexcept nogil
    cdef Py_ssize_t _best_target(self, Py_ssize_t c, Py_ssize_t origin, Py_ssize_t s,
                                 Py_ssize_t b, int32_t g, double m, double* cost_out) noexcept nogil
    cdef Py_ssize_t _store_slot(self, Py_ssize_t c, Py_ssize_t j) noexcept nogil
    cdef Py_ssize_t _reloc_slot(self, Py_ssize_t c, Py_ssize_t s, Py_ssize_t b) noexcept nogil
    cdef void _scan_coils(self, Py_ssize_t c) noexcept nogil
    cdef bint _offer(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t key, Py_ssize_t s, double tx1) noexcept nogil
    cdef void _rk_insert(self, Py_ssize_t i, Py_ssize_t s, Py_ssize_t src, Py_ssize_t nblk, double cost) noexcept nogil
    cdef bint _rk_remove(self, Py_ssize_t i, Py_ssize_t s) noexcept nogil
    cdef bint _rescan_changes(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t key) noexcept nogil
    cdef bint _reoffer(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t key, Py_ssize_t s) noexcept nogil
    cdef double _t2(self, Py_ssize_t c, Py_ssize_t s, Py_ssize_t x) noexcept nogil
    cdef double _hp(self, Py_ssize_t c, Py_ssize_t s) noexcept nogil
    cdef Py_ssize_t _coil(self, Py_ssize_t c, Py_ssize_t g, Py_ssize_t x) noexcept nogil
    cdef double _wait(self, Py_ssize_t k, double now, double reach) noexcept nogil
    cdef bint _doomed(self, Py_ssize_t c, double x, double now) noexcept nogil
    cdef double _interference(self, Py_ssize_t c, double cost, double xs, double xd, double now, double reach) noexcept nogil
    cdef void _span(self, Py_ssize_t c, double xs, double xd, double* lo, double* hi) noexcept nogil
    cdef bint _busy_in_way(self, Py_ssize_t c, Py_ssize_t k, double lo, double hi) noexcept nogil
    cdef bint _lift(self, Py_ssize_t c, Py_ssize_t j, Py_ssize_t* src, Py_ssize_t* dst,
                    Py_ssize_t* kind, double* choice_cost) noexcept nogil
    cdef void _next_lifts(self, Py_ssize_t k) noexcept nogil
    cdef double _lookahead(self, Py_ssize_t c, Py_ssize_t j, Py_ssize_t src, Py_ssize_t dst,
                           double now, double reach) noexcept nogil
    cdef Py_ssize_t _serve_src(self, Py_ssize_t c, Py_ssize_t j) noexcept nogil
    cdef Py_ssize_t _draw(self, Py_ssize_t m) noexcept nogil
    cdef int _greedy(self, double now) noexcept nogil
    cdef int _fcfs(self, bint random_target) noexcept nogil
