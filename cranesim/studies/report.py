"""The ``cranesim compare --report DIR`` page: report.md with PNG charts, for a plant manager.

Everything is drawn from the comparison's JSON result (:func:`cranesim.studies.compare.compare`), so a
report can be rebuilt from a saved ``--json`` file with :func:`write_report`.  Files are written
atomically (temporary file + rename).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from cranesim.record.atomic import atomic_write_bytes, atomic_write_text

__all__ = ["write_report", "render_markdown"]

AXES = ("bridge", "trolley", "hoist")
COLORS = {"bridge": "#4C72B0", "trolley": "#55A868", "hoist": "#C44E52", "standby": "#8172B2"}


def _save(fig, path: Path) -> None:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    atomic_write_bytes(path, buf.getvalue())


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def chart_waterfall(r: dict, path: Path) -> None:
    plt = _plt()
    t = r["totals"]
    labels = ["manual"] + [w["cause"].replace(" (", "\n(").replace(" and ", "\nand ") for w in r["waterfall"]]
    labels.append("automated")
    fig, ax = plt.subplots(figsize=(10, 4.8))
    level = t["manual_kwh"]
    ax.bar(0, level, color="#777777")
    ax.text(0, level, f"{level:.0f}", ha="center", va="bottom", fontsize=9)
    for i, w in enumerate(r["waterfall"], start=1):
        s = w["saving_kwh"]
        bottom = level - s if s >= 0 else level
        ax.bar(i, abs(s), bottom=bottom, color="#2E8B57" if s >= 0 else "#B22222")
        ax.text(i, level + max(0.0, -s), f"{-s:+.0f} kWh\n({-w['saving_pct_of_manual']:+.1f}%)",
                ha="center", va="bottom", fontsize=8)
        level -= s
    n = len(r["waterfall"]) + 1
    ax.bar(n, t["automated_kwh"], color="#1F4E79")
    ax.text(n, t["automated_kwh"], f"{t['automated_kwh']:.0f}", ha="center", va="bottom", fontsize=9)
    claim = r["claim_saving_pct"]
    ax.axhline(t["manual_kwh"] * (1 - claim / 100), color="k", ls="--", lw=1)
    ax.text(-0.45, t["manual_kwh"] * (1 - claim / 100), f"claim: -{claim:g}%", va="bottom", fontsize=8)
    ax.set_xticks(range(n + 1), labels, fontsize=8)
    ax.set_ylabel("kWh per replication")
    ax.set_title(f"Crane energy, manual to automated, {r['hours']:g} h (mean of {r['replications']} replications)")
    ax.set_ylim(0, t["manual_kwh"] * 1.15)
    _save(fig, path)
    plt.close(fig)


def chart_tornado(r: dict, path: Path) -> None:
    plt = _plt()
    rows = r["sensitivity"][::-1]
    base = r["saving_pct_mean"]
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.5))
    for i, d in enumerate(rows):
        lo, hi = d["at_low"]["saving_pct_mean"], d["at_high"]["saving_pct_mean"]
        ax.barh(i, lo - base, left=base, color="#4C72B0", height=0.6)
        ax.barh(i, hi - base, left=base, color="#DD8452", height=0.6)
        ax.text(min(lo, hi) - 0.3, i, f"{d['low'] if lo < hi else d['high']}", ha="right", va="center", fontsize=7)
        ax.text(max(lo, hi) + 0.3, i, f"{d['high'] if lo < hi else d['low']}", ha="left", va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), [d["label"] for d in rows], fontsize=8)
    ax.axvline(base, color="k", lw=1)
    ax.axvline(r["claim_saving_pct"], color="r", ls="--", lw=1, label=f"claim {r['claim_saving_pct']:g}%")
    ax.set_xlabel("mean energy saving, % (blue: low end of range, orange: high end)")
    ax.set_title("Sensitivity of the saving to uncertain parameters")
    lo_all = min(min(d["at_low"]["saving_pct_mean"], d["at_high"]["saving_pct_mean"]) for d in rows)
    hi_all = max(max(d["at_low"]["saving_pct_mean"], d["at_high"]["saving_pct_mean"]) for d in rows)
    pad = max(4.0, 0.25 * (hi_all - lo_all))
    ax.set_xlim(min(lo_all, r["claim_saving_pct"]) - pad, max(hi_all, r["claim_saving_pct"]) + pad)
    ax.legend(loc="lower right", fontsize=8)
    _save(fig, path)
    plt.close(fig)


def chart_per_lift(r: dict, path: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    modes = ("manual", "automated")
    for i, m in enumerate(modes):
        lifts = r["kpis"][m]["lifts"]
        bottom = 0.0
        for key in (*AXES, "standby"):
            v = r["axis_split_kwh"][m][key]
            v = (v["net"] if isinstance(v, dict) else v) / max(lifts, 1)
            ax.bar(i, v, bottom=bottom, color=COLORS[key], label=key if i == 0 else None)
            bottom += v
        ax.text(i, bottom, f"{bottom:.2f}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(2), modes)
    ax.set_ylabel("kWh per lift")
    ax.set_title("Energy per lift (motion by axis, and standby)")
    ax.legend(fontsize=8)
    _save(fig, path)
    plt.close(fig)


def chart_axis_split(r: dict, path: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    modes = ("manual", "automated")
    width = 0.38
    keys = (*AXES, "standby")
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
    _save(fig, path)
    plt.close(fig)


def _f(x: float, nd: int = 1) -> str:
    return "n/a" if x is None else f"{x:,.{nd}f}"


def render_markdown(r: dict, charts: dict[str, str]) -> str:
    """The report page (Markdown) for a comparison result and its chart file names."""
    t = r["totals"]
    lo, hi = r["saving_pct_ci95"]
    L = []
    L.append(f"# Crane energy: automated vs manual operation — {r['scenario']}\n")
    L.append(f"**Claim tested:** automating the overhead cranes cuts their energy use by more than "
             f"{r['claim_saving_pct']:g}%.\n")
    L.append(f"**Verdict: {r['verdict']}.** {r['verdict_text']}\n")
    L.append("What the result hinges on:\n")
    for h in r["hinges_on"]:
        L.append(f"- {h}")
    L.append("")
    L.append("## Key numbers\n")
    L.append("| | manual | automated |")
    L.append("| --- | ---: | ---: |")
    L.append(f"| drives | {', '.join(r['drives']['manual'])} | {', '.join(r['drives']['automated'])} |")
    L.append(f"| energy per {r['hours']:g} h, kWh | {_f(t['manual_kwh'], 0)} | {_f(t['automated_kwh'], 0)} |")
    L.append(f"| of which crane motion, kWh | {_f(t['manual_motion_kwh'], 0)} | {_f(t['automated_motion_kwh'], 0)} |")
    L.append(f"| of which standby (controls, lights, cab), kWh | {_f(t['manual_standby_kwh'], 0)} | "
             f"{_f(t['automated_standby_kwh'], 0)} |")
    for key, label in (("total_kwh_per_lift", "energy per lift, kWh"),
                       ("motion_kwh_per_lift", "motion energy per lift, kWh")):
        L.append(f"| {label} | {_f(r['energy_per_lift']['manual'][key], 3)} | "
                 f"{_f(r['energy_per_lift']['automated'][key], 3)} |")
    km, ka = r["kpis"]["manual"], r["kpis"]["automated"]
    for key, label, nd in (("lifts_per_hour", "lifts per hour", 1), ("coils_in", "coils in", 0),
                           ("coils_out", "coils out (to trucks)", 0), ("relocations", "relocations", 0),
                           ("empty_travel_m_per_lift", "empty travel per lift, m", 1),
                           ("crane_utilization_mean", "crane utilisation (mean)", 2),
                           ("mill_blocked_min", "mill blocked, min", 1),
                           ("truck_wait_mean_min", "truck wait for a bay (mean), min", 1),
                           ("truck_turnaround_mean_min", "truck turnaround (mean), min", 1)):
        L.append(f"| {label} | {_f(km[key], nd)} | {_f(ka[key], nd)} |")
    L.append("")
    L.append(f"Saving: **{r['saving_pct_mean']:.1f}%** (95% confidence interval {lo:.1f}% to {hi:.1f}%, "
             f"t-distribution over {r['replications']} paired replications, seeds "
             f"{r['seeds'][0]}–{r['seeds'][-1]}). Per replication: "
             + ", ".join(f"{s:.1f}%" for s in r["saving_pct_per_replication"]) + ".\n")
    o = r["other_savings_pct"]
    L.append("| other views of the saving | mean | 95% CI |")
    L.append("| --- | ---: | ---: |")
    for key, label in (("motion_only", "crane motion only (no standby)"),
                       ("without_standby_change", "all causes but standby"),
                       ("same_drives_in_both_modes", "if the manual cranes had the automated drives"),
                       ("per_coil_handled", "per coil handled"),
                       ("motion_per_lift", "crane motion per lift")):
        L.append(f"| {label} | {o[key]['mean']:.1f}% | {o[key]['ci95'][0]:.1f}% to {o[key]['ci95'][1]:.1f}% |")
    L.append("")
    L.append("## Where the saving comes from\n")
    L.append(f"![waterfall]({charts['waterfall']})\n")
    L.append("| cause | saving, kWh | 95% CI | % of manual |")
    L.append("| --- | ---: | ---: | ---: |")
    for w in r["waterfall"]:
        L.append(f"| {w['cause']} | {w['saving_kwh']:.1f} | {w['saving_kwh_ci95'][0]:.1f} to "
                 f"{w['saving_kwh_ci95'][1]:.1f} | {w['saving_pct_of_manual']:.1f}% |")
    L.append("")
    L.append(f"Method: {r['waterfall_method']}. The order is the one stated; another order would "
             "give the causes different shares of the same total.\n")
    wpc = r.get("waterfall_per_coil")
    if wpc:
        L.append(f"The same chain per coil handled (in + out) by each run, which compares like with "
                 f"like when the runs move different numbers of coils: manual "
                 f"{wpc['manual_kwh_per_coil']:.3f} kWh per coil, automated "
                 f"{wpc['automated_kwh_per_coil']:.3f} kWh per coil.\n")
        L.append("| cause | saving, kWh per coil | % of manual |")
        L.append("| --- | ---: | ---: |")
        for w in wpc["steps"]:
            L.append(f"| {w['cause']} | {w['saving_kwh_per_coil']:.4f} | {w['saving_pct_of_manual']:.1f}% |")
        L.append("")
    L.append("## Energy by axis and per lift\n")
    L.append(f"![axis split]({charts['axis_split']})\n")
    L.append(f"![energy per lift]({charts['per_lift']})\n")
    L.append("| axis | manual, kWh | automated, kWh |")
    L.append("| --- | ---: | ---: |")
    for ax in AXES:
        L.append(f"| {ax} | {r['axis_split_kwh']['manual'][ax]['net']:.1f} | "
                 f"{r['axis_split_kwh']['automated'][ax]['net']:.1f} |")
    L.append(f"| standby | {r['axis_split_kwh']['manual']['standby']:.1f} | "
             f"{r['axis_split_kwh']['automated']['standby']:.1f} |")
    L.append("")
    L.append("## Starts and stops\n")
    L.append("Each start of an axis is also a stop. Starts per lift:\n")
    L.append("| axis | manual | of which jogs | of which counter-sway | automated |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    sp, tag = r["starts_per_lift"], r["starts_per_lift_by_purpose"]
    for ax in AXES:
        L.append(f"| {ax} | {sp['manual'][ax]:.2f} | {tag['manual'][ax]['jog']:.2f} | "
                 f"{tag['manual'][ax]['counter']:.2f} | {sp['automated'][ax]:.2f} |")
    op = r["operator"]["manual"]
    L.append("")
    L.append(f"The modelled driver spends {op['sway_settle_s_per_lift']:.1f} s per lift waiting for "
             f"the swing to decay and {op['counter_sway_s_per_lift']:.1f} s countering it, and "
             f"{op['reaction_s_per_lift']:.1f} s reacting; he reached the motors' switching ceiling "
             f"{op['switching_ceiling_hits']:.0f} times per run. The automated cranes waited "
             f"{r['operator']['automated']['sway_settle_s_per_lift']:.2f} s per lift for residual swing.\n")
    if r.get("sensitivity"):
        L.append("## Sensitivity\n")
        L.append(f"![tornado]({charts['tornado']})\n")
        L.append("| parameter | default | low end | saving | high end | saving |")
        L.append("| --- | --- | --- | ---: | --- | ---: |")
        for d in r["sensitivity"]:
            L.append(f"| {d['label']} | {d['base']} | {d['low']} | {d['at_low']['saving_pct_mean']:.1f}% | "
                     f"{d['high']} | {d['at_high']['saving_pct_mean']:.1f}% |")
        L.append("")
        L.append("Energy parameters re-price the same runs; driver parameters re-run the manual "
                 "baseline on the same seeds.\n")
    L.append("## How this was computed\n")
    L.append("- Both modes simulate the same warehouse with the same mill and truck random streams "
             "(replication *r* uses seed *S + r*; the driver has a random stream of his own).")
    L.append("- Each crane move is priced from its speed profile: rolling resistance with breakaway "
             "at each start, acceleration with rotating masses, hoisting against gravity, braking "
             "energy lost in resistors or returned, motor and drive efficiency, drive-specific "
             "start losses (rotor resistors burn about the kinetic energy at each start of a "
             "wound-rotor motor), brake release and magnetising at each start. Standby loads run "
             "all the time; the cab air conditioning whenever a driver is aboard.")
    L.append("- The manual driver drives one axis at a time at part speed, stops short and creeps "
             "in with micro-speed jogs, damps the swing by waiting or by counter-moves, takes "
             "breaks and hands over shifts; the jobs are taken first come, first served, each coil "
             "put on the nearest free place. The automated cranes move both axes together with "
             "anti-sway shaping and an optimising scheduler.")
    L.append("- Every default and its source is in the scenario file (sections `[energy]`, "
             "`[sway]`, `[manual]`).")
    L.append("")
    cfg = r["config"] if r["config"] and not r["config"].startswith("(") else ""
    cmd = (f"cranesim compare {cfg} --replications {r['replications']} --hours {r['hours']:g} "
           f"--seed {r['seed']}" + (" --sensitivity" if r.get("sensitivity") else "")
           + " --report DIR").replace("  ", " ")
    L.append(f"Reproduce: `{cmd}` (cranesim {r['version']}, {r['core']} scheduler; "
             f"{r['wall_s']:.0f} s wall).\n")
    return "\n".join(L)


def write_report(r: dict[str, Any], out_dir: str | os.PathLike[str]) -> Path:
    """Write report.md and its PNG charts to ``out_dir``; returns the path of report.md."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    charts = {"waterfall": "waterfall.png", "axis_split": "axis_split.png", "per_lift": "energy_per_lift.png"}
    chart_waterfall(r, d / charts["waterfall"])
    chart_axis_split(r, d / charts["axis_split"])
    chart_per_lift(r, d / charts["per_lift"])
    if r.get("sensitivity"):
        charts["tornado"] = "tornado.png"
        chart_tornado(r, d / charts["tornado"])
    md = d / "report.md"
    atomic_write_text(md, render_markdown(r, charts))
    return md
