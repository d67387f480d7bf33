"""Simulated crane lifts held against a plant's recorded ones (``cranesim validate-moves``).

A *move log* is one row per lift: ``crane`` (a ``[[cranes]]`` name), ``start_at`` and ``end_at``
(the crane set off for the coil; the coil was set down), ``from`` and ``to`` (place names, see
:mod:`cranesim.scenario.places`), ``coil_id``.  The lift's kind follows from its places: station
to floor is a store, floor to truck bay a retrieve, floor to floor a relocation.  Times are read
as in recorded demand (seconds from the start, or date-times from ``[demand] start``).

Both sides become a :class:`MoveLog`, the simulated one from the run's records
(:class:`LiftCollector`: a lift starts with its first record, a runway wait or its empty move,
and ends when its place ends), so both are measured alike (:func:`compare_moves`):

* lifts per hour, in all and per crane, over the hours both logs cover;
* cycle time per lift kind: quartiles and the two-sample Kolmogorov-Smirnov statistic
  (:func:`scipy.stats.ks_2samp`);
* empty travel per lift (bridge + trolley metres from the crane's last set-down to the pick),
  loaded travel, relocations per retrieve;
* calibration hints: on each side, cycle time regressed on the lift's bridge metres and hoist
  metres (ordinary least squares): the slopes are seconds per metre of travel and of hoisting,
  the intercept the time every lift takes besides (pick, place, accelerations).  Where the two
  sides' coefficients differ beyond their 95% intervals, the scenario's speed or pick/place
  time is off, and the ratio says by how much.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from cranesim.codes import LIFT_RELOCATE, LIFT_RETRIEVE, LIFT_STORE
from cranesim.errors import UserError
from cranesim.scenario.layout import Layout
from cranesim.scenario.places import Places
from cranesim.scenario.recorded import open_recorded
from cranesim.scenario.schema import Scenario
from cranesim.scenario.tables import Clock, Column, Problems, open_table

__all__ = [
    "MOVES",
    "KINDS",
    "LiftCollector",
    "MoveLog",
    "compare_moves",
    "read_moves",
    "simulate_moves",
    "write_moves",
]

#: the columns of a move log
MOVES = (
    Column("crane", "str", doc="a [[cranes]] name"),
    Column("start_at", "time", doc="the crane set off for the coil"),
    Column("end_at", "time", doc="the coil was set down"),
    Column("from", "str", doc="where the coil was picked"),
    Column("to", "str", doc="where it was set down"),
    Column("coil_id", "str", required=False, doc="the plant's coil id"),
)
#: lift kinds by code
KINDS = {LIFT_STORE: "store", LIFT_RETRIEVE: "retrieve", LIFT_RELOCATE: "relocate"}


@dataclass
class MoveLog:
    """Lifts as arrays (one entry per lift, in order of start): crane index, start and end (s),
    from and to (layout locations), kind code, and the coil's id (the plant's, or the model's
    number)."""

    crane: np.ndarray
    start: np.ndarray
    end: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray
    coil: list[str]
    source: str = ""

    @classmethod
    def from_rows(cls, rows: list[tuple], source: str = "") -> MoveLog:
        """From ``(crane, start, end, src, dst, kind, coil)`` rows, sorted by start."""
        rows = sorted(rows, key=lambda r: (r[1], r[0]))
        cols = list(zip(*rows)) if rows else [()] * 7
        i, f = np.int64, np.float64
        return cls(
            np.asarray(cols[0], i), np.asarray(cols[1], f), np.asarray(cols[2], f),
            np.asarray(cols[3], i), np.asarray(cols[4], i), np.asarray(cols[5], i),
            [str(c) for c in cols[6]], source,
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.start)


def _kind(lay: Layout, src: int, dst: int) -> int:
    S, st = lay.n_slots, lay.n_slots + lay.n_station
    if S <= src < st and dst < S:
        return LIFT_STORE
    if src < S and dst >= st:
        return LIFT_RETRIEVE
    if src < S and dst < S:
        return LIFT_RELOCATE
    return -1


def read_moves(
    path: str | os.PathLike[str], sc: Scenario, lay: Layout, clock: Clock | None = None
) -> MoveLog:
    """Read a plant's move log, every row checked (crane, places, times, a lift the model
    makes, no crane on two lifts at once).

    Raises
    ------
    UserError
        Naming the first problem's file, row and column.
    """
    problems = Problems()
    if clock is None:
        origin = sc.demand.origin()
        if origin is None and sc.demand.source == "recorded":
            origin = open_recorded(sc, lay).clock.origin  # the recorded demand's origin
        clock = Clock(origin)
    t = open_table(path, MOVES, problems, clock, "--moves")
    if t is None:
        raise UserError(problems.summary())
    if clock.origin is None:
        clock.origin = _first_datetime(t)
    places = Places(sc, lay)
    cranes = {c.name: i for i, c in enumerate(sc.cranes)}
    rows: list[tuple] = []
    busy: dict[int, tuple[float, int]] = {}  # crane -> (end of its last lift, row)
    for b in t.batches():
        v = b.values
        ids = v["coil_id"] if t.has("coil_id") else [""] * b.n
        for i, (cname, t0, t1, a, z, cid) in enumerate(
            zip(v["crane"], v["start_at"], v["end_at"], v["from"], v["to"], ids)
        ):
            row = b.row0 + i
            c = cranes.get(cname.strip())
            if c is None:
                problems.at(t.file, row, "crane", cname, f"no such crane ({', '.join(cranes)})")
                continue
            if t0 is None or t1 is None:
                continue  # said already
            if not (t0 == t0 and t1 == t1):
                problems.at(t.file, row, "start_at" if t0 != t0 else "end_at", "", "empty")
                continue
            if t1 < t0:
                problems.at(t.file, row, "end_at", t1, f"before its start_at ({t0!r})")
                continue
            locs = []
            for col, text in (("from", a), ("to", z)):
                loc = places.loc(text)
                if isinstance(loc, str):
                    problems.at(t.file, row, col, text, loc)
                else:
                    locs.append(loc)
            if len(locs) < 2:
                continue
            k = _kind(lay, *locs)
            if k < 0:
                problems.at(t.file, row, "from/to", f"{a} -> {z}",
                            "no lift the model makes (station to floor, floor to bay or floor "
                            "to floor)")  # fmt: skip
                continue
            prev = busy.get(c)
            if prev is not None and t0 < prev[0]:
                problems.at(t.file, row, "start_at", t0,
                            f"crane {cname} is still on the lift of row {prev[1]} (to {prev[0]!r})")  # fmt: skip
                continue
            busy[c] = (t1, row)
            rows.append((c, t0, t1, locs[0], locs[1], k, cid))
    if problems:
        raise UserError(problems.summary())
    return MoveLog.from_rows(rows, str(path))


def _first_datetime(t: Any):
    """The log's first ``start_at`` if it is a date-time, else None."""
    from datetime import datetime

    v = t.first("start_at")
    if isinstance(v, datetime) or v is None:
        return v
    try:
        float(v)
        return None
    except (TypeError, ValueError):
        try:
            return datetime.fromisoformat(str(v).strip())
        except ValueError:
            return None


class LiftCollector:
    """A record sink that keeps each lift as the plant would log it: its crane, when it began
    (its first record: a runway wait or the empty move), when its coil was set down, from, to,
    kind and coil."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self._open: dict[int, float] = {}

    def __call__(self, rec: tuple) -> None:
        lift = rec[4]
        if lift < 0:
            return
        kind = rec[3]
        if kind == "place":
            t0 = self._open.pop(lift, rec[0])
            k = {"store": LIFT_STORE, "retrieve": LIFT_RETRIEVE}.get(rec[5], LIFT_RELOCATE)
            self.rows.append((rec[2], t0, rec[0] + rec[1], rec[8], rec[9], k, rec[6]))
        elif kind in ("wait", "move_empty") and lift not in self._open:
            self._open[lift] = rec[0]

    def log(self, source: str = "simulated") -> MoveLog:
        return MoveLog.from_rows(self.rows, source)


def simulate_moves(
    sc: Scenario, hours: float, seed: int, crew: str = "automated",
    progress: Callable[[float], None] | None = None,
) -> MoveLog:  # fmt: skip
    """The lifts of a run: the automated cranes or the modelled manual crew (``crew``),
    ``hours`` model hours, on the scenario's demand."""
    from cranesim.model.crew import crew_warehouse

    sink = LiftCollector()
    wh = crew_warehouse(sc, seed, "manual" if crew == "manual" else "automated", sink=sink)
    wh.run_until(hours * 3600.0, progress)
    return sink.log(f"cranesim ({crew} crew, {hours:g} h, seed {seed})")


def moves_from_trace(path: str | os.PathLike[str]) -> MoveLog:
    """The lifts of a recorded run (``cranesim run --trace``)."""
    from cranesim.record.trace import iter_records

    sink = LiftCollector()
    for rec in iter_records(path):
        sink(rec)
    return sink.log(f"trace {path}")


def write_moves(log: MoveLog, path: str | os.PathLike[str], sc: Scenario, lay: Layout) -> None:
    """Write a move log in the plant's format (CSV or Parquet, atomically)."""
    from cranesim.record.tables import TableWriter

    places = Places(sc, lay)
    names = [c.name for c in sc.cranes]
    cols = [(c.name, "f8" if c.kind == "time" else "str") for c in MOVES]
    with TableWriter(path, cols) as w:
        for i in range(len(log)):
            w.write((names[int(log.crane[i])], float(log.start[i]), float(log.end[i]),
                     places.label(int(log.src[i])), places.label(int(log.dst[i])), log.coil[i]))  # fmt: skip


# ---------------------------------------------------------------------------- the comparison
def _travel(log: MoveLog, lay: Layout, n_cranes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per lift: empty bridge + trolley metres from the crane's previous set-down (NaN for its
    first lift), loaded metres, and the bridge metres of both."""
    x, y = lay.loc_x, lay.loc_y
    empty = np.full(len(log), math.nan)
    bridge_empty = np.full(len(log), math.nan)
    order = np.argsort(log.start, kind="stable")
    last = [-1] * n_cranes
    for i in order.tolist():
        c = int(log.crane[i])
        s = int(log.src[i])
        if last[c] >= 0:
            bridge_empty[i] = abs(x[s] - x[last[c]])
            empty[i] = bridge_empty[i] + abs(y[s] - y[last[c]])
        last[c] = int(log.dst[i])
    bridge_loaded = np.abs(x[log.dst] - x[log.src])
    loaded = bridge_loaded + np.abs(y[log.dst] - y[log.src])
    return empty, loaded, bridge_empty + bridge_loaded


def _fit(cycle: np.ndarray, bridge: np.ndarray, hoist: np.ndarray) -> dict[str, Any]:
    """OLS of cycle time on bridge and hoist metres: coefficients with standard errors."""
    ok = np.isfinite(cycle) & np.isfinite(bridge)
    X = np.column_stack([np.ones(ok.sum()), bridge[ok], hoist[ok]])
    yv = cycle[ok]
    n, p = X.shape
    if n <= p + 2 or np.linalg.matrix_rank(X) < p:
        return {"n": int(n)}
    beta, *_ = np.linalg.lstsq(X, yv, rcond=None)
    resid = yv - X @ beta
    s2 = float(resid @ resid) / (n - p)
    se = np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))
    names = ("fixed_s", "s_per_bridge_m", "s_per_hoist_m")
    return {"n": int(n), **{k: [float(b), float(e)] for k, b, e in zip(names, beta, se)}}


def _side(log: MoveLog, sc: Scenario, lay: Layout, t0: float, t1: float) -> dict[str, Any]:
    n = len(sc.cranes)
    empty, loaded, bridge = _travel(log, lay, n)
    top = sc.bay.hook_travel_height_m
    hoist = 2.0 * (top - lay.loc_z[log.src]) + 2.0 * (top - lay.loc_z[log.dst])
    cycle = log.end - log.start
    inside = (log.end > t0) & (log.end <= t1)
    hours = (t1 - t0) / 3600.0
    per_crane = np.bincount(log.crane[inside], minlength=n)
    out: dict[str, Any] = {
        "source": log.source,
        "lifts": int(inside.sum()),
        "lifts_per_hour": float(inside.sum() / hours) if hours > 0 else math.nan,
        "lifts_per_hour_by_crane": (per_crane / hours).tolist() if hours > 0 else [],
        "kinds": {},
        "empty_m_mean": float(np.nanmean(empty[inside])) if inside.any() else math.nan,
        "loaded_m_mean": float(np.mean(loaded[inside])) if inside.any() else math.nan,
        "fit": _fit(cycle[inside], bridge[inside], hoist[inside]),
    }
    for k, name in KINDS.items():
        sel = inside & (log.kind == k)
        c = cycle[sel]
        out["kinds"][name] = {
            "lifts": int(sel.sum()),
            "cycle_s": np.percentile(c, [25, 50, 75]).tolist() if c.size else [],
            "cycle_s_mean": float(c.mean()) if c.size else math.nan,
        }
    retr = out["kinds"]["retrieve"]["lifts"]
    out["relocations_per_100_retrieves"] = (
        100.0 * out["kinds"]["relocate"]["lifts"] / retr if retr else math.nan
    )
    out["_samples"] = {
        "cycle": {name: cycle[inside & (log.kind == k)] for k, name in KINDS.items()},
        "empty": empty[inside & np.isfinite(empty)],
        "hourly": np.histogram(log.end[inside], bins=max(int(round(hours)), 1), range=(t0, t1))[0],
        "longest": [(float(cycle[i]), log.coil[i], int(log.crane[i]), float(log.start[i]))
                    for i in np.argsort(-np.where(inside, cycle, -np.inf))[:5] if inside[i]],
    }  # fmt: skip
    return out


def _ks(a: np.ndarray, b: np.ndarray) -> dict[str, float] | None:
    from scipy.stats import ks_2samp

    if len(a) < 2 or len(b) < 2:
        return None
    with warnings.catch_warnings():  # scipy falls back from the exact p-value, and says so
        warnings.simplefilter("ignore", RuntimeWarning)
        r = ks_2samp(a, b)
    return {"D": float(r.statistic), "p": float(r.pvalue)}


def _hints(sim: dict, rec: dict, sc: Scenario, crew: str) -> list[dict[str, Any]]:
    """Where the recorded lifts' regression differs from the simulated one beyond the 95%
    intervals, what it says about the scenario's parameters (the manual crew's where it has
    its own: travel speed as a fraction of top speed, extra time per pick and set-down)."""
    manual = crew == "manual"
    out = []
    fs, fr = sim["fit"], rec["fit"]
    what = {
        "fixed_s": ("time per lift besides travel and hoisting (pick, place, accelerations)", "s"),
        "s_per_bridge_m": ("bridge travel, seconds per metre", "s/m"),
        "s_per_hoist_m": ("hoisting, seconds per metre of hoist travel", "s/m"),
    }
    for key, (label, unit) in what.items():
        if key not in fs or key not in fr:
            continue
        (bs, es), (br, er) = fs[key], fr[key]
        d, e = br - bs, 1.96 * math.hypot(es, er)
        hint = {"key": key, "label": label, "unit": unit, "simulated": [bs, 1.96 * es],
                "recorded": [br, 1.96 * er], "difference": [d, e], "off": abs(d) > e}  # fmt: skip
        if key != "fixed_s" and bs > 0 and br > 0:
            hint["speed_ratio"] = bs / br  # recorded speed / simulated speed
            if manual and key == "s_per_bridge_m":
                hint["parameter"] = "[manual] speed_fraction"
                v = sc.manual.speed_fraction
            else:
                hint["parameter"] = "hoist_speed_m_min" if "hoist" in key else "bridge_speed_m_min"
                v = getattr(sc.crane, hint["parameter"])
            hint["scenario_value"], hint["suggested_value"] = v, v * bs / br
        elif key == "fixed_s":
            v = sc.crane.pick_s + sc.crane.place_s
            hint["parameter"] = "pick_s + place_s"
            if manual:
                hint["parameter"] += " + 2 x [manual] pick_place_extra_s"
                v += 2 * sc.manual.pick_place_extra_s
            hint["scenario_value"], hint["suggested_value"] = v, v + d
        out.append(hint)
    return out


def compare_moves(
    sim: MoveLog, rec: MoveLog, sc: Scenario, lay: Layout, crew: str = "automated"
) -> dict[str, Any]:
    """Both logs measured alike over the hours both cover (see the module docstring); a
    JSON-ready dict (the samples behind the charts under ``_samples``).  ``crew``: who drove
    the simulated cranes (the hints name the manual crew's parameters for ``"manual"``)."""
    if len(sim) == 0 or len(rec) == 0:
        raise UserError(f"nothing to compare: {len(sim)} simulated and {len(rec)} recorded lifts")
    t0 = max(0.0, float(min(sim.start.min(), rec.start.min())))
    t1 = float(min(sim.end.max(), rec.end.max()))
    s, r = _side(sim, sc, lay, t0, t1), _side(rec, sc, lay, t0, t1)
    ks = {name: _ks(s["_samples"]["cycle"][name], r["_samples"]["cycle"][name])
          for name in KINDS.values()}  # fmt: skip
    ks["empty_m"] = _ks(s["_samples"]["empty"], r["_samples"]["empty"])
    ks["lifts_per_hour"] = _ks(s["_samples"]["hourly"], r["_samples"]["hourly"])
    return {
        "window_h": [t0 / 3600.0, t1 / 3600.0],
        "cranes": [c.name for c in sc.cranes],
        "simulated": s,
        "recorded": r,
        "ks": ks,
        "crew": crew,
        "hints": _hints(s, r, sc, crew),
    }


def moves_path(text: str) -> Path:
    """``--moves LOG``: an existing .csv or .parquet file."""
    p = Path(text)
    if p.suffix.lower() not in (".csv", ".parquet"):
        raise UserError(f"--moves {text}: expected a .csv or .parquet move log")
    if not p.is_file():
        raise UserError(f"--moves {text}: no such file")
    return p


def strip_samples(result: dict[str, Any]) -> dict[str, Any]:
    """The result without the samples (for JSON)."""
    out = dict(result)
    for side in ("simulated", "recorded"):
        out[side] = {k: v for k, v in result[side].items() if k != "_samples"}
    return out
