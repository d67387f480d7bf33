"""``cranesim bench``: how fast the scheduler decides, how good its decisions are.

``cranesim bench`` (:mod:`cranesim.cli.bench`) runs :func:`run_bench` and prints
:func:`report_text`.  Four sections, each printed as a table and written to the JSON report:

latency (:mod:`cranesim.studies.bench_latency`)
    Median wall time of one ``Scheduler.decide`` call of the compiled core and of its
    pure-Python twin on one synthetic state (4 free cranes, 200 pending jobs, 5,000 places,
    the default policy), one slot's booking flipped before each call; both must return the
    same lift on the first call.  JSON: ``latency``, ``speedup`` (goal >= 50).

quality (:mod:`cranesim.studies.bench_quality`)
    The default scenario simulated with each policy on the same seeds and hours: relocations
    per retrieved coil, empty travel per lift, truck turnaround, crane waits, mill blocking,
    motion energy per coil handled.  JSON: ``quality``.

optimality (:mod:`cranesim.studies.bench_static`, :mod:`cranesim.studies.bench_exact`)
    Each core policy's makespan on static two-crane instances against OR-Tools CP-SAT (optional:
    ``pip install cranesim[bench]``), on a tuning set (seeds 1..``--tuning``, where weights were
    tuned) and a held-out set (``--instances`` seeds from ``--first-seed``, 1001 by default, never
    looked at while tuning): mean, median and max gap, instances proved optimal.  JSON:
    ``optimality_gap_pct_mean`` (the default policy's held-out mean), ``tuning_gap_pct_mean``,
    ``optimality``.  Without OR-Tools the section is skipped with a message.

versus (:func:`cranesim.studies.bench_quality.bench_versus`)
    The default policy against the plants' own rules (``plant_rules``, ``plant_zoned``) at each
    ``--rates`` mill rate, on common random numbers (seeds 101 on: the weights were set on other
    seeds), with the paired difference of mill blocking, truck turnaround, energy per coil and
    crane waits, and its 95 % interval.  JSON: ``versus``.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from cranesim.errors import UserError
from cranesim.studies.bench_gap import bench_optimality
from cranesim.studies.bench_latency import bench_latency, latency_state
from cranesim.studies.bench_quality import (
    QUALITY_KPIS,
    QUALITY_POLICIES,
    VERSUS_KPIS,
    bench_quality,
    bench_versus,
)
from cranesim.studies.bench_static import (
    HELD_OUT_FIRST_SEED,
    STATIC_POLICIES,
    StaticInstance,
    StaticLift,
    check_runway,
    evaluate_greedy,
    evaluate_policy,
    make_static_instance,
)

__all__ = [
    "POLICIES",
    "SECTIONS",
    "HELD_OUT_FIRST_SEED",
    "VERSUS_FIRST_SEED",
    "QUALITY_KPIS",
    "VERSUS_KPIS",
    "BenchError",
    "latency_state",
    "bench_latency",
    "bench_quality",
    "bench_versus",
    "StaticInstance",
    "StaticLift",
    "make_static_instance",
    "evaluate_policy",
    "evaluate_greedy",
    "solve_exact",
    "check_runway",
    "bench_optimality",
    "run_bench",
    "report_text",
]

POLICIES = QUALITY_POLICIES
SECTIONS = ("latency", "quality", "optimality", "versus")
VERSUS_FIRST_SEED = 101


def solve_exact(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """:func:`cranesim.studies.bench_exact.solve_exact` (imported when called)."""
    from cranesim.studies.bench_exact import solve_exact as _solve

    return _solve(*args, **kwargs)


class BenchError(UserError):
    """Bad user input for ``cranesim bench`` (exit status 2)."""


# =============================================================================== report
def _fmt(v: Any, spec: str = "{:.1f}") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return spec.format(v)


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
            )
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _latency_text(rep: dict[str, Any], lat: dict[str, Any]) -> list[str]:
    inst = lat["instance"]
    return [
        f"Decision latency ({inst['cranes']} cranes, {inst['jobs']} jobs, {inst['places']} places, "
        f"{inst['coils']} coils, {inst['policy']}; median)",
        _table(
            [
                ["core", "µs / decision", "calls"],
                ["compiled", _fmt(lat.get("compiled_us")), str(lat.get("compiled_calls", 0))],
                ["pure Python", _fmt(lat.get("python_us")), str(lat.get("python_calls", 0))],
            ]
        ),  # fmt: skip
        f"speedup {_fmt(rep.get('speedup'))}x (goal >= 50x); same decision: {lat.get('same_decision')}",
        "",
    ]


def _quality_text(q: dict[str, Any]) -> list[str]:
    pols = list(q["policies"])
    rows = [["KPI", *pols]]
    for key, label, spec in QUALITY_KPIS:
        rows.append([label, *(_fmt(q["policies"][p]["mean"][key], spec) for p in pols)])
    return [f"Quality on {q['scenario']}: {len(q['seeds'])} seed(s) x {q['hours']:g} h, mean",
            _table(rows), ""]  # fmt: skip


def _optimality_text(o: dict[str, Any]) -> list[str]:
    if "skipped" in o:
        return [f"Optimality gap: skipped: {o['skipped']}", ""]
    out = [f"Optimality gap on static instances (makespan, CP-SAT {o['time_limit_s']:g} s each, "
           f"one worker); default policy {o['default_policy']}"]  # fmt: skip
    rows = [["set", "policy", "instances", "mean %", "median %", "max %", "proved opt.",
             "mean % (proved)", "stalled"]]  # fmt: skip
    for name in ("tuning", "held_out"):
        part = o[name]
        for pol in o["policies"]:
            s = part["summary"][pol]
            seeds = f"{name} {part['seeds'][0]}-{part['seeds'][1]}" if part["seeds"] else name
            rows.append([seeds, pol, str(s["instances"]), _fmt(s["gap_pct_mean"], "{:.2f}"),
                         _fmt(s["gap_pct_median"], "{:.2f}"), _fmt(s["gap_pct_max"]),
                         str(s["proved_optimal"]), _fmt(s["gap_pct_mean_proved"], "{:.2f}"),
                         str(s["stalled"])])  # fmt: skip
    out.append(_table(rows))
    out.append(f"held-out mean gap of {o['default_policy']}: {_fmt(o['optimality_gap_pct_mean'], '{:.2f}')} % "
               f"(goal <= 3 %); tuning: {_fmt(o['tuning_gap_pct_mean'], '{:.2f}')} %")  # fmt: skip
    out.append("")
    return out


def _versus_text(v: dict[str, Any]) -> list[str]:
    out = [f"{v['policy']} against the plants' rules, {len(v['seeds'])} seeds x {v['hours']:g} h each "
           f"(common random numbers); difference = {v['policy']} - baseline, 95 % CI"]  # fmt: skip
    rows = [
        ["rate t/h", "baseline", "KPI", v["policy"], "baseline", "difference", "95 % CI", "verdict"]
    ]
    for case in v["cases"]:
        for key, label, spec in VERSUS_KPIS:
            k = case["kpis"][key]
            verdict = "lower" if k["better"] else "higher" if k["worse"] else "no difference shown"
            rows.append([f"{case['rate_t_h']:g}", case["baseline"], label, _fmt(k["policy_mean"], spec),
                         _fmt(k["baseline_mean"], spec), _fmt(k["diff_mean"], spec),
                         f"[{_fmt(k['ci95'][0], spec)}, {_fmt(k['ci95'][1], spec)}]", verdict])  # fmt: skip
    out.append(_table(rows))
    out.append("")
    return out


def report_text(rep: dict[str, Any]) -> str:
    out: list[str] = []
    if rep.get("latency"):
        out += _latency_text(rep, rep["latency"])
    if rep.get("quality"):
        out += _quality_text(rep["quality"])
    if rep.get("optimality"):
        out += _optimality_text(rep["optimality"])
    if rep.get("versus"):
        out += _versus_text(rep["versus"])
    return "\n".join(out).rstrip()


def run_bench(
    quick: bool = False,
    seeds: int | None = None,
    hours: float | None = None,
    instances: int | None = None,
    time_limit_s: float | None = None,
    skip: Sequence[str] = (),
    policies: Sequence[str] = POLICIES,
    progress: Callable[[str], None] | None = None,
    tuning: int | None = None,
    first_seed: int | None = None,
    versus_seeds: int | None = None,
    versus_hours: float | None = None,
    rates: Sequence[float] | None = None,
) -> dict[str, Any]:
    """All sections as one JSON-ready dict (see the module docstring for the keys)."""
    from cranesim._version import __version__
    from cranesim.scenario.load import load_config
    from cranesim.sched import CORE

    say = progress or (lambda _msg: None)
    seeds = seeds if seeds is not None else (1 if quick else 3)
    hours = hours if hours is not None else (6.0 if quick else 48.0)
    instances = instances if instances is not None else (3 if quick else 60)
    tuning = tuning if tuning is not None else (2 if quick else 30)
    first_seed = first_seed if first_seed is not None else HELD_OUT_FIRST_SEED
    time_limit_s = time_limit_s if time_limit_s is not None else (5.0 if quick else 10.0)
    versus_seeds = versus_seeds if versus_seeds is not None else (1 if quick else 5)
    versus_hours = versus_hours if versus_hours is not None else (6.0 if quick else 72.0)
    rates = list(rates) if rates else [45.0, 70.0]
    default = load_config(None).scheduler.policy
    rep: dict[str, Any] = {"version": __version__, "core": CORE, "quick": quick,
                           "default_policy": default, "speedup": None,
                           "optimality_gap_pct_mean": None, "tuning_gap_pct_mean": None}  # fmt: skip
    if "latency" not in skip:
        say("latency ...")
        rep["latency"] = bench_latency(quick, policy=default)
        rep["speedup"] = rep["latency"]["speedup"]
    if "quality" not in skip:
        say(f"quality: {len(policies)} policies x {seeds} seed(s) x {hours:g} h ...")
        rep["quality"] = bench_quality(list(range(1, seeds + 1)), hours, policies=policies,
                                       progress=say)  # fmt: skip
    if "optimality" not in skip:
        say(f"optimality: {tuning} tuning + {instances} held-out instance(s), CP-SAT "
            f"{time_limit_s:g} s each ...")  # fmt: skip
        rep["optimality"] = bench_optimality(instances, time_limit_s, first_seed, tuning,
                                             STATIC_POLICIES, default, say)  # fmt: skip
        rep["optimality_gap_pct_mean"] = rep["optimality"].get("optimality_gap_pct_mean")
        rep["tuning_gap_pct_mean"] = rep["optimality"].get("tuning_gap_pct_mean")
    if "versus" not in skip:
        vs = list(range(VERSUS_FIRST_SEED, VERSUS_FIRST_SEED + versus_seeds))
        say(f"versus: {default} against the plants' rules, {len(rates)} rates x {versus_seeds} "
            f"seed(s) x {versus_hours:g} h ...")  # fmt: skip
        rep["versus"] = bench_versus(vs, versus_hours, rates, progress=say)
    return rep
