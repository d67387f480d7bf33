"""The ``cranesim compare --report DIR`` page: report.md with PNG charts, for a plant manager.

Everything is drawn from the comparison's JSON result (:func:`cranesim.studies.compare.compare`), so a
report can be rebuilt from a saved ``--json`` file with :func:`write_report`.  The files are
written atomically and together (:class:`cranesim.record.atomic.Outputs`).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from cranesim.record.atomic import Outputs, joined

__all__ = ["write_report", "render_markdown"]

AXES = ("bridge", "trolley", "hoist")
COLORS = {
    "bridge": "#4C72B0",
    "trolley": "#55A868",
    "hoist": "#C44E52",
    "standby": "#8172B2",
    "cab": "#CCB974",
}


def _save(fig, path: Path, out: Outputs) -> None:
    """The figure as a PNG file in the group ``out`` (moved into place with the rest)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    out.write_bytes(path, buf.getvalue())


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def chart_waterfall(r: dict, path: Path, out: Outputs) -> None:
    """The chain of causes per coil handled (saving > 0: the automated cranes use less)."""
    plt = _plt()
    t = r["totals"]
    steps = r["waterfall"]
    labels = ["manual"] + [
        w["cause"].replace(" (", "\n(").replace(" and ", "\nand ") for w in steps
    ]
    labels.append("automated")
    fig, ax = plt.subplots(figsize=(11, 4.8))
    level = t["manual_kwh_per_coil"]
    ax.bar(0, level, color="#777777")
    ax.text(0, level, f"{level:.3f}", ha="center", va="bottom", fontsize=9)
    for i, w in enumerate(steps, start=1):
        s = w["saving_kwh_per_coil"]
        bottom = level - s if s >= 0 else level
        ax.bar(i, abs(s), bottom=bottom, color="#2E8B57" if s >= 0 else "#B22222")
        word = "saves" if s >= 0 else "costs"
        ax.text(
            i,
            level + max(0.0, -s),
            f"{word} {abs(s):.3f}\n({abs(w['saving_pct_of_manual']):.1f}%)",
            ha="center",
            va="bottom",
            fontsize=8,
        )
        level -= s
    n = len(steps) + 1
    ax.bar(n, t["automated_kwh_per_coil"], color="#1F4E79")
    ax.text(
        n,
        t["automated_kwh_per_coil"],
        f"{t['automated_kwh_per_coil']:.3f}",
        ha="center",
        va="bottom",
        fontsize=9,
    )
    claim = r["claim_saving_pct"]
    ax.axhline(t["manual_kwh_per_coil"] * (1 - claim / 100), color="k", ls="--", lw=1)
    ax.text(
        -0.45,
        t["manual_kwh_per_coil"] * (1 - claim / 100),
        f"{claim:g}% less than manual",
        va="bottom",
        fontsize=8,
    )
    ax.set_xticks(range(n + 1), labels, fontsize=8)
    ax.set_ylabel("kWh per coil handled (feeder meter)")
    ax.set_title(
        f"Crane energy per coil, manual to automated, scenario values "
        f"(green: saves, red: costs; mean of {r['replications']} replications)"
    )
    ax.set_ylim(0, t["manual_kwh_per_coil"] * 1.2)
    _save(fig, path, out)
    plt.close(fig)


def chart_sensitivity(r: dict, path: Path, out: Outputs) -> None:
    """Total and first-order Sobol indices of both readings."""
    plt = _plt()
    u = r["uncertainty"]["assumptions"]
    sf, sm = r["readings"]["feeder"]["sensitivity"], r["readings"]["motion"]["sensitivity"]
    names = sorted(sf, key=lambda n: sf[n]["ST"] + sm[n]["ST"])
    label = {a["name"]: a["label"] for a in u}
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.38 * len(names) + 1.6), sharey=True)
    for ax, (title, key) in zip(
        axes, (("feeder meter", "feeder"), ("drive and motion energy", "motion"))
    ):
        sens = sf if key == "feeder" else sm
        ys = np.arange(len(names))
        ax.barh(
            ys + 0.2,
            [max(sens[n]["ST"], 0.0) for n in names],
            0.4,
            color="#1F4E79",
            label="total (ST)",
        )
        ax.barh(
            ys - 0.2,
            [max(sens[n]["S1"], 0.0) for n in names],
            0.4,
            color="#8FB3D9",
            label="first order (S1)",
        )
        ax.set_title(
            f"{title}: P(saving > {r['claim_saving_pct']:g}%) = "
            f"{r['readings'][key]['p_claim']:.2f}",
            fontsize=9,
        )
        ax.set_xlim(0, 1.05)
        ax.set_xlabel("share of the saving's variance over the assumptions")
    axes[0].set_yticks(range(len(names)), [label[n] for n in names], fontsize=8)
    axes[1].legend(fontsize=8, loc="lower right")
    fig.suptitle("Which assumption decides the saving (Sobol indices)", fontsize=10)
    _save(fig, path, out)
    plt.close(fig)


def chart_distribution(r: dict, path: Path, out: Outputs) -> None:
    """Assumption uncertainty (5th-95th percentile over the joint samples) beside simulation
    noise (95% CI over the replications at the scenario's values), both readings."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 2.6))
    for i, name in enumerate(("feeder", "motion")):
        d = r["readings"][name]["distribution"]
        ax.plot([d["p05"], d["p95"]], [i, i], color="#1F4E79", lw=6, solid_capstyle="butt")
        ax.plot([d["p50"]], [i], "o", color="white", mec="#1F4E79")
        lo, hi = r["readings"][name]["saving_pct_ci95"]
        ax.plot([lo, hi], [i + 0.25, i + 0.25], color="#DD8452", lw=3)
    ax.axvline(r["claim_saving_pct"], color="r", ls="--", lw=1)
    ax.set_yticks([0, 1], ["feeder meter", "drive and motion"])
    ax.set_xlabel(
        "saving, % of manual energy (blue: 5th-95th percentile over the assumptions; "
        "orange: 95% CI at the scenario's values)",
        fontsize=8,
    )
    ax.set_ylim(-0.5, 1.6)
    _save(fig, path, out)
    plt.close(fig)


def chart_per_lift(r: dict, path: Path, out: Outputs) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    modes = ("manual", "automated")
    for i, m in enumerate(modes):
        lifts = r["kpis"][m]["lifts"]
        bottom = 0.0
        for key in (*AXES, "standby", "cab"):
            v = r["axis_split_kwh"][m][key]
            v = (v["net"] if isinstance(v, dict) else v) / max(lifts, 1)
            ax.bar(i, v, bottom=bottom, color=COLORS[key], label=key if i == 0 else None)
            bottom += v
        ax.text(i, bottom, f"{bottom:.2f}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(2), modes)
    ax.set_ylabel("kWh per lift")
    ax.set_title("Energy per lift (motion by axis, and standby)")
    ax.legend(fontsize=8)
    _save(fig, path, out)
    plt.close(fig)


def chart_axis_split(r: dict, path: Path, out: Outputs) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    modes = ("manual", "automated")
    width = 0.38
    keys = (*AXES, "standby", "cab")
    for i, m in enumerate(modes):
        vals = []
        for key in keys:
            v = r["axis_split_kwh"][m][key]
            vals.append(v["net"] if isinstance(v, dict) else v)
        xs = [k + (i - 0.5) * width for k in range(len(keys))]
        ax.bar(xs, vals, width, label=m, color="#777777" if m == "manual" else "#1F4E79")
        for x, v in zip(xs, vals):
            ax.text(x, v, f"{v:.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(keys)), keys)
    ax.set_ylabel("kWh per replication")
    ax.set_title("Energy by axis and standby")
    ax.legend(fontsize=8)
    _save(fig, path, out)
    plt.close(fig)


def _f(x: float, nd: int = 1) -> str:
    return "n/a" if x is None else f"{x:,.{nd}f}"


def _be_text(a: dict, be: dict) -> str:
    from cranesim.studies.verdict import pct_words

    if "claim_holds_with" in be:
        at = "; ".join(f"{str(o).replace('_', ' ')}: {pct_words(v)}" for o, v in be["at"].items())
        return at
    if be["value"] is None and abs(be["at"]["low"] - be["at"]["high"]) < 0.05:
        return "no effect on this reading"
    if be["value"] is None:
        return f"none in range ({pct_words(be['at']['low'])} to {pct_words(be['at']['high'])})"
    return f"{be['value']:.3g} {a['unit']}".strip() + f" (the claim holds {be['claim_holds']})"


def render_markdown(r: dict, charts: dict[str, str]) -> str:
    """The report page (Markdown) for a comparison result and its chart file names."""
    from cranesim.studies.verdict import pct_words

    t = r["totals"]
    claim = r["claim_saving_pct"]
    L = [f"# Crane energy: automated vs manual operation — {r['scenario']}\n"]
    L.append(
        f"**Claim tested:** automating the overhead cranes cuts their energy use by more than "
        f"{claim:g}%. Sign convention: a saving is (manual - automated) / manual, positive "
        "when the automated cranes use less.\n"
    )
    L.append("## Verdicts\n")
    L.append(
        "| reading | verdict | saving at the scenario's values (95% CI, simulation noise) | "
        f"P(saving > {claim:g}%) over the assumptions | decided by |"
    )
    L.append("| --- | --- | --- | ---: | --- |")
    labels = {a["name"]: a for a in r["uncertainty"]["assumptions"]}
    for name, title in (
        ("feeder", "crane feeder meter (motion + standby + cab)"),
        ("motion", "drive and motion energy (what the plant credits)"),
    ):
        rd = r["readings"][name]
        lo, hi = rd["saving_pct_ci95"]
        dec = labels.get(rd["decided_by"], {}).get("label", "-") if rd["decided_by"] else "-"
        L.append(
            f"| {title} | **{rd['verdict']}** | {pct_words(rd['saving_pct_mean'])} "
            f"({pct_words(lo)} to {pct_words(hi)}) | {rd['p_claim']:.2f} | {dec} |"
        )
    L.append("")
    for text in r["headline"]:
        L.append(f"- {text}")
    L.append(f"- {r['baseline_note']}")
    if r.get("calibration"):
        L.append(f"- {r['calibration']['text']}")
    L.append("")
    if r["uncertainty"]["assumptions"]:
        L.append("## Break-even per assumption (others at the scenario's values)\n")
        L.append(
            "| assumption | range (source) | scenario value | feeder: break-even | "
            "feeder ST | motion: break-even | motion ST |"
        )
        L.append("| --- | --- | --- | --- | ---: | --- | ---: |")
        sf, sm = r["readings"]["feeder"]["sensitivity"], r["readings"]["motion"]["sensitivity"]
        for n in sorted(sf, key=lambda k: -sf[k]["ST"]):
            a = labels[n]
            dist = a["distribution"]
            rng = (
                ", ".join(
                    f"{o.replace('_', ' ')} {w:g}" for o, w in zip(dist["options"], dist["weights"])
                )
                if "options" in dist
                else f"{dist['low']:g}-{dist['high']:g} {a['unit']}".strip()
            )
            nom = str(a["nominal"]).replace("_", " ")
            L.append(
                f"| {a['label']} | {rng} ({dist['source']}) | {nom} | "
                f"{_be_text(a, sf[n]['breakeven'])} | {sf[n]['ST']:.2f} | "
                f"{_be_text(a, sm[n]['breakeven'])} | {sm[n]['ST']:.2f} |"
            )
        L.append("")
        L.append(f"![sensitivity]({charts['sensitivity']})\n")
        L.append(f"![distribution]({charts['distribution']})\n")
        for name in ("feeder", "motion"):
            jr = r["readings"][name].get("joint_region")
            if not jr:
                continue
            ax, ay = labels[jr["x"]], labels[jr["y"]]
            L.append(
                f"Joint region ({name} reading): break-even of the {ax['label']} along the "
                f"{ay['label']} (others nominal), and P(claim) of the joint samples there:\n"
            )
            L.append(f"| {ay['label']} | break-even {ax['label']} | P(claim), joint samples |")
            L.append("| --- | --- | ---: |")
            for c in jr["curve"]:
                y = str(c["y"]).replace("_", " ") if isinstance(c["y"], str) else f"{c['y']:.3g}"
                x = (
                    f"{c['x_breakeven']:.3g} {ax['unit']} (holds {c['claim_holds']})".strip()
                    if c["x_breakeven"] is not None
                    else f"none ({pct_words(c['saving_at_x_low'])} to {pct_words(c['saving_at_x_high'])})"
                )
                p = "-" if c["p_claim_joint"] is None else f"{c['p_claim_joint']:.2f}"
                L.append(f"| {y} | {x} | {p} |")
            L.append("")
        emu = r["uncertainty"].get("behaviour_emulator")
        if emu:
            L.append(
                f"Driver assumptions: {emu['runs']} manual runs at a Latin hypercube of them, "
                f"emulated in between (leave-one-out error {emu['loo_rmse_pct']:.1f}% of "
                f"manual motion energy).\n"
            )
    L.append("## Key numbers (scenario values)\n")
    L.append("| | manual | automated |")
    L.append("| --- | ---: | ---: |")
    L.append(
        f"| drives | {', '.join(r['drives']['manual'])} | {', '.join(r['drives']['automated'])} |"
    )
    L.append(
        f"| energy per {r['hours']:g} h, kWh | {_f(t['manual_kwh'], 0)} | {_f(t['automated_kwh'], 0)} |"
    )
    L.append(
        f"| of which crane motion | {_f(t['manual_motion_kwh'], 0)} | {_f(t['automated_motion_kwh'], 0)} |"
    )
    L.append(
        f"| of which standby (controls, lights, sensors) | {_f(t['manual_standby_kwh'], 0)} | "
        f"{_f(t['automated_standby_kwh'], 0)} |"
    )
    L.append(
        f"| of which cab air conditioning (driver aboard {100 * t['manual_staffed_share']:.0f}% "
        f"of the time) | {_f(t['manual_cab_kwh'], 0)} | 0 |"
    )
    L.append(
        f"| energy per coil handled, kWh | {_f(t['manual_kwh_per_coil'], 3)} | "
        f"{_f(t['automated_kwh_per_coil'], 3)} |"
    )
    km, ka = r["kpis"]["manual"], r["kpis"]["automated"]
    # utilisation is a fraction in the JSON, a percentage wherever it is printed (as cranesim run)
    km, ka = ({**k, "crane_utilization_pct": 100.0 * k["crane_utilization_mean"]} for k in (km, ka))
    for key, label, nd in (
        ("lifts_per_hour", "lifts per hour", 1),
        ("coils_in", "coils in", 0),
        ("coils_out", "coils out (to trucks)", 0),
        ("relocations", "relocations", 0),
        ("empty_travel_m_per_lift", "empty travel per lift, m", 1),
        ("crane_utilization_pct", "crane utilisation (mean), %", 0),
        ("mill_blocked_min", "mill blocked, min", 1),
        ("truck_wait_mean_min", "truck wait for a bay (mean), min", 1),
        ("truck_turnaround_mean_min", "truck turnaround (mean), min", 1),
    ):
        L.append(f"| {label} | {_f(km[key], nd)} | {_f(ka[key], nd)} |")
    L.append("")
    L.append("## Where the difference comes from, per coil handled\n")
    L.append(f"![chain]({charts['waterfall']})\n")
    L.append("| cause | saving, kWh per coil | 95% CI | % of manual per coil |")
    L.append("| --- | ---: | ---: | ---: |")
    for w in r["waterfall"]:
        lo, hi = w["saving_kwh_per_coil_ci95"]
        L.append(
            f"| {w['cause']} | {w['saving_kwh_per_coil']:.4f} | {lo:.4f} to {hi:.4f} | "
            f"{w['saving_pct_of_manual']:.1f}% |"
        )
    L.append("")
    L.append(
        f"Method: {r['waterfall_method']}. A negative saving is a cost. The order is the one "
        "stated; another order would share the same total differently. Each axis is priced "
        "on its own moves, so a step's figure belongs to the moves that step changed.\n"
    )
    L.append("## Energy by axis and per lift\n")
    L.append(f"![axis split]({charts['axis_split']})\n")
    L.append(f"![energy per lift]({charts['per_lift']})\n")
    L.append("## Starts and stops\n")
    L.append("Each start of an axis is also a stop. Starts per lift:\n")
    L.append("| axis | manual | of which jogs | of which counter-sway | automated |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    sp, tag = r["starts_per_lift"], r["starts_per_lift_by_purpose"]
    for ax in AXES:
        L.append(
            f"| {ax} | {sp['manual'][ax]:.2f} | {tag['manual'][ax]['jog']:.2f} | "
            f"{tag['manual'][ax]['counter']:.2f} | {sp['automated'][ax]:.2f} |"
        )
    op = r["operator"]["manual"]
    L.append("")
    L.append(
        f"The modelled driver waits {op['sway_settle_s_per_lift']:.1f} s per lift for the "
        f"swing to decay ({op['jog_settle_s_per_lift']:.1f} s of it for the swing his creep "
        f"jogs left), counters it for {op['counter_sway_s_per_lift']:.1f} s and reacts for "
        f"{op['reaction_s_per_lift']:.1f} s.\n"
    )
    L.append("## How this was computed\n")
    L.append(
        "- Both modes simulate the same warehouse with the same mill and truck random streams "
        "(replication *r* uses seed *S + r*; the driver has a random stream of his own); the "
        "95% intervals are over these paired replications: simulation noise only."
    )
    L.append(
        "- The assumptions' ranges (scenario section `[uncertainty]`, each with its source) are "
        "sampled jointly (scrambled Sobol points); energy assumptions price the recorded moves "
        "again, driver assumptions run the manual baseline again at a Latin hypercube of them. "
        "P(claim) is the share of joint samples whose saving exceeds the claim; the Sobol "
        "indices (SALib) split the saving's variance between the assumptions."
    )
    L.append(
        "- Each move is priced from its speed profile: rolling resistance with breakaway, "
        "acceleration with rotating masses, hoisting against gravity, braking energy lost or "
        "returned (after losses), wound-rotor slip losses against the synchronous speed "
        "(starts, creep jogs, counter-torque lowering), brake release and magnetising."
    )
    L.append("")
    cfg = r["config"] if r["config"] and not r["config"].startswith("(") else ""
    cmd = (
        f"cranesim compare {cfg} --replications {r['replications']} --hours {r['hours']:g} "
        f"--seed {r['seed']} --report DIR"
    ).replace("  ", " ")
    L.append(
        f"Reproduce: `{cmd}` (cranesim {r['version']}, {r['core']} scheduler; "
        f"{r['wall_s']:.0f} s wall).\n"
    )
    return "\n".join(L)


def write_report(
    r: dict[str, Any], out_dir: str | os.PathLike[str], outputs: Outputs | None = None
) -> Path:
    """Write report.md and its PNG charts to ``out_dir``; returns the path of report.md.

    All files appear together or none (a failure leaves the directory as it was); with
    ``outputs`` they join that group instead, to be committed with the command's other outputs.
    """
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    charts = {"waterfall": "chain_per_coil.png", "axis_split": "axis_split.png",
              "per_lift": "energy_per_lift.png"}  # fmt: skip
    with joined(outputs) as out:
        chart_waterfall(r, d / charts["waterfall"], out)
        chart_axis_split(r, d / charts["axis_split"], out)
        chart_per_lift(r, d / charts["per_lift"], out)
        if r["uncertainty"]["assumptions"]:
            charts["sensitivity"] = "sensitivity.png"
            charts["distribution"] = "distribution.png"
            chart_sensitivity(r, d / charts["sensitivity"], out)
            chart_distribution(r, d / charts["distribution"], out)
        md = d / "report.md"
        out.write_bytes(md, render_markdown(r, charts).encode("utf-8"))
    return md
