"""``cranesim sweep``: vary scenario keys over a grid or a sampled design, with replications.

A *factor* is a scenario key (a dotted path, as ``--set`` takes it) with its values: a list
(``mill.rate_t_h=45,60``), evenly spaced points (``mill.rate_t_h=35:70:8``: 35 to 70 in 8
points), or a range for a sampled design (``mill.rate_t_h=35:70``).  The design is the grid of
every combination, or a Latin hypercube or scrambled Sobol sample of the ranges
(:func:`design`).  Each point is a scenario derived from the base one and validated
(:meth:`Scenario.derive <cranesim.scenario.schema.Scenario.derive>`) before anything runs.

Every point runs the same replications: seeds ``S .. S+R-1`` (common random numbers: the mill,
the trucks and the initial stock draw the same random numbers at every point, so differences
between points are the factor's effect, not different draws).  The runs go serially, on a
process pool or on a Dask cluster (:mod:`cranesim.studies.replicate`); the numbers do not depend
on which.  The result (:func:`sweep`) has one row per run (the factor values, the seed and every
KPI) and one row per point (each KPI's mean and 95% t-interval half-width over the replications,
and its paired difference from the first point).

>>> [f.key for f in map(parse_factor, ["mill.rate_t_h=45,60", "trucks.dock_min=2:8:4"])]
['mill.rate_t_h', 'trucks.dock_min']
>>> parse_factor("trucks.dock_min=2:8:4").values
(2, 4, 6, 8)
>>> design([parse_factor("a.x=1,2"), parse_factor("b.y=10,20")])
[{'a.x': 1, 'b.y': 10}, {'a.x': 1, 'b.y': 20}, {'a.x': 2, 'b.y': 10}, {'a.x': 2, 'b.y': 20}]
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cranesim.errors import UserError
from cranesim.scenario.overrides import parse_value, split_path
from cranesim.studies.chain import mean_ci95

if TYPE_CHECKING:
    from cranesim.scenario.schema import Scenario

__all__ = [
    "Factor",
    "parse_factor",
    "design",
    "DESIGNS",
    "DEFAULT_KPIS",
    "kpi_names",
    "sweep_run",
    "run_cost",
    "sweep",
    "flat_kpis",
]

DESIGNS = ("grid", "lhs", "sobol")

#: KPIs the table and the plots show unless ``kpis`` names others
DEFAULT_KPIS = (
    "mill_blocked_min",
    "truck_wait_mean_min",
    "truck_turnaround_mean_min",
    "lifts_per_hour",
    "relocations_per_retrieval",
    "energy_kwh",
)

#: summary entries that say what ran, not how it went (they are columns of their own)
_IDENTITY = ("scenario", "version", "core", "sim_hours", "seed", "wall_s",
             "sim_hours_per_wall_s", "inventory_hourly")  # fmt: skip


@dataclass(frozen=True)
class Factor:
    """A scenario key and its values (a grid's points) or its range (a sampled design's)."""

    key: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    integer: bool = False

    @property
    def is_range(self) -> bool:
        return not self.values


def _number(text: str, spec: str) -> int | float:
    v = parse_value(text)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise UserError(f"--vary {spec}: {text!r} is not a finite number")
    return v


def parse_factor(spec: str) -> Factor:
    """``KEY=V1,V2,...`` (values), ``KEY=LO:HI:N`` (N evenly spaced points, ends included) or
    ``KEY=LO:HI`` (a range, for a sampled design).  Values are TOML values (a bare word is a
    string); integer ends give integer points."""
    key, sep, rest = spec.partition("=")
    key, rest = key.strip(), rest.strip()
    if not sep or not key or not rest:
        raise UserError(f"--vary {spec}: expected KEY=V1,V2,... or KEY=LO:HI:N or KEY=LO:HI")
    try:
        split_path(key)
    except ValueError as exc:
        raise UserError(f"--vary {spec}: {exc}") from None
    parts = rest.split(":")
    if len(parts) in (2, 3) and not rest.startswith(("[", "{", '"', "'")):
        lo, hi = _number(parts[0], spec), _number(parts[1], spec)
        if not lo < hi:
            raise UserError(f"--vary {spec}: expected LO < HI")
        integer = isinstance(lo, int) and isinstance(hi, int)
        if len(parts) == 2:
            return Factor(key, low=lo, high=hi, integer=integer)
        n = _number(parts[2], spec)
        if not (isinstance(n, int) and n >= 2):
            raise UserError(f"--vary {spec}: N must be an integer >= 2")
        pts = [lo + (hi - lo) * i / (n - 1) for i in range(n)]
        if integer and all(float(p).is_integer() for p in pts):
            return Factor(key, tuple(int(p) for p in pts))
        return Factor(key, tuple(float(p) for p in pts))
    try:
        values = tomllib.loads(f"v = [{rest}]")["v"]
    except tomllib.TOMLDecodeError:  # bare words: strings
        values = [parse_value(v.strip()) for v in rest.split(",")]
    if len(values) < 1:
        raise UserError(f"--vary {spec}: no values")
    return Factor(key, tuple(values))


def design(
    factors: Sequence[Factor], kind: str = "grid", points: int | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    """The points of the design: ``{key: value}`` per point.

    ``grid``: every combination of the factors' values (the last factor varies fastest).
    ``lhs``, ``sobol``: ``points`` points of a Latin hypercube or a scrambled Sobol sequence
    (scipy.stats.qmc, seeded) over the factors' ranges; an integer range ``LO:HI`` draws
    integers from LO to HI, each equally likely.
    """
    if kind not in DESIGNS:
        raise UserError(f"--design {kind}: expected one of {', '.join(DESIGNS)}")
    keys = [f.key for f in factors]
    if len(set(keys)) != len(keys):
        raise UserError("--vary: a key is given twice")
    if kind == "grid":
        bad = [f.key for f in factors if f.is_range]
        if bad:
            raise UserError(f"--vary {bad[0]}=LO:HI is a range: a grid needs LO:HI:N or a list")
        return [dict(zip(keys, combo)) for combo in itertools.product(*(f.values for f in factors))]
    bad = [f.key for f in factors if not f.is_range]
    if bad:
        raise UserError(f"--design {kind}: --vary {bad[0]} needs a range LO:HI")
    if not points or points < 2:
        raise UserError(f"--design {kind}: --points N (at least 2) is needed")
    from scipy.stats import qmc

    d = len(factors)
    if kind == "lhs":
        u = qmc.LatinHypercube(d=d, seed=seed).random(points)
    else:
        u = qmc.Sobol(d=d, scramble=True, seed=seed).random(points)
    out = []
    for row in u:
        pt = {}
        for f, x in zip(factors, row):
            if f.integer:
                pt[f.key] = min(int(f.low + math.floor(x * (f.high - f.low + 1))), int(f.high))
            else:
                pt[f.key] = float(f.low + x * (f.high - f.low))
        out.append(pt)
    return out


def kpi_names(cranes: int | Sequence[str] = 1) -> list[str]:
    """The KPI columns of a run's row (see :func:`flat_kpis`); per-crane ones by crane name
    (``cranes``: the names, or a count for names ``"0"``, ``"1"``, ...)."""
    from cranesim.record.kpi import KpiAccumulator

    names = [str(c) for c in range(cranes)] if isinstance(cranes, int) else list(cranes)
    s = KpiAccumulator(len(names), names).summary(3600.0)
    s.update(capacity=0, capacity_floor=0, capacity_station=0, capacity_hooks=0,
             inventory_start=0, inventory_end=0, jobs_open_end=0, station_coils_end=0,
             coils_owed_end=0, events=0)  # fmt: skip
    return list(flat_kpis(s))


def flat_kpis(summary: dict[str, Any]) -> dict[str, Any]:
    """The KPIs of a run's summary as flat columns: numbers as they are, per-crane dicts as
    ``key.NAME`` and short lists as ``key[i]``; identity and hourly series left out."""
    out: dict[str, Any] = {}
    for k, v in summary.items():
        if k in _IDENTITY:
            continue
        if isinstance(v, dict):
            out.update({f"{k}.{n}": x for n, x in v.items() if not isinstance(x, (dict, list))})
        elif isinstance(v, (list, tuple)):
            if len(v) <= 16 and all(isinstance(x, (int, float)) for x in v):
                out.update({f"{k}[{i}]": x for i, x in enumerate(v)})
        else:
            out[k] = v
    return out


def sweep_run(sc: Scenario, seed: int, hours: float, crew: str) -> dict[str, Any]:
    """One run of a sweep: the flat KPIs of :func:`cranesim.model.run` (picklable, for the
    workers)."""
    from cranesim.model.runner import run

    return flat_kpis(run(sc, hours=hours, seed=seed, crew=crew).summary)


def run_cost(sc: Scenario, hours: float) -> float:
    """Expected cost of a run, in arbitrary units: model hours x (coils per hour + 1).

    The model's work is a few events per coil (each coil is stored and later retrieved), so a
    run at twice the mill rate takes about twice as long; the progress bar weights each run by
    this, so its time estimate holds when the runs differ."""
    mean_mass = sum(p.share * p.mass_t_mean for p in sc.mill.products)
    return hours * (sc.mill.rate_t_h / mean_mass + 1.0)


def sweep(
    sc: Scenario,
    factors: Sequence[Factor],
    *,
    kind: str = "grid",
    points: int | None = None,
    replications: int = 1,
    hours: float | None = None,
    seed: int | None = None,
    crew: str = "automated",
    workers: int = 1,
    dask: str | None = None,
    progress: Callable[[str, float, float, str], None] | None = None,
) -> dict[str, Any]:
    """Run a sweep (see the module docstring) and return its tables.

    Returns
    -------
    dict
        ``runs``: one dict per run (``point``, ``replication``, ``seed``, each factor's key,
        then every KPI of :func:`flat_kpis`); ``points``: one dict per point (``point``, each
        factor's key, ``n``, and ``<kpi>_mean`` and ``<kpi>_ci95`` (the 95% t-interval's
        half-width; None with one replication), ``<kpi>_diff`` and ``<kpi>_diff_ci95`` (the
        difference from the first point, paired by seed) for every KPI); ``factors``, ``design``,
        ``replications``, ``hours``, ``seeds``, ``crew``, ``scenario``.

    Raises
    ------
    UserError
        A factor or design that cannot be used, or a point whose scenario does not validate
        (every point is checked before any run).
    """
    from cranesim.studies.replicate import run_replications

    if replications < 1:
        raise UserError(f"--replications: expected an integer >= 1, got {replications}")
    hours = sc.scenario.hours if hours is None else hours
    seed = sc.scenario.seed if seed is None else seed
    pts = design(factors, kind, points, seed)
    scenarios = [sc.derive(p) for p in pts]  # ConfigError (a UserError) names the key
    seeds = [seed + r for r in range(replications)]
    tasks = [(i, r) for i in range(len(pts)) for r in range(replications)]
    cost = [run_cost(scenarios[i], hours) for i, _ in tasks]
    total, done = sum(cost), [0.0, 0]
    if progress is not None:
        progress("runs", 0.0, total, f"runs 0/{len(tasks)}")

    def finished(k: int) -> None:
        done[0] += cost[k]
        done[1] += 1
        if progress is not None:
            progress("runs", done[0], total, f"runs {done[1]}/{len(tasks)}")

    results = run_replications(
        sweep_run,
        [(scenarios[i], seeds[r], hours, crew) for i, r in tasks],
        workers=workers,
        dask_address=dask,
        progress=False,
        on_done=finished,
    )
    runs = []
    for (i, r), kpis in zip(tasks, results):
        runs.append({"point": i, "replication": r, "seed": seeds[r], **pts[i], **kpis})
    return {
        "scenario": sc.scenario.name,
        "factors": [f.key for f in factors],
        "design": kind,
        "replications": replications,
        "hours": hours,
        "seeds": seeds,
        "crew": crew,
        "runs": runs,
        "points": point_table(runs, pts, [f.key for f in factors]),
    }


def point_table(runs: list[dict], pts: list[dict], keys: list[str]) -> list[dict[str, Any]]:
    """Per point: the factor values, ``n``, each KPI's mean and 95% CI half-width, and its
    difference from the first point, paired replication by replication (the same seeds: common
    random numbers make this far tighter than the two intervals suggest), with its half-width."""
    kpis = [k for k in runs[0] if k not in ("point", "replication", "seed", *keys)] if runs else []
    by_point: dict[int, dict[int, dict]] = {}
    for r in runs:
        by_point.setdefault(r["point"], {})[r["replication"]] = r
    base = by_point.get(0, {})
    out = []
    for i, p in enumerate(pts):
        mine = by_point.get(i, {})
        row: dict[str, Any] = {"point": i, **p, "n": len(mine)}
        for k in kpis:
            xs = [r[k] for r in mine.values()]
            if not xs or any(x is None or isinstance(x, (bool, str)) for x in xs):
                continue
            row[f"{k}_mean"], row[f"{k}_ci95"] = _mean_half(xs)
            d = [r[k] - base[j][k] for j, r in mine.items() if base.get(j, {}).get(k) is not None]
            if d:
                row[f"{k}_diff"], row[f"{k}_diff_ci95"] = _mean_half(d)
        out.append(row)
    return out


def _mean_half(xs: list[float]) -> tuple[float, float | None]:
    m, lo, hi = mean_ci95(xs)
    return m, None if math.isnan(lo) else (hi - lo) / 2
