"""Checking recorded demand before a run: every file read once, in batches.

:func:`check_demand` reads the files with the row readers of :mod:`cranesim.scenario.recorded`
(the ones the run streams, so both read every value alike) and adds what needs several rows or
files: duplicate coil ids, upper coils without their supports, coils ordered twice, orders larger
than a bay's job table, orders that can never be filled (an error, or cut with ``short_orders =
"trim"``); its notes say what the run will do (trucks that wait for coils rolled later, a run
longer than the records).  :func:`require_demand` raises the first problem as a
:class:`~cranesim.scenario.recorded.DemandError`: every command that runs the model calls it
first, so bad files stop with exit status 2 and nothing run.

>>> import pathlib, tempfile
>>> from cranesim.scenario.load import load_config
>>> from cranesim.scenario.layout import build_layout
>>> from cranesim.scenario.recorded import with_demand
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "coils.csv").write_text("coil_id,grade,mass_t,ready_at\\nA1,ER70S-6-5.5,2.0,60\\n")
>>> _ = (d / "trucks.csv").write_text("truck_id,arrive_at,grade,coils\\nT1,30,ER70S-6-5.5,2\\n")
>>> sc = with_demand(load_config(), d)
>>> print(check_demand(sc, build_layout(sc)).problems.errors[0])  # doctest: +ELLIPSIS
trucks.csv: row 1, column coils = 2: truck T1 orders 2 coils of ER70S-6-5.5, but the stock ...
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cranesim.scenario.layout import Layout
from cranesim.scenario.recorded import (
    DemandError,
    IdIndex,
    Recorded,
    ids_at,
    open_recorded,
    trim_order,
)
from cranesim.scenario.schema import Scenario
from cranesim.scenario.tables import Problems

__all__ = ["DemandCheck", "check_demand", "require_demand"]


@dataclass
class DemandCheck:
    """What :func:`check_demand` found: ``problems`` (errors and notes), the counts of rows,
    and the times the files span (s)."""

    problems: Problems
    counts: dict[str, int] = field(default_factory=dict)
    first_s: float = math.nan
    last_s: float = math.nan

    def describe(self) -> str:
        c = self.counts
        span = (
            f", {self.first_s / 3600:.1f}-{self.last_s / 3600:.1f} h"
            if self.last_s == self.last_s
            else ""
        )
        return (
            f"{c.get('stock', 0)} coils in stock, {c.get('coils', 0)} from the mill, "
            f"{c.get('trucks', 0)} trucks ({c.get('ordered', 0)} coils ordered), "
            f"{c.get('stops', 0)} stoppages{span}"
        )


def check_demand(sc: Scenario, lay: Layout, hours: float | None = None) -> DemandCheck:
    """Read every recorded file of ``sc`` once, in batches, and report what cannot be used (the
    problems) and what the run will do with what it can (the notes)."""
    rec = open_recorded(sc, lay)
    out = DemandCheck(rec.problems)
    P, places, grades = rec.problems, rec.places, rec.lay.grades
    if rec.problems:  # the files are not there
        return out
    ids = IdIndex()  # coil id -> row (stock rows negative)
    stock_slots: set[int] = set()
    per_grade = [0] * len(grades)
    for r in rec.stock_rows():
        ids.add(r.ident, -r.row)
        stock_slots.add(r.slot)
        per_grade[r.grade] += 1
    sup = rec.lay.slot_sup
    stock_file = rec.files["stock"].name if rec.files["stock"] is not None else ""
    for s in sorted(stock_slots):
        missing = [int(x) for x in sup[s] if x >= 0 and int(x) not in stock_slots]
        if missing:
            P.add(
                f"{stock_file}: place {places.label(s)}: an upper coil needs coils on "
                f"{' and '.join(places.label(m) for m in missing)} beneath it"
            )
    out.counts["stock"] = len(stock_slots)
    n_coils = 0
    first, last = math.inf, -math.inf
    in_stock = list(per_grade)
    for r in rec.coil_rows():
        ids.add(r.ident, r.row)
        n_coils += 1
        per_grade[r.grade] += 1
        first, last = min(first, r.ready), max(last, r.ready)
    out.counts["coils"] = n_coils
    _duplicates(rec, ids.duplicates())
    # orders: coils that exist, each ordered once, never more than will ever be there
    left = list(per_grade)
    short_mode = sc.demand.short_orders
    ordered = IdIndex()
    n_trucks = n_ordered = n_late = 0
    shorts: list[str] = []
    avail = list(in_stock)
    later = rec.quiet().coil_rows()  # the coils that reach the station, as trucks arrive
    nxt = next(later, None)
    cap = sc.trucks.order_coils_max
    trucks_file = rec.files["trucks"].name
    for tr in rec.truck_rows():
        n_trucks += 1
        first, last = min(first, tr.arrive), max(last, tr.arrive)
        for row, cid in tr.coil_ids:
            ordered.add(cid, row)
        size = sum(q for _, q in tr.lines)
        if size > cap:
            P.at(
                trucks_file,
                tr.row,
                "truck_id",
                tr.ident,
                f"orders {size} coils, more than [trucks] order_coils_max = {cap} (the job "
                "table holds one full order per bay): raise order_coils_max",
            )
        while nxt is not None and nxt.ready <= tr.arrive:
            avail[nxt.grade] += 1
            nxt = next(later, None)
        late = False
        for (g, q), (_, got, short) in zip(tr.lines, trim_order(tr.lines, left)):
            avail[g] -= got
            late = late or avail[g] < 0
            n_ordered += got if short_mode == "trim" else q
            if short:
                msg = (
                    f"truck {tr.ident} orders {q} coils of {grades[g]}, but the stock and the "
                    f"mill hold only {got} that no earlier truck ordered"
                )
                if short_mode == "error":
                    P.at(
                        trucks_file,
                        tr.row,
                        "coils" if not tr.coil_ids else "coil_id",
                        q,
                        msg + ": the truck would wait at its bay to the end of the run "
                        '(set [demand] short_orders = "trim" to cut such orders)',
                    )
                else:
                    shorts.append(f"row {tr.row}: {msg}, cut to {got}")
        n_late += late
    pairs = ordered.duplicates()
    found = ids_at(rec, "trucks", "coil_id", {r for p in pairs for r in p})
    for a, b in pairs:
        if found.get(a) == found.get(b):
            P.at(trucks_file, b, "coil_id", found.get(b, ""), f"ordered twice (row {a})")
    out.counts.update(trucks=n_trucks, ordered=n_ordered)
    if shorts:
        P.note(
            f"{trucks_file}: {len(shorts)} order lines cut to what can be filled "
            f'(short_orders = "trim"), e.g. {shorts[0]}'
        )
    if n_late:
        P.note(
            f"{trucks_file}: {n_late} trucks order coils the stock does not hold when they "
            "arrive: they wait at their bay for coils rolled later"
        )
    n_stops = 0
    for s in rec.stop_rows():
        n_stops += 1
        last = max(last, s.start + s.dur)
    out.counts["stops"] = n_stops
    if first <= last:
        out.first_s, out.last_s = first, last
    if rec.files["stock"] is None:
        P.note("no stock file: the warehouse starts empty ([storage] initial_fill is not used)")
    if hours is not None and last == last and last < hours * 3600.0:
        P.note(
            f"the records end at {last / 3600:.2f} h: the run goes on to {hours:g} h "
            "without arrivals"
        )
    return out


def _duplicates(rec: Recorded, pairs: list[tuple[int, int]]) -> None:
    """Report coil ids that appear twice (rows: stock negative, coils positive)."""
    if not pairs:
        return
    rows = {r for p in pairs for r in p}
    text = {-r: v for r, v in ids_at(rec, "stock", "coil_id", {-r for r in rows if r < 0}).items()}
    text.update(ids_at(rec, "coils", "coil_id", {r for r in rows if r > 0}))
    name = {t: rec.files[t].name for t in ("stock", "coils") if rec.files[t] is not None}
    for a, b in pairs:
        if text.get(a) != text.get(b):
            continue  # two ids that share a hash
        where = f"{name['stock']} row {-a}" if a < 0 else f"{name['coils']} row {a}"
        file, row = (name["stock"], -b) if b < 0 else (name["coils"], b)
        rec.problems.at(file, row, "coil_id", text[b], f"duplicate coil id (first: {where})")


def require_demand(sc: Scenario, lay: Layout, hours: float | None = None) -> DemandCheck | None:
    """Check the recorded demand of ``sc`` before a run (None when it is synthetic).

    Raises
    ------
    DemandError
        Naming the first problem's file, row and column, and how many more there are.
    """
    if sc.demand.source != "recorded":
        return None
    check = check_demand(sc, lay, hours)
    if check.problems:
        raise DemandError(check.problems.summary("'cranesim validate' lists them all"))
    return check
