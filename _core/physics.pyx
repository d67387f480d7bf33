"""Compiled motion physics, built as ``cranesim._core.physics``: the per-move arithmetic of a run.

The kernels, each the twin of pure-Python code that stays the reference (and the code that
runs with ``CRANESIM_PURE_PYTHON=1`` or without a build):

* :class:`AxisMove`, :class:`TaggedMove`, :class:`Stage` are the classes of
  :mod:`cranesim.physics.kinematics` and :mod:`cranesim.physics.driver` (``AxisMovePy``, ``TaggedMovePy``,
  ``StagePy``), built for every crane stage; the kernels below read them as structs;
* :class:`StageEnergy` prices a crane stage: :meth:`cranesim.physics.energy.EnergyModel.stage_kwh`
  (with ``cranesim.physics.energy._move_parts`` per move) when no move log is kept;
* :func:`shaped_move` is the numeric part of :meth:`cranesim.physics.planners.ShapedPlanner._axis_move`:
  the shaped acceleration and the settle time the residual swing needs; :class:`ShapedTravel`
  builds a whole travel stage with it (the loop of ``ShapedPlanner.travel``); :func:`hoist_stage`
  is ``AutomatedPlanner.hoist``'s stage; :func:`first_breach` is the separation check of
  ``Warehouse.check_separation``;
* :func:`motion_sums` is the loop of :meth:`cranesim.model.Warehouse._emit_stage` that sums a
  stage's distances, times and starts per axis.

Every result must be bit-identical to the twin's: the same operands in the same order, no fused
multiply-add (``-ffp-contract=off``, set in setup.py), and the complex arithmetic of the residual
swing written out as CPython 3.11 evaluates it (``complex * float`` as a full complex product,
Smith's division of ``_Py_c_quot``, ``cmath.exp`` as ``exp(re)·(cos im, sin im)``, ``abs`` as
``hypot``).  The tests compare each kernel with its twin on random inputs, bit for bit.
"""

from libc.math cimport NAN, cos, exp, fabs, hypot, isnan, log, sin, sqrt

from codes cimport HOIST, TROLLEY

__all__ = ["AxisMove", "TaggedMove", "Stage", "StageEnergy", "ShapedTravel", "shaped_move", "hoist_stage", "first_breach", "motion_sums", "CraneStageSums"]

_AXIS_NAMES = ("bridge", "trolley", "hoist")


cdef class AxisMove:
    """Compiled twin of :class:`cranesim.physics.kinematics.AxisMove` (see there): the same attributes,
    and ``dur``, ``t_acc``, ``v_peak`` and positions from the same operations.  Numbers are
    stored as floats (the twin keeps what it is given)."""

    cdef public int axis
    cdef public double t0, p0, p1, v, a, load_t, dur, t_acc, v_peak

    def __init__(self, int axis, double t0, double p0, double p1, double v, double a,
                 double load_t=0.0):
        cdef double d = fabs(p1 - p0)
        self.axis = axis
        self.t0 = t0
        self.p0 = p0
        self.p1 = p1
        self.v = v
        self.a = a
        self.load_t = load_t
        # kinematics.profile
        if d <= 0.0:
            self.dur = 0.0
            self.t_acc = 0.0
            self.v_peak = 0.0
        elif d >= v * v / a:
            self.t_acc = v / a
            self.dur = d / v + self.t_acc
            self.v_peak = v
        else:
            self.t_acc = sqrt(d / a)
            self.dur = 2.0 * self.t_acc
            self.v_peak = a * self.t_acc

    @property
    def t1(self) -> float:
        return self.t0 + self.dur

    @property
    def distance(self) -> float:
        return fabs(self.p1 - self.p0)

    cpdef double pos(self, double t):
        """Position at model time ``t`` (clamped to the move's start and end)."""
        cdef double s = displacement(t - self.t0, self.dur, self.t_acc, self.v_peak, self.a)
        return self.p0 + s if self.p1 >= self.p0 else self.p0 - s

    def __repr__(self) -> str:
        return (
            f"AxisMove({_AXIS_NAMES[self.axis]}, t0={self.t0:.3f}, {self.p0:.3f}->{self.p1:.3f}, "
            f"dur={self.dur:.3f})"
        )

    def __reduce__(self):
        return (type(self), (self.axis, self.t0, self.p0, self.p1, self.v, self.a, self.load_t))


cdef class TaggedMove(AxisMove):
    """Compiled twin of :class:`cranesim.physics.driver.TaggedMove`: an AxisMove with a ``tag``."""

    cdef public int tag

    def __init__(self, int axis, double t0, double p0, double p1, double v, double a,
                 double load_t=0.0, int tag=0):
        AxisMove.__init__(self, axis, t0, p0, p1, v, a, load_t)
        self.tag = tag

    def __reduce__(self):
        return (type(self), (self.axis, self.t0, self.p0, self.p1, self.v, self.a, self.load_t, self.tag))


cdef inline double displacement(double t, double dur, double t_acc, double v_peak, double a) noexcept nogil:
    # kinematics.displacement
    cdef double d_acc, t_dec0, td
    if t <= 0.0:
        return 0.0
    if t >= dur:
        t = dur
    if t <= t_acc:
        return 0.5 * a * t * t
    d_acc = 0.5 * a * t_acc * t_acc
    t_dec0 = dur - t_acc
    if t <= t_dec0:
        return d_acc + v_peak * (t - t_acc)
    td = dur - t
    return d_acc + v_peak * (t_dec0 - t_acc) + d_acc - 0.5 * a * td * td


cdef class Stage:
    """Compiled twin of :class:`cranesim.physics.kinematics.Stage` (see there)."""

    cdef public double t0, dur, x0, y0, x1, y1
    cdef public object moves

    def __init__(self, double t0, double dur, moves, double x0, double y0, double x1, double y1):
        self.t0 = t0
        self.dur = dur
        self.moves = moves
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1

    def axis_distance(self, axis):
        return sum(abs(m.p1 - m.p0) for m in self.moves if m.axis == axis)

    def axis_time(self, axis):
        return sum(m.dur for m in self.moves if m.axis == axis)

    def starts(self, axis):
        return sum(1 for m in self.moves if m.axis == axis and m.dur > 0.0)

    cpdef double pos(self, int axis, double t, double default):
        """Position of ``axis`` at time ``t``: the latest move that has started, else ``default``."""
        cdef double p = default
        cdef AxisMove mv
        for m in self.moves:
            mv = <AxisMove?>m
            if mv.axis == axis and mv.t0 <= t:
                p = mv.pos(t)
        return p

    def __reduce__(self):
        return (type(self), (self.t0, self.dur, self.moves, self.x0, self.y0, self.x1, self.y1))


cdef struct cpx:
    double re
    double im


cdef inline cpx c_mul(cpx a, cpx b) noexcept nogil:
    # CPython _Py_c_prod
    cdef cpx r
    r.re = a.re * b.re - a.im * b.im
    r.im = a.re * b.im + a.im * b.re
    return r


cdef inline cpx c_quot(cpx a, cpx b) noexcept nogil:
    # CPython 3.11 _Py_c_quot (Smith's method); b != 0 here (the swing's s has |im| = omega > 0)
    cdef cpx r
    cdef double abs_br = -b.re if b.re < 0 else b.re
    cdef double abs_bi = -b.im if b.im < 0 else b.im
    cdef double ratio, denom
    if abs_br >= abs_bi:
        if abs_br == 0.0:
            r.re = 0.0
            r.im = 0.0
        else:
            ratio = b.im / b.re
            denom = b.re + b.im * ratio
            r.re = (a.re + a.im * ratio) / denom
            r.im = (a.im - a.re * ratio) / denom
    elif abs_bi >= abs_br:
        ratio = b.re / b.im
        denom = b.re * ratio + b.im
        r.re = (a.re * ratio + a.im) / denom
        r.im = (a.im * ratio - a.re) / denom
    else:
        r.re = 0.0 / 0.0
        r.im = r.re
    return r


cdef inline cpx c_exp(cpx z) noexcept nogil:
    # cmath.exp for finite z with z.re <= log(DBL_MAX) - 1 (here z.re <= 0)
    cdef cpx r
    cdef double l = exp(z.re)
    r.re = l * cos(z.im)
    r.im = l * sin(z.im)
    return r


cdef inline cpx c_real(double x) noexcept nogil:
    cdef cpx r
    r.re = x
    r.im = 0.0
    return r


cdef void _shape(double T, bint anti, double ratio, double s_re, double s_im, double w,
                 double tol, double tau, double t0, double p0, double p1, double v, double a,
                 double* a_out, double* settle_out) noexcept nogil:
    """(a_cmd, settle) of :func:`shaped_move`."""
    cdef double d = p1 - p0, dd = fabs(d), dur = 0.0, ta = 0.0, a_cmd = a, a_trap, target
    cdef double sgn, t1, q0, q1, acc, resid = 0.0
    cdef cpx s, z, e, k
    cdef int i
    # kinematics.profile of the unshaped move
    if dd > 0.0:
        if dd >= v * v / a:
            ta = v / a
            dur = dd / v + ta
        else:
            ta = sqrt(dd / a)
            dur = 2.0 * ta
    if anti and dd > 0.0:
        a_trap = v / (v / a + T / 2.0)
        if dd >= v * v / a_trap:
            a_cmd = a_trap
        else:
            target = dur + T / 2.0
            a_cmd = 4.0 * dd / (target * target)
    if dur > 0.0:
        sgn = 1.0 if p1 >= p0 else -1.0
        t1 = t0 + dur
        s.re = s_re
        s.im = s_im
        z.re = 0.0
        z.im = 0.0
        for i in range(2):
            if i == 0:
                q0 = t0
                q1 = t0 + ta
                acc = sgn * a
            else:
                q0 = t1 - ta
                q1 = t1
                acc = -sgn * a
            if q1 <= q0 or acc == 0.0:
                continue
            e = c_exp(c_mul(s, c_real(q1 - t1)))
            k = c_exp(c_mul(s, c_real(q0 - t1)))
            e.re = e.re - k.re
            e.im = e.im - k.im
            e = c_quot(c_mul(c_real(acc), e), s)
            z.re = z.re + e.re
            z.im = z.im + e.im
        resid = hypot(z.re, z.im) / w  # abs(complex); C99 hypot treats inf and nan alike
    resid = ratio * resid
    a_out[0] = a_cmd
    if resid <= tol:
        settle_out[0] = 0.0
    else:
        settle_out[0] = tau * log(resid / tol)




def shaped_move(double T, bint anti, double ratio, double s_re, double s_im, double w,
                double tol, double tau, double t0, double p0, double p1, double v, double a):
    """``(a_cmd, settle)`` of a move from ``p0`` to ``p1`` starting at ``t0`` with limits ``v``,
    ``a``: :meth:`cranesim.physics.planners.ShapedPlanner._shape` (see there).

    The constants come first (a planner binds them once): ``T`` the pendulum period, ``anti``
    whether input shaping is on, ``ratio`` the share of the unshaped residual the shaper lets
    through, ``s = s_re + i s_im`` and ``w`` the decay and pendulum constants, ``tol`` and
    ``tau`` the settle tolerance and decay time.
    """
    cdef double a_cmd, settle
    _shape(T, anti, ratio, s_re, s_im, w, tol, tau, t0, p0, p1, v, a, &a_cmd, &settle)
    return a_cmd, settle


cdef class ShapedTravel:
    """The travel stage of :meth:`cranesim.physics.planners.ShapedPlanner.travel` (bridge and trolley
    start together, each move shaped, the stage lasting until the later move's swing has
    settled), built here in one call; the constants are :func:`shaped_move`'s."""

    cdef double T, ratio, s_re, s_im, w, tol, tau
    cdef bint anti
    cdef double[:, ::1] lim  # per crane: vx, ax, vy, ay (bind)
    cdef double[:, ::1] hlim  # per crane: vz, az, pick_s, place_s (bind_hoist)
    cdef object stats, mv0, mv1, mv2
    cdef int tag, htag
    cdef double top

    def __init__(self, double T, bint anti, double ratio, double s_re, double s_im, double w,
                 double tol, double tau):
        self.T = T
        self.anti = anti
        self.ratio = ratio
        self.s_re = s_re
        self.s_im = s_im
        self.w = w
        self.tol = tol
        self.tau = tau

    def travel(self, double t0, double x0, double y0, double x1, double y1, double load,
               double vx, double ax, double vy, double ay, int tag):
        """``(stage, settle_bridge, settle_trolley)``: the moves carry ``tag``; a settle is
        NaN for an axis that does not move."""
        cdef double sb = NAN, st = NAN
        stage = self._stage(t0, x0, y0, x1, y1, load, vx, ax, vy, ay, tag, &sb, &st)
        return stage, sb, st

    def bind(self, limits, dict stats, int tag):
        """For :meth:`counted`: the cranes' (vx, ax, vy, ay) and the planner's stats dict, whose
        counts it keeps as ``ShapedPlanner.travel`` does, for moves tagged ``tag``."""
        import numpy as np

        self.lim = np.ascontiguousarray(np.asarray(limits, dtype=np.float64).reshape(-1, 4))
        self.stats = stats
        self.mv0 = stats["moves"][0]
        self.mv1 = stats["moves"][1]
        self.tag = tag

    def counted(self, Py_ssize_t crane, double t0, double x0, double y0, double x1, double y1,
                double load):
        """``ShapedPlanner.travel`` whole: the stage of crane ``crane`` (limits from
        :meth:`bind`), and per moving axis one move counted, and a swing waited out with its
        settle time when there is one; the same additions, in the same order."""
        cdef double sb = NAN, st = NAN
        if self.stats is None:
            raise RuntimeError("ShapedTravel.counted before bind")
        if not (0 <= crane < self.lim.shape[0]):
            raise IndexError(f"crane {crane} out of range")
        stage = self._stage(t0, x0, y0, x1, y1, load, self.lim[crane, 0], self.lim[crane, 1],
                            self.lim[crane, 2], self.lim[crane, 3], self.tag, &sb, &st)
        self._count(self.mv0, sb)
        self._count(self.mv1, st)
        return stage

    def bind_hoist(self, limits, double top, int tag):
        """For :meth:`hoist_counted`: the cranes' (vz, az, pick_s, place_s), the hook's travel
        height and the tag its moves are counted under (after :meth:`bind`)."""
        import numpy as np

        if self.stats is None:
            raise RuntimeError("ShapedTravel.bind_hoist before bind")
        self.hlim = np.ascontiguousarray(np.asarray(limits, dtype=np.float64).reshape(-1, 4))
        self.top = top
        self.mv2 = self.stats["moves"][2]
        self.htag = tag

    def hoist_counted(self, Py_ssize_t crane, double t0, double x, double y, double z, bint pick,
                      double load):
        """``ShapedPlanner.hoist`` whole: :func:`hoist_stage` with crane ``crane``'s limits, its
        moves counted."""
        if self.mv2 is None:
            raise RuntimeError("ShapedTravel.hoist_counted before bind_hoist")
        if not (0 <= crane < self.hlim.shape[0]):
            raise IndexError(f"crane {crane} out of range")
        stage = _hoist_stage(t0, x, y, z, self.top, self.hlim[crane, 0], self.hlim[crane, 1],
                             self.hlim[crane, 2] if pick else self.hlim[crane, 3], pick, load)
        counts = self.mv2
        counts[self.htag] = counts[self.htag] + len(stage.moves)
        return stage

    cdef int _count(self, object counts, double settle) except -1:
        cdef dict d = self.stats
        if settle == settle:  # the axis moved (NaN when not)
            counts[self.tag] = counts[self.tag] + 1
            if settle > 0:
                d["sway_events"] = d["sway_events"] + 1
                d["settle_s"] = d["settle_s"] + settle
        return 0

    cdef Stage _stage(self, double t0, double x0, double y0, double x1, double y1, double load,
                      double vx, double ax, double vy, double ay, int tag, double* sb_out,
                      double* st_out):
        cdef list moves = []
        cdef double end = t0, a_cmd, settle, v, sb = NAN, st = NAN
        cdef TaggedMove m
        if x1 != x0:
            _shape(self.T, self.anti, self.ratio, self.s_re, self.s_im, self.w, self.tol, self.tau,
                   t0, x0, x1, vx, ax, &a_cmd, &settle)
            m = TaggedMove(0, t0, x0, x1, vx, a_cmd, load, tag)
            moves.append(m)
            v = m.t0 + m.dur + settle  # m.t1 + settle
            if v > end:
                end = v
            sb = settle
        if y1 != y0:
            _shape(self.T, self.anti, self.ratio, self.s_re, self.s_im, self.w, self.tol, self.tau,
                   t0, y0, y1, vy, ay, &a_cmd, &settle)
            m = TaggedMove(1, t0, y0, y1, vy, a_cmd, load, tag)
            moves.append(m)
            v = m.t0 + m.dur + settle
            if v > end:
                end = v
            st = settle
        sb_out[0] = sb
        st_out[0] = st
        return Stage(t0, end - t0, moves, x0, y0, x1, y1)


def hoist_stage(double t0, double x, double y, double z, double top, double vz, double az,
                double dwell, bint pick, double load):
    """:meth:`cranesim.physics.planners.AutomatedPlanner.hoist`'s stage (see there): down from ``top`` to
    ``z``, ``dwell`` seconds to grab or release, back up; the coil hangs on the way up after a
    pick and on the way down before a place."""
    return _hoist_stage(t0, x, y, z, top, vz, az, dwell, pick, load)


cdef Stage _hoist_stage(double t0, double x, double y, double z, double top, double vz, double az,
                        double dwell, bint pick, double load):
    cdef AxisMove down = AxisMove(2, t0, top, z, vz, az, 0.0 if pick else load)
    cdef AxisMove up = AxisMove(2, down.t0 + down.dur + dwell, z, top, vz, az, load if pick else 0.0)
    return Stage(t0, down.dur + dwell + up.dur, [down, up], x, y, x, y)


def first_breach(list stages, list rx, list res_lo, list res_hi, double now, double d):
    """``(k, gap, rgap)`` for the first neighbours ``k - 1, k`` (west to east) whose bridges are
    less than ``d`` apart now (``gap``) or in their runway reservations (``rgap``), else None:
    ``cranesim.model._first_breach_py`` (a crane's position is ``rx`` or its stage's)."""
    cdef Py_ssize_t k, n = len(rx)
    cdef double x = 0.0, x_prev, gap, rgap
    cdef Stage stage
    for k in range(n):
        x_prev = x
        if stages[k] is None:
            x = rx[k]
        else:
            stage = <Stage?>stages[k]
            x = stage.pos(0, now, stage.x0)
        if k == 0:
            continue
        gap = x - x_prev
        rgap = <double>res_lo[k] - <double>res_hi[k - 1]
        if gap < d or rgap < d:
            return k, gap, rgap
    return None


def motion_sums(moves):
    """``(bm, tm, hm, bs, ts, hs, bn, tn, hn)``: distance, time and starts per axis of the moves
    that take time (the loop of ``Warehouse._emit_stage``).  The moves are :class:`AxisMove`
    objects (a TypeError otherwise), as are a Stage's and those StageEnergy prices."""
    cdef double bm = 0.0, tm = 0.0, hm = 0.0, bs = 0.0, ts = 0.0, hs = 0.0, dur, dist
    cdef long bn = 0, tn = 0, hn = 0
    cdef int axis
    cdef AxisMove mv
    for m in moves:
        mv = <AxisMove?>m
        dur = mv.dur
        if dur <= 0.0:
            continue
        axis = mv.axis
        dist = fabs(mv.p1 - mv.p0)
        if axis == 0:
            bm += dist
            bs += dur
            bn += 1
        elif axis == 1:
            tm += dist
            ts += dur
            tn += 1
        else:
            hm += dist
            hs += dur
            hn += 1
    return bm, tm, hm, bs, ts, hs, bn, tn, hn


cdef class StageEnergy:
    """Energy of crane stages, accumulated by axis and category (the twin of
    ``EnergyModel.stage_kwh`` without a move log).

    ``drives`` are the cranes' :class:`cranesim.physics.energy.DriveParams`, ``phys`` the
    :class:`cranesim.physics.energy.Physics`, ``v_rated[c]`` the rated (bridge, trolley, hoist) speeds.
    """

    cdef double[:, ::1] dp  # per crane: eta, regen, fixed J, wound rotor, plugging
    cdef double[:, ::1] vr
    cdef double rmf, rr, bf, bs, m_bridge, m_trolley, m_dev, g, j_per_kwh
    cdef double acc[3][5]  # axis x (motoring, regen, start_loss, fixed, net), kWh
    cdef readonly long stages
    cdef Py_ssize_t n

    def __init__(self, drives, phys, v_rated, double g, double j_per_kwh):
        import numpy as np

        self.n = len(drives)
        dp = np.zeros((self.n, 5))
        for c, p in enumerate(drives):
            dp[c, 0] = p.eta
            dp[c, 1] = p.regen
            dp[c, 2] = p.fixed_kj * 1000.0
            dp[c, 3] = 1.0 if p.wound_rotor else 0.0
            dp[c, 4] = 1.0 if p.plugging else 0.0
        self.dp = dp
        self.vr = np.ascontiguousarray(np.asarray(v_rated, dtype=np.float64).reshape(self.n, 3))
        self.rmf = phys.rotating_mass_factor
        self.rr = phys.rolling_resistance
        self.bf = phys.breakaway_factor
        self.bs = phys.breakaway_s
        self.m_bridge = phys.bridge_mass_t
        self.m_trolley = phys.trolley_mass_t
        self.m_dev = phys.lifting_device_mass_t
        self.g = g
        self.j_per_kwh = j_per_kwh
        self.stages = 0
        for i in range(3):
            for k in range(5):
                self.acc[i][k] = 0.0

    def totals(self):
        """``[axis][category]`` kWh: motoring, regen, start_loss, fixed, net."""
        return [[self.acc[i][k] for k in range(5)] for i in range(3)]

    def stage(self, Py_ssize_t crane, moves) -> float:
        """Net energy of the stage's moves (kWh), added to the totals."""
        cdef double total = 0.0, dur, a, ta, vp, load, mass_t, mass, meq, tc, d_acc, d_c
        cdef double mg, w0, w1, w2, f, tb, breakaway, pos, neg, eta, start_loss
        cdef double slip, loss, vrat, mot, reg, sl, fx, net, x
        cdef bint up
        cdef int axis
        cdef AxisMove mv
        if crane < 0 or crane >= self.n:
            raise IndexError(f"crane {crane} out of range")
        self.stages += 1
        eta = self.dp[crane, 0]
        for m in moves:
            mv = <AxisMove?>m  # the compiled moves (kinematics.AxisMove when this module is built)
            dur = mv.dur
            if dur <= 0.0:
                continue
            axis = mv.axis
            up = mv.p1 > mv.p0
            load = mv.load_t
            a = mv.a
            ta = mv.t_acc
            vp = mv.v_peak
            # Physics.axis_mass_t
            mass_t = self.m_dev + load
            if axis != HOIST:
                mass_t += self.m_trolley
                if axis != TROLLEY:
                    mass_t += self.m_bridge
            vrat = self.vr[crane, axis]
            # energy._move_parts
            mass = mass_t * 1000.0
            meq = self.rmf * mass
            x = dur - 2.0 * ta
            tc = x if not (0.0 > x) else 0.0  # max(x, 0.0)
            d_acc = 0.5 * a * ta * ta
            d_c = vp * tc
            if axis == HOIST:
                mg = mass * self.g
                if up:
                    w0 = (mg + meq * a) * d_acc
                    w1 = mg * d_c
                    w2 = (mg - meq * a) * d_acc
                else:
                    w0 = -(mg - meq * a) * d_acc
                    w1 = -mg * d_c
                    w2 = -(mg + meq * a) * d_acc
                breakaway = 0.0
                f = 0.0
                tb = 0.0
            else:
                f = self.rr * mass * self.g
                w0 = (meq * a + f) * d_acc
                w1 = f * d_c
                w2 = (f - meq * a) * d_acc
                mg = 0.0
                tb = self.bs if not (ta < self.bs) else ta  # min(breakaway_s, ta)
                breakaway = (self.bf - 1.0) * f * 0.5 * a * tb * tb
            pos = 0.0
            neg = 0.0
            if w0 > 0.0:
                pos = pos + w0
            elif w0 < 0.0:
                neg = neg + w0
            if w1 > 0.0:
                pos = pos + w1
            elif w1 < 0.0:
                neg = neg + w1
            if w2 > 0.0:
                pos = pos + w2
            elif w2 < 0.0:
                neg = neg + w2
            pos = pos + breakaway
            neg = 0.0 - neg  # the twin negates an int 0 when nothing brakes: +0.0, not -0.0
            if self.dp[crane, 3] == 0.0:
                reg = self.dp[crane, 1] * neg
                start_loss = 0.0
            else:
                # wound rotor: energy._move_parts
                reg = 0.0
                x = vrat * ta - d_acc
                slip = x if x > 0.0 else 0.0
                if axis != HOIST:
                    x = vrat - vp
                    loss = (meq * a + f) * slip + (self.bf - 1.0) * f * (vrat * tb - 0.5 * a * tb * tb)
                    loss = loss + f * (x if x > 0.0 else 0.0) * tc
                    if self.dp[crane, 4] != 0.0:
                        x = meq * a - f
                        if x > 0.0:
                            loss = loss + x * vrat * ta
                elif up:
                    x = vrat - vp
                    loss = (mg + meq * a) * slip + mg * (x if x > 0.0 else 0.0) * tc
                elif vp < 0.5 * vrat:
                    loss = mg * vrat * dur
                else:
                    x = mg - meq * a
                    loss = x * vrat * ta if x > 0.0 else 0.0
                    reg = self.dp[crane, 1] * mg * d_c
                start_loss = loss / eta
            mot = pos / eta
            sl = start_loss
            fx = self.dp[crane, 2]
            self.acc[axis][0] += mot / self.j_per_kwh
            self.acc[axis][1] += reg / self.j_per_kwh
            self.acc[axis][2] += sl / self.j_per_kwh
            self.acc[axis][3] += fx / self.j_per_kwh
            net = (mot + sl + fx - reg) / self.j_per_kwh
            self.acc[axis][4] += net
            total += net
        return total


_KIND_CODES = {"move_empty": 0, "pick": 1, "move_loaded": 2, "place": 3, "yield": 4, "wait": 5}
_LIFT_KIND_CODES = {"store": 0, "retrieve": 1, "relocate": 2}


cdef class CraneStageSums:
    """cranesim.record.kpi.CraneStageSumsPy compiled: the KPI sums of crane stage records, the same
    additions in the same order."""

    cdef double[::1] busy, wait, yld
    cdef long[::1] nlifts
    cdef double empty_b, empty_t, loaded_b, loaded_t
    cdef readonly double yield_travel_m, hoist_m, energy_kwh
    cdef readonly long lifts, energy_records
    cdef long kinds[3]
    cdef readonly Py_ssize_t n

    def __init__(self, Py_ssize_t n_cranes):
        import numpy as np

        self.n = n_cranes
        self.busy = np.zeros(n_cranes)
        self.wait = np.zeros(n_cranes)
        self.yld = np.zeros(n_cranes)
        self.nlifts = np.zeros(n_cranes, dtype=np.int_)
        self.empty_b = self.empty_t = self.loaded_b = self.loaded_t = 0.0
        self.yield_travel_m = self.hoist_m = self.energy_kwh = 0.0
        self.lifts = self.energy_records = 0
        self.kinds[0] = self.kinds[1] = self.kinds[2] = 0

    @property
    def crane_busy_s(self):
        return list(self.busy)

    @property
    def crane_wait_s(self):
        return list(self.wait)

    @property
    def crane_yield_s(self):
        return list(self.yld)

    @property
    def crane_lifts(self):
        return list(self.nlifts)

    @property
    def empty_travel_m(self):
        return [self.empty_b, self.empty_t]

    @property
    def loaded_travel_m(self):
        return [self.loaded_b, self.loaded_t]

    @property
    def lift_kinds(self):
        return {"store": self.kinds[0], "retrieve": self.kinds[1], "relocate": self.kinds[2]}

    def add(self, k, Py_ssize_t c, double d, long lift, lk, double bm, double tm, double hm, double e):
        """A crane stage record's fields (kind, crane, duration, lift id and kind, bridge,
        trolley and hoist metres, kWh)."""
        cdef int kind = _KIND_CODES[k]
        self._add(kind, c, d, lift, _LIFT_KIND_CODES[lk] if kind == 3 else -1, bm, tm, hm, e)

    def add_moves(self, int kind, Py_ssize_t c, double d, long lift, int lk, moves, double e):
        """The same for a stage given by kind code, lift kind code and its moves."""
        cdef double bm = 0.0, tm = 0.0, hm = 0.0
        cdef AxisMove mv
        for m in moves:
            mv = <AxisMove?>m
            if mv.dur <= 0.0:
                continue
            if mv.axis == 0:
                bm += fabs(mv.p1 - mv.p0)
            elif mv.axis == 1:
                tm += fabs(mv.p1 - mv.p0)
            else:
                hm += fabs(mv.p1 - mv.p0)
        self._add(kind, c, d, lift, lk, bm, tm, hm, e)

    cdef int _add(self, int kind, Py_ssize_t c, double d, long lift, int lk, double bm, double tm,
                  double hm, double e) except -1:
        if not (0 <= c < self.n):
            raise IndexError(f"crane {c} out of range")
        if kind < 0 or kind > 5:
            raise KeyError(kind)
        if kind != 4 or lift < 0:  # a push during a lift overlaps the lift's wait
            self.busy[c] += d
        if kind == 0:
            self.empty_b += bm
            self.empty_t += tm
        elif kind == 2:
            self.loaded_b += bm
            self.loaded_t += tm
        elif kind == 3:
            if not (0 <= lk < 3):
                raise KeyError(lk)
            self.hoist_m += hm
            self.lifts += 1
            self.nlifts[c] += 1
            self.kinds[lk] += 1
        elif kind == 1:
            self.hoist_m += hm
        elif kind == 5:
            self.wait[c] += d
        elif kind == 4:
            self.yld[c] += d
            self.yield_travel_m += bm
        if not isnan(e):
            self.energy_kwh += e
            self.energy_records += 1
        return 0
