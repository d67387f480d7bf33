"""Assumption uncertainty of the saving: joint propagation, global sensitivity, break-even.

Simulation noise and assumption uncertainty are kept apart.  The paired replications give the
saving's 95% confidence interval at the scenario's own (nominal) values: that is simulation
noise.  The assumptions of ``[uncertainty]`` (:mod:`cranesim.scenario.assumptions`) are then
propagated jointly: each joint sample is a set of values of every uncertain assumption at once,
and its saving is the mean over the same replications.  The distribution of those savings over
the samples, and ``P(saving > claim)``, are the assumption uncertainty.

Sampling: scrambled Sobol points (:class:`scipy.stats.qmc.Sobol`) on the unit hypercube of
``2·D`` dimensions give the matrices ``A`` and ``B`` of Saltelli's scheme; each row maps to
values through the assumption's quantile function (a discrete choice by its cumulative
weights).  The ``2·N`` rows of ``A`` and ``B`` are the joint samples; the ``N·(D + 2)`` rows of
the whole scheme feed the first-order and total Sobol indices (:func:`SALib.analyze.sobol.analyze`).

Re-price, do not re-simulate: energy assumptions price the recorded moves of the same runs
again (:class:`cranesim.physics.reprice.MoveSums`); driver assumptions change the moves, so the
manual baseline is run again at a Latin hypercube of them (``behaviour_runs``, each on the seed
of one replication) and an emulator carries them to every sample: per sample of the energy
assumptions, the log ratio of each design run's motion energy to its paired nominal run's is
fitted linearly (through the origin: at the nominal values it is 0) in the driver assumptions.
Its leave-one-out error is reported.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from cranesim.physics.drives import DRIVE_TYPICAL
from cranesim.physics.reprice import MoveSums, physics_draws, sampled_drives
from cranesim.scenario.assumptions import Choice, Range

__all__ = [
    "Assumption",
    "assumptions",
    "to_values",
    "saltelli_unit",
    "sobol_indices",
    "breakeven",
    "Repricer",
]

J_PER_KWH = 3.6e6

LABELS = {
    "manual_drive": ("drive of the manual cranes", ""),
    "automated_drive": ("drive of the automated cranes", ""),
    "regen_fraction": ("regenerative inverter's return, after losses", ""),
    "wound_rotor_regen_fraction": ("wound rotor's supersynchronous return", ""),
    "motor_efficiency": ("motor efficiency (both modes)", ""),
    "rolling_resistance": ("rolling resistance w", ""),
    "rotating_mass_factor": ("rotating mass factor", ""),
    "breakaway_factor": ("breakaway factor", ""),
    "lifting_device_mass_t": ("lifting device mass", "t"),
    "cab_kw": ("cab A/C electrical input at full load", "kW"),
    "cab_duty": ("cab A/C duty", ""),
    "manual_standby_kw": ("standby of a manned crane", "kW"),
    "automated_standby_kw": ("standby of an unmanned crane", "kW"),
    "jogs_per_positioning_mean": ("driver's jogs per positioning", ""),
    "counter_sway_share": ("share of swings countered by moves", ""),
    "speed_fraction": ("driver's speed fraction", ""),
    "overshoot_m_mean": ("driver's stop-short error", "m"),
}


@dataclass(frozen=True)
class Assumption:
    """One uncertain assumption: its distribution, its nominal (scenario) value and its kind."""

    name: str
    kind: str  # "energy" (re-price) or "behaviour" (new manual runs)
    spec: Range | Choice
    nominal: Any
    label: str
    unit: str = ""

    @property
    def discrete(self) -> bool:
        return isinstance(self.spec, Choice)

    def value(self, u: np.ndarray) -> np.ndarray:
        """Values at unit-interval points ``u`` (the quantile function)."""
        s = self.spec
        if isinstance(s, Choice):
            k = np.searchsorted(np.cumsum(s.weights)[:-1], u, side="right")
            return np.asarray(s.options, dtype=object)[k]
        if s.dist == "triangular":
            c = (s.mode - s.low) / (s.high - s.low)
            left = u < c
            x = np.where(left, np.sqrt(u * c), 1.0 - np.sqrt((1.0 - u) * (1.0 - c)))
            return s.low + (s.high - s.low) * x
        return s.low + (s.high - s.low) * u

    def text(self, v: Any) -> str:
        if self.discrete:
            return str(v).replace("_", " ")
        return f"{float(v):.3g}" + (f" {self.unit}" if self.unit else "")


def _nominal(sc, name: str) -> Any:
    e, m = sc.energy, sc.manual
    table = {
        "manual_drive": e.manual.drive,
        "automated_drive": e.automated.drive,
        "regen_fraction": e.automated.regen_fraction
        if e.automated.regen_fraction is not None
        else DRIVE_TYPICAL["inverter_regen"]["regen"],
        "wound_rotor_regen_fraction": e.manual.regen_fraction
        if e.manual.regen_fraction is not None
        else DRIVE_TYPICAL["wound_rotor_contactor"]["regen"],
        "motor_efficiency": e.manual.motor_efficiency
        if e.manual.motor_efficiency is not None
        else DRIVE_TYPICAL[e.manual.drive]["motor"],
        "cab_kw": e.manual.cab_kw,
        "cab_duty": e.manual.cab_duty,
        "manual_standby_kw": e.manual.standby_kw,
        "automated_standby_kw": e.automated.standby_kw,
    }
    if name in table:
        return table[name]
    if hasattr(e, name):
        return getattr(e, name)
    return getattr(m, name)


def assumptions(sc) -> list[Assumption]:
    """The uncertain (not ``fixed``) assumptions of a scenario, energy ones first."""
    out = []
    for kind, section in (
        ("energy", sc.uncertainty.energy),
        ("behaviour", sc.uncertainty.behaviour),
    ):
        for name in type(section).model_fields:
            spec = getattr(section, name)
            if spec.dist == "fixed":
                continue
            label, unit = LABELS[name]
            out.append(Assumption(name, kind, spec, _nominal(sc, name), label, unit))
    return out


def to_values(assump: Sequence[Assumption], U: np.ndarray) -> dict[str, np.ndarray]:
    """Unit-hypercube rows ``U`` (one column per assumption) to value arrays by name."""
    return {a.name: a.value(U[:, i]) for i, a in enumerate(assump)}


def saltelli_unit(D: int, N: int, seed: int) -> np.ndarray:
    """Saltelli's scheme without second-order terms on the unit hypercube, in SALib's row order
    (for each base point: ``A``, ``AB_1..AB_D`` and ``B``), shape ``(N·(D + 2), D)``.

    ``A`` and ``B`` are the two halves of ``N`` scrambled Sobol points in ``2·D`` dimensions.
    """
    from scipy.stats import qmc

    with warnings.catch_warnings():  # N not a power of two: balance is slightly off, still valid
        warnings.simplefilter("ignore", UserWarning)
        base = qmc.Sobol(d=2 * D, scramble=True, seed=seed).random(N)
    A, B = base[:, :D], base[:, D:]
    X = np.empty((N, D + 2, D))
    X[:, 0] = A
    for k in range(D):
        X[:, 1 + k] = A
        X[:, 1 + k, k] = B[:, k]
    X[:, D + 1] = B
    return X.reshape(N * (D + 2), D)


def sobol_indices(
    Y: np.ndarray, names: Sequence[str], seed: int = 0
) -> dict[str, dict[str, float]]:
    """First-order and total Sobol indices from outputs ``Y`` on :func:`saltelli_unit` rows
    (SALib; confidence intervals by its bootstrap)."""
    from SALib.analyze import sobol

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    if np.ptp(Y) == 0.0:  # nothing varies the output: every index is 0
        return {n: {"S1": 0.0, "ST": 0.0, "S1_conf": 0.0, "ST_conf": 0.0} for n in names}
    with np.errstate(all="ignore"):
        r = sobol.analyze(
            problem,
            np.asarray(Y, float),
            calc_second_order=False,
            print_to_console=False,
            seed=seed,
        )
    return {
        n: {"S1": float(r["S1"][i]), "ST": float(r["ST"][i]),
            "S1_conf": float(r["S1_conf"][i]), "ST_conf": float(r["ST_conf"][i])}
        for i, n in enumerate(names)
    }  # fmt: skip


def breakeven(f: Callable[[float], float], lo: float, hi: float, target: float) -> float | None:
    """The ``x`` in ``[lo, hi]`` where ``f(x) = target`` (Brent's method), or None when
    ``f(lo) - target`` and ``f(hi) - target`` have the same sign."""
    from scipy.optimize import brentq

    flo, fhi = f(lo) - target, f(hi) - target
    if flo == 0.0:
        return lo
    if fhi == 0.0:
        return hi
    if np.sign(flo) == np.sign(fhi):
        return None
    return float(brentq(lambda x: f(x) - target, lo, hi, xtol=1e-9 * max(1.0, abs(hi - lo))))


@dataclass
class Repricer:
    """Savings of both readings for any set of assumption values, from recorded runs.

    Parameters
    ----------
    sc
        The scenario (nominal values).
    manual, automated
        The base replications' :class:`MoveSums`, manual and automated runs, same seeds.
    staffed_h
        ``(R, n)`` hours a driver was aboard each crane in each manual run.
    hours
        Hours per replication.
    design, design_rep, design_x
        Manual runs at other driver assumptions, the base replication each pairs with, and
        their driver values ``(K, len(behaviour))`` in the order of ``behaviour``.
    behaviour
        The driver assumptions the design varies.
    """

    sc: Any
    manual: list[MoveSums]
    automated: list[MoveSums]
    staffed_h: np.ndarray
    hours: float
    design: list[MoveSums] = field(default_factory=list)
    design_rep: list[int] = field(default_factory=list)
    design_x: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    behaviour: list[Assumption] = field(default_factory=list)

    def _span(self) -> tuple[np.ndarray, np.ndarray]:
        b0 = np.array([float(a.nominal) for a in self.behaviour])
        span = np.array([a.spec.high - a.spec.low for a in self.behaviour])
        return b0, span

    def _log_ratios(self, phys, dm, M: np.ndarray) -> np.ndarray:
        """``(K, S)`` log of each design run's motion energy over its paired nominal run's."""
        Mk = np.array([d.price(phys, dm).sum(axis=1) for d in self.design]) / J_PER_KWH
        return np.log(Mk / M[self.design_rep])

    def behaviour_factor(
        self, values: dict[str, np.ndarray], phys, dm, M: np.ndarray
    ) -> np.ndarray:
        """Emulated ratio of the manual motion energy at the values' driver assumptions to the
        nominal one, per sample (1 where no driver assumption is given)."""
        S = M.shape[1]
        names = [a.name for a in self.behaviour]
        if not self.design or not any(n in values for n in names):
            return np.ones(S)
        b0, span = self._span()
        X = (self.design_x - b0) / span  # (K, Db)
        beta, *_ = np.linalg.lstsq(X, self._log_ratios(phys, dm, M), rcond=None)  # (Db, S)
        dx = np.stack([(np.asarray(values[n], float) - b0[i]) / span[i] if n in values
                       else np.zeros(S) for i, n in enumerate(names)], axis=1)  # fmt: skip
        return np.exp(np.einsum("sd,ds->s", dx, beta))

    def emulator_loo(self) -> dict[str, Any] | None:
        """Leave-one-out error of the driver emulator at the nominal energy values."""
        if len(self.design) <= len(self.behaviour):
            return None
        phys = physics_draws(self.sc, {}, 1)
        dm = sampled_drives(self.sc, "manual", {}, 1)
        M = np.array([m.price(phys, dm).sum(axis=1) for m in self.manual]) / J_PER_KWH
        y = self._log_ratios(phys, dm, M)[:, 0]
        b0, span = self._span()
        X = (self.design_x - b0) / span
        err = []
        for k in range(len(y)):
            keep = np.arange(len(y)) != k
            beta, *_ = np.linalg.lstsq(X[keep], y[keep], rcond=None)
            err.append(np.exp(X[k] @ beta - y[k]) - 1.0)
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        return {
            "runs": len(y),
            "loo_rmse_pct": 100.0 * float(np.sqrt(np.mean(np.square(err)))),
            "spread_pct": 100.0 * float(np.std(np.exp(y) - 1.0)),
            "effect_pct_over_range": {a.name: 100.0 * float(np.exp(beta[i]) - 1.0)
                                      for i, a in enumerate(self.behaviour)},
        }  # fmt: skip

    def energies(self, values: dict[str, np.ndarray], S: int) -> dict[str, np.ndarray]:
        """kWh per replication and sample, shape ``(R, S)``: manual and automated motion,
        standby (controls) and cab."""
        e_names = {k: v for k, v in values.items() if k not in {a.name for a in self.behaviour}}
        phys = physics_draws(self.sc, e_names, S)
        dm = sampled_drives(self.sc, "manual", e_names, S)
        da = sampled_drives(self.sc, "automated", e_names, S)
        M = np.array([m.price(phys, dm).sum(axis=1) for m in self.manual]) / J_PER_KWH
        A = np.array([m.price(phys, da).sum(axis=1) for m in self.automated]) / J_PER_KWH
        M = M * self.behaviour_factor(values, phys, dm, M)[None, :]
        H = self.hours
        R = M.shape[0]
        sb_m = np.broadcast_to(dm.standby_kw.sum(axis=1) * H, (R, S))
        sb_a = np.broadcast_to((da.standby_kw + da.cab_kw).sum(axis=1) * H, (R, S))
        cab = self.staffed_h @ dm.cab_kw.T  # (R, S)
        return {"manual_motion": M, "automated_motion": A, "manual_standby": sb_m,
                "manual_cab": cab, "automated_standby": sb_a}  # fmt: skip

    def savings(self, values: dict[str, np.ndarray], S: int) -> dict[str, np.ndarray]:
        """Savings in % of the manual energy, mean over the replications: ``motion`` (drive
        and motion energy) and ``feeder`` (motion + standby + cab), each of shape ``(S,)``."""
        e = self.energies(values, S)
        man = e["manual_motion"] + e["manual_standby"] + e["manual_cab"]
        aut = e["automated_motion"] + e["automated_standby"]
        motion = 100.0 * (1.0 - e["automated_motion"] / e["manual_motion"])
        feeder = 100.0 * (1.0 - aut / man)
        return {"motion": motion.mean(axis=0), "feeder": feeder.mean(axis=0)}


READINGS = ("motion", "feeder")


def _quantiles(y: np.ndarray, claim: float) -> dict[str, float]:
    q = np.quantile(y, [0.05, 0.5, 0.95])
    return {"mean": float(y.mean()), "sd": float(y.std(ddof=1)) if len(y) > 1 else 0.0,
            "p05": float(q[0]), "p50": float(q[1]), "p95": float(q[2]),
            "p_claim": float(np.mean(y > claim))}  # fmt: skip


def _one(rp: Repricer, reading: str, values: dict[str, Any]) -> float:
    arr = {
        k: np.array([v], dtype=object if isinstance(v, str) else float) for k, v in values.items()
    }
    return float(rp.savings(arr, 1)[reading][0])


def _breakevens(rp: Repricer, assump: Sequence[Assumption], reading: str, claim: float) -> dict:
    out = {}
    for a in assump:
        if a.discrete:
            at = {o: _one(rp, reading, {a.name: o}) for o in a.spec.options}
            holds = [o for o, v in at.items() if v > claim]
            out[a.name] = {"value": None, "at": at, "claim_holds_with": holds}
            continue
        lo, hi = a.spec.low, a.spec.high
        x = breakeven(lambda v: _one(rp, reading, {a.name: v}), lo, hi, claim)
        f_lo, f_hi = _one(rp, reading, {a.name: lo}), _one(rp, reading, {a.name: hi})
        out[a.name] = {"value": x, "at": {"low": f_lo, "high": f_hi},
                       "claim_holds": "above" if f_hi > f_lo else "below"}  # fmt: skip
    return out


def _joint_region(rp, assump, ST, reading, claim, U, y) -> dict | None:
    """Break-even of the most influential continuous assumption along the next most influential
    one (others nominal), and P(claim) of the joint samples in bins of the second."""
    order = sorted(range(len(assump)), key=lambda i: -ST[assump[i].name])
    xs = [i for i in order if not assump[i].discrete]
    if not xs or len(assump) < 2:
        return None
    ix = xs[0]
    iy = next(i for i in order if i != ix)
    ax, ay = assump[ix], assump[iy]
    if ay.discrete:
        grid = list(ay.spec.options)
        edges = np.concatenate([[0.0], np.cumsum(ay.spec.weights)])
    else:
        grid = list(np.linspace(ay.spec.low, ay.spec.high, 5))
        edges = np.linspace(0.0, 1.0, 6)
    curve = []
    for k, gy in enumerate(grid):
        f = lambda v, gy=gy: _one(rp, reading, {ax.name: v, ay.name: gy})  # noqa: E731
        x = breakeven(f, ax.spec.low, ax.spec.high, claim)
        sel = (U[:, iy] >= edges[k]) & (U[:, iy] < edges[k + 1] + (k == len(grid) - 1))
        p = float(np.mean(y[sel] > claim)) if np.any(sel) else None
        above = f(ax.spec.high) > f(ax.spec.low)
        curve.append({"y": gy if ay.discrete else float(gy), "x_breakeven": x,
                      "claim_holds": "above" if above else "below",
                      "saving_at_x_low": f(ax.spec.low), "saving_at_x_high": f(ax.spec.high),
                      "p_claim_joint": p})  # fmt: skip
    return {"x": ax.name, "y": ay.name, "curve": curve}


def propagate(sc, rp: Repricer, claim: float, seed: int, N: int | None = None) -> dict[str, Any]:
    """Joint samples, P(claim), Sobol indices and break-even of both readings.

    Returns JSON-ready results and, under ``"_rows"``, the unit rows and savings of the whole
    scheme (for calibration; not written to JSON).
    """
    assump = [a for a in assumptions(sc) if a.kind == "energy" or rp.design]
    N = N or sc.uncertainty.samples
    D = len(assump)
    if D == 0:
        return {"assumptions": [], "readings": {}, "sensitivity": {}, "_rows": None}
    U = saltelli_unit(D, N, seed)
    vals = to_values(assump, U)
    y = rp.savings(vals, len(U))
    joint = np.zeros((N, D + 2), dtype=bool)
    joint[:, 0] = joint[:, D + 1] = True
    joint = joint.ravel()
    names = [a.name for a in assump]
    res: dict[str, Any] = {"readings": {}, "sensitivity": {}, "joint_region": {}}
    for reading in READINGS:
        res["readings"][reading] = _quantiles(y[reading][joint], claim)
        idx = sobol_indices(y[reading], names, seed)
        be = _breakevens(rp, assump, reading, claim)
        res["sensitivity"][reading] = {n: {**idx[n], "breakeven": be[n]} for n in names}
        ST = {n: idx[n]["ST"] for n in names}
        res["joint_region"][reading] = _joint_region(
            rp, assump, ST, reading, claim, U[joint], y[reading][joint]
        )
    res["assumptions"] = [
        {"name": a.name, "label": a.label, "kind": a.kind, "unit": a.unit,
         "nominal": a.nominal if a.discrete else float(a.nominal),
         "distribution": a.spec.model_dump()}
        for a in assump
    ]  # fmt: skip
    res["joint_samples"] = int(joint.sum())
    res["index_rows"] = len(U)
    res["_rows"] = {"U": U, "values": vals, "savings": y, "assumptions": assump, "joint": joint}
    return res
