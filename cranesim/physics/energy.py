"""Electrical energy of crane motion, per axis and per motion segment.

Every :class:`~cranesim.physics.kinematics.AxisMove` is a rest-to-rest move with constant acceleration
``a`` for ``t_acc``, cruise at ``v_peak`` for ``t_c = dur - 2·t_acc`` and constant deceleration
``a`` for ``t_acc`` (``t_c = 0`` for a triangle).  The force is constant in each of these three
phases, so the mechanical work of each phase is force × distance, and its sign (motoring or
braking) is the sign of the force.  With ``d_acc = a·t_acc²/2`` (distance of the acceleration
and of the deceleration phase), ``d_c = v_peak·t_c``, ``g = 9.81`` and masses in kg:

Travel (bridge, trolley), moving mass ``m``, ``m_eq = k_rot·m``, rolling resistance ``f = w·m·g``
    W_acc = (m_eq·a + f)·d_acc,  W_c = f·d_c,  W_dec = (f - m_eq·a)·d_acc,
    plus breakaway ``(k_b - 1)·f·a·min(t_b, t_acc)²/2`` at every start (motoring).
    Bridge: m = bridge + trolley + lifting device + coil; trolley: trolley + device + coil.
Hoist, ``m`` = lifting device + coil, up
    W_acc = (m·g + m_eq·a)·d_acc,  W_c = m·g·d_c,  W_dec = (m·g - m_eq·a)·d_acc;
Hoist, down
    W_acc = -(m·g - m_eq·a)·d_acc,  W_c = -m·g·d_c,  W_dec = -(m·g + m_eq·a)·d_acc.

The positive works ``P`` are drawn from the grid through the efficiency
``η = motor · drive · mechanical``; of the braking works ``N`` a fraction ``r`` reaches the grid,
``r`` counted *after* all losses (motor, converter, gears: it is not multiplied by ``η`` again;
``r = 0`` with a braking resistor):

    E = P / η  -  r · N  +  drive-specific losses / η  +  per-start fixed energy.

Drive-specific losses (domain brief, "Energy physics"):

``inverter_resistor`` / ``inverter_regen``
    No start losses beyond the kinetic energy (already in ``P``); part speed is efficient.
``wound_rotor_contactor``
    Slip-ring motor on the mains, started on rotor resistors switched by contactors.  At fixed
    supply frequency the rotor circuit burns the slip power ``F·(v_s - v)``, with ``v_s`` the
    synchronous speed (taken as the axis's rated speed ``v_rated``, as the cruise below), so
    accelerating with force ``F`` for ``t_acc`` over ``d_acc`` costs an extra
    ``F·(v_s·t_acc - d_acc)``: about the kinetic energy for a move that reaches rated speed (a
    start costs ~2× its kinetic energy), far more for a creep-speed jog, which spends its whole
    acceleration at high slip.  Travel: ``F = m_eq·a + f`` plus the breakaway force over its first
    ``t_b``; hoisting: ``F = m·g + m_eq·a``.  Running at part speed on a resistor step dissipates
    ``F⁺·(v_s - v_peak)·t_c`` in the cruise.  With ``plugging`` (reverse-current braking) a
    travel stop draws ``(m_eq·a - f)⁺·v_s·t_acc`` from the grid (at rated speed 2× the kinetic
    energy; with the kinetic energy itself the rotor burns ~3×, domain brief).
    Lowering: a lowering that stays below half the rated speed (creep, inching) runs on the
    counter-torque notches: the motor holds the load against gravity while the field turns in the
    hoisting direction, and the grid supplies ``m·g·v_s`` for the whole move (air-gap power, all
    burned in the rotor with the load's potential energy).  A lowering at speed runs on the last
    notch: below synchronous speed, while accelerating, the motor holds the load back
    (``(m·g - m_eq·a)⁺·v_s·t_acc``); in the cruise it runs supersynchronously as an induction
    generator on the mains and returns ``r·m·g·d_c`` (``r`` after losses, the drive's
    ``regen_fraction``: 0 when the supply cannot take it back).  Travel braking of a wound-rotor
    drive returns nothing (mechanical brake).
All drives
    ``brake_release_kj + magnetising_kj`` per start of any axis.

Standby is time based (per crane, per hour, manned or not) and the cab air conditioning runs
while a driver is aboard; both are computed over the horizon (:func:`standby_kwh`), not per
stage.

:func:`move_energy` is the scalar reference (one move, readable); :func:`energy_table`
evaluates the same formulas on arrays of moves (a :class:`MoveLog`) for re-evaluation under other
parameters (sensitivity) without re-running the model.  Tests check both against hand-computed
physics and against each other.

Examples
--------
A 40 m bridge move of an empty 16 t-class crane with inverter drives (no regeneration):

>>> from cranesim.physics.kinematics import AxisMove, BRIDGE
>>> p = DriveParams("inverter_resistor", eta=0.85, regen=0.0, fixed_kj=1.5, plugging=False)
>>> phys = Physics(rotating_mass_factor=1.1, rolling_resistance=0.0075, breakaway_factor=1.75,
...                breakaway_s=0.5)
>>> m = AxisMove(BRIDGE, 0.0, 0.0, 40.0, 100 / 60, 0.3, 0.0)
>>> e = move_energy(m, 43.5, 100 / 60, True, p, phys)
>>> round(e.net_kwh, 4)
0.0592
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

import numpy as np

from cranesim.codes import AXIS_NAMES, CATEGORIES, DRIVES, HOIST, TAG_NAMES, TROLLEY
from cranesim.native import compiled, kernel
from cranesim.physics.drives import DRIVE_TYPICAL, DriveParams, Physics, physics_of, resolve_drives
from cranesim.physics.kinematics import AxisMove, Stage

__all__ = [
    "scheduler_coefficients",
    "G",
    "DRIVES",
    "DRIVE_TYPICAL",
    "DriveParams",
    "Physics",
    "physics_of",
    "resolve_drives",
    "MoveEnergy",
    "move_energy",
    "MoveLog",
    "energy_table",
    "EnergyModel",
    "CATEGORIES",
]

G = 9.81
J_PER_KWH = 3.6e6


@dataclass
class MoveEnergy:
    """Energy of one move, J (``net_kwh`` in kWh)."""

    motoring_j: float = 0.0
    regen_j: float = 0.0
    start_loss_j: float = 0.0
    fixed_j: float = 0.0
    positive_work_j: float = 0.0  # mechanical, before efficiency
    negative_work_j: float = 0.0  # mechanical braking work (>= 0)

    @property
    def net_j(self) -> float:
        return self.motoring_j + self.start_loss_j + self.fixed_j - self.regen_j

    @property
    def net_kwh(self) -> float:
        return self.net_j / J_PER_KWH


def move_energy(
    m: AxisMove,
    mass_t: float,
    v_rated: float,
    up: bool,
    p: DriveParams,
    phys: Physics,
) -> MoveEnergy:
    """Energy of one rest-to-rest move (the scalar reference implementation).

    Parameters
    ----------
    m
        The move (its ``a``, ``t_acc``, ``v_peak`` and ``dur`` are used).
    mass_t
        Moving mass of this axis in tonnes (see the module docstring), including the coil.
    v_rated
        Rated (top) speed of the axis, m/s: the slip reference of a wound-rotor drive.
    up
        Hoist only: ``True`` when hoisting, ``False`` when lowering.
    """
    out = MoveEnergy()
    if m.dur <= 0.0:
        return out
    parts = _move_parts(m.axis, m.a, m.t_acc, m.v_peak, m.dur, mass_t, v_rated, up, p, phys)
    (
        out.motoring_j,
        out.regen_j,
        out.start_loss_j,
        out.fixed_j,
        out.positive_work_j,
        out.negative_work_j,
    ) = parts
    return out


def _move_parts(
    axis: int,
    a: float,
    ta: float,
    vp: float,
    dur: float,
    mass_t: float,
    v_rated: float,
    up: bool,
    p: DriveParams,
    phys: Physics,
) -> tuple[float, float, float, float, float, float]:
    """(motoring, regen, start loss, fixed, positive work, negative work) in J of a move with
    ``dur > 0``: the formulas of the module docstring, written out (no temporary tuples), in the
    order of operations that every energy figure of this package has been computed with."""
    mass = mass_t * 1000.0
    meq = phys.rotating_mass_factor * mass
    tc = max(dur - 2.0 * ta, 0.0)
    d_acc = 0.5 * a * ta * ta
    d_c = vp * tc
    if axis == HOIST:
        mg = mass * G
        if up:
            w0, w1, w2 = (mg + meq * a) * d_acc, mg * d_c, (mg - meq * a) * d_acc
        else:
            w0, w1, w2 = -(mg - meq * a) * d_acc, -mg * d_c, -(mg + meq * a) * d_acc
        breakaway = 0.0
        f = tb = 0.0
    else:
        f = phys.rolling_resistance * mass * G
        w0, w1, w2 = (meq * a + f) * d_acc, f * d_c, (f - meq * a) * d_acc
        mg = 0.0
        tb = min(phys.breakaway_s, ta)
        breakaway = (phys.breakaway_factor - 1.0) * f * 0.5 * a * tb * tb
    # sums from the integer 0, as ``sum`` does: the first term is taken exactly
    pos = 0
    neg = 0
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
    neg = -neg
    eta = p.eta
    if not p.wound_rotor:
        return pos / eta, p.regen * neg, 0.0, p.fixed_kj * 1000.0, pos, neg
    # wound rotor: slip losses against the synchronous (rated) speed, see the module docstring
    vs = v_rated
    regen = 0.0
    x = vs * ta - d_acc
    slip = x if x > 0.0 else 0.0
    if axis != HOIST:
        x = vs - vp
        loss = (meq * a + f) * slip + (phys.breakaway_factor - 1.0) * f * (
            vs * tb - 0.5 * a * tb * tb
        )
        loss = loss + f * (x if x > 0.0 else 0.0) * tc
        if p.plugging:
            x = meq * a - f
            if x > 0.0:
                loss = loss + x * vs * ta
    elif up:
        x = vs - vp
        loss = (mg + meq * a) * slip + mg * (x if x > 0.0 else 0.0) * tc
    elif vp < 0.5 * vs:
        loss = mg * vs * dur  # counter-torque lowering
    else:
        x = mg - meq * a
        loss = x * vs * ta if x > 0.0 else 0.0
        regen = p.regen * mg * d_c  # supersynchronous: generates in the cruise
    return pos / eta, regen, loss / eta, p.fixed_kj * 1000.0, pos, neg


# --------------------------------------------------------------------------- move log
_TAGS = TAG_NAMES


class MoveLog:
    """Append-only columnar record of every axis move of a run (for re-evaluation).

    Columns: crane, axis, up (hoist direction), load_t (coil on the hook), a, t_acc, v_peak,
    dur, v_rated, tag (index into ``TAGS``: what the move was for), t0 (start, model s).
    """

    TAGS = _TAGS

    def __init__(self) -> None:
        self._rows: list[tuple] = []
        self._arr: dict[str, np.ndarray] | None = None

    def append(
        self, crane: int, axis: int, up: bool, load_t: float, m: AxisMove, v_rated: float, tag: int
    ) -> None:
        self._rows.append(
            (crane, axis, up, load_t, m.a, m.t_acc, m.v_peak, m.dur, v_rated, tag, m.t0)
        )
        self._arr = None

    def __len__(self) -> int:
        return len(self._rows)

    def arrays(self) -> dict[str, np.ndarray]:
        if self._arr is None:
            names = (
                "crane",
                "axis",
                "up",
                "load_t",
                "a",
                "t_acc",
                "v_peak",
                "dur",
                "v_rated",
                "tag",
                "t0",
            )
            if self._rows:
                cols = list(zip(*self._rows))
            else:
                cols = [()] * len(names)
            dt = (
                np.int32,
                np.int8,
                np.bool_,
                float,
                float,
                float,
                float,
                float,
                float,
                np.int8,
                float,
            )
            self._arr = {n: np.asarray(c, dtype=t) for n, c, t in zip(names, cols, dt)}
        return self._arr

    def __getstate__(self) -> dict:  # pickled as arrays (compact for the process pool)
        return {"arr": self.arrays()}

    def __setstate__(self, state: dict) -> None:
        self._arr = state["arr"]
        n = len(self._arr["crane"])
        self._rows = [None] * n  # length only; appending after unpickling is not supported


def energy_table(
    log: MoveLog | dict[str, np.ndarray],
    params: Sequence[DriveParams],
    phys: Physics,
) -> dict[str, np.ndarray]:
    """Evaluate :func:`move_energy` on every move of ``log`` at once.

    ``params[c]`` are the drive parameters of crane ``c``.  Returns per-move arrays (J) for
    each of :data:`CATEGORIES` and ``net``.
    """
    A = log.arrays() if isinstance(log, MoveLog) else log
    crane = A["crane"].astype(np.intp)
    axis, up = A["axis"], A["up"]
    base = np.array([phys.axis_mass_t(0, 0.0), phys.axis_mass_t(1, 0.0), phys.axis_mass_t(2, 0.0)])
    mass = (base[axis.astype(np.intp)] + A["load_t"]) * 1000.0
    meq = phys.rotating_mass_factor * mass
    a, ta, vp, dur, vr = A["a"], A["t_acc"], A["v_peak"], A["dur"], A["v_rated"]
    live = dur > 0.0
    tc = np.maximum(dur - 2.0 * ta, 0.0)
    d_acc = 0.5 * a * ta * ta
    d_c = vp * tc
    hoist = axis == HOIST
    mg = mass * G
    f = phys.rolling_resistance * mass * G
    sgn = np.where(up, 1.0, -1.0)
    # hoist: up (mg + meq a, mg, mg - meq a); down -(mg - meq a, mg, mg + meq a)
    w_acc = np.where(hoist, sgn * (mg + sgn * meq * a) * d_acc, (meq * a + f) * d_acc)
    w_c = np.where(hoist, sgn * mg * d_c, f * d_c)
    w_dec = np.where(hoist, sgn * (mg - sgn * meq * a) * d_acc, (f - meq * a) * d_acc)
    tb = np.minimum(phys.breakaway_s, ta)
    brk = np.where(hoist, 0.0, (phys.breakaway_factor - 1.0) * f * 0.5 * a * tb * tb)
    pos = np.maximum(w_acc, 0) + np.maximum(w_c, 0) + np.maximum(w_dec, 0) + brk
    neg = np.maximum(-w_acc, 0) + np.maximum(-w_c, 0) + np.maximum(-w_dec, 0)
    eta = np.array([p.eta for p in params])[crane]
    regen = np.array([p.regen for p in params])[crane]
    wr = np.array([p.wound_rotor for p in params])[crane]
    plug = np.array([p.plugging and p.wound_rotor for p in params])[crane]
    fixed = np.array([p.fixed_kj * 1000.0 for p in params])[crane]
    # wound rotor (module docstring): slip losses against the synchronous (rated) speed
    slip = np.maximum(vr * ta - d_acc, 0.0)
    part = np.maximum(vr - vp, 0.0) * tc
    travel_loss = (
        (meq * a + f) * slip
        + (phys.breakaway_factor - 1.0) * f * (vr * tb - 0.5 * a * tb * tb)
        + f * part
        + np.where(plug, np.maximum(meq * a - f, 0.0) * vr * ta, 0.0)
    )
    creep = ~up & (vp < 0.5 * vr)
    down_loss = np.where(creep, mg * vr * dur, np.maximum(mg - meq * a, 0.0) * vr * ta)
    hoist_loss = np.where(up, (mg + meq * a) * slip + mg * part, down_loss)
    loss = np.where(hoist, hoist_loss, travel_loss)
    wr_regen = np.where(hoist & ~up & ~creep, regen * mg * d_c, 0.0)
    out = {
        "motoring": np.where(live, pos / eta, 0.0),
        "regen": np.where(live, np.where(wr, wr_regen, regen * neg), 0.0),
        "start_loss": np.where(live & wr, loss / eta, 0.0),
        "fixed": np.where(live, fixed, 0.0),
    }
    out["net"] = out["motoring"] + out["start_loss"] + out["fixed"] - out["regen"]
    return out


def summarise(
    log: MoveLog, params: Sequence[DriveParams], phys: Physics
) -> dict[str, dict[str, float]]:
    """Energy of a whole run by axis and category, kWh: ``{axis: {category: kWh, 'net': kWh}}``."""
    tab = energy_table(log, params, phys)
    axis = log.arrays()["axis"]
    out: dict[str, dict[str, float]] = {}
    for ax, name in enumerate(AXIS_NAMES):
        sel = axis == ax
        out[name] = {k: float(tab[k][sel].sum()) / J_PER_KWH for k in (*CATEGORIES, "net")}
    return out


def scheduler_coefficients(sc, mode: str = "automated") -> np.ndarray:
    """Energy estimate coefficients for the scheduler's energy and mix objectives, shape (n, 16).

    For each crane, row entries (kWh) in the order of :data:`cranesim.sched.state` ``c_e``:
    bridge, trolley, hoist up, hoist down, each ``(e0, e1, e2, e3)`` so that a move of ``d`` m
    with a coil of ``m`` t costs ``(e0 + e1 m) + d (e2 + e3 m)``.  They come from
    :func:`move_energy` itself: a rest-to-rest move that reaches full speed costs an amount
    affine in ``d`` (the cruise adds force × distance) and in ``m`` (every force is a mass
    times an acceleration or ``g``), so two distances past the full-speed distance and two
    masses give the exact coefficients there.  Shorter moves (a triangle profile) are
    estimated by the same line: their true energy is lower, which the scheduler's comparison
    between candidates can live with.  Hoisting is priced with the crane's hoist speed; the
    drive, its efficiency, regeneration and start losses are those of ``mode``.
    """
    from cranesim.codes import BRIDGE

    params = resolve_drives(sc, mode)
    phys = physics_of(sc)
    specs = sc.crane_specs()
    out = np.zeros((len(specs), 16), dtype=np.float64)
    m_hi = 10.0  # t: any positive mass; the result is affine in it
    for c, (sp, p) in enumerate(zip(specs, params)):
        axes = (
            (BRIDGE, sp.bridge_speed_m_min / 60.0, sp.bridge_accel_m_s2, True),
            (TROLLEY, sp.trolley_speed_m_min / 60.0, sp.trolley_accel_m_s2, True),
            (HOIST, sp.hoist_speed_m_min / 60.0, sp.hoist_accel_m_s2, True),
            (HOIST, sp.hoist_speed_m_min / 60.0, sp.hoist_accel_m_s2, False),
        )
        for i, (axis, v, a, up) in enumerate(axes):
            d1 = 2.0 * v * v / a + 1.0  # past the full-speed distance v²/a
            d2 = d1 + 10.0

            def e(d: float, load: float, axis=axis, v=v, a=a, up=up) -> float:
                mv = AxisMove(axis, 0.0, 0.0, d if up else -d, v, a, load)
                return move_energy(mv, phys.axis_mass_t(axis, load), v, up, p, phys).net_kwh

            per_m = [(e(d2, m) - e(d1, m)) / (d2 - d1) for m in (0.0, m_hi)]
            start = [e(d1, m) - per_m[k] * d1 for k, m in enumerate((0.0, m_hi))]
            out[c, 4 * i: 4 * i + 4] = (
                start[0], (start[1] - start[0]) / m_hi, per_m[0], (per_m[1] - per_m[0]) / m_hi,
            )  # fmt: skip
    # differences of equal numbers leave rounding dust (~1e-19) where a term is exactly 0
    out[np.abs(out) < 1e-12 * max(float(np.abs(out).max()), 1e-300)] = 0.0
    return out


@dataclass
class _Acc:
    by_axis: dict[str, dict[str, float]] = field(
        default_factory=lambda: {n: {k: 0.0 for k in (*CATEGORIES, "net")} for n in AXIS_NAMES}
    )


class EnergyModel:
    """The model's ``energy=`` hook: energy of every crane stage, and a log of its moves.

    Parameters
    ----------
    sc
        The scenario (masses, physics, crane speeds).
    mode
        Which drive setup prices the stages: ``"automated"`` or ``"manual"``.
    params
        Drive parameters per crane, overriding ``mode`` (e.g. for a sensitivity case).
    log
        Keep a :class:`MoveLog` of every move (for re-evaluation under other parameters).

    ``stage_kwh(crane, stage, kind)`` returns the stage's net electrical energy (kWh) and adds
    it, by axis and category, to :attr:`totals`.
    """

    def __init__(
        self,
        sc,
        mode: str = "automated",
        params: Sequence[DriveParams] | None = None,
        physics: Physics | None = None,
        log: bool = True,
    ) -> None:
        self.params = list(params) if params is not None else resolve_drives(sc, mode)
        self.phys = physics if physics is not None else physics_of(sc)
        self.v_rated = [
            (s.bridge_speed_m_min / 60.0, s.trolley_speed_m_min / 60.0, s.hoist_speed_m_min / 60.0)
            for s in sc.crane_specs()
        ]
        self.log = MoveLog() if log else None
        self._totals = _Acc().by_axis
        self._acc = [self._totals[n] for n in AXIS_NAMES]  # by axis index
        self._stages = 0
        # without a log, the compiled twin of stage_kwh prices the stages (same bits)
        self._kernel = None
        if self.log is None and compiled():
            self._kernel = kernel("StageEnergy", None)(
                self.params, self.phys, self.v_rated, G, J_PER_KWH
            )

    @property
    def totals(self) -> dict[str, dict[str, float]]:
        """kWh by axis name and category (``CATEGORIES`` and ``net``) over the stages so far."""
        if self._kernel is None:
            return self._totals
        names = (*CATEGORIES, "net")
        return {a: dict(zip(names, row)) for a, row in zip(AXIS_NAMES, self._kernel.totals())}

    @property
    def stages(self) -> int:
        """Stages priced so far."""
        return self._stages if self._kernel is None else self._kernel.stages

    def move_kwh(self, crane: int, m: AxisMove) -> MoveEnergy:
        up = m.p1 > m.p0
        mass = self.phys.axis_mass_t(m.axis, m.load_t)
        vr = self.v_rated[crane][m.axis]
        e = move_energy(m, mass, vr, up, self.params[crane], self.phys)
        if self.log is not None and m.dur > 0.0:
            tag = getattr(m, "tag", 0 if m.axis != HOIST else 4)
            self.log.append(crane, m.axis, up, m.load_t, m, vr, tag)
        return e

    def stage_kwh(self, crane: int, stage: Stage, kind: str) -> float:
        """Net energy of a stage (kWh); adds each move to :attr:`totals` (and the log).

        The same figures as :meth:`move_kwh` move by move, without building a
        :class:`MoveEnergy` per move (this runs for every crane stage of a simulation)."""
        return self.pricer()(crane, stage.moves)

    def pricer(self) -> Callable[[int, Sequence[AxisMove]], float]:
        """``price(crane, moves) -> kWh``: :meth:`stage_kwh` of a stage with these moves, as
        one callable for the model's hot path (the compiled kernel's method when there is one)."""
        return self._moves_kwh if self._kernel is None else self._kernel.stage

    def _moves_kwh(self, crane: int, moves: Sequence[AxisMove]) -> float:
        total = 0.0
        self._stages += 1
        phys, p, vr = self.phys, self.params[crane], self.v_rated[crane]
        log = self.log
        for m in moves:
            dur = m.dur
            if dur <= 0.0:
                continue
            axis = m.axis
            up = m.p1 > m.p0
            load = m.load_t
            mot, reg, sl, fx, _, _ = _move_parts(
                axis,
                m.a,
                m.t_acc,
                m.v_peak,
                dur,
                phys.axis_mass_t(axis, load),
                vr[axis],
                up,
                p,
                phys,
            )
            if log is not None:
                log.append(
                    crane, axis, up, load, m, vr[axis], getattr(m, "tag", 0 if axis != HOIST else 4)
                )
            acc = self._acc[axis]
            acc["motoring"] += mot / J_PER_KWH
            acc["regen"] += reg / J_PER_KWH
            acc["start_loss"] += sl / J_PER_KWH
            acc["fixed"] += fx / J_PER_KWH
            net = (mot + sl + fx - reg) / J_PER_KWH  # MoveEnergy.net_kwh
            acc["net"] += net
            total += net
        return total

    def motion_kwh(self) -> float:
        return sum(v["net"] for v in self.totals.values())

    def standby_kwh(self, hours: float, params: Sequence[DriveParams] | None = None) -> float:
        """Standby + cab energy of all cranes over ``hours`` (time based, moving or not)."""
        ps = self.params if params is None else params
        return sum((p.standby_kw + p.cab_kw) * hours for p in ps)


def standby_kwh(params: Iterable[DriveParams], hours: float) -> float:
    """Standby + cab energy of the cranes with ``params`` over ``hours``."""
    return sum((p.standby_kw + p.cab_kw) * hours for p in params)


def with_changes(params: Sequence[DriveParams], **changes) -> list[DriveParams]:
    """Copies of ``params`` with fields replaced (for sensitivity cases)."""
    return [replace(p, **changes) for p in params]
