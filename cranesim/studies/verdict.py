"""Verdicts on the claim, one per reading, in plain words.

Two readings of "the cranes' energy":

``motion``
    drive and motion energy (what the plant credits: fewer starts, stops and hook stabilising);
``feeder``
    what the crane's feeder meter sees: motion + standby (controls, lights, sensors) + the cab
    air conditioning of a manned crane.

Sign convention, everywhere: a saving is ``100·(manual - automated)/manual``; positive means the
automated cranes use less.

Each reading's verdict combines the two kinds of uncertainty (:mod:`cranesim.studies.uncertainty`):

* ``supported``: ``P(saving > claim)`` over the assumptions is at least ``[compare] decide_p``
  and the nominal saving's 95% interval (simulation noise) lies above the claim;
* ``not supported``: ``P`` is at most ``1 - decide_p`` and the interval lies below the claim;
* ``inconclusive``: anything between; the assumption with the largest total Sobol index decides;
* ``inconclusive: baseline not comparable``: the manual baseline did not deliver the automated
  warehouse's service within the ``[compare]`` tolerances (coils shipped, mill blocked, truck
  wait), so its energy over the same hours is not a fair baseline; no verdict either way.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "VERDICTS",
    "baseline_check",
    "reading_verdict",
    "saving_words",
    "pct_words",
    "summary_text",
]

VERDICTS = ("supported", "not supported", "inconclusive", "inconclusive: baseline not comparable")
READING_NAMES = {
    "motion": "Drive and motion energy (what the plant credits)",
    "feeder": "Crane feeder meter (motion + standby + cab air conditioning)",
}


def saving_words(pct: float, nd: int = 1) -> str:
    """``31.2% less`` / ``4.0% more`` / ``about the same``: never a negative saving."""
    if round(pct, nd) == 0:
        return "about the same energy"
    return f"{abs(pct):.{nd}f}% {'less' if pct > 0 else 'more'} energy"


def pct_words(pct: float, nd: int = 1) -> str:
    """A saving as ``31.2% less`` or ``4.0% more`` (for ranges and percentiles)."""
    if round(pct, nd) == 0:
        return "the same"
    return f"{abs(pct):.{nd}f}% {'less' if pct > 0 else 'more'}"


def _opt(o: Any) -> str:
    return str(o).replace("_", " ")


def baseline_check(sc, kpis: dict[str, dict[str, float]], hours: float) -> tuple[bool, str]:
    """Whether the manual baseline's service is within the ``[compare]`` tolerances, and why."""
    cmp = sc.compare
    km, ka = kpis["manual"], kpis["automated"]
    short = 100.0 * (1.0 - km["coils_out"] / ka["coils_out"]) if ka["coils_out"] > 0 else 0.0
    blocked = (km["mill_blocked_min"] - ka["mill_blocked_min"]) / (hours / 24.0)
    wait = km["truck_wait_mean_min"] - ka["truck_wait_mean_min"]
    checks = (
        (short > cmp.baseline_coils_out_tolerance_pct,
         f"the manual crew shipped {km['coils_out']:.0f} coils against {ka['coils_out']:.0f} "
         + (f"({short:.1f}% fewer" if short > 0 else f"({-short:.1f}% more")
         + f"; tolerance {cmp.baseline_coils_out_tolerance_pct:g}% fewer)"),
        (blocked > cmp.baseline_mill_blocked_min_per_day,
         f"the mill was blocked {km['mill_blocked_min']:.0f} min against "
         f"{ka['mill_blocked_min']:.0f} min ({max(blocked, 0.0):.1f} min per day more; tolerance "
         f"{cmp.baseline_mill_blocked_min_per_day:g})"),
        (wait > cmp.baseline_truck_wait_extra_min,
         f"trucks waited {km['truck_wait_mean_min']:.0f} min for a bay on average against "
         f"{ka['truck_wait_mean_min']:.0f} min ({max(wait, 0.0):.0f} min more; tolerance "
         f"{cmp.baseline_truck_wait_extra_min:g})"),
    )  # fmt: skip
    bad = [text for over, text in checks if over]
    if bad:
        return False, "Baseline not comparable: " + "; ".join(bad) + "."
    return True, "Baseline comparable: " + "; ".join(text for _, text in checks) + "."


def _decider(sens: dict[str, dict], assump: list[dict]) -> dict | None:
    if not sens:
        return None
    name = max(sens, key=lambda n: sens[n]["ST"])
    a = next(x for x in assump if x["name"] == name)
    return {"name": name, "label": a["label"], "unit": a["unit"], **sens[name]}


def _breakeven_words(d: dict, claim: float) -> str:
    be = d["breakeven"]
    if be["value"] is None and "claim_holds_with" in be:
        holds = [_opt(o) for o in be["claim_holds_with"]]
        at = ", ".join(f"{_opt(o)}: {pct_words(v)}" for o, v in be["at"].items())
        if len(holds) == len(be["at"]):
            return f"the claim holds with every option ({at}, others nominal)"
        return (
            f"the claim holds only with {' or '.join(holds)} ({at}, others nominal)"
            if holds
            else f"no option reaches {claim:g}% ({at}, others nominal)"
        )
    unit = f" {d['unit']}" if d["unit"] else ""
    if be["value"] is None:
        return (
            f"no break-even within its range ({pct_words(be['at']['low'])} at the low end, "
            f"{pct_words(be['at']['high'])} at the high end, others nominal)"
        )
    return (
        f"break-even at {be['value']:.3g}{unit}: the claim holds {be['claim_holds']} it "
        f"(others nominal)"
    )


def reading_verdict(
    reading: str,
    nominal: tuple[float, float, float],
    per_coil: tuple[float, float, float],
    unc: dict[str, Any] | None,
    sens: dict[str, dict] | None,
    assump: list[dict],
    claim: float,
    decide_p: float,
    comparable: bool,
    baseline_note: str,
) -> dict[str, Any]:
    """The verdict of one reading, its JSON entry and its one-paragraph text."""
    m, lo, hi = nominal
    p = unc["p_claim"] if unc else (1.0 if lo > claim else 0.0 if hi < claim else 0.5)
    decider = _decider(sens or {}, assump)
    if not comparable:
        verdict = "inconclusive: baseline not comparable"
    elif p >= decide_p and lo > claim:
        verdict = "supported"
    elif p <= 1.0 - decide_p and hi < claim:
        verdict = "not supported"
    else:
        verdict = "inconclusive"
    head = {
        "supported": "Supported",
        "not supported": "Not supported",
        "inconclusive": "Inconclusive: it depends on the assumptions",
        "inconclusive: baseline not comparable": "Inconclusive: baseline not comparable",
    }[verdict]
    text = (
        f"{READING_NAMES[reading]}: {head}. At the scenario's values the automated cranes use "
        f"{saving_words(m)} per hour (95% CI {pct_words(lo)} to {pct_words(hi)} over the "
        f"replications, simulation noise only) and {saving_words(per_coil[0])} per coil handled"
    )
    if unc:
        text += (
            f"; over the assumptions' ranges {100 * p:.0f}% of the joint samples exceed "
            f"{claim:g}% (from {pct_words(unc['p05'])} to {pct_words(unc['p95'])}, 5th to 95th "
            f"percentile)"
        )
    text += "."
    if decider is not None and decider["ST"] > 0:
        text += (
            f" Decided by the {decider['label']} (total Sobol index {decider['ST']:.2f}): "
            f"{_breakeven_words(decider, claim)}."
        )
    if not comparable:
        text += " " + baseline_note
    return {
        "saving_pct_mean": m,
        "saving_pct_ci95": [lo, hi],
        "saving_pct_per_coil_mean": per_coil[0],
        "saving_pct_per_coil_ci95": [per_coil[1], per_coil[2]],
        "p_claim": p,
        "verdict": verdict,
        "decided_by": decider["name"] if decider else None,
        "text": text,
    }


def summary_text(r: dict) -> str:
    """The terminal summary of a comparison."""
    t = r["totals"]
    lines = [
        f"scenario {r['scenario']}: {r['replications']} paired replications x {r['hours']:g} h, "
        f"seeds {r['seeds'][0]}..{r['seeds'][-1]}",
        f"drives: manual {', '.join(r['drives']['manual'])}; automated "
        f"{', '.join(r['drives']['automated'])}",
        f"energy per replication: manual {t['manual_kwh']:.0f} kWh (motion "
        f"{t['manual_motion_kwh']:.0f} + standby {t['manual_standby_kwh']:.0f} + cab "
        f"{t['manual_cab_kwh']:.0f}), automated {t['automated_kwh']:.0f} kWh (motion "
        f"{t['automated_motion_kwh']:.0f} + standby {t['automated_standby_kwh']:.0f})",
        f"verdict ({r['verdict']}, the feeder meter's):",
    ]
    for text in r["headline"]:
        lines.append(f"  - {text}")
    lines.append(f"  - {r['baseline_note']}")
    u = r["uncertainty"]
    if u["assumptions"]:
        lines.append(
            f"assumptions ({u['joint_samples']} joint samples; Sobol indices from "
            f"{u['index_rows']} rows), feeder / motion reading:"
        )
        lines.append(f"  {'assumption':<44} {'ST':>5} {'S1':>5}  break-even (others nominal)")
        sens = r["readings"]["feeder"]["sensitivity"]
        for name in sorted(sens, key=lambda n: -sens[n]["ST"]):
            a = next(x for x in u["assumptions"] if x["name"] == name)
            be = sens[name]["breakeven"]
            if be["value"] is not None:
                txt = f"{be['value']:.3g} {a['unit']}".strip() + f" (holds {be['claim_holds']})"
            elif "claim_holds_with" in be:
                txt = (
                    ("holds with " + ", ".join(o.replace("_", " ") for o in be["claim_holds_with"]))
                    if be["claim_holds_with"]
                    else "no option reaches it"
                )
            else:
                txt = (
                    f"none in range ({pct_words(be['at']['low'])} to {pct_words(be['at']['high'])})"
                )
            lines.append(
                f"  {a['label']:<44} {sens[name]['ST']:5.2f} {sens[name]['S1']:5.2f}  {txt}"
            )
        emu = u.get("behaviour_emulator")
        if emu:
            lines.append(
                f"  driver emulator: {emu['runs']} runs, leave-one-out error "
                f"{emu['loo_rmse_pct']:.1f}% of manual motion energy"
            )
    lines.append("chain of causes, per coil handled (saving > 0: the automated cranes use less):")
    for w in r["waterfall"]:
        lines.append(
            f"  {w['cause']:<44} {w['saving_kwh_per_coil']:8.4f} kWh/coil  "
            f"{w['saving_pct_of_manual']:6.1f}% of manual"
        )
    sp = r["starts_per_lift"]
    lines.append(
        "starts per lift (bridge/trolley/hoist): manual "
        + "/".join(f"{sp['manual'][a]:.1f}" for a in ("bridge", "trolley", "hoist"))
        + ", automated "
        + "/".join(f"{sp['automated'][a]:.1f}" for a in ("bridge", "trolley", "hoist"))
    )
    for mode in ("manual", "automated"):
        k = r["kpis"][mode]
        lines.append(
            f"{mode:<9}: {k['lifts_per_hour']:.1f} lifts/h, {k['coils_out']:.0f} coils out, "
            f"{k['relocations']:.0f} relocations, mill blocked {k['mill_blocked_min']:.1f} min, "
            f"truck wait {k['truck_wait_mean_min']:.1f} min"
        )
    sd = r["other_savings_pct"]["same_drives_in_both_modes"]["mean"]
    lines.append(
        f"had the manual cranes had the automated drives: {saving_words(sd)} "
        "(feeder, scenario values)"
    )
    if r.get("calibration"):
        lines.append(r["calibration"]["text"])
    lines.append(f"wall time {r['wall_s']:.1f} s")
    return "\n".join(lines)
