"""What ``cranesim sweep`` prints and writes: the per-point table, the run and point tables
(CSV or Parquet) and a chart per KPI against each varied key.

Files are written atomically (:mod:`cranesim.record.atomic`).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any, Sequence

from cranesim.record.atomic import Outputs, joined, json_bytes

__all__ = ["points_text", "write_tables", "write_plots", "write_sweep"]


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        return f"{v:.4g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"
    return str(v)


def points_text(result: dict[str, Any], kpis: Sequence[str]) -> str:
    """The per-point table: factor values, then each KPI as ``mean ± half-width`` (95%); then
    each point's difference from the first, paired by seed."""
    keys = result["factors"]
    pts = result["points"]
    blocks = [_table(pts, keys, kpis, "mean", "ci95")]
    if len(pts) > 1:
        blocks.append("difference from the first point, paired by seed:")
        blocks.append(_table(pts[1:], keys, kpis, "diff", "diff_ci95", sign=True))
    n = result["replications"]
    blocks.append(
        f"{len(pts)} points x {n} replications of {result['hours']:g} h, seeds "
        f"{result['seeds'][0]}..{result['seeds'][-1]} at every point (common random numbers); "
        "± is the half-width of the 95% t-interval over the replications"
    )
    return "\n".join(blocks)


def _table(pts: list[dict], keys: Sequence[str], kpis: Sequence[str], mean: str, half: str,
           sign: bool = False) -> str:  # fmt: skip
    head = [*keys, *kpis]
    rows = []
    for p in pts:
        cells = [_fmt(p[k]) for k in keys]
        for k in kpis:
            m, h = p.get(f"{k}_{mean}"), p.get(f"{k}_{half}")
            text = _fmt(m)
            if sign and isinstance(m, (int, float)) and m > 0:
                text = "+" + text
            cells.append(text + ("" if h is None else f" ± {_fmt(h)}"))
        rows.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        cols.update(dict.fromkeys(r))
    return list(cols)


def _write_table(rows: list[dict[str, Any]], path: Path, out: Outputs) -> None:
    cols = _columns(rows)
    if path.suffix == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r.get(c) is None else _cell(r.get(c)) for c in cols])
        out.write_bytes(path, buf.getvalue().encode("utf-8"))
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows])
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    out.write_bytes(path, buf.getvalue())


def _cell(v: Any) -> Any:
    return repr(v) if isinstance(v, float) else v


def write_tables(
    result: dict[str, Any], out: Path, fmt: str = "csv", outputs: Outputs | None = None
) -> list[Path]:
    """``runs.FMT`` (one row per run), ``points.FMT`` (one row per point) and ``sweep.json``
    (the settings: factors, design, replications, hours, seeds, crew, scenario); together or
    none, or in the group ``outputs`` (committed by the caller)."""
    paths = [out / f"runs.{fmt}", out / f"points.{fmt}", out / "sweep.json"]
    with joined(outputs) as group:
        _write_table(result["runs"], paths[0], group)
        _write_table(result["points"], paths[1], group)
        meta = {k: v for k, v in result.items() if k not in ("runs", "points")}
        group.write_bytes(paths[2], json_bytes(meta))
    return paths


def write_plots(
    result: dict[str, Any], out: Path, kpis: Sequence[str], outputs: Outputs | None = None
) -> list[Path]:
    """One PNG per KPI and varied key, ``KPI__KEY.png``: every run (dots), each point's mean
    with its 95% interval; on a grid of several keys, one line per combination of the others.
    All of them or none (or in the group ``outputs``, committed by the caller)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    keys = result["factors"]
    grid = result["design"] == "grid"
    paths = []
    with joined(outputs) as group:
        for kpi in kpis:
            for key in keys:
                if not all(isinstance(p[key], (int, float)) for p in result["points"]):
                    continue  # a categorical key: the table says it
                path = out / f"{kpi}__{key.replace('[', '_').replace(']', '')}.png"
                group.write_bytes(path, _plot(plt, result, kpi, key, keys, grid))
                paths.append(path)
    return paths


def _plot(plt: Any, result: dict[str, Any], kpi: str, key: str, keys: Sequence[str],
          grid: bool) -> bytes:  # fmt: skip
    """The PNG of ``kpi`` against ``key``."""
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=110)
    try:
        others = [k for k in keys if k != key]
        groups: dict[tuple, list[dict]] = {}
        for p in result["points"]:
            groups.setdefault(tuple(p[k] for k in others) if grid else (), []).append(p)
        for label, pts in groups.items():
            pts = sorted(pts, key=lambda p: p[key])
            x = [p[key] for p in pts]
            y = [p.get(f"{kpi}_mean") for p in pts]
            err = [p.get(f"{kpi}_ci95") or 0.0 for p in pts]
            name = ", ".join(f"{k}={_fmt(v)}" for k, v in zip(others, label)) or "mean"
            ax.errorbar(x, y, yerr=err, fmt="-o" if grid else "o", capsize=3, label=name)
        runs = result["runs"]
        ax.plot([r[key] for r in runs], [r.get(kpi) for r in runs], ".", color="0.6",
                alpha=0.6, label="runs")  # fmt: skip
        ax.set_xlabel(key)
        ax.set_ylabel(kpi)
        ax.set_title(f"{kpi} against {key} ({result['scenario']})", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)


def write_sweep(
    result: dict[str, Any],
    out: Path,
    kpis: Sequence[str],
    fmt: str = "csv",
    outputs: Outputs | None = None,
) -> list[Path]:
    """The tables and the plots into the directory ``out``: all of them or none (or in the
    group ``outputs``, committed by the caller with its other files)."""
    with joined(outputs) as group:
        return write_tables(result, out, fmt, group) + write_plots(result, out, kpis, group)
