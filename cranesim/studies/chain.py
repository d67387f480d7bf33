"""The nominal comparison: energies of both modes, the chain of causes, service and starts.

Everything here is at the scenario's own values (the assumptions' nominal values); the spread
over replications is simulation noise only.  :mod:`cranesim.studies.uncertainty` adds the
assumptions' spread.

The chain of causes (sequential substitution, each step a full run on the same seeds) is
attributed per coil handled (coils in + out of each run), so that a run that moved fewer coils
does not look cheaper: motion causes are differences of motion energy per coil between
consecutive steps, then the cab air conditioning (the manual run's cab energy per coil: it goes
when the driver goes) and the standby loads (manual per coil of the manual run against automated
per coil of the automated run).  The steps add up to the difference of total energy per coil.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from cranesim.codes import AXIS_NAMES, CATEGORIES, TAG_NAMES

__all__ = ["CAUSES", "COMMON", "KPI_KEYS", "t975", "mean_ci95", "nominal"]

CAUSES = (
    "drive technology",
    "trajectories and starts/stops",
    "sway damping",
    "scheduling (relocations and empty travel)",
    "cab air conditioning",
    "standby (controls, lights, sensors)",
)
COMMON = "motion work common to both"
KPI_KEYS = (
    "coils_in", "coils_out", "lifts", "lifts_per_hour", "stores", "retrievals", "relocations",
    "relocations_per_retrieval", "empty_travel_m_per_lift", "loaded_travel_m_per_lift",
    "mill_blocked_min", "mill_blocked_events", "truck_wait_mean_min", "truck_wait_max_min",
    "truck_turnaround_mean_min", "trucks_arrived", "trucks_departed",
)  # fmt: skip

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
    x = np.asarray(xs, dtype=float)
    m = float(x.mean())
    if len(x) < 2:
        return m, float("nan"), float("nan")
    h = t975(len(x) - 1) * float(x.std(ddof=1)) / math.sqrt(len(x))
    return m, m - h, m + h


def _ci(t: tuple[float, float, float]) -> dict[str, Any]:
    return {"mean": t[0], "ci95": [t[1], t[2]]}


def _motion(run: dict, drives: str) -> float:
    return sum(v["net"] for v in run["energy"][drives].values())


def _coils(run: dict) -> float:
    return float(run["kpi"]["coils_in"] + run["kpi"]["coils_out"])


def nominal(sc, runs: dict[tuple, dict], R: int, hours: float) -> dict[str, Any]:
    """The nominal comparison from the base runs ``runs[("base", variant, r)]``."""
    from cranesim.physics.drives import resolve_drives

    H = hours
    man_p, aut_p = resolve_drives(sc, "manual"), resolve_drives(sc, "automated")
    sb_m = sum(p.standby_kw for p in man_p) * H
    sb_a = sum(p.standby_kw + p.cab_kw for p in aut_p) * H
    cab_kw = np.array([p.cab_kw for p in man_p])
    get = {v: [runs[("base", v, r)] for r in range(R)]
           for v in ("manual", "auto_traj", "auto_sway", "automated")}  # fmt: skip
    man, aut = get["manual"], get["automated"]
    cab = np.array([float(cab_kw @ np.asarray(x["staffed_h"])) for x in man])
    M0 = np.array([_motion(x, "manual") for x in man])
    M1 = np.array([_motion(x, "automated") for x in man])
    M2 = np.array([_motion(x, "automated") for x in get["auto_traj"]])
    M3 = np.array([_motion(x, "automated") for x in get["auto_sway"]])
    M5 = np.array([_motion(x, "automated") for x in aut])
    c0 = np.array([_coils(x) for x in man])
    c2 = np.array([_coils(x) for x in get["auto_traj"]])
    c3 = np.array([_coils(x) for x in get["auto_sway"]])
    c5 = np.array([_coils(x) for x in aut])
    E0 = M0 + sb_m + cab
    E5 = M5 + sb_a

    # per coil: motion chain, then cab and standby
    m = np.stack([M0 / c0, M1 / c0, M2 / c2, M3 / c3, M5 / c5], axis=1)
    steps_c = np.concatenate(
        [m[:, :-1] - m[:, 1:], (cab / c0)[:, None], (sb_m / c0 - sb_a / c5)[:, None]], axis=1
    )
    e0c, e5c = E0 / c0, E5 / c5
    waterfall = []
    for k, cause in enumerate(CAUSES):
        mc, lo, hi = mean_ci95(steps_c[:, k])
        waterfall.append({
            "cause": cause,
            "saving_kwh_per_coil": mc,
            "saving_kwh_per_coil_ci95": [lo, hi],
            "saving_pct_of_manual": float(np.mean(100.0 * steps_c[:, k] / e0c)),
            "saving_kwh": float(np.mean(steps_c[:, k] * c0)),  # at the manual run's coils
        })  # fmt: skip
    components = {c: {"manual_kwh": float(np.mean(steps_c[:, k] * c0)), "automated_kwh": 0.0}
                  for k, c in enumerate(CAUSES[:4])}  # fmt: skip
    components["cab air conditioning"] = {"manual_kwh": float(cab.mean()), "automated_kwh": 0.0}
    components["standby (controls, lights, sensors)"] = {"manual_kwh": sb_m, "automated_kwh": sb_a}
    components[COMMON] = {"manual_kwh": float(np.mean(M5 / c5 * c0)),
                          "automated_kwh": float(M5.mean())}  # fmt: skip

    def pct(a, b):
        return mean_ci95(100.0 * (a - b) / a)

    readings = {
        "motion": {"per_hour": pct(M0, M5), "per_coil": pct(M0 / c0, M5 / c5),
                   "per_replication": (100.0 * (M0 - M5) / M0).tolist()},
        "feeder": {"per_hour": pct(E0, E5), "per_coil": pct(e0c, e5c),
                   "per_replication": (100.0 * (E0 - E5) / E0).tolist()},
    }  # fmt: skip
    same_drives = pct(M1 + sb_m + cab, E5)

    axis_split, starts_pl, starts_tag, kpis, kpis_rep, per_lift, operator = (
        {},
        {},
        {},
        {},
        {},
        {},
        {},
    )
    for mode, rs, drives, tot, mot in (
        ("manual", man, "manual", E0, M0),
        ("automated", aut, "automated", E5, M5),
    ):
        axis_split[mode] = {
            ax: {c: float(np.mean([x["energy"][drives][ax][c] for x in rs]))
                 for c in (*CATEGORIES, "net")}
            for ax in AXIS_NAMES
        }  # fmt: skip
        axis_split[mode]["standby"] = sb_m if mode == "manual" else sb_a
        axis_split[mode]["cab"] = float(cab.mean()) if mode == "manual" else 0.0
        lifts = np.maximum(np.array([x["kpi"]["lifts"] for x in rs], dtype=float), 1.0)
        st = np.array([x["starts"] for x in rs], dtype=float)
        starts_pl[mode] = {ax: float(np.mean(st[:, i] / lifts)) for i, ax in enumerate(AXIS_NAMES)}
        tag = np.array([x["starts_by_tag"] for x in rs], dtype=float)
        starts_tag[mode] = {
            ax: {t: float(np.mean(tag[:, i, j] / lifts)) for j, t in enumerate(TAG_NAMES)}
            for i, ax in enumerate(AXIS_NAMES)
        }
        kpis_rep[mode] = {k: [x["kpi"][k] for x in rs] for k in KPI_KEYS}
        kpis_rep[mode]["crane_utilization_mean"] = [x["utilization_mean"] for x in rs]
        kpis[mode] = {k: float(np.mean(v)) for k, v in kpis_rep[mode].items()}
        coils = np.array([_coils(x) for x in rs])
        per_lift[mode] = {
            "motion_kwh_per_lift": float(np.mean(mot / lifts)),
            "standby_kwh_per_lift": float(np.mean((tot - mot) / lifts)),
            "total_kwh_per_lift": float(np.mean(tot / lifts)),
            "total_kwh_per_coil_handled": float(np.mean(tot / coils)),
        }
        op = [x["operator"] for x in rs]
        operator[mode] = {
            f"{k}_per_lift": float(np.mean(np.array([o[src] for o in op]) / lifts))
            for k, src in (("sway_settle_s", "settle_s"), ("jog_settle_s", "jog_settle_s"),
                           ("counter_sway_s", "counter_s"), ("sway_events", "sway_events"),
                           ("reaction_s", "reaction_s"))
        }  # fmt: skip
        operator[mode]["switching_ceiling_hits"] = float(np.mean([o["ceiling_hits"] for o in op]))
    staffed = np.array([x["staffed_h"] for x in man], dtype=float)
    return {
        "E0": E0,
        "E5": E5,
        "M0": M0,
        "M5": M5,
        "cab": cab,
        "c0": c0,
        "c5": c5,
        "readings": readings,
        "totals": {
            "manual_kwh": float(E0.mean()),
            "automated_kwh": float(E5.mean()),
            "manual_kwh_per_replication": E0.tolist(),
            "automated_kwh_per_replication": E5.tolist(),
            "manual_motion_kwh": float(M0.mean()),
            "automated_motion_kwh": float(M5.mean()),
            "manual_standby_kwh": sb_m,
            "manual_cab_kwh": float(cab.mean()),
            "automated_standby_kwh": sb_a,
            "manual_staffed_share": float(staffed.mean() / H),
            "manual_kwh_per_coil": float(e0c.mean()),
            "automated_kwh_per_coil": float(e5c.mean()),
        },
        "components": components,
        "waterfall": waterfall,
        "waterfall_method": "sequential substitution, each step a full run on the same seeds "
        "(manual -> automated drives -> automated trajectories -> anti-sway -> automated "
        "scheduler), per coil handled by each run; then the cab air conditioning and the standby "
        "loads per coil; the steps add up to manual minus automated energy per coil",
        "other_savings_pct": {
            "same_drives_in_both_modes": _ci(same_drives),
            "motion_per_coil": _ci(readings["motion"]["per_coil"]),
            "feeder_per_coil": _ci(readings["feeder"]["per_coil"]),
        },
        "axis_split_kwh": axis_split,
        "starts_per_lift": starts_pl,
        "starts_per_lift_by_purpose": starts_tag,
        "energy_per_lift": per_lift,
        "kpis": kpis,
        "kpis_per_replication": kpis_rep,
        "operator": operator,
        "drives": {
            "manual": sorted({p.drive + (" + plugging" if p.plugging else "") for p in man_p}),
            "automated": sorted({p.drive for p in aut_p}),
        },
    }
