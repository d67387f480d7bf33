"""Benchmark: the greedy scheduler's crane-zone penalty (``params[11]``) on a scenario.

Usage::

    python benchmarks/bench_zone.py [CONFIG] [--weights 0,2,5,10] [--seeds 1,2,3] [--hours 168]

For each weight (s per metre a store or relocation target lies outside the crane's zone) the
scenario is simulated on every seed, the weight written into the scheduler's ``params[11]``
after the warehouse is built (until the scenario has a key for it), and the KPIs the issue
names are printed: truck turnaround, crane interference wait (sum over cranes), mill blocked,
empty travel per lift, relocations per retrieved coil (means over the seeds; per seed with -v).
Not a test: the figures depend on the seeds and hours.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from cranesim.model.warehouse import Warehouse
from cranesim.scenario.load import load_config

KEYS = (
    ("truck_turnaround_mean_min", "turnaround min"),
    ("interference_wait_min", "interference min"),
    ("mill_blocked_min", "mill blocked min"),
    ("empty_travel_m_per_lift", "empty m/lift"),
    ("relocations_per_retrieval", "reloc/retrieval"),
)


def one_run(sc, seed: int, hours: float, w_zone: float) -> dict[str, float]:
    wh = Warehouse(sc, seed)
    wh.st.params[11] = w_zone
    wh.run_until(hours * 3600.0)
    wh.close()
    s = wh.kpi.summary(hours * 3600.0)
    s["interference_wait_min"] = float(sum(s["crane_interference_wait_min"].values()))
    return {k: float(s[k]) for k, _ in KEYS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", nargs="?", default=None)
    ap.add_argument("--weights", default="0,2,5,10")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--hours", type=float, default=168.0)
    ap.add_argument("--json", default=None, help="write the figures to this file")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    sc = load_config(a.config)
    weights = [float(w) for w in a.weights.split(",")]
    seeds = [int(s) for s in a.seeds.split(",")]
    out = {"hours": a.hours, "seeds": seeds, "weights": {}}
    print(f"{'w_zone s/m':>10}  " + "  ".join(f"{label:>16}" for _, label in KEYS))
    for w in weights:
        runs = [one_run(sc, s, a.hours, w) for s in seeds]
        mean = {k: float(np.mean([r[k] for r in runs])) for k, _ in KEYS}
        out["weights"][str(w)] = {"mean": mean, "runs": runs}
        if a.verbose:
            for s, r in zip(seeds, runs):
                print(f"{'seed ' + str(s):>10}  " + "  ".join(f"{r[k]:16.2f}" for k, _ in KEYS))
        print(f"{w:10g}  " + "  ".join(f"{mean[k]:16.2f}" for k, _ in KEYS), flush=True)
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=2)


if __name__ == "__main__":
    main()
