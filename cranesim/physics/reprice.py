"""Price the recorded moves of a run again under thousands of parameter sets at once.

:func:`cranesim.physics.energy.energy_table` prices every move of a :class:`MoveLog` for one
parameter set.  The joint uncertainty of ``cranesim compare`` needs the same run priced under
thousands of sets (drive type, efficiencies, regeneration, rolling resistance, rotating masses,
breakaway, lifting device), so this module reduces a run to sums that do not depend on them and
prices each set from the sums: the cost per set is a few hundred operations, not one per move.

Why this is exact.  Every work and loss of :mod:`cranesim.physics.energy` is a moving mass
``m = 1000·(m_dev + u)`` (``u`` = the rest of the axis's mass plus the coil) times a product of
one move's kinematic quantities (``d_acc``, ``d_c``, ``t_acc``, ...) and the parameters
(``k_rot``, ``w``, ``k_b``, ``g``).  A sum of such terms over moves is the parameters times sums
of ``q`` and ``u·q`` over the moves, which are computed once.  The only non-linearities are the
signs of the phase works (``max(·, 0)``): the deceleration of a travel move brakes when
``k_rot·a > w·g``, a hoisting deceleration motors while ``g > k_rot·a``.  For a parameter set the
sign changes at one acceleration ``a* = w·g/k_rot`` (or ``g/k_rot``), so the moves are sorted by
``a`` and the sums are kept cumulative: each set splits them with one binary search.  Whether a
lowering creeps (counter-torque) depends on the move alone.  The result equals
:func:`energy_table` up to the order of the additions (tests check it on random sets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from cranesim.codes import BRIDGE, HOIST
from cranesim.physics.drives import DRIVE_TYPICAL

__all__ = ["PhysicsDraws", "DriveDraws", "sampled_drives", "MoveSums"]

G = 9.81

#: the quantities summed per move (each also weighted by ``u``), see :meth:`MoveSums.price`
_Q = ("da", "a_da", "dc", "ba", "slip", "a_slip", "bslip", "part", "vs_ta", "a_vs_ta", "vs_dur",
      "ones")  # fmt: skip
_QI = {q: i for i, q in enumerate(_Q)}


@dataclass(frozen=True)
class PhysicsDraws:
    """Shared physics per parameter set, arrays of shape ``(S,)``."""

    rotating_mass_factor: np.ndarray
    rolling_resistance: np.ndarray
    breakaway_factor: np.ndarray
    lifting_device_mass_t: np.ndarray
    breakaway_s: float
    bridge_mass_t: float
    trolley_mass_t: float


@dataclass(frozen=True)
class DriveDraws:
    """Drives of one mode per parameter set and crane, arrays of shape ``(S, n)``."""

    wound_rotor: np.ndarray
    plugging: np.ndarray
    eta: np.ndarray
    regen: np.ndarray
    fixed_j: np.ndarray
    standby_kw: np.ndarray
    cab_kw: np.ndarray  # average draw while a driver is aboard


def _typical(drive: np.ndarray, key: str) -> np.ndarray:
    out = np.empty(drive.shape, dtype=float)
    for name, typ in DRIVE_TYPICAL.items():
        out[drive == name] = typ[key]
    return out


def sampled_drives(sc, mode: str, draws: Mapping[str, np.ndarray], S: int) -> DriveDraws:
    """:func:`cranesim.physics.drives.resolve_drives` for ``S`` parameter sets at once.

    ``draws`` holds arrays of shape ``(S,)`` keyed by the names of
    :class:`cranesim.scenario.assumptions.EnergyAssumptions` (``manual_drive`` as drive names,
    the rest numbers); a name that is missing keeps the scenario's value.  A crane's override
    wins over a draw, as it wins over its mode's setting.
    """
    setup = getattr(sc.energy, mode)
    base = setup.model_dump(exclude={"overrides"})
    mech = sc.energy.mechanical_efficiency
    n = len(sc.cranes)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in DriveDraws.__dataclass_fields__}
    own = {"drive": f"{mode}_drive", "standby_kw": f"{mode}_standby_kw",
           "motor_efficiency": "motor_efficiency"}  # fmt: skip
    if mode == "manual":
        own |= {"cab_kw": "cab_kw", "cab_duty": "cab_duty"}
    for crane in sc.cranes:
        ov = setup.overrides.get(crane.name)
        fixed = {k: v for k, v in ov.model_dump().items() if v is not None} if ov else {}

        def value(name: str) -> np.ndarray | None:
            if name in fixed:
                return np.full(S, fixed[name], dtype=object if name == "drive" else float)
            if name in own and own[name] in draws:
                return np.asarray(draws[own[name]])
            v = base[name]
            return None if v is None else np.full(S, v, dtype=object if name == "drive" else float)

        drive = value("drive").astype(str)
        wr = drive == "wound_rotor_contactor"
        motor = value("motor_efficiency")
        motor = _typical(drive, "motor") if motor is None else motor
        conv = value("drive_efficiency")
        conv = _typical(drive, "drive") if conv is None else conv
        mag = value("magnetising_kj")
        mag = _typical(drive, "magnetising_kj") if mag is None else mag
        if "regen_fraction" in fixed:
            regen = np.full(S, fixed["regen_fraction"], dtype=float)
        else:
            given = base["regen_fraction"]
            regen = _typical(drive, "regen") if given is None else np.full(S, given, dtype=float)
            for name, key in (
                ("inverter_regen", "regen_fraction"),
                ("wound_rotor_contactor", "wound_rotor_regen_fraction"),
            ):
                if key in draws:
                    regen = np.where(drive == name, draws[key], regen)
        regen = np.where(drive == "inverter_resistor", 0.0, regen)
        plug = value("plugging")
        cols["wound_rotor"].append(wr)
        cols["plugging"].append((plug != 0) & wr)
        cols["eta"].append(motor * conv * mech)
        cols["regen"].append(regen)
        cols["fixed_j"].append((value("brake_release_kj") + mag) * 1000.0)
        cols["standby_kw"].append(value("standby_kw"))
        cols["cab_kw"].append(value("cab_kw") * value("cab_duty"))
    arrays = {k: np.stack(v, axis=1).reshape(S, n) for k, v in cols.items()}
    return DriveDraws(**arrays)


def physics_draws(sc, draws: Mapping[str, np.ndarray], S: int) -> PhysicsDraws:
    """The shared physics for ``S`` parameter sets (missing names keep the scenario's value)."""
    e = sc.energy

    def value(name: str) -> np.ndarray:
        return np.asarray(draws[name], float) if name in draws else np.full(S, getattr(e, name))

    return PhysicsDraws(
        value("rotating_mass_factor"), value("rolling_resistance"), value("breakaway_factor"),
        value("lifting_device_mass_t"), e.breakaway_s, e.bridge_mass_t, e.trolley_mass_t,
    )  # fmt: skip


class _Group:
    """Moves of one crane and one kind, sorted by acceleration, with cumulative sums."""

    def __init__(self, a: np.ndarray, q: np.ndarray, uq: np.ndarray) -> None:
        order = np.argsort(a, kind="stable")
        self.a = a[order]
        z = np.zeros((1, q.shape[1]))
        self.cq = np.concatenate([z, np.cumsum(q[order], axis=0)])
        self.cuq = np.concatenate([z, np.cumsum(uq[order], axis=0)])

    def msum(self, dev: np.ndarray, names: tuple[str, ...], below: np.ndarray | None = None):
        """Σ m·q (kg-weighted) for each name, over all moves or those with ``a < below``."""
        idx = [_QI[k] for k in names]
        if below is None:
            q, uq = self.cq[-1, idx], self.cuq[-1, idx]
            return [1000.0 * (dev * q[i] + uq[i]) for i in range(len(idx))]
        k = np.searchsorted(self.a, below, side="left")
        q, uq = self.cq[k][:, idx], self.cuq[k][:, idx]
        return [1000.0 * (dev * q[:, i] + uq[:, i]) for i in range(len(idx))]


class MoveSums:
    """A run's moves reduced to parameter-free sums per crane (see the module docstring).

    Parameters
    ----------
    arrays
        :meth:`cranesim.physics.energy.MoveLog.arrays` of the run.
    n_cranes
        Cranes in the scenario.
    breakaway_s, bridge_mass_t, trolley_mass_t
        The scenario's fixed physics (not varied).
    """

    def __init__(
        self,
        arrays: Mapping[str, np.ndarray],
        n_cranes: int,
        breakaway_s: float,
        bridge_mass_t: float,
        trolley_mass_t: float,
    ) -> None:
        A = arrays
        live = A["dur"] > 0.0
        crane = A["crane"][live].astype(np.intp)
        axis = A["axis"][live].astype(np.intp)
        up = A["up"][live]
        a, ta, vp, dur, vs = (A[k][live] for k in ("a", "t_acc", "v_peak", "dur", "v_rated"))
        u = A["load_t"][live] + np.where(axis != HOIST, trolley_mass_t, 0.0)
        u = u + np.where(axis == BRIDGE, bridge_mass_t, 0.0)
        tc = np.maximum(dur - 2.0 * ta, 0.0)
        da = 0.5 * a * ta * ta
        tb = np.minimum(breakaway_s, ta)
        ba = 0.5 * a * tb * tb
        slip = np.maximum(vs * ta - da, 0.0)
        cols = {
            "da": da, "a_da": a * da, "dc": vp * tc, "ba": ba, "slip": slip, "a_slip": a * slip,
            "bslip": vs * tb - ba, "part": np.maximum(vs - vp, 0.0) * tc, "vs_ta": vs * ta,
            "a_vs_ta": a * vs * ta, "vs_dur": vs * dur, "ones": np.ones_like(a),
        }  # fmt: skip
        q = np.stack([cols[k] for k in _Q], axis=1)
        creep = ~up & (vp < 0.5 * vs)
        kind = np.where(axis != HOIST, 0, np.where(up, 1, np.where(creep, 2, 3)))
        self.n = n_cranes
        self.groups: dict[tuple[int, int], _Group] = {}
        for c in range(n_cranes):
            for k in range(4):
                sel = (crane == c) & (kind == k)
                if np.any(sel):
                    self.groups[(c, k)] = _Group(a[sel], q[sel], q[sel] * u[sel, None])

    def price(self, phys: PhysicsDraws, drv: DriveDraws) -> np.ndarray:
        """Net motion energy (J) per parameter set and crane, shape ``(S, n)``."""
        k, w, kb, dev = (phys.rotating_mass_factor, phys.rolling_resistance,
                         phys.breakaway_factor, phys.lifting_device_mass_t)  # fmt: skip
        S = len(k)
        out = np.zeros((S, self.n))
        wg = w * G
        for (c, kind), gr in self.groups.items():
            eta, r = drv.eta[:, c], drv.regen[:, c]
            wr, plug = drv.wound_rotor[:, c], drv.plugging[:, c]
            fixed = drv.fixed_j[:, c] * gr.cq[-1, _QI["ones"]]  # per start
            if kind == 0:  # travel: decelerating brakes when k·a > w·g
                da, a_da, dc, ba, slip, a_slip, bslip, part = gr.msum(
                    dev, ("da", "a_da", "dc", "ba", "slip", "a_slip", "bslip", "part")
                )
                th = wg / k
                da_lo, a_da_lo, vs_ta_lo, a_vs_ta_lo = gr.msum(
                    dev, ("da", "a_da", "vs_ta", "a_vs_ta"), below=th
                )
                pos = k * a_da + wg * da + wg * dc + (kb - 1.0) * wg * ba
                pos = pos + (wg * da_lo - k * a_da_lo)  # decelerations that still motor
                neg = k * (a_da - a_da_lo) - wg * (da - da_lo)
                loss = k * a_slip + wg * slip + (kb - 1.0) * wg * bslip + wg * part
                vs_ta, a_vs_ta = gr.msum(dev, ("vs_ta", "a_vs_ta"))
                plug_loss = k * (a_vs_ta - a_vs_ta_lo) - wg * (vs_ta - vs_ta_lo)
                loss = loss + np.where(plug, plug_loss, 0.0)
                back = np.where(wr, 0.0, r * neg)
            elif kind == 1:  # hoisting: the deceleration motors while g > k·a
                da, a_da, dc, slip, a_slip, part = gr.msum(
                    dev, ("da", "a_da", "dc", "slip", "a_slip", "part")
                )
                da_lo, a_da_lo = gr.msum(dev, ("da", "a_da"), below=G / k)
                pos = G * da + k * a_da + G * dc + (G * da_lo - k * a_da_lo)
                neg = k * (a_da - a_da_lo) - G * (da - da_lo)
                loss = G * slip + k * a_slip + G * part
                back = np.where(wr, 0.0, r * neg)
            else:  # lowering: the acceleration brakes while g > k·a
                da, a_da, dc, vs_ta, a_vs_ta, vs_dur = gr.msum(
                    dev, ("da", "a_da", "dc", "vs_ta", "a_vs_ta", "vs_dur")
                )
                da_lo, a_da_lo, vs_ta_lo, a_vs_ta_lo = gr.msum(
                    dev, ("da", "a_da", "vs_ta", "a_vs_ta"), below=G / k
                )
                pos = k * (a_da - a_da_lo) - G * (da - da_lo)
                neg = (G * da_lo - k * a_da_lo) + G * dc + G * da + k * a_da
                if kind == 2:  # creep: counter-torque for the whole move
                    loss = G * vs_dur
                    back = np.where(wr, 0.0, r * neg)
                else:  # at speed: holds back below synchronous speed, generates in the cruise
                    loss = G * vs_ta_lo - k * a_vs_ta_lo
                    back = np.where(wr, r * G * dc, r * neg)
            out[:, c] += pos / eta + np.where(wr, loss / eta, 0.0) + fixed - back
        return out
