"""Benchmark: recorded demand of a year loads in seconds and memory stays flat (issue 18).

Usage::

    python benchmarks/bench_demand.py [--hours 8760] [--work DIR] [--json PATH]

Makes a week's, a quarter's and a year's demand of the default scenario (``cranesim run --no-energy
--export-demand``, CSV and Parquet; kept in ``--work`` for later runs), then measures, each in
a fresh Python process (its wall time and peak resident memory, ``ru_maxrss``):

* ``import``: cranesim imported, the default scenario loaded and laid out (the floor);
* ``check``: every row of every file read and checked (``check_demand``: what ``cranesim
  validate --demand`` and every command that runs the model do first);
* ``run``: the model run from the records for their whole span (plain moves, no energy, no
  trace), beside the same run from the generators.

Memory is flat when the year's peaks stay at the quarter's (a week fits in one batch of rows, so
it shows the floor below a full batch).  Not a test: figures depend on the
machine and its load.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from cranesim.scenario.load import load_config
from cranesim.scenario.layout import build_layout
what, folder, hours = sys.argv[1], sys.argv[2], float(sys.argv[3])
sc = load_config()
out = {}
if folder != "-":
    from cranesim.scenario.recorded import with_demand
    sc = with_demand(sc, folder)
lay = build_layout(sc)
t1 = time.perf_counter()
if what == "check":
    from cranesim.scenario.recorded_check import check_demand
    c = check_demand(sc, lay, hours)
    assert not c.problems, c.problems.errors[:3]
    out["counts"] = c.counts
elif what == "run":
    from cranesim.model import run
    r = run(sc, hours=hours, crew="plain")
    out["coils_in"] = r.summary["coils_in"]
    out["lifts"] = r.summary["lifts"]
else:
    import cranesim.model, cranesim.scenario.recorded_check  # noqa: F401
out["wall_s"] = time.perf_counter() - t1
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(what: str, folder: str, hours: float) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, what, folder, str(hours)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def export(folder: Path, hours: float, fmt: str) -> None:
    if (folder / f"coils.{fmt}").is_file():
        return
    subprocess.run(
        ["cranesim", "run", "--hours", str(hours), "--no-energy", "--no-progress",
         "--export-demand", str(folder), "--export-format", fmt],
        check=True, capture_output=True,
    )  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hours", type=float, default=8760.0, help="the long span (default a year)")
    ap.add_argument("--work", default=None, help="folder for the demand files (kept)")
    ap.add_argument("--json", default=None, help="write the figures to PATH")
    ns = ap.parse_args()
    work = Path(ns.work or tempfile.mkdtemp(prefix="bench_demand."))
    spans = {"week": 168.0, "quarter": round(ns.hours / 4 / 24) * 24.0, "year": ns.hours}
    rows = {"import": child("import", "-", 0.0)}
    for span, hours in spans.items():
        for fmt in ("csv", "parquet"):
            folder = work / f"{span}_{fmt}"
            export(folder, hours, fmt)
            rows[f"check {span} {fmt}"] = child("check", str(folder), hours)
        rows[f"run {span} recorded (csv)"] = child("run", str(work / f"{span}_csv"), hours)
        if span != "quarter":
            rows[f"run {span} synthetic"] = child("run", "-", hours)
    print(f"demand files in {work}")
    print(f"{'':32} {'wall s':>8} {'peak MB':>8}  rows")
    for name, r in rows.items():
        extra = r.get("counts") or {k: r[k] for k in ("coils_in", "lifts") if k in r}
        print(f"{name:32} {r['wall_s']:8.2f} {r['peak_mb']:8.1f}  {extra or ''}")
    if ns.json:
        Path(ns.json).write_text(json.dumps({"work": str(work), "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
