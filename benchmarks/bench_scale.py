"""Benchmark: the scheduler's cost against the size of the store (issue 15, "cost flat in store size").

Usage::

    python benchmarks/bench_scale.py [CONFIG] [--factors 1,2,4] [--hours 720] [--seed S]
                                     [--policy P] [--repeat N] [--json PATH]

Generates the scenario with its bay *widened*: every storage block keeps its rows (the same x,
so the same runway, cranes, station, truck bays, mill and trucks) and gets ``factor`` times as
many places per row (``lower_places_per_row`` = round((31 * factor + 1) / 2) for the default's
16 lower + 15 upper places), the span growing with the rows.  The initial fill and the dispatch
target stay fractions, so a wider store holds proportionally more coils, and every scan of "all
coils of a grade" grows with it.

For each factor, runs ``--hours`` of plain moves without energy or trace (the model's and the
scheduler's own work; as ``bench_run.py`` without ``--cli``) and prints the wall time per lift
and its ratio to factor 1.  The issue's goal: at factor 4 (about 4x the storage places) at most
1.5x the default's per-lift wall.  ``--split`` times the scheduler's decisions too (a second,
timed run), since the rest of the model does not depend on the store's size.

Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time

from cranesim.scenario.load import load_config
from cranesim.scenario.schema import Scenario


def widened(sc: Scenario, factor: float) -> Scenario:
    """``sc`` with every storage block ``factor`` times as wide (places per row), validated."""
    d = sc.model_dump()
    top = 0.0
    for b in d["storage"]["blocks"]:
        per_row = (
            2 * b["lower_places_per_row"] - 1
            if d["storage"]["stacking"] == "pyramid2"
            else b["lower_places_per_row"]
        )
        lower = max(1, int(math.floor((per_row * factor + 1) / 2 + 0.5)))
        if d["storage"]["stacking"] != "pyramid2":
            lower = max(1, int(round(per_row * factor)))
        b["lower_places_per_row"] = lower
        top = max(top, b["y_first_m"] + (lower - 1) * b["place_pitch_m"])
    margin = sc.bay.span_m - max(
        blk.y_first_m + (blk.lower_places_per_row - 1) * blk.place_pitch_m
        for blk in sc.storage.blocks
    )
    d["bay"]["span_m"] = max(sc.bay.span_m, top + max(margin, 1.0))
    d["scenario"]["name"] = f"{sc.scenario.name}_x{factor:g}"
    return Scenario.model_validate(d)


def timed_run(sc: Scenario, hours: float, seed: int, policy: str | None, split: bool) -> dict:
    """One run without trace or energy: wall, lifts, and (``split``) the decisions' own time."""
    from cranesim.model.warehouse import Warehouse

    t0 = time.perf_counter()
    wh = Warehouse(sc, seed, policy=policy)
    built = time.perf_counter()
    tot = {"s": 0.0, "calls": 0}
    if split:
        inner = wh.sched
        clock = time.perf_counter

        class Timed:
            def decide(self, now: float) -> int:
                t = clock()
                r = inner.decide(now)
                tot["s"] += clock() - t
                tot["calls"] += 1
                return r

            def __getattr__(self, name: str):
                return getattr(inner, name)

        wh.sched = Timed()
    wh.run_until(hours * 3600.0)
    wh.close()
    t1 = time.perf_counter()
    s = wh.kpi.summary(hours * 3600.0)
    out = {
        "places": wh.lay.n_slots,
        "coils_start": wh.inventory_start,
        "lifts": s["lifts"],
        "build_s": built - t0,
        "run_s": t1 - built,
        "us_per_lift": 1e6 * (t1 - built) / max(s["lifts"], 1),
        "mill_blocked_min": s["mill_blocked_min"],
        "truck_turnaround_mean_min": s["truck_turnaround_mean_min"],
    }
    if split:
        out["decide_s"] = tot["s"]
        out["decide_calls"] = tot["calls"]
        out["decide_us_per_lift"] = 1e6 * tot["s"] / max(s["lifts"], 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", nargs="?", default=None)
    ap.add_argument("--factors", default="1,2,4")
    ap.add_argument("--hours", type=float, default=720.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--policy", default=None, help="a [scheduler] policy (default: the scenario's)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per factor (the fastest counts)")
    ap.add_argument("--split", action="store_true", help="time the scheduler's decisions too")
    ap.add_argument("--json", default=None, help="write the figures to this file")
    a = ap.parse_args()
    base = load_config(a.config)
    seed = base.scenario.seed if a.seed is None else a.seed
    rows = []
    ref = None
    for f in (float(v) for v in a.factors.split(",")):
        sc = widened(base, f)
        runs = [timed_run(sc, a.hours, seed, a.policy, a.split) for _ in range(a.repeat)]
        best = min(runs, key=lambda r: r["us_per_lift"])
        best["factor"] = f
        best["runs_us_per_lift"] = [round(r["us_per_lift"], 2) for r in runs]
        ref = ref or best
        best["ratio_to_factor_1"] = best["us_per_lift"] / ref["us_per_lift"]
        rows.append(best)
        extra = ""
        if a.split:
            extra = f"; decisions {best['decide_us_per_lift']:.1f} us/lift"
        print(
            f"x{f:g}: {best['places']:,} places, {best['coils_start']:,} coils at the start, "
            f"{best['lifts']:,} lifts in {a.hours:g} h: {best['us_per_lift']:.1f} us/lift wall "
            f"({best['ratio_to_factor_1']:.2f}x factor 1){extra}; mill blocked "
            f"{best['mill_blocked_min']:.0f} min, turnaround {best['truck_turnaround_mean_min']:.1f} min",
            flush=True,
        )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"hours": a.hours, "seed": seed, "policy": a.policy or base.scheduler.policy,
                       "python": platform.python_version(), "rows": rows}, fh, indent=2)  # fmt: skip


if __name__ == "__main__":
    main()
