"""Benchmark: simulated hours per wall second on a scenario, against bare SimPy.

Usage::

    python benchmarks/bench_run.py [CONFIG] [--hours H] [--seed S] [--repeat N] [--cli] [--split]

Prints, for each repeat, the wall time of ``cranesim.model.run`` without a trace, the SimPy
events it processed, and the wall time bare SimPy needs to process the same number of timeout
events (one process yielding timeouts), so the ratio of the two is the model's overhead.

``--cli`` runs the cranes as ``cranesim run`` does (anti-sway shaping, energy priced); without
it, plain moves and no energy (``--no-energy``).

``--split`` then repeats the run with the scheduler's ``decide`` timed call by call, and reports
its share and the *floor* of the ratio: ``(bare + decide) / bare``, the ratio the run would have
if everything but SimPy and the scheduler cost nothing; ``floor_assign_only`` counts only the
calls that assign a lift, as if every call that finds none were avoided.  The timing wrapper
adds about 0.3 us a call to the timed run, of which about 0.05 us falls inside the timed span
(measured on the 2-core dev VM); the timed run's events and lifts must equal the untimed one's.

Not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import simpy

from cranesim.model import core_scheduler, run
from cranesim.scenario.load import load_config
from cranesim.sched import CORE


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


def timed_decisions(sc, hours: float, seed: int | None, cli: bool) -> dict:
    """Run once with every scheduler decision timed; its seconds, calls and assignments."""
    tot = {"s": 0.0, "calls": 0, "assign_s": 0.0, "assigns": 0}
    clock = time.perf_counter

    class TimedScheduler:  # the compiled class is final: wrap it, forwarding the rest
        def __init__(self, st, warehouse) -> None:
            self._core = core_scheduler(st, warehouse)
            decide = self._core.decide

            def timed(now: float) -> int:
                t0 = clock()
                r = decide(now)
                dt = clock() - t0
                tot["s"] += dt
                tot["calls"] += 1
                if r:
                    tot["assign_s"] += dt
                    tot["assigns"] += 1
                return r

            self.decide = timed

        def __getattr__(self, name: str):
            return getattr(self._core, name)

    crew = "automated" if cli else "plain"
    res = run(sc, hours=hours, seed=seed, crew=crew, scheduler=TimedScheduler)
    tot["events"] = res.summary["events"]
    tot["lifts"] = res.summary["lifts"]
    return tot


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", nargs="?", default=None)
    ap.add_argument("--hours", type=float, default=168.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--cli", action="store_true", help="shaped moves and energy, as `cranesim run`")
    ap.add_argument("--split", action="store_true", help="time the scheduler's decisions too")
    ap.add_argument("--json", default=None, help="write the figures to this file")
    a = ap.parse_args()
    sc = load_config(a.config)
    rows = []
    for i in range(a.repeat):
        res = run(sc, hours=a.hours, seed=a.seed, crew="automated" if a.cli else "plain")
        s = res.summary
        bare = bare_simpy(s["events"])
        row = {
            "scenario": s["scenario"],
            "moves": "shaped, energy priced (as cranesim run)" if a.cli else "plain, no energy",
            "core": CORE,
            "sim_hours": a.hours,
            "wall_s": round(s["wall_s"], 6),
            "sim_hours_per_wall_s": round(a.hours / s["wall_s"], 1),
            "events": s["events"],
            "lifts": s["lifts"],
            "events_per_lift": round(s["events"] / max(s["lifts"], 1), 2),
            "bare_simpy_wall_s": round(bare, 6),
            "ratio_to_bare_simpy": round(s["wall_s"] / bare, 2),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
        }
        rows.append(row)
        print(
            f"[{i + 1}/{a.repeat}] {row['scenario']}: {a.hours:g} h in {row['wall_s']:.3f} s wall = "
            f"{row['sim_hours_per_wall_s']} sim h/s; {row['events']:,} events "
            f"({row['events_per_lift']}/lift); bare SimPy {row['bare_simpy_wall_s']:.3f} s for the same "
            f"count -> {row['ratio_to_bare_simpy']}x"
        )
        if a.split:
            d = timed_decisions(sc, a.hours, a.seed, a.cli)
            if (d["events"], d["lifts"]) != (s["events"], s["lifts"]):
                raise SystemExit("bench_run: the timed run differs from the untimed one")
            row.update({
                "decide_calls": d["calls"],
                "decide_calls_per_lift": round(d["calls"] / max(s["lifts"], 1), 2),
                "decide_assigns": d["assigns"],
                "decide_s": round(d["s"], 6),
                "decide_us_per_call": round(1e6 * d["s"] / max(d["calls"], 1), 2),
                "decide_assign_us": round(1e6 * d["assign_s"] / max(d["assigns"], 1), 2),
                "decide_none_us": round(1e6 * (d["s"] - d["assign_s"]) / max(d["calls"] - d["assigns"], 1), 2),
                "decide_share_of_wall": round(d["s"] / s["wall_s"], 3),
                "floor_ratio": round((bare + d["s"]) / bare, 2),
                "floor_assign_only": round((bare + d["assign_s"]) / bare, 2),
            })  # fmt: skip
            print(
                f"      scheduler: {row['decide_calls']:,} decisions ({row['decide_calls_per_lift']}/lift), "
                f"{row['decide_s']:.3f} s = {100 * row['decide_share_of_wall']:.0f} % of the untimed run's wall; "
                f"{row['decide_assign_us']} us when one assigns a lift, {row['decide_none_us']} us when "
                f"one finds none.  Floor of the ratio (model free, SimPy and scheduler as measured): "
                f"{row['floor_ratio']}x; {row['floor_assign_only']}x counting only the assigning calls"
            )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
