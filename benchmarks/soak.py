"""Soak run: a simulated year (or ``--hours``) on several seeds, every invariant checked.

Usage::

    python benchmarks/soak.py [CONFIG] [--hours 8760] [--seeds 1 2 3 4] [--workers N]
                              [--dask ADDRESS|local] [--json soak.json]

Each seed runs :func:`cranesim.studies.replicate.checked_replication`: coil conservation (hourly and at
the end), crane separation at every crane event, the stacking rule, bookings, and the watchdog
(jobs pending with no lift completed for ``[invariants] watchdog_h``, 4 h if the scenario turns
it off).  Prints one line per seed and the totals; exit status 1 if any seed failed, with the
state dump of each failure.  Not a test: a year takes minutes per seed.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time

from cranesim.scenario.load import load_config
from cranesim.sched import CORE
from cranesim.studies.replicate import checked_replication, run_replications


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", nargs="?", default=None, help="scenario (default: the packaged one)")
    ap.add_argument("--hours", type=float, default=8760.0, help="model hours per seed (8760)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--workers", type=int, default=1, help="local processes (or Dask workers)")
    ap.add_argument("--dask", default=None, metavar="ADDRESS", help="Dask scheduler, or 'local'")
    ap.add_argument("--json", default=None, help="write the per-seed results to this file")
    a = ap.parse_args(argv)
    sc = load_config(a.config)
    t0 = time.perf_counter()
    res = run_replications(
        checked_replication,
        [(sc, seed, a.hours) for seed in a.seeds],
        workers=a.workers,
        dask_address=a.dask,
        desc="soak",
    )
    wall = time.perf_counter() - t0
    failed = [r for r in res if r["error"]]
    print(f"soak: {sc.scenario.name}, {a.hours:g} h x {len(a.seeds)} seeds, {CORE} core, "
          f"{a.workers} worker(s){' on dask ' + a.dask if a.dask else ''}; {wall:.1f} s wall")  # fmt: skip
    for r in res:
        if r["error"]:
            print(f"  seed {r['seed']}: FAILED: {r['error']}")
            continue
        print(
            f"  seed {r['seed']}: {r['lifts']:,} lifts ({r['lifts_per_hour']:.1f}/h), coils in/out "
            f"{r['coils_in']:,}/{r['coils_out']:,}, inventory {r['inventory_start']}->{r['inventory_end']} "
            f"(min {r['inventory_min']}, max {r['inventory_max']} of {r['capacity']}), "
            f"relocations/retrieval {r['relocations_per_retrieval']:.3f}, mill blocked "
            f"{r['mill_blocked_min']:.1f} min, truck wait max {r['truck_wait_max_min']:.1f} min, "
            f"{r['events']:,} events ({r['events'] / max(r['lifts'], 1):.2f}/lift), "
            f"{r['wall_s']:.1f} s wall ({r['sim_hours_per_wall_s']:.0f} sim h/s)"
        )
    print(f"soak: {len(res) - len(failed)} of {len(res)} seeds passed every invariant check")
    for r in failed:
        print(f"\n--- seed {r['seed']} state dump ---\n{r['dump']}", file=sys.stderr)
    if a.json:
        doc = {"scenario": sc.scenario.name, "hours": a.hours, "core": CORE, "wall_s": wall,
               "workers": a.workers, "dask": a.dask, "python": platform.python_version(),
               "results": res}  # fmt: skip
        with open(a.json, "w") as fh:
            json.dump(doc, fh, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
