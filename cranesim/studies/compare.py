"""``cranesim compare``: does automating the cranes save "more than 30%" of their energy?

The question is computed, never assumed.  Each replication ``r`` (seed ``S + r``) simulates the
same warehouse under the same mill and truck random streams (common random numbers: the model
spawns separate mill, truck and operator streams from the seed) with different crews, built by
:func:`cranesim.model.crew.crew_warehouse`, and prices every crane move with
:mod:`cranesim.physics.energy`:

``manual``
    the modelled driver (:class:`~cranesim.physics.driver.ManualPlanner`) and the crew's
    dispatch rules (:class:`~cranesim.model.dispatch.HumanDispatch`), priced with both modes' drives;
``auto_traj``, ``auto_sway``
    the waterfall's intermediate steps (automated trajectories, then anti-sway, a driver still
    aboard);
``automated``
    the automated cranes.

Then (this module's :func:`compare`):

1. the nominal comparison (:mod:`cranesim.studies.chain`): both readings' savings per hour and
   per coil with 95% intervals over the replications (simulation noise), the chain of causes
   per coil, service, starts per lift;
2. the assumption uncertainty (:mod:`cranesim.studies.uncertainty`): the base runs' moves are
   priced again under every joint sample of the energy assumptions, and the manual baseline is
   run again at a Latin hypercube of the driver assumptions (``behaviour_runs``), emulated
   between; P(saving > claim), Sobol indices, break-even values;
3. the verdicts (:mod:`cranesim.studies.verdict`), one per reading; the top-level one is the
   feeder meter's;
4. optionally, the calibration of the assumptions to a plant's meter readings
   (:mod:`cranesim.studies.calibrate`) and the verdicts under the calibrated distribution.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from cranesim._version import __version__
from cranesim.errors import UserError
from cranesim.model.crew import VARIANTS
from cranesim.record.atomic import jsonable
from cranesim.studies.chain import CAUSES, COMMON, KPI_KEYS, mean_ci95, t975
from cranesim.studies.verdict import summary_text

if TYPE_CHECKING:
    from cranesim.scenario.schema import Scenario


__all__ = [
    "VARIANTS",
    "CAUSES",
    "COMMON",
    "CompareSettings",
    "run_variant",
    "run_comparison",
    "compare",
    "summary_text",
    "mean_ci95",
    "t975",
]


# --------------------------------------------------------------------------- one run
class _Tally:
    """Record sink of a compare run: the time each crane's driver was away, its lifts."""

    def __init__(self, n: int) -> None:
        self.away_s = [0.0] * n
        self.lifts = [0] * n
        self.lift_t: list[tuple[int, float]] = []

    def __call__(self, rec: tuple) -> None:
        kind = rec[3]
        if kind == "place":
            self.lifts[rec[2]] += 1
            self.lift_t.append((rec[2], rec[0] + rec[1]))
        elif kind == "break":
            self.away_s[rec[2]] += rec[1]


def run_variant(
    sc: Scenario,
    variant: str,
    seed: int,
    hours: float,
    *,
    keep_sums: bool = False,
    keep_log: bool = False,
) -> dict[str, Any]:
    """Simulate one step of the chain; its KPIs, its moves priced with both modes' drives (kWh
    by axis and category), starts, the driver's statistics and the hours each crane was staffed.

    ``keep_sums`` adds the run's :class:`~cranesim.physics.reprice.MoveSums` (for re-pricing),
    ``keep_log`` its :class:`~cranesim.physics.energy.MoveLog` and lift completion times.
    """
    import numpy as np

    from cranesim.codes import TAG_NAMES
    from cranesim.model.crew import crew_warehouse
    from cranesim.physics.drives import physics_of, resolve_drives
    from cranesim.physics.energy import EnergyModel, summarise
    from cranesim.physics.reprice import MoveSums

    t_wall = time.perf_counter()
    mode = "manual" if variant == "manual" else "automated"
    em = EnergyModel(sc, mode)
    tally = _Tally(len(sc.cranes))
    wh = crew_warehouse(sc, seed, variant, sink=tally, energy=em)
    wh.run_until(hours * 3600.0)
    wh.close()  # what is still open at the horizon counts
    kpi = wh.kpi.summary(hours * 3600.0)
    phys = physics_of(sc)
    energy = {m: summarise(em.log, resolve_drives(sc, m), phys) for m in ("manual", "automated")}
    own = sum(v["net"] for v in energy[mode].values())
    if not math.isclose(own, em.motion_kwh(), rel_tol=1e-9, abs_tol=1e-9):
        raise RuntimeError(
            f"energy bookkeeping: vectorised {own!r} kWh != per-stage {em.motion_kwh()!r} kWh"
        )
    if not math.isclose(kpi["energy_kwh"] or 0.0, em.motion_kwh(), rel_tol=1e-9, abs_tol=1e-9):
        raise RuntimeError("energy bookkeeping: trace records disagree with the energy model")
    arr = em.log.arrays()
    axis = arr["axis"].astype(np.intp)
    tag = arr["tag"].astype(np.intp)
    by_tag = np.zeros((3, len(TAG_NAMES)), dtype=np.int64)
    np.add.at(by_tag, (axis, tag), 1)
    stats = wh.planner.stats
    with_driver = variant != "automated" and not (
        sc.energy.manual.cab_runs_during_breaks and variant == "manual"
    )
    away = tally.away_s if with_driver else [0.0] * len(tally.away_s)
    out = {
        "variant": variant,
        "seed": seed,
        "kpi": {k: kpi[k] for k in KPI_KEYS},
        "utilization_mean": float(np.mean(list(kpi["crane_utilization"].values()))),
        "energy": energy,
        "starts": np.bincount(axis, minlength=3).tolist(),
        "starts_by_tag": by_tag.tolist(),
        "operator": {k: stats.get(k, 0.0) for k in ("settle_s", "jog_settle_s", "counter_s",
                                                    "sway_events", "ceiling_hits", "reaction_s")},
        "staffed_h": [hours - a / 3600.0 for a in away],
        "lifts_by_crane": tally.lifts,
        "wall_s": time.perf_counter() - t_wall,
    }  # fmt: skip
    if keep_sums:
        e = sc.energy
        out["sums"] = MoveSums(
            arr, len(sc.cranes), e.breakaway_s, e.bridge_mass_t, e.trolley_mass_t
        )
    if keep_log:
        out["log"] = arr
        out["lift_t"] = tally.lift_t
    return out


@dataclass(frozen=True)
class _Task:
    key: tuple
    sc: Scenario
    variant: str
    seed: int
    hours: float
    keep_sums: bool = False


def _do_task(task: _Task) -> tuple[tuple, dict]:
    return task.key, run_variant(
        task.sc, task.variant, task.seed, task.hours, keep_sums=task.keep_sums
    )


def _execute(
    tasks: list[_Task],
    workers: int,
    done: Callable[[tuple], None] | None = None,
    dask: str | None = None,
) -> dict[tuple, dict]:
    """Run tasks serially, on a process pool or on a Dask cluster
    (:mod:`cranesim.studies.replicate`); results keyed, so all give the same numbers."""
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


# --------------------------------------------------------------------------- the comparison
@dataclass
class CompareSettings:
    """How to run a comparison (defaults: the scenario's ``[compare]`` and ``[uncertainty]``)."""

    replications: int
    hours: float
    seed: int
    workers: int = 1
    dask: str | None = None
    samples: int | None = None
    behaviour_runs: int | None = None
    uncertainty: bool = True
    meters: str | None = None
    config: str = ""


def _design(sc: Scenario, K: int, seed: int):
    """Driver assumptions at a Latin hypercube of ``K`` points: (assumptions, values, scenarios)."""
    import numpy as np
    from scipy.stats import qmc

    from cranesim.studies.uncertainty import assumptions

    beh = [a for a in assumptions(sc) if a.kind == "behaviour"]
    if not beh or K == 0:
        return beh, np.zeros((0, len(beh))), []
    U = qmc.LatinHypercube(d=len(beh), seed=seed).random(K)
    X = np.stack([a.value(U[:, i]) for i, a in enumerate(beh)], axis=1).astype(float)
    scs = [sc.derive({f"manual.{a.name}": float(v) for a, v in zip(beh, row)}) for row in X]
    return beh, X, scs


#: CPU time of a run of each variant relative to the automated one (measured: 24 h of the
#: default scenario, seeds 5 and 6: manual 0.54/0.48 s, auto_traj 0.30/0.31, auto_sway 0.23/0.21,
#: automated 0.12/0.13; small.toml 2.9, 2.3, 1.6, 1): the progress bar's weights, so that its time
#: left holds whichever runs finish first
VARIANT_COST = {"manual": 4.0, "auto_traj": 2.5, "auto_sway": 1.8, "automated": 1.0}


def run_comparison(
    sc: Scenario,
    cfg: CompareSettings,
    progress: Callable[[str, float, float, str], None] | None = None,
) -> dict[str, Any]:
    """Run the whole comparison and return the JSON-ready result (see the module docstring).

    ``progress("simulations", done, total, status)`` is called as runs finish: ``done`` and
    ``total`` in expected cost (:data:`VARIANT_COST`), ``status`` the counts.
    """
    t0 = time.perf_counter()
    R = cfg.replications
    seeds = [cfg.seed + r for r in range(R)]
    K = (cfg.behaviour_runs if cfg.behaviour_runs is not None
         else sc.uncertainty.behaviour_runs) if cfg.uncertainty else 0  # fmt: skip
    beh, X, design_scs = _design(sc, K, cfg.seed)
    tasks = [
        _Task(("base", v, r), sc, v, seeds[r], cfg.hours, v in ("manual", "automated"))
        for r in range(R) for v in VARIANTS
    ]  # fmt: skip
    tasks += [_Task(("design", "manual", k), s, "manual", seeds[k % R], cfg.hours, True)
              for k, s in enumerate(design_scs)]  # fmt: skip
    cost = {t.key: VARIANT_COST.get(t.variant, 1.0) for t in tasks}
    total = sum(cost.values())
    state = {"cost": 0.0, "design": 0}
    per_rep: dict[int, int] = {}

    def status() -> str:
        full = sum(1 for n in per_rep.values() if n == len(VARIANTS))
        text = f"replications {full}/{R}"
        return text + (f", driver runs {state['design']}/{len(design_scs)}" if design_scs else "")

    def done(key: tuple) -> None:
        if key[0] == "base":
            per_rep[key[2]] = per_rep.get(key[2], 0) + 1
        else:
            state["design"] += 1
        state["cost"] += cost[key]
        if progress is not None:
            progress("simulations", state["cost"], total, status())

    if progress is not None:
        progress("simulations", 0.0, total, status())
    res = _execute(tasks, cfg.workers, done, cfg.dask)
    out = analyse(sc, cfg, seeds, res, beh, X)
    out["wall_s"] = time.perf_counter() - t0
    return out


def compare(
    sc: Scenario,
    *,
    replications: int | None = None,
    hours: float | None = None,
    seed: int | None = None,
    samples: int | None = None,
    behaviour_runs: int | None = None,
    uncertainty: bool = True,
    meters: str | Path | None = None,
    workers: int = 1,
    dask: str | None = None,
    progress: Callable[[str, float, float, str], None] | None = None,
) -> dict[str, Any]:
    """Automated cranes against the modelled manual crew: the verdicts on the energy claim.

    What ``cranesim compare`` computes and writes with ``--json``.

    Parameters
    ----------
    sc
        The scenario (:func:`cranesim.load_config`).
    replications, hours
        Paired replications (at least 2) and model hours of each; default: the scenario's
        ``[compare]`` section.
    seed
        Seed of the first replication (replication ``r`` runs seed ``seed + r``); default:
        ``[scenario] seed``.
    samples, behaviour_runs
        Joint quasi-Monte Carlo samples of the assumptions, and manual runs at a Latin hypercube
        of the driver assumptions; default: the scenario's ``[uncertainty]`` section.
    uncertainty
        ``False``: the scenario's values only (no joint samples, no sensitivity).
    meters
        A CSV of metered kWh per crane and period (columns ``mode, crane, hours, kwh[, lifts]``):
        calibrate the assumptions to it and judge under the calibrated distribution.
    workers, dask
        Run the simulations on ``workers`` processes, or on the Dask cluster at address ``dask``
        (``"local"``: a loopback cluster); the numbers do not depend on either.
    progress
        Called as ``progress("simulations", done, total, status)`` as the runs finish, first
        with ``done = 0``: ``done`` and ``total`` in expected cost (a manual run costs about 4
        automated ones, :data:`VARIANT_COST`), so that a bar's time left is realistic; ``status``
        counts the paired replications and the driver-assumption runs done.

    Returns
    -------
    dict
        The JSON-ready result (plain dicts, lists, numbers; ``None`` where a value is undefined):
        ``readings`` (``motion`` and ``feeder``, each with its verdict), ``verdict`` (the feeder
        reading's), ``saving_pct_mean``, ``sensitivity``, ``baseline_comparable``, ... (see the
        README); ``wall_s`` is the wall time.

    Raises
    ------
    UserError
        For fewer than 2 replications, hours <= 0, fewer than 1 worker, or a meter file that
        cannot be used (checked before any simulation).
    ModelError
        If a run violates an invariant of the warehouse.
    """
    from cranesim.scenario.load import default_config_path

    R = sc.compare.replications if replications is None else replications
    H = sc.compare.hours if hours is None else hours
    if R < 2:
        raise UserError(f"replications: expected an integer >= 2 (a confidence interval), got {R}")
    if not (math.isfinite(H) and H > 0):
        raise UserError(f"hours: expected a number > 0, got {H}")
    if workers < 1:
        raise UserError(f"workers: expected an integer >= 1, got {workers}")
    if meters is not None:  # checked before hours of simulation, not after
        from cranesim.scenario.load import resolve_config
        from cranesim.studies.calibrate import read_checked_meters

        meters = resolve_config(meters)  # a path, or the packaged meters_example.csv
        if not uncertainty:
            raise UserError("--meters needs the assumptions' joint samples: drop --no-uncertainty")
        read_checked_meters(meters, sc)
    source = sc._source
    cfg = CompareSettings(
        replications=R,
        hours=H,
        seed=sc.scenario.seed if seed is None else seed,
        workers=workers,
        dask=dask,
        samples=samples,
        behaviour_runs=behaviour_runs,
        uncertainty=uncertainty,
        meters=None if meters is None else str(meters),
        config="(packaged default)" if source == str(default_config_path()) else source,
    )
    return jsonable(run_comparison(sc, cfg, progress))


def analyse(sc: Scenario, cfg: CompareSettings, seeds: list[int], res: dict, beh, X) -> dict:
    """Nominal comparison, uncertainty, calibration and verdicts from the runs."""
    import numpy as np

    from cranesim.sched import CORE
    from cranesim.studies.chain import nominal
    from cranesim.studies.uncertainty import Repricer, propagate
    from cranesim.studies.verdict import baseline_check, reading_verdict

    R, H = cfg.replications, cfg.hours
    claim = sc.compare.claim_saving_pct
    nom = nominal(sc, res, R, H)
    comparable, note = baseline_check(sc, nom["kpis"], H)
    K = len(X)
    rp = Repricer(
        sc,
        [res[("base", "manual", r)]["sums"] for r in range(R)],
        [res[("base", "automated", r)]["sums"] for r in range(R)],
        np.array([res[("base", "manual", r)]["staffed_h"] for r in range(R)], dtype=float),
        H,
        [res[("design", "manual", k)]["sums"] for k in range(K)],
        [k % R for k in range(K)],
        X,
        list(beh),
    )
    unc = (propagate(sc, rp, claim, cfg.seed, cfg.samples) if cfg.uncertainty
           else {"assumptions": [], "readings": {}, "sensitivity": {}, "_rows": None})  # fmt: skip
    calib = None
    if cfg.meters:
        from cranesim.studies.calibrate import calibrate

        calib = calibrate(sc, rp, unc, cfg.meters, res, R, H)
    readings = {}
    for name in ("motion", "feeder"):
        nr = nom["readings"][name]
        dist = unc["readings"].get(name)
        if calib is not None:
            dist = calib["readings"][name]
        readings[name] = reading_verdict(
            name,
            nr["per_hour"],
            nr["per_coil"],
            dist,
            unc["sensitivity"].get(name),
            unc["assumptions"],
            claim,
            sc.compare.decide_p,
            comparable,
            note,
        )
        readings[name]["saving_pct_per_replication"] = nr["per_replication"]
        readings[name]["distribution"] = unc["readings"].get(name)
        readings[name]["sensitivity"] = unc["sensitivity"].get(name)
        readings[name]["joint_region"] = unc.get("joint_region", {}).get(name)
    feeder = readings["feeder"]
    unc.pop("_rows", None)  # the samples themselves stay out of the JSON
    man = [res[("base", "manual", r)] for r in range(R)]
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
        "sign_convention": "saving = 100 x (manual - automated) / manual: positive when the "
        "automated cranes use less",
        "saving_pct_mean": feeder["saving_pct_mean"],
        "saving_pct_ci95": feeder["saving_pct_ci95"],
        "saving_pct_per_replication": feeder["saving_pct_per_replication"],
        "verdict": feeder["verdict"],
        "verdict_text": feeder["text"],
        "headline": [readings["motion"]["text"], readings["feeder"]["text"]],
        "readings": readings,
        "sensitivity": {
            n: {
                "S1": d["S1"],
                "ST": d["ST"],
                "breakeven": d["breakeven"]["value"],
                "breakeven_detail": d["breakeven"],
                "S1_conf": d["S1_conf"],
                "ST_conf": d["ST_conf"],
            }
            for n, d in (unc["sensitivity"].get("feeder") or {}).items()
        },  # fmt: skip
        "baseline_comparable": comparable,
        "baseline_note": note,
        "uncertainty": {
            "assumptions": unc["assumptions"],
            "joint_samples": unc.get("joint_samples", 0),
            "index_rows": unc.get("index_rows", 0),
            "behaviour_emulator": rp.emulator_loo() if K else None,
            "manual_service_in_design_runs": [
                {
                    k: res[("design", "manual", k2)]["kpi"][k]
                    for k in ("coils_out", "mill_blocked_min", "truck_wait_mean_min")
                }
                for k2 in range(K)
            ],
        },  # fmt: skip
        "calibration": calib,
        "lifts_by_crane": {"manual": [x["lifts_by_crane"] for x in man]},
        **{
            k: v
            for k, v in nom.items()
            if k not in ("E0", "E5", "M0", "M5", "cab", "c0", "c5", "readings")
        },
    }
