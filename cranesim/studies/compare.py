"""``cranesim compare``: does automating the cranes save "more than 30%" of their energy?

The question is computed, never assumed.  Each replication ``r`` (seed ``S + r``) simulates the
same warehouse under the same mill and truck random streams (common random numbers: the model
spawns separate mill, truck and operator streams from the seed) with different crane drivers,
and prices every crane move with :mod:`cranesim.physics.energy`.

Attribution: sequential substitution
------------------------------------
The manual baseline is turned into the automated warehouse one cause at a time, in this order,
each step a full run on the same seeds (``E0 ≥ ... ≥ E5`` need not be monotone: a step may cost
energy):

``E0`` manual
    :class:`~cranesim.physics.driver.ManualPlanner` (the driver's moves, sway damped by hand, breaks),
    the crew's job order and slot choice (:class:`~cranesim.model.crew.HumanDispatch` around the
    ``[manual] policy``, normally ``fcfs_nearest``), the manual drives, manned standby.
``E1`` + automated drives
    the same run priced with the automated cranes' drives.
``E2`` + automated trajectories and starts/stops
    bridge and trolley together at full speed, no creeping in, no reaction time; a driver is
    still in the cab, damping the sway by hand and taking breaks.
``E3`` + anti-sway
    ZV-shaped moves (:class:`~cranesim.physics.planners.ShapedPlanner`), driver still aboard.
``E4`` + automated scheduler
    the automated scheduler's job order and storage choice (``[scheduler] policy``), no breaks:
    the automated run's motion energy.
``E5`` + unmanned standby
    the automated run with the automated standby loads (no cab): the automated total.

The saving of cause ``k`` is ``E(k-1) - E(k)``; the savings add up to ``E0 - E5`` exactly.  In the
JSON, ``components`` restates this as an additive split of both totals: each motion cause holds
its saving on the manual side (``automated_kwh = 0``), standby holds both modes' standby, and
"motion work common to both" holds the automated run's motion energy on both sides.

Statistics: the saving ``100·(E0 - E5)/E0`` is computed per replication; its mean and a 95%
confidence interval from the t-distribution over the ``R`` paired replications.  The claim is
supported when the interval's lower bound exceeds the claimed saving.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass, field
from math import isclose
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from cranesim._version import __version__
import cranesim.cli.argtypes as argtypes
from cranesim.codes import AXIS_NAMES, CATEGORIES, TAG_NAMES
from cranesim.errors import ConfigError, Failure, ModelError, UserError
from cranesim.model.crew import VARIANTS, build_planner
from cranesim.record.atomic import atomic_write_json

# numpy, pydantic and the model are imported inside the functions that need them, so that the
# main CLI can build this subcommand's parser (add_parser) without paying for them.
if TYPE_CHECKING:
    from cranesim.scenario.schema import Scenario
    from cranesim.physics.energy import DriveParams, Physics


__all__ = [
    "VARIANTS",
    "CAUSES",
    "EnergyCase",
    "run_variant",
    "compare",
    "mean_ci95",
    "t975",
    "add_parser",
    "main_compare",
    "main",
]

CAUSES = (
    "drive technology",
    "trajectories and starts/stops",
    "sway damping",
    "scheduling (relocations and empty travel)",
    "standby",
)
COMMON = "motion work common to both"
KPI_KEYS = (
    "coils_in", "coils_out", "lifts", "lifts_per_hour", "stores", "retrievals", "relocations",
    "relocations_per_retrieval", "empty_travel_m_per_lift", "loaded_travel_m_per_lift",
    "mill_blocked_min", "mill_blocked_events", "truck_wait_mean_min", "truck_wait_max_min",
    "truck_turnaround_mean_min", "trucks_arrived", "trucks_departed",
)  # fmt: skip


# --------------------------------------------------------------------------- statistics
_T975 = (
    12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252,
    2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688,
    2.131449546, 2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845,
    2.073873068, 2.068657610, 2.063898562, 2.059538553, 2.055529439, 2.051829142, 2.048407142,
    2.045229642, 2.042272456,
)  # fmt: skip


def t975(df: int) -> float:
    """97.5% quantile of Student's t with ``df`` degrees of freedom (two-sided 95%).

    Exact table to 30 degrees of freedom, then the Cornish-Fisher expansion (error < 1e-5).

    >>> round(t975(4), 4), round(t975(60), 4)
    (2.7764, 2.0003)
    """
    if df < 1:
        raise ValueError("df must be >= 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959963984540054
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean_ci95(xs: Sequence[float]) -> tuple[float, float, float]:
    """Mean and 95% t-interval ``(mean, low, high)`` of paired replication values."""
    import numpy as np

    x = np.asarray(xs, dtype=float)
    m = float(x.mean())
    if len(x) < 2:
        return m, float("nan"), float("nan")
    h = t975(len(x) - 1) * float(x.std(ddof=1)) / math.sqrt(len(x))
    return m, m - h, m + h


# --------------------------------------------------------------------------- one run
@dataclass(frozen=True)
class EnergyCase:
    """A way to price moves: physics and drives of both modes (one per crane)."""

    name: str
    physics: Physics
    manual: tuple[DriveParams, ...]
    automated: tuple[DriveParams, ...]


def energy_case(sc: Scenario, name: str = "base") -> EnergyCase:
    from cranesim.physics.energy import physics_of, resolve_drives

    return EnergyCase(
        name, physics_of(sc), tuple(resolve_drives(sc, "manual")), tuple(resolve_drives(sc, "automated"))
    )


def run_variant(
    sc: Scenario, variant: str, seed: int, hours: float, cases: Sequence[EnergyCase]
) -> dict[str, Any]:
    """Simulate one step of the chain and price its moves under every energy case."""
    import numpy as np

    from cranesim.physics.energy import EnergyModel, summarise
    from cranesim.model.crew import human_dispatch  # late: the model imports the compiled scheduler
    from cranesim.model.warehouse import Warehouse

    t_wall = time.perf_counter()
    planner, policy = build_planner(sc, variant)
    mode = "manual" if variant == "manual" else "automated"
    em = EnergyModel(sc, mode)
    # the drivers pick their lifts (unless the crew runs the greedy core)
    dispatch = human_dispatch(sc.manual) if variant != "automated" and policy != "greedy" else None
    wh = Warehouse(sc, seed, planner=planner, policy=policy, energy=em, scheduler=dispatch)
    wh.run_until(hours * 3600.0)
    kpi = wh.kpi.summary(hours * 3600.0)
    energy = {
        c.name: {"manual": summarise(em.log, c.manual, c.physics),
                 "automated": summarise(em.log, c.automated, c.physics)}
        for c in cases
    }  # fmt: skip
    base = sum(v["net"] for v in energy[cases[0].name][mode].values())
    if not isclose(base, em.motion_kwh(), rel_tol=1e-9, abs_tol=1e-9):
        raise RuntimeError(
            f"energy bookkeeping: vectorised {base!r} kWh != per-stage {em.motion_kwh()!r} kWh"
        )
    if not isclose(kpi["energy_kwh"] or 0.0, em.motion_kwh(), rel_tol=1e-9, abs_tol=1e-9):
        raise RuntimeError("energy bookkeeping: trace records disagree with the energy model")
    arr = em.log.arrays()
    axis = arr["axis"].astype(np.intp)
    tag = arr["tag"].astype(np.intp)
    starts = np.bincount(axis, minlength=3)
    by_tag = np.zeros((3, len(TAG_NAMES)), dtype=np.int64)
    np.add.at(by_tag, (axis, tag), 1)
    stats = dict(planner.stats)
    return {
        "variant": variant,
        "seed": seed,
        "kpi": {k: kpi[k] for k in KPI_KEYS},
        "utilization_mean": float(np.mean(kpi["crane_utilization"])),
        "energy": energy,
        "starts": starts.tolist(),
        "starts_by_tag": by_tag.tolist(),
        "operator": {k: stats[k] for k in ("settle_s", "counter_s", "sway_events", "ceiling_hits", "reaction_s")},
        "wall_s": time.perf_counter() - t_wall,
    }


@dataclass(frozen=True)
class _Task:
    key: tuple
    sc: Scenario
    variant: str
    seed: int
    hours: float
    cases: tuple[EnergyCase, ...]


def _do_task(task: _Task) -> tuple[tuple, dict]:
    return task.key, run_variant(task.sc, task.variant, task.seed, task.hours, task.cases)


def _execute(
    tasks: list[_Task],
    workers: int,
    done: Callable[[tuple], None] | None = None,
    dask: str | None = None,
) -> dict[tuple, dict]:
    """Run tasks serially, on a process pool or on a Dask cluster (:mod:`cranesim.studies.replicate`);
    results keyed, so all give the same numbers."""
    from cranesim.studies.replicate import run_replications

    results = run_replications(
        _do_task,
        [(t,) for t in tasks],
        workers=workers,
        dask_address=dask,
        progress=False,  # main_compare draws its own bars through ``done``
        on_done=(lambda i: done(tasks[i].key)) if done else None,
    )
    return dict(results)


# --------------------------------------------------------------------------- sensitivity
def _replace(sc: Scenario, path: str, value: Any) -> Scenario:
    """A copy of ``sc`` with the dotted key ``path`` set to ``value`` (validated again)."""
    from cranesim.scenario.schema import Scenario

    data = sc.model_dump()
    node = data
    parts = path.split(".")
    for p in parts[:-1]:
        node = node[p]
    node[parts[-1]] = value
    return Scenario.model_validate(data)


@dataclass(frozen=True)
class SensParam:
    """One uncertain parameter: its documented range and whether it changes behaviour."""

    name: str
    label: str
    kind: str  # "energy" (re-price the same runs) or "manual" (re-run the manual baseline)
    changes: tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]  # (low, high)
    low_text: str
    high_text: str
    base_text: str = ""

    def scenario(self, sc: Scenario, which: int) -> Scenario:
        for path, value in self.changes[which]:
            sc = _replace(sc, path, value)
        return sc


def sensitivity_params(sc: Scenario) -> list[SensParam]:
    """The uncertain parameters and their documented ranges (domain brief)."""
    e, m = sc.energy, sc.manual
    mot = ("energy.manual.motor_efficiency", "energy.automated.motor_efficiency")
    return [
        SensParam("manual_drive", "drive of the manual cranes", "energy",
                  ((("energy.manual.drive", "inverter_resistor"), ("energy.manual.plugging", False)),
                   (("energy.manual.drive", "wound_rotor_contactor"), ("energy.manual.plugging", True))),
                  "inverter + resistor", "wound rotor + plugging", e.manual.drive),
        SensParam("automated_drive", "drive of the automated cranes", "energy",
                  ((("energy.automated.drive", "inverter_resistor"),),
                   (("energy.automated.drive", "inverter_regen"),)),
                  "inverter + resistor", "regenerative inverter", e.automated.drive),
        SensParam("motor_efficiency", "motor efficiency (both modes)", "energy",
                  (tuple((p, 0.85) for p in mot), tuple((p, 0.93) for p in mot)), "0.85", "0.93",
                  "drive typical"),
        SensParam("rolling_resistance", "rolling resistance w", "energy",
                  ((("energy.rolling_resistance", 0.005),), (("energy.rolling_resistance", 0.010),)),
                  "0.005", "0.010", f"{e.rolling_resistance:g}"),
        SensParam("rotating_mass_factor", "rotating mass factor", "energy",
                  ((("energy.rotating_mass_factor", 1.05),), (("energy.rotating_mass_factor", 1.15),)),
                  "1.05", "1.15", f"{e.rotating_mass_factor:g}"),
        SensParam("breakaway_factor", "breakaway factor", "energy",
                  ((("energy.breakaway_factor", 1.5),), (("energy.breakaway_factor", 2.0),)),
                  "1.5", "2.0", f"{e.breakaway_factor:g}"),
        SensParam("lifting_device_mass_t", "lifting device mass", "energy",
                  ((("energy.lifting_device_mass_t", 1.0),), (("energy.lifting_device_mass_t", 4.0),)),
                  "1.0 t (C-hook)", "4.0 t (motorised tongs)", f"{e.lifting_device_mass_t:g} t"),
        SensParam("cab_kw", "cab air conditioning (manned)", "energy",
                  ((("energy.manual.cab_kw", 3.0),), (("energy.manual.cab_kw", 5.0),)),
                  "3 kW", "5 kW", f"{e.manual.cab_kw:g} kW"),
        SensParam("automated_standby_kw", "standby of the automated crane", "energy",
                  ((("energy.automated.standby_kw", 1.0),), (("energy.automated.standby_kw", 2.5),)),
                  "1.0 kW", "2.5 kW", f"{e.automated.standby_kw:g} kW"),
        SensParam("jogs", "manual jogs per positioning", "manual",
                  ((("manual.jogs_per_positioning_mean", 2.0),), (("manual.jogs_per_positioning_mean", 5.0),)),
                  "2", "5", f"{m.jogs_per_positioning_mean:g}"),
        SensParam("counter_sway_share", "share of sway countered by moves", "manual",
                  ((("manual.counter_sway_share", 0.0),), (("manual.counter_sway_share", 1.0),)),
                  "0 (always wait)", "1 (always counter)", f"{m.counter_sway_share:g}"),
        SensParam("speed_fraction", "manual speed fraction", "manual",
                  ((("manual.speed_fraction", 0.7),), (("manual.speed_fraction", 1.0),)),
                  "0.7", "1.0", f"{m.speed_fraction:g}"),
        SensParam("overshoot_m_mean", "manual stop-short error", "manual",
                  ((("manual.overshoot_m_mean", 0.15),), (("manual.overshoot_m_mean", 0.6),)),
                  "0.15 m", "0.6 m", f"{m.overshoot_m_mean:g} m"),
    ]  # fmt: skip


# --------------------------------------------------------------------------- the comparison
@dataclass
class CompareSettings:
    replications: int
    hours: float
    seed: int
    workers: int = 1
    dask: str | None = None
    sensitivity: bool = False
    config: str = ""


def _motion(res: dict, case: str, mode: str) -> float:
    return sum(v["net"] for v in res["energy"][case][mode].values())


@dataclass
class _Progress:
    total_reps: int
    callback: Callable[[int], None] | None = None
    per_rep: dict = field(default_factory=dict)
    need: int = len(VARIANTS)

    def __call__(self, key: tuple) -> None:
        group, _variant, r = key
        k = (group, r)
        self.per_rep[k] = self.per_rep.get(k, 0) + 1
        if self.callback is not None and group == "base" and self.per_rep[k] == self.need:
            self.callback(1)


def compare(
    sc: Scenario, cfg: CompareSettings, on_replication: Callable[[int], None] | None = None,
    on_sensitivity: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run the whole comparison and return the JSON-ready result (see the module docstring)."""
    t0 = time.perf_counter()
    R = cfg.replications
    seeds = [cfg.seed + r for r in range(R)]
    params = sensitivity_params(sc) if cfg.sensitivity else []
    cases = [energy_case(sc)]
    for p in params:
        if p.kind == "energy":
            for which, tag in ((0, "low"), (1, "high")):
                cases.append(energy_case(p.scenario(sc, which), f"{p.name}:{tag}"))
    tasks = [
        _Task(("base", v, r), sc, v, seeds[r], cfg.hours, tuple(cases))
        for r in range(R) for v in VARIANTS
    ]  # fmt: skip
    for p in params:
        if p.kind == "manual":
            for which, tag in ((0, "low"), (1, "high")):
                sc2 = p.scenario(sc, which)
                for r in range(R):
                    tasks.append(_Task((f"{p.name}:{tag}", "manual", r), sc2, "manual", seeds[r],
                                       cfg.hours, (energy_case(sc2),)))
    prog = _Progress(R, on_replication)

    def done(key: tuple) -> None:
        prog(key)
        if key[0] != "base" and on_sensitivity is not None:
            on_sensitivity(1)

    res = _execute(tasks, cfg.workers, done, cfg.dask)
    out = analyse(sc, cfg, seeds, res, params)
    out["wall_s"] = time.perf_counter() - t0
    return out


def analyse(
    sc: Scenario, cfg: CompareSettings, seeds: list[int], res: dict, params: list[SensParam]
) -> dict[str, Any]:
    """Turn the runs into savings, the waterfall, KPIs, the verdict and the sensitivity."""
    import numpy as np

    from cranesim.physics.energy import standby_kwh
    R, H = cfg.replications, cfg.hours
    claim = sc.compare.claim_saving_pct
    base = energy_case(sc)
    sb_m = standby_kwh(base.manual, H)
    sb_a = standby_kwh(base.automated, H)
    E = np.zeros((R, 6))
    for r in range(R):
        man, ts, sw, au = (res[("base", v, r)] for v in VARIANTS)
        E[r, 0] = _motion(man, "base", "manual") + sb_m
        E[r, 1] = _motion(man, "base", "automated") + sb_m
        E[r, 2] = _motion(ts, "base", "automated") + sb_m
        E[r, 3] = _motion(sw, "base", "automated") + sb_m
        E[r, 4] = _motion(au, "base", "automated") + sb_m
        E[r, 5] = _motion(au, "base", "automated") + sb_a
    saving = 100.0 * (E[:, 0] - E[:, 5]) / E[:, 0]
    s_mean, s_lo, s_hi = mean_ci95(saving)
    steps = E[:, :-1] - E[:, 1:]  # saving per cause, per replication
    motion_m = E[:, 0] - sb_m
    motion_a = E[:, 5] - sb_a

    components = {}
    for k, cause in enumerate(CAUSES):
        if cause == "standby":
            components[cause] = {"manual_kwh": sb_m, "automated_kwh": sb_a}
        else:
            components[cause] = {"manual_kwh": float(steps[:, k].mean()), "automated_kwh": 0.0}
    components[COMMON] = {"manual_kwh": float(motion_a.mean()), "automated_kwh": float(motion_a.mean())}

    waterfall = []
    for k, cause in enumerate(CAUSES):
        m, lo, hi = mean_ci95(steps[:, k])
        waterfall.append({
            "cause": cause,
            "saving_kwh": m,
            "saving_kwh_ci95": [lo, hi],
            "saving_pct_of_manual": float(np.mean(100.0 * steps[:, k] / E[:, 0])),
            "energy_after_kwh": float(E[:, k + 1].mean()),
        })  # fmt: skip

    def pct(a, b):
        return mean_ci95(100.0 * (a - b) / a)

    motion_only = pct(motion_m, motion_a)
    same_drives = pct(E[:, 1], E[:, 5])
    no_standby_step = pct(E[:, 0], E[:, 4])  # everything but the cab/standby change

    # per-mode views: manual run with manual drives, automated run with automated drives
    modes = {"manual": ("manual", "manual"), "automated": ("automated", "automated")}
    axis_split, starts_pl, starts_tag, kpis, kpis_rep, per_lift, operator = {}, {}, {}, {}, {}, {}, {}
    for mode, (variant, drives) in modes.items():
        runs = [res[("base", variant, r)] for r in range(R)]
        axis_split[mode] = {
            ax: {c: float(np.mean([x["energy"]["base"][drives][ax][c] for x in runs]))
                 for c in (*CATEGORIES, "net")}
            for ax in AXIS_NAMES
        }  # fmt: skip
        axis_split[mode]["standby"] = sb_m if mode == "manual" else sb_a
        lifts = np.array([x["kpi"]["lifts"] for x in runs], dtype=float)
        st = np.array([x["starts"] for x in runs], dtype=float)
        starts_pl[mode] = {ax: float(np.mean(st[:, i] / np.maximum(lifts, 1))) for i, ax in enumerate(AXIS_NAMES)}
        tag = np.array([x["starts_by_tag"] for x in runs], dtype=float)
        starts_tag[mode] = {
            ax: {t: float(np.mean(tag[:, i, j] / np.maximum(lifts, 1))) for j, t in enumerate(TAG_NAMES)}
            for i, ax in enumerate(AXIS_NAMES)
        }
        kpis_rep[mode] = {k: [x["kpi"][k] for x in runs] for k in KPI_KEYS}
        kpis_rep[mode]["crane_utilization_mean"] = [x["utilization_mean"] for x in runs]
        kpis[mode] = {k: float(np.mean(v)) for k, v in kpis_rep[mode].items()}
        tot = E[:, 0] if mode == "manual" else E[:, 5]
        mot = motion_m if mode == "manual" else motion_a
        coils = np.array([x["kpi"]["coils_in"] + x["kpi"]["coils_out"] for x in runs], dtype=float)
        per_lift[mode] = {
            "motion_kwh_per_lift": float(np.mean(mot / np.maximum(lifts, 1))),
            "standby_kwh_per_lift": float(np.mean((tot - mot) / np.maximum(lifts, 1))),
            "total_kwh_per_lift": float(np.mean(tot / np.maximum(lifts, 1))),
            "total_kwh_per_coil_handled": float(np.mean(tot / np.maximum(coils, 1))),
        }
        op = [x["operator"] for x in runs]
        operator[mode] = {
            "sway_settle_s_per_lift": float(np.mean([o["settle_s"] for o in op] / np.maximum(lifts, 1))),
            "counter_sway_s_per_lift": float(np.mean([o["counter_s"] for o in op] / np.maximum(lifts, 1))),
            "sway_events_per_lift": float(np.mean([o["sway_events"] for o in op] / np.maximum(lifts, 1))),
            "reaction_s_per_lift": float(np.mean([o["reaction_s"] for o in op] / np.maximum(lifts, 1))),
            "switching_ceiling_hits": float(np.mean([o["ceiling_hits"] for o in op])),
        }
    coils_m = np.array([res[("base", "manual", r)]["kpi"]["coils_out"] + res[("base", "manual", r)]["kpi"]["coils_in"] for r in range(R)], float)
    coils_a = np.array([res[("base", "automated", r)]["kpi"]["coils_out"] + res[("base", "automated", r)]["kpi"]["coils_in"] for r in range(R)], float)
    per_coil = pct(E[:, 0] / coils_m, E[:, 5] / coils_a)
    lifts_m = np.array([res[("base", "manual", r)]["kpi"]["lifts"] for r in range(R)], float)
    lifts_a = np.array([res[("base", "automated", r)]["kpi"]["lifts"] for r in range(R)], float)
    motion_per_lift = pct(motion_m / np.maximum(lifts_m, 1), motion_a / np.maximum(lifts_a, 1))

    # the same chain per coil handled (in + out) by each run: like with like when the manual
    # baseline does not keep up
    run_of_step = ("manual", "manual", "auto_traj", "auto_sway", "automated", "automated")
    coils = np.array([[res[("base", v, r)]["kpi"]["coils_in"] + res[("base", v, r)]["kpi"]["coils_out"]
                       for v in run_of_step] for r in range(R)], dtype=float)
    Ec = E / np.maximum(coils, 1.0)
    steps_c = Ec[:, :-1] - Ec[:, 1:]
    waterfall_per_coil = {
        "manual_kwh_per_coil": float(Ec[:, 0].mean()),
        "automated_kwh_per_coil": float(Ec[:, 5].mean()),
        "steps": [{"cause": cause, "saving_kwh_per_coil": float(steps_c[:, k].mean()),
                   "saving_pct_of_manual": float(np.mean(100.0 * steps_c[:, k] / Ec[:, 0]))}
                  for k, cause in enumerate(CAUSES)],
    }  # fmt: skip

    sens = _sensitivity(sc, cfg, res, params, E, sb_m, sb_a) if params else None

    verdict, text, hinges = _verdict(
        claim, (s_mean, s_lo, s_hi), waterfall, E, motion_only, same_drives, no_standby_step,
        kpis, per_coil, sens, motion_per_lift,
    )
    from cranesim.sched import CORE

    return {
        "scenario": sc.scenario.name,
        "config": cfg.config,
        "version": __version__,
        "core": CORE,
        "hours": H,
        "replications": R,
        "seed": cfg.seed,
        "seeds": seeds,
        "claim_saving_pct": claim,
        "saving_pct_mean": s_mean,
        "saving_pct_ci95": [s_lo, s_hi],
        "saving_pct_per_replication": saving.tolist(),
        "verdict": verdict,
        "verdict_text": text,
        "hinges_on": hinges,
        "totals": {
            "manual_kwh": float(E[:, 0].mean()),
            "automated_kwh": float(E[:, 5].mean()),
            "manual_kwh_per_replication": E[:, 0].tolist(),
            "automated_kwh_per_replication": E[:, 5].tolist(),
            "manual_motion_kwh": float(motion_m.mean()),
            "automated_motion_kwh": float(motion_a.mean()),
            "manual_standby_kwh": sb_m,
            "automated_standby_kwh": sb_a,
        },
        "components": components,
        "waterfall": waterfall,
        "waterfall_method": "sequential substitution, each step a full run on the same seeds: "
        "manual -> automated drives -> automated trajectories -> anti-sway -> automated "
        "scheduler -> unmanned standby = automated; a cause's saving is the drop in total "
        "energy at its step, so the savings sum exactly to manual - automated",
        "waterfall_per_coil": waterfall_per_coil,
        "chain_kwh_per_replication": {
            n: E[:, i].tolist()
            for i, n in enumerate(("manual", "+automated drives", "+automated trajectories",
                                   "+anti-sway", "+automated scheduler", "automated"))
        },  # fmt: skip
        "other_savings_pct": {
            "motion_only": _ci_dict(motion_only),
            "same_drives_in_both_modes": _ci_dict(same_drives),
            "without_standby_change": _ci_dict(no_standby_step),
            "per_coil_handled": _ci_dict(per_coil),
            "motion_per_lift": _ci_dict(motion_per_lift),
        },
        "axis_split_kwh": axis_split,
        "starts_per_lift": starts_pl,
        "starts_per_lift_by_purpose": starts_tag,
        "energy_per_lift": per_lift,
        "kpis": kpis,
        "kpis_per_replication": kpis_rep,
        "operator": operator,
        "drives": {
            "manual": sorted({p.drive + (" + plugging" if p.plugging else "") for p in base.manual}),
            "automated": sorted({p.drive for p in base.automated}),
        },
        "sensitivity": sens,
    }


def _ci_dict(t: tuple[float, float, float]) -> dict[str, Any]:
    return {"mean": t[0], "ci95": [t[1], t[2]]}


def _sensitivity(sc, cfg, res, params, E, sb_m, sb_a) -> list[dict]:
    import numpy as np

    from cranesim.physics.energy import standby_kwh

    R, H = cfg.replications, cfg.hours
    base_mean = float(np.mean(100.0 * (E[:, 0] - E[:, 5]) / E[:, 0]))
    rows = []
    for p in params:
        vals = []
        for which, tag in ((0, "low"), (1, "high")):
            name = f"{p.name}:{tag}"
            if p.kind == "energy":
                c = energy_case(p.scenario(sc, which), name)
                sm, sa = standby_kwh(c.manual, H), standby_kwh(c.automated, H)
                s = [
                    100.0 * (1 - (_motion(res[("base", "automated", r)], name, "automated") + sa)
                             / (_motion(res[("base", "manual", r)], name, "manual") + sm))
                    for r in range(R)
                ]  # fmt: skip
                extra = {}
            else:
                s, blocked, lifts = [], [], []
                for r in range(R):
                    man = res[(name, "manual", r)]
                    em = _motion(man, "base", "manual") + sb_m
                    s.append(100.0 * (em - E[r, 5]) / em)
                    blocked.append(man["kpi"]["mill_blocked_min"])
                    lifts.append(man["kpi"]["lifts"])
                extra = {"manual_mill_blocked_min": float(np.mean(blocked)),
                         "manual_lifts": float(np.mean(lifts))}
            m, lo, hi = mean_ci95(s)
            vals.append({"saving_pct_mean": m, "saving_pct_ci95": [lo, hi], **extra})
        rows.append({
            "parameter": p.name, "label": p.label, "kind": p.kind,
            "base": p.base_text, "low": p.low_text, "high": p.high_text,
            "at_low": vals[0], "at_high": vals[1],
            "span_pct": abs(vals[1]["saving_pct_mean"] - vals[0]["saving_pct_mean"]),
        })  # fmt: skip
    rows.sort(key=lambda d: -d["span_pct"])
    for d in rows:
        d["base_saving_pct_mean"] = base_mean
    return rows


def _verdict(claim, s, waterfall, E, motion_only, same_drives, no_standby, kpis, per_coil, sens,
             motion_per_lift):
    import numpy as np

    mean, lo, hi = s
    if lo > claim:
        verdict = "supported"
        head = (f"Supported: the simulated saving is {mean:.1f}% (95% CI {lo:.1f}% to {hi:.1f}%), "
                f"and the lower bound exceeds {claim:g}%.")
    elif hi < claim:
        verdict = "not supported"
        head = (f"Not supported: the simulated saving is {mean:.1f}% (95% CI {lo:.1f}% to {hi:.1f}%), "
                f"significantly below {claim:g}%.")
    else:
        verdict = "inconclusive"
        head = (f"Not shown at 95% confidence: the simulated saving is {mean:.1f}% "
                f"(95% CI {lo:.1f}% to {hi:.1f}%), an interval that contains {claim:g}%.")
    total = float(np.mean(E[:, 0] - E[:, 5]))
    hinges = []
    big = sorted(waterfall, key=lambda w: -abs(w["saving_kwh"]))
    parts = ", ".join(
        f"{w['cause']} {w['saving_pct_of_manual']:.1f} points" for w in big if abs(w["saving_kwh"]) > 0
    )
    hinges.append(f"The saving comes from (in % of manual energy): {parts}.")
    sb = next(w for w in waterfall if w["cause"] == "standby")
    if total > 0:
        hinges.append(
            f"Standby (cab air conditioning of manned cranes and controls) accounts for "
            f"{100 * sb['saving_kwh'] / total:.0f}% of the saving; without it the saving would be "
            f"{no_standby[0]:.1f}% (CI {no_standby[1]:.1f} to {no_standby[2]:.1f}%). "
            f"Crane motion energy alone falls by {motion_only[0]:.1f}% "
            f"(CI {motion_only[1]:.1f} to {motion_only[2]:.1f}%) over the same hours, and by "
            f"{motion_per_lift[0]:.1f}% (CI {motion_per_lift[1]:.1f} to {motion_per_lift[2]:.1f}%) "
            f"per lift."
        )
    dr = next(w for w in waterfall if w["cause"] == "drive technology")
    hinges.append(
        f"The drive change (manual cranes' drives vs automated cranes' drives) gives "
        f"{dr['saving_pct_of_manual']:.1f} points; had the manual cranes already had the automated "
        f"cranes' drives, the saving would be {same_drives[0]:.1f}% "
        f"(CI {same_drives[1]:.1f} to {same_drives[2]:.1f}%)."
    )
    km, ka = kpis["manual"], kpis["automated"]
    hinges.append(
        f"Service: manual baseline {km['coils_out']:.0f} coils out, mill blocked "
        f"{km['mill_blocked_min']:.1f} min, truck wait {km['truck_wait_mean_min']:.1f} min; automated "
        f"{ka['coils_out']:.0f} coils out, mill blocked {ka['mill_blocked_min']:.1f} min, truck wait "
        f"{ka['truck_wait_mean_min']:.1f} min.  Per coil handled the saving is {per_coil[0]:.1f}%."
    )
    if km["coils_in"] + km["coils_out"] < 0.98 * (ka["coils_in"] + ka["coils_out"]):
        hinges.append(
            "Warning: the manual baseline handled fewer coils than the automated warehouse in the "
            "same hours (it did not keep up with the mill and the trucks), so its energy over the "
            "horizon is understated and the saving with it; the per-coil and per-lift figures "
            "compare like with like.  A plausible baseline needs a scenario the modelled crew "
            "can serve."
        )
    if sens:
        cross = [d for d in sens
                 if (min(d["at_low"]["saving_pct_mean"], d["at_high"]["saving_pct_mean"]) < claim
                     < max(d["at_low"]["saving_pct_mean"], d["at_high"]["saving_pct_mean"]))]
        if cross:
            hinges.append(
                "Within their documented ranges these parameters move the mean saving across "
                f"{claim:g}%: " + "; ".join(
                    f"{d['label']} ({d['low']}: {d['at_low']['saving_pct_mean']:.1f}%, "
                    f"{d['high']}: {d['at_high']['saving_pct_mean']:.1f}%)" for d in cross) + "."
            )  # fmt: skip
        else:
            top = sens[0]
            hinges.append(
                f"No single parameter moves the mean saving across {claim:g}% within its range; "
                f"the most influential is {top['label']} ({top['low']}: "
                f"{top['at_low']['saving_pct_mean']:.1f}%, {top['high']}: "
                f"{top['at_high']['saving_pct_mean']:.1f}%)."
            )
    return verdict, head, hinges


# --------------------------------------------------------------------------- command line
_hours = argtypes.hours
_seed = argtypes.seed_upto(2**63 - 1 - 10_000)  # room for seeds S..S+R-1


def _int_at_least(lo: int, what: str) -> Callable[[str], int]:
    return argtypes.int_range(lo, None, what)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", nargs="?", metavar="CONFIG",
                   help="scenario TOML file (default: the packaged default)")
    p.add_argument("--replications", "-R", type=_int_at_least(2, "replications"), metavar="R",
                   help="paired replications, seeds S..S+R-1 (default: [compare] replications, 5)")
    p.add_argument("--hours", type=_hours, metavar="H",
                   help="model hours per replication (default: [compare] hours, 72)")
    p.add_argument("--seed", type=_seed, metavar="S", help="first seed (default: scenario.seed)")
    p.add_argument("--workers", type=_int_at_least(1, "workers"), default=1, metavar="N",
                   help="processes to run replications in parallel (same results as serial)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run the replications on a Dask cluster (scheduler address, or 'local' "
                        "for a loopback cluster of --workers processes); same results as serial")
    p.add_argument("--json", metavar="PATH", help="write the full result to PATH as JSON")
    p.add_argument("--report", metavar="DIR", help="write report.md and PNG charts to DIR")
    p.add_argument("--sensitivity", action="store_true",
                   help="vary each uncertain parameter over its documented range (tornado chart)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (it is shown only on a terminal)")  # fmt: skip


DESCRIPTION = (
    "Simulate the warehouse with a modelled manual crane driver and with automated cranes on "
    "the same random streams, and test the claim that automation saves more than 30% of the "
    "cranes' energy: mean saving with a 95% confidence interval, a waterfall by cause, starts "
    "per lift, service KPIs of both modes and a verdict."
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``compare`` subcommand to an ``argparse`` subparsers object."""
    p = subparsers.add_parser("compare", help="energy: automated cranes vs a manual baseline",
                              description=DESCRIPTION)
    add_arguments(p)
    p.set_defaults(_handler=main_compare)
    return p


def _check_output(option: str, path: str, suffix: str | None) -> Path:
    p = Path(path)
    if suffix is not None and p.suffix.lower() != suffix:
        raise UserError(f"{option} {path}: expected a file name ending in {suffix}")
    if suffix is not None and p.is_dir():
        raise UserError(f"{option} {path}: is a directory, expected a file name")
    if suffix is None and p.exists() and not p.is_dir():
        raise UserError(f"{option} {path}: exists and is not a directory")
    target_dir = p.parent if suffix is not None else p
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{option} {path}: cannot create directory {target_dir} ({exc.strerror or exc})") from None
    if not os.access(target_dir, os.W_OK):
        raise UserError(f"{option} {path}: directory {target_dir} is not writable")
    return p


def main_compare(args: argparse.Namespace) -> int:
    """Run ``cranesim compare`` for parsed ``args``; returns the exit status.

    Raises the CLI's ``UserError`` (exit 2) for bad options, :class:`ConfigError` for a bad
    scenario file, and ``Failure`` (exit 1) when the model fails.
    """
    from cranesim.scenario.load import load_config

    json_path = _check_output("--json", args.json, ".json") if args.json else None
    report_dir = _check_output("--report", args.report, None) if args.report else None
    sc = load_config(args.config)
    cfg = CompareSettings(
        replications=args.replications if args.replications is not None else sc.compare.replications,
        hours=args.hours if args.hours is not None else sc.compare.hours,
        seed=args.seed if args.seed is not None else sc.scenario.seed,
        workers=args.workers,
        dask=args.dask,
        sensitivity=args.sensitivity,
        config=str(args.config) if args.config else "(packaged default)",
    )
    show = not getattr(args, "no_progress", False) and sys.stderr.isatty()
    bars = []
    on_rep = on_sens = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=cfg.replications, unit="rep", desc="replications", file=sys.stderr,
                   dynamic_ncols=True)
        bars.append(bar)
        on_rep = bar.update
        if cfg.sensitivity:
            n = sum(2 * cfg.replications for p in sensitivity_params(sc) if p.kind == "manual")
            sbar = tqdm(total=n, unit="run", desc="sensitivity", file=sys.stderr, dynamic_ncols=True)
            bars.append(sbar)
            on_sens = sbar.update
    try:
        result = compare(sc, cfg, on_rep, on_sens)
    except ModelError as exc:
        raise Failure(f"model error: {exc}") from exc
    finally:
        for b in bars:
            b.close()
    print(summary_text(result))
    if json_path is not None:
        atomic_write_json(json_path, _jsonable(result))
        print(f"cranesim: wrote {json_path}", file=sys.stderr)
    if report_dir is not None:
        from cranesim.studies.report import write_report

        write_report(_jsonable(result), report_dir)
        print(f"cranesim: wrote {report_dir / 'report.md'}", file=sys.stderr)
    return 0


def _jsonable(obj: Any) -> Any:
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def summary_text(r: dict) -> str:
    """The terminal summary of a comparison."""
    lo, hi = r["saving_pct_ci95"]
    t = r["totals"]
    lines = [
        f"scenario {r['scenario']}: {r['replications']} paired replications x {r['hours']:g} h, "
        f"seeds {r['seeds'][0]}..{r['seeds'][-1]}",
        f"drives: manual {', '.join(r['drives']['manual'])}; automated {', '.join(r['drives']['automated'])}",
        f"energy per replication: manual {t['manual_kwh']:.0f} kWh "
        f"(motion {t['manual_motion_kwh']:.0f} + standby {t['manual_standby_kwh']:.0f}), automated "
        f"{t['automated_kwh']:.0f} kWh (motion {t['automated_motion_kwh']:.0f} + standby "
        f"{t['automated_standby_kwh']:.0f})",
        f"saving: {r['saving_pct_mean']:.1f}% (95% CI {lo:.1f}% to {hi:.1f}%)",
        "waterfall (saving by cause, kWh per replication, % of manual):",
    ]
    for w in r["waterfall"]:
        lines.append(f"  {w['cause']:<44} {w['saving_kwh']:9.1f} kWh  {w['saving_pct_of_manual']:6.1f}%")
    sp = r["starts_per_lift"]
    lines.append(
        "starts per lift (bridge/trolley/hoist): manual "
        + "/".join(f"{sp['manual'][a]:.1f}" for a in AXIS_NAMES)
        + ", automated " + "/".join(f"{sp['automated'][a]:.1f}" for a in AXIS_NAMES)
    )
    for mode in ("manual", "automated"):
        k = r["kpis"][mode]
        lines.append(
            f"{mode:<9}: {k['lifts_per_hour']:.1f} lifts/h, {k['coils_out']:.0f} coils out, "
            f"{k['relocations']:.0f} relocations, mill blocked {k['mill_blocked_min']:.1f} min, "
            f"truck wait {k['truck_wait_mean_min']:.1f} min"
        )
    lines.append(f"verdict ({r['verdict']}): {r['verdict_text']}")
    for h in r["hinges_on"]:
        lines.append(f"  - {h}")
    if r.get("sensitivity"):
        lines.append("sensitivity (mean saving at the low / high end of each range):")
        for d in r["sensitivity"]:
            lines.append(
                f"  {d['label']:<36} {d['low']:>20}: {d['at_low']['saving_pct_mean']:5.1f}%  "
                f"{d['high']:>24}: {d['at_high']['saving_pct_mean']:5.1f}%"
            )
    lines.append(f"wall time {r['wall_s']:.1f} s")
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    """Errors as one line, ``cranesim: error: ...``, exit status 2 (as the main CLI)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"cranesim: error: {message} (see '{self.prog} --help')\n")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cranesim.studies.compare``: the compare subcommand on its own."""
    p = _Parser(prog="cranesim compare", description=DESCRIPTION)
    add_arguments(p)
    args = p.parse_args(argv)
    try:
        return main_compare(args)
    except KeyboardInterrupt:
        print("cranesim: interrupted", file=sys.stderr)
        return 130
    except ConfigError as exc:
        print(f"cranesim: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except Exception as exc:
        name = type(exc).__name__
        if isinstance(exc, UserError):
            print(f"cranesim: error: {' '.join(str(exc).split())}", file=sys.stderr)
            return 2
        if os.environ.get("CRANESIM_DEBUG", "") == "1":
            import traceback

            traceback.print_exception(exc, file=sys.stderr)
        msg = str(exc) if name == "Failure" else f"internal error: {name}: {exc}"
        print(f"cranesim: {' '.join(msg.split())}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
