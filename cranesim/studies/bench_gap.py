"""The optimality section of ``cranesim bench``: the core policies' makespans on static
instances (:mod:`cranesim.studies.bench_static`) against the optimum of CP-SAT
(:mod:`cranesim.studies.bench_exact`), on a tuning set and a held-out set apart."""

from __future__ import annotations

import statistics
from typing import Any, Sequence

from cranesim.studies.bench_static import (
    HELD_OUT_FIRST_SEED,
    STATIC_POLICIES,
    check_runway,
    evaluate_policy,
    make_static_instance,
)

__all__ = ["bench_optimality"]


def _gap_stats(rows: list[dict[str, Any]], pol: str) -> dict[str, Any]:
    gaps = [
        r["policies"][pol]["gap_pct"] for r in rows if r["policies"][pol]["gap_pct"] is not None
    ]
    proved = [
        r["policies"][pol]["gap_pct"]
        for r in rows
        if r["exact_status"] == "OPTIMAL" and r["policies"][pol]["gap_pct"] is not None
    ]
    return {
        "instances": len(rows),
        "with_gap": len(gaps),
        "gap_pct_mean": statistics.fmean(gaps) if gaps else None,
        "gap_pct_median": statistics.median(gaps) if gaps else None,
        "gap_pct_max": max(gaps) if gaps else None,
        "proved_optimal": sum(1 for r in rows if r["exact_status"] == "OPTIMAL"),
        "gap_pct_mean_proved": statistics.fmean(proved) if proved else None,
        "optimum_reached": sum(1 for g in gaps if g <= 1e-9),
        "stalled": sum(1 for r in rows if r["policies"][pol]["stalled"]),
    }


def _instance_row(seed: int, time_limit_s: float, policies: Sequence[str]) -> dict[str, Any]:
    from cranesim.studies.bench_exact import solve_exact  # OR-Tools, when a solve starts

    inst = make_static_instance(seed)
    runs = {pol: evaluate_policy(inst, pol) for pol in policies}
    hint = next((lifts for mk, lifts in runs.values() if mk >= 0), None)
    ex = solve_exact(inst, time_limit_s, hint=hint, workers=1)
    row: dict[str, Any] = {
        "seed": seed,
        "jobs": inst.n_jobs,
        "lifts": inst.n_lifts,
        "relocations": inst.n_lifts - inst.n_jobs,
        "exact_makespan_s": ex["makespan"] / 10.0 if ex["makespan"] is not None else None,
        "exact_bound_s": ex["bound"] / 10.0 if ex["bound"] is not None else None,
        "exact_status": ex["status"],
        "exact_wall_s": ex["wall_s"],
        "policies": {},
    }
    for pol, (mk, lifts) in runs.items():
        r: dict[str, Any] = {
            "makespan_s": mk / 10.0 if mk >= 0 else None,
            "stalled": mk < 0,
            "runway_ok": not check_runway(lifts, inst.safety),
            "gap_pct": None,
        }
        if mk >= 0 and ex["makespan"]:
            r["gap_pct"] = 100.0 * (mk - ex["makespan"]) / ex["makespan"]
            r["gap_pct_vs_bound"] = 100.0 * (mk - ex["bound"]) / max(ex["bound"], 1)
        row["policies"][pol] = r
    return row


def bench_optimality(
    n_instances: int,
    time_limit_s: float,
    first_seed: int = HELD_OUT_FIRST_SEED,
    tuning: int = 30,
    policies: Sequence[str] = STATIC_POLICIES,
    default: str | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Each policy's makespan against CP-SAT's on ``tuning`` instances (seeds 1, 2, ...) and
    ``n_instances`` held-out ones (seeds from ``first_seed``); skipped with a message when
    OR-Tools is not installed.  ``default``: the policy whose held-out mean is the headline
    (``optimality_gap_pct_mean``; the default scenario's policy when None)."""
    try:
        import ortools  # noqa: F401
    except ImportError:
        return {"skipped": "OR-Tools is not installed (pip install 'cranesim[bench]' or ortools)"}
    if default is None:
        from cranesim.scenario.load import load_config

        default = load_config(None).scheduler.policy
    policies = list(dict.fromkeys([default, *policies]))
    out: dict[str, Any] = {
        "problem": "static, 2 cranes, jobs at t=0, relocations of blockers, lower-layer targets, "
        "makespan (see cranesim.studies.bench_static.StaticInstance)",
        "time_limit_s": time_limit_s,
        "default_policy": default,
        "policies": policies,
    }
    sets = (("tuning", 1, tuning), ("held_out", first_seed, n_instances))
    for name, seed0, count in sets:
        rows = []
        for seed in range(seed0, seed0 + count):
            if progress is not None:
                progress(f"optimality: {name} instance {seed}")
            rows.append(_instance_row(seed, time_limit_s, policies))
        out[name] = {
            "seeds": [seed0, seed0 + count - 1] if count else [],
            "instances": rows,
            "summary": {pol: _gap_stats(rows, pol) for pol in policies},
        }
    held = out["held_out"]["summary"][default]
    out["optimality_gap_pct_mean"] = held["gap_pct_mean"]
    out["tuning_gap_pct_mean"] = out["tuning"]["summary"][default]["gap_pct_mean"]
    out["note"] = (
        "gap_pct = (policy - best exact) / best exact; where CP-SAT did not prove its solution "
        "optimal the true gap lies between gap_pct and gap_pct_vs_bound; a stalled policy (no "
        "lift assigned while jobs are open and every crane is free) has no gap and is left out "
        "of the mean; weights were tuned on the tuning set only"
    )
    return out
