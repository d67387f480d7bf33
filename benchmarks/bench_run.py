"""Benchmark: simulated hours per wall second on a scenario, against bare SimPy.

Usage::

    python benchmarks/bench_run.py [CONFIG] [--hours H] [--seed S] [--repeat N]

Prints, for each repeat, the wall time of ``cranesim.model.run`` without a trace, the SimPy
events it processed, and the wall time bare SimPy needs to process the same number of timeout
events (one process yielding timeouts), so the ratio of the two is the model's overhead.
Not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import simpy

from cranesim.config import load_config
from cranesim.model import run
from cranesim.scheduler import CORE


def bare_simpy(n_events: int) -> float:
    """Wall seconds for SimPy to process ``n_events`` timeout events in one process."""
    env = simpy.Environment()

    def proc():
        to = env.timeout
        for _ in range(n_events):
            yield to(1.0)

    env.process(proc())
    t = time.perf_counter()
    env.run()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", nargs="?", default=None)
    ap.add_argument("--hours", type=float, default=168.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", default=None, help="write the figures to this file")
    a = ap.parse_args()
    sc = load_config(a.config)
    rows = []
    for i in range(a.repeat):
        res = run(sc, hours=a.hours, seed=a.seed)
        s = res.summary
        bare = bare_simpy(s["events"])
        row = {
            "scenario": s["scenario"],
            "core": CORE,
            "sim_hours": a.hours,
            "wall_s": round(s["wall_s"], 3),
            "sim_hours_per_wall_s": round(a.hours / s["wall_s"], 1),
            "events": s["events"],
            "lifts": s["lifts"],
            "events_per_lift": round(s["events"] / max(s["lifts"], 1), 2),
            "bare_simpy_wall_s": round(bare, 3),
            "ratio_to_bare_simpy": round(s["wall_s"] / bare, 2),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
        }
        rows.append(row)
        print(
            f"[{i + 1}/{a.repeat}] {row['scenario']}: {a.hours:g} h in {row['wall_s']} s wall = "
            f"{row['sim_hours_per_wall_s']} sim h/s; {row['events']:,} events "
            f"({row['events_per_lift']}/lift); bare SimPy {row['bare_simpy_wall_s']} s for the same "
            f"count -> {row['ratio_to_bare_simpy']}x"
        )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
