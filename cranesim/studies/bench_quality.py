"""``cranesim bench``, the full simulation: each policy's KPIs, and the default against the plant.

* :func:`bench_quality`: the default scenario simulated with each policy (the same seeds and
  hours, the automated cranes as ``cranesim run`` simulates them: anti-sway shaping, every stage
  priced): relocations, empty travel, truck turnaround, crane waits, mill blocking, energy.
* :func:`bench_versus`: the default policy against the plants' own rules (``plant_rules``, and
  ``plant_zoned``) at several mill rates, on common random numbers (one seed drives the same
  mill and trucks under both policies), with the paired difference of each KPI and its 95 %
  t-interval over the seeds.
"""

from __future__ import annotations

import statistics
from typing import Any, Callable, Sequence

__all__ = [
    "QUALITY_KPIS",
    "VERSUS_KPIS",
    "OBJECTIVE_VARIANTS",
    "QUALITY_POLICIES",
    "quality_run",
    "bench_quality",
    "bench_versus",
]

#: policies of the quality section: the core's, the plants' rules, the naive references;
#: ``joint_time``/``joint_energy`` are joint with another objective than the scenario's
QUALITY_POLICIES = (
    "joint",
    "joint_time",
    "joint_energy",
    "greedy",
    "rollout",
    "plant_rules",
    "plant_zoned",
    "fcfs_nearest",
    "random_free",
)
#: a policy run under another ``[scheduler] objective``: name -> (policy, objective)
OBJECTIVE_VARIANTS = {"joint_time": ("joint", "time"), "joint_energy": ("joint", "energy")}

QUALITY_KPIS = (
    ("relocations_per_retrieval", "relocations / retrieved coil", "{:.3f}"),
    ("empty_travel_m_per_lift", "empty travel / lift (m)", "{:.1f}"),
    ("truck_turnaround_mean_min", "truck turnaround (min)", "{:.1f}"),
    ("interference_wait_min", "interference wait, sum (min)", "{:.1f}"),
    ("mill_blocked_min", "mill blocked (min)", "{:.1f}"),
    ("energy_kwh_per_coil", "motion energy / coil (kWh)", "{:.4f}"),
)
#: the KPIs the comparison with the plants' rules decides on (lower is better for each)
VERSUS_KPIS = (
    ("mill_blocked_min", "mill blocked (min)", "{:.1f}"),
    ("truck_turnaround_mean_min", "truck turnaround (min)", "{:.1f}"),
    ("energy_kwh_per_coil", "motion energy / coil (kWh)", "{:.4f}"),
    ("interference_wait_min", "crane waits, sum (min)", "{:.1f}"),
)


def quality_run(sc: Any, policy: str, seed: int, hours: float) -> dict[str, float]:
    """One run of the scenario with ``policy`` (or an :data:`OBJECTIVE_VARIANTS` name), the
    automated cranes as ``cranesim run`` simulates them."""
    from cranesim.model.crew import automated_cranes
    from cranesim.model.warehouse import Warehouse

    if policy in OBJECTIVE_VARIANTS:
        policy, objective = OBJECTIVE_VARIANTS[policy]
        sc = sc.model_copy(
            update={"scheduler": sc.scheduler.model_copy(update={"objective": objective})}
        )
    wh = Warehouse(sc, seed, policy=policy, **automated_cranes(sc))
    wh.run_until(hours * 3600.0)
    wh.close()  # what is still open at the horizon counts
    s = wh.kpi.summary(hours * 3600.0)
    coils = s["coils_in"] + s["coils_out"]
    e = s.get("energy_kwh")
    return {
        "relocations_per_retrieval": s["relocations_per_retrieval"],
        "empty_travel_m_per_lift": s["empty_travel_m_per_lift"],
        "truck_turnaround_mean_min": s["truck_turnaround_mean_min"],
        "interference_wait_min": float(sum(s["crane_interference_wait_min"].values())),
        "mill_blocked_min": s["mill_blocked_min"],
        "energy_kwh_per_coil": (e / coils) if (e is not None and coils) else float("nan"),
        "lifts": s["lifts"],
        "coils_in": s["coils_in"],
        "coils_out": s["coils_out"],
        "trucks_departed": s["trucks_departed"],
    }


def bench_quality(
    seeds: Sequence[int],
    hours: float,
    config: str | None = None,
    policies: Sequence[str] = QUALITY_POLICIES,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """KPIs per policy (mean over ``seeds``, and per seed) on one scenario."""
    from cranesim.scenario.load import load_config

    sc = load_config(config)
    out: dict[str, Any] = {"scenario": sc.scenario.name, "hours": hours, "seeds": list(seeds),
                           "policies": {}}  # fmt: skip
    for pol in policies:
        if progress is not None:
            progress(f"quality: {pol}")
        runs = [quality_run(sc, pol, s, hours) for s in seeds]
        mean = {k: statistics.fmean([float(r[k]) for r in runs]) for k in runs[0]}
        out["policies"][pol] = {"mean": mean, "runs": runs}
    return out


def bench_versus(
    seeds: Sequence[int],
    hours: float,
    rates: Sequence[float] = (45.0, 70.0),
    policy: str | None = None,
    baselines: Sequence[str] = ("plant_rules", "plant_zoned"),
    config: str | None = None,
    progress: Callable[[str], None] | None = None,
    scheduler_update: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The default policy (or ``policy``) against each baseline at each mill rate (t/h): per
    KPI the means, the paired difference policy - baseline per seed, its mean and 95 %
    t-interval (``ci95``), and whether the interval lies below zero (``better``: the policy is
    lower, as every :data:`VERSUS_KPIS` should be) or above it (``worse``).
    ``scheduler_update``: ``[scheduler]`` keys set for the policy's runs only (the baselines
    run the scenario as it is)."""
    from cranesim.scenario.load import load_config
    from cranesim.studies.compare import mean_ci95

    base_sc = load_config(config)
    policy = policy or base_sc.scheduler.policy
    out: dict[str, Any] = {"scenario": base_sc.scenario.name, "policy": policy, "hours": hours,
                           "seeds": list(seeds), "rates_t_h": list(rates), "cases": []}  # fmt: skip
    for rate in rates:
        sc = base_sc.model_copy(update={"mill": base_sc.mill.model_copy(update={"rate_t_h": rate})})
        if progress is not None:
            progress(f"versus: {policy} at {rate:g} t/h")
        mine_sc = sc
        if scheduler_update:
            mine_sc = sc.model_copy(
                update={"scheduler": sc.scheduler.model_copy(update=scheduler_update)}
            )
        mine = [quality_run(mine_sc, policy, s, hours) for s in seeds]
        for base in baselines:
            if progress is not None:
                progress(f"versus: {base} at {rate:g} t/h")
            theirs = [quality_run(sc, base, s, hours) for s in seeds]
            case: dict[str, Any] = {"rate_t_h": rate, "baseline": base, "kpis": {}}
            for key, _label, _spec in VERSUS_KPIS:
                a = [float(r[key]) for r in mine]
                b = [float(r[key]) for r in theirs]
                d = [x - y for x, y in zip(a, b)]
                m, lo, hi = mean_ci95(d)
                case["kpis"][key] = {
                    "policy_mean": statistics.fmean(a),
                    "baseline_mean": statistics.fmean(b),
                    "diff_mean": m,
                    "ci95": [lo, hi],
                    "diffs": d,
                    "better": hi < 0.0,
                    "worse": lo > 0.0,
                }
            case["policy_runs"] = mine
            case["baseline_runs"] = theirs
            out["cases"].append(case)
    return out
