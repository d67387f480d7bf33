"""Benchmark: a policy with some scheduler keys set, against the plant's own rules.

Usage::

    python benchmarks/bench_versus_keys.py [--seeds 101-105] [--rates 45,70] [--hours 72]
        [--policy joint] [--baseline plant_rules] [--set max_interference_s=40 ...]

For each mill rate, every seed is simulated with the baseline and with the policy, the keys of
``[scheduler]`` given by ``--set`` applied to the policy's runs only (the baseline runs the
scenario as it is). The same seed drives the same mill and trucks in both (common random
numbers); printed per KPI: the policy's mean and the paired difference policy - baseline with
its 95 % t-interval, as ``cranesim bench``'s ``versus`` section computes them
(:func:`cranesim.studies.bench_quality.quality_run`). Not a test: the figures depend on the
seeds and hours. Tune on some seeds and report on others (the bench's ``versus`` uses 101-105).
"""

from __future__ import annotations

import argparse

from cranesim.scenario.overrides import parse_assignment
from cranesim.studies.bench_quality import VERSUS_KPIS, bench_versus


def _seeds(text: str) -> list[int]:
    if "-" in text:
        lo, hi = (int(x) for x in text.split("-"))
        return list(range(lo, hi + 1))
    return [int(x) for x in text.split(",")]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config", nargs="?", default=None, help="scenario (default: packaged)")
    ap.add_argument("--seeds", default="101-105", help="a range A-B or a list A,B,C")
    ap.add_argument("--rates", default="45,70", help="mill rates, t/h")
    ap.add_argument("--hours", type=float, default=72.0)
    ap.add_argument("--policy", default=None, help="default: the scenario's")
    ap.add_argument("--baseline", default="plant_rules")
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="a [scheduler] key for the policy's runs (TOML value, as cranesim's --set); repeatable")  # fmt: skip
    ns = ap.parse_args(argv)
    update = dict(parse_assignment(item) for item in ns.sets)
    seeds = _seeds(ns.seeds)
    rates = [float(r) for r in ns.rates.split(",")]
    rep = bench_versus(seeds, ns.hours, rates, ns.policy, (ns.baseline,), ns.config,
                       scheduler_update=update)  # fmt: skip
    print(f"{rep['policy']} {update or ''} against {ns.baseline}, seeds {seeds}, {ns.hours:g} h")
    for case in rep["cases"]:
        for key, label, spec in VERSUS_KPIS:
            k = case["kpis"][key]
            m, (lo, hi) = k["diff_mean"], k["ci95"]
            print(f"{case['rate_t_h']:5g} t/h  {label:28s} {spec.format(k['policy_mean']):>9s}  "
                  f"diff {m:+.4g} ({lo:+.4g} to {hi:+.4g})")  # fmt: skip


if __name__ == "__main__":
    main()
