"""The ``cranesim validate-moves`` outputs: a summary for the terminal, and a report page
(report.md with PNG charts), both from the result of :func:`cranesim.studies.moves.compare_moves`.
Files are written atomically and together (:class:`cranesim.record.atomic.Outputs`)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from cranesim.record.atomic import Outputs, joined
from cranesim.studies.report import _plt, _save  # the compare report's chart helpers

__all__ = ["summary_text", "render_markdown", "write_moves_report"]

SIM, REC = "#1F4E79", "#DD8452"


def _num(v: float, fmt: str = ".1f") -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, fmt)


def _p(p: float) -> str:
    return "<1e-9" if p < 1e-9 else (f"{p:.2g}")


def _verdict(ks: dict | None, alpha: float = 0.01) -> str:
    if ks is None:
        return "too few lifts"
    return "differs" if ks["p"] < alpha else "agrees"


def _rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(quantity, simulated, recorded, KS) rows of the comparison table."""
    s, c, ks = r["simulated"], r["recorded"], r["ks"]
    rows = [("lifts per hour", _num(s["lifts_per_hour"], ".2f"), _num(c["lifts_per_hour"], ".2f"),
             _ks_text(ks["lifts_per_hour"], "hourly counts"))]  # fmt: skip
    for i, name in enumerate(r["cranes"]):
        rows.append((f"  {name}", _num(s["lifts_per_hour_by_crane"][i], ".2f"),
                     _num(c["lifts_per_hour_by_crane"][i], ".2f"), ""))  # fmt: skip
    for kind in ("store", "retrieve", "relocate"):
        a, b = s["kinds"][kind], c["kinds"][kind]
        rows.append(
            (f"{kind} cycle, s (quartiles; lifts)", _quart(a), _quart(b), _ks_text(ks[kind]))
        )
    rows.append(("empty travel per lift, m", _num(s["empty_m_mean"]), _num(c["empty_m_mean"]),
                 _ks_text(ks["empty_m"])))  # fmt: skip
    rows.append(
        ("loaded travel per lift, m", _num(s["loaded_m_mean"]), _num(c["loaded_m_mean"]), "")
    )
    rows.append(("relocations per 100 retrieves", _num(s["relocations_per_100_retrieves"], ".2f"),
                 _num(c["relocations_per_100_retrieves"], ".2f"), ""))  # fmt: skip
    return rows


def _quart(k: dict) -> str:
    if not k["cycle_s"]:
        return f"- ({k['lifts']})"
    q = k["cycle_s"]
    return f"{q[0]:.0f} / {q[1]:.0f} / {q[2]:.0f} ({k['lifts']})"


def _ks_text(ks: dict | None, what: str = "") -> str:
    if ks is None:
        return "-"
    return f"D {ks['D']:.3f}, p {_p(ks['p'])}: {_verdict(ks)}" + (f" ({what})" if what else "")


HINT_LABELS = {
    "fixed_s": "fixed time per lift, s (pick, place, accelerations)",
    "s_per_bridge_m": "bridge travel, s per m",
    "s_per_hoist_m": "hoisting, s per m of hoist travel",
}


def _hint_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(quantity, simulated, recorded, what it says) per regression coefficient."""
    out = []
    for h in r["hints"]:
        (bs, es), (br, er), (d, e) = h["simulated"], h["recorded"], h["difference"]
        fmt = ".1f" if h["key"] == "fixed_s" else ".3f"
        value, want = h.get("scenario_value"), h.get("suggested_value")
        reachable = (
            want is not None
            and want > 0
            and not (h.get("parameter", "").startswith("[manual] speed_fraction") and want > 1)
        )
        if not h["off"]:
            say = "agrees"
        elif not reachable:
            say = (f"OFF by {d:+.3g} ± {e:.2g}: no value of {h.get('parameter')} alone makes up "
                   "for it (for the manual crew: its jogs, waits for the swing, reaction times)")  # fmt: skip
        elif h["key"] == "fixed_s":
            say = (f"OFF by {d:+.1f} ± {e:.1f} s: {h['parameter']} is {value:g} s in the "
                   f"scenario, about {want:.0f} s in the records")  # fmt: skip
        else:
            say = (f"OFF, {(1 / h['speed_ratio'] - 1) * 100:+.0f}% time per m: {h['parameter']} "
                   f"is {value:g} in the scenario, about {want:.3g} in the records (or its "
                   "acceleration differs)")  # fmt: skip
        out.append(
            (HINT_LABELS[h["key"]], f"{bs:{fmt}} ± {es:{fmt}}", f"{br:{fmt}} ± {er:{fmt}}", say)
        )
    return out


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    w = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(v.ljust(w[i]) for i, v in enumerate(row)).rstrip() for row in rows]


def summary_text(r: dict[str, Any]) -> str:
    """The comparison as a table for the terminal."""
    s, c = r["simulated"], r["recorded"]
    lo, hi = r["window_h"]
    lines = [
        f"simulated: {s['source']}",
        f"recorded:  {c['source']}",
        f"compared over {lo:.1f}-{hi:.1f} h: {s['lifts']} simulated and {c['lifts']} recorded lifts",
        "",
    ]
    lines += _table([("", "simulated", "recorded", "two-sample KS")] + _rows(r))
    lines += [
        "",
        "calibration hints: cycle time = fixed + a x bridge m + b x hoist m (least squares, ± 95%)",
    ]
    hints = _hint_rows(r)
    lines += _table([("", "simulated", "recorded", "")] + hints) if hints else ["  too few lifts"]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- the page
def _ecdf(ax: Any, x: np.ndarray, color: str, label: str) -> None:
    if len(x):
        xs = np.sort(x)
        ax.step(xs, np.arange(1, len(xs) + 1) / len(xs), where="post", color=color,
                label=f"{label} ({len(xs)})", marker="o" if len(xs) < 20 else None)  # fmt: skip


def chart_cycles(r: dict[str, Any], path: Path, out: Outputs) -> None:
    """Cycle-time distributions per lift kind, simulated against recorded."""
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharey=True)
    for ax, kind in zip(axes, ("store", "retrieve", "relocate")):
        _ecdf(ax, r["simulated"]["_samples"]["cycle"][kind], SIM, "simulated")
        _ecdf(ax, r["recorded"]["_samples"]["cycle"][kind], REC, "recorded")
        ks = r["ks"][kind]
        ax.set_title(f"{kind}" + (f": KS D = {ks['D']:.2f}" if ks else ""), fontsize=10)
        ax.set_xlabel("cycle time, s (set off to set down)")
    axes[0].set_ylabel("share of lifts")
    axes[0].legend(fontsize=8, loc="lower right")
    _save(fig, path, out)
    plt.close(fig)


def chart_cranes(r: dict[str, Any], path: Path, out: Outputs) -> None:
    """Lifts per hour per crane, and the hourly counts."""
    plt = _plt()
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 3.6), gridspec_kw={"width_ratios": [1, 2]})
    xs = np.arange(len(r["cranes"]))
    a.bar(xs - 0.2, r["simulated"]["lifts_per_hour_by_crane"], 0.4, color=SIM, label="simulated")
    a.bar(xs + 0.2, r["recorded"]["lifts_per_hour_by_crane"], 0.4, color=REC, label="recorded")
    a.set_xticks(xs, r["cranes"])
    a.set_ylabel("lifts per hour")
    a.legend(fontsize=8)
    lo, _ = r["window_h"]
    for side, color in (("simulated", SIM), ("recorded", REC)):
        h = r[side]["_samples"]["hourly"]
        b.plot(lo + np.arange(len(h)) + 0.5, h, color=color, lw=0.8, label=side)
    b.set_xlabel("model hour")
    b.set_ylabel("lifts in the hour")
    _save(fig, path, out)
    plt.close(fig)


def chart_travel(r: dict[str, Any], path: Path, out: Outputs) -> None:
    """Empty travel per lift."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    _ecdf(ax, r["simulated"]["_samples"]["empty"], SIM, "simulated")
    _ecdf(ax, r["recorded"]["_samples"]["empty"], REC, "recorded")
    ax.set_xlabel("empty travel before a pick, m (bridge + trolley)")
    ax.set_ylabel("share of lifts")
    ax.legend(fontsize=8)
    _save(fig, path, out)
    plt.close(fig)


def render_markdown(r: dict[str, Any], charts: dict[str, str]) -> str:
    s, c = r["simulated"], r["recorded"]
    lo, hi = r["window_h"]
    out = [
        "# Simulated lifts against recorded lifts",
        "",
        f"- simulated: {s['source']}",
        f"- recorded: {c['source']}",
        f"- compared over model hours {lo:.1f}-{hi:.1f}: {s['lifts']} simulated and "
        f"{c['lifts']} recorded lifts (a lift counts in the hour its coil is set down)",
        "",
        "| | simulated | recorded | two-sample Kolmogorov-Smirnov |",
        "| --- | --- | --- | --- |",
    ]
    out += [f"| {a.strip()} | {b} | {cc} | {d} |" for a, b, cc, d in _rows(r)]
    out += [
        "",
        "'differs' when the KS test's p-value is below 0.01.  Cycle time: from the moment the "
        "crane sets off for the coil (or waits for the runway) to the coil set down.",
        "",
        "## Calibration hints",
        "",
        "On each side the cycle time is fitted as *fixed + a x bridge metres + b x hoist metres* "
        "(ordinary least squares; bridge metres: empty and loaded; hoist metres: down and up at "
        "both ends).  Where the recorded coefficient differs from the simulated one beyond the "
        "95% intervals, the scenario's parameter behind it is off:",
        "",
    ]
    out += ["| | simulated | recorded | |", "| --- | --- | --- | --- |"]
    out += [f"| {a} | {b} | {c2} | {d} |" for a, b, c2, d in _hint_rows(r)]
    out += ["", f"![cycle times]({charts['cycles']})", "", f"![lifts per crane]({charts['cranes']})",
            "", f"![empty travel]({charts['travel']})", "", "## Longest recorded lifts", "",
            "| cycle, s | coil | crane | set off at, h |", "| --- | --- | --- | --- |"]  # fmt: skip
    for cyc, coil, crane, t0 in c["_samples"]["longest"]:
        out.append(f"| {cyc:.0f} | {coil} | {r['cranes'][crane]} | {t0 / 3600:.2f} |")
    return "\n".join(out) + "\n"


def write_moves_report(
    r: dict[str, Any], out_dir: str | os.PathLike[str], outputs: Outputs | None = None
) -> Path:
    """Write report.md and its charts to ``out_dir``; returns the path of report.md.  All of
    them or none; with ``outputs`` they join that group (committed by the caller)."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    charts = {"cycles": "cycle_times.png", "cranes": "lifts_per_crane.png",
              "travel": "empty_travel.png"}  # fmt: skip
    with joined(outputs) as out:
        chart_cycles(r, d / charts["cycles"], out)
        chart_cranes(r, d / charts["cranes"], out)
        chart_travel(r, d / charts["travel"], out)
        md = d / "report.md"
        out.write_bytes(md, render_markdown(r, charts).encode("utf-8"))
    return md
