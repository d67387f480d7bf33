"""Simulate a scenario: :func:`run`, the model's entry point (``cranesim run`` calls it).

>>> from cranesim.scenario.load import load_config
>>> res = run(load_config(), hours=2, seed=1)  # the packaged default, automated cranes
>>> res.summary["sim_hours"], res.summary["lifts"] > 0, res.summary["energy_kwh"] > 0
(2, True, True)
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Callable

from cranesim._version import __version__
from cranesim.model.crew import crew_cranes
from cranesim.model.dispatch import SchedulerFactory
from cranesim.model.recorded import EXPORT_TABLES, ExportDemand, demand_source
from cranesim.model.warehouse import Warehouse
from cranesim.physics.planners import Planner
from cranesim.record.tables import TableSet
from cranesim.record.trace import TraceWriter, trace_meta
from cranesim.scenario.layout import build_layout
from cranesim.scenario.schema import Scenario
from cranesim.sched import CORE

if TYPE_CHECKING:
    from cranesim.physics.energy import EnergyModel
    from cranesim.record.atomic import Outputs

__all__ = ["RunResult", "run"]


class RunResult:
    """The outcome of :func:`run`: ``summary`` (a JSON-ready dict of the KPIs, as ``cranesim
    run --json`` writes it; :func:`cranesim.record.kpi.kpi_table` prints it) and the
    ``warehouse`` as the run left it."""

    def __init__(self, summary: dict, warehouse: Warehouse) -> None:
        self.summary = summary
        self.warehouse = warehouse


def run(
    sc: Scenario,
    hours: float | None = None,
    seed: int | None = None,
    *,
    crew: str = "automated",
    trace_path: str | None = None,
    progress: Callable[[float], None] | None = None,
    sink: Callable[[tuple], None] | None = None,
    scheduler: SchedulerFactory | None = None,
    planner: Planner | None = None,
    policy: str | None = None,
    energy: EnergyModel | None = None,
    outputs: Outputs | None = None,
    export_demand: str | os.PathLike[str] | None = None,
    export_format: str = "csv",
) -> RunResult:
    """Simulate ``hours`` of the scenario and return its KPIs: what ``cranesim run`` does.

    Parameters
    ----------
    sc
        A validated scenario (:func:`cranesim.load_config`).
    hours, seed
        Model hours and master seed; ``[scenario] hours`` and ``seed`` by default.
    crew
        ``"automated"``: the automated cranes (anti-sway shaping, every stage priced by the
        automated drives), as ``cranesim run``; ``"plain"``: plain trapezoid moves, no energy,
        as ``cranesim run --no-energy`` (see :func:`cranesim.model.crew.crew_cranes`).
    trace_path
        Stream every record to this CSV or Parquet file (:mod:`cranesim.record.trace`: in
        time order, with the run's metadata), written atomically: if the run fails (e.g. an
        invariant is violated, the disk is full, the run is interrupted) no file is left
        behind, not even a temporary one.
    outputs
        The :class:`~cranesim.record.atomic.Outputs` group the trace and the exported demand
        join (their temporary files are created before the run; the caller commits the group,
        with its other files, after it).  ``None``: they are moved into place when the run
        ends.
    progress
        Called with the model hours done, every model hour.
    sink
        Also called with every record.
    scheduler
        ``factory(state, warehouse)`` of the scheduler (:class:`~cranesim.model.warehouse.Warehouse`);
        the core by default.
    planner, energy
        Override the crew's motion planner and energy model.
    policy
        Override ``[scheduler] policy``.
    export_demand, export_format
        Write the run's demand (initial stock, the mill's coils and stoppages, the trucks'
        orders) to this folder in the recorded format (:mod:`cranesim.scenario.demand`), as
        ``csv`` or ``parquet`` files, atomically: ``[demand] dir`` (or ``--demand``) pointing
        there repeats this run, event for event, with the same scenario and seed.

    Returns
    -------
    RunResult
        ``summary`` holds the KPIs (:meth:`cranesim.record.kpi.KpiAccumulator.summary`), the
        run's identity (scenario, version, core, hours, seed), the inventory at start and end,
        the SimPy events processed and the wall time.
    """
    hours = sc.scenario.hours if hours is None else hours
    seed = sc.scenario.seed if seed is None else seed
    cranes = crew_cranes(sc, crew)
    planner = cranes["planner"] if planner is None else planner
    energy = cranes["energy"] if energy is None else energy
    layout = build_layout(sc)
    writer = None
    if trace_path:
        meta = trace_meta(sc, layout, seed=seed, hours=hours, crew=crew)
        writer = TraceWriter(trace_path, meta, outputs=outputs)
    sinks = [f for f in (writer.write if writer else None, sink) if f is not None]
    if len(sinks) == 2:
        a, b = sinks

        def both(rec: tuple) -> None:
            a(rec)
            b(rec)

        combined = both
    else:
        combined = sinks[0] if sinks else None
    exporter: list[ExportDemand] = []

    def exporting(wh: Warehouse) -> ExportDemand:
        out = TableSet(export_demand, EXPORT_TABLES, export_format, outputs=outputs)
        try:
            exporter.append(ExportDemand(demand_source(wh), out, wh.sc, wh.lay))
        except BaseException:
            out.abort()
            raise
        return exporter[0]

    t_wall = time.perf_counter()
    try:
        wh = Warehouse(
            sc,
            seed,
            sink=combined,
            planner=planner,
            policy=policy,
            layout=layout,
            energy=energy,
            scheduler=scheduler,
            demand=exporting if export_demand is not None else None,
        )
        step = progress
        if writer is not None:  # every model hour, write what can no longer be preceded

            def step(h: float) -> None:
                writer.release(wh.watermark())
                if progress is not None:
                    progress(h)

        wh.run_until(hours * 3600.0, step)
        wh.close()  # what is still open at the horizon counts
        for e in exporter:
            e.close()
        if writer:
            writer.close()
    except BaseException:
        if writer:
            writer.abort()
        for e in exporter:
            e.abort()
        raise
    wall = time.perf_counter() - t_wall
    lay = wh.lay
    summary = {
        "scenario": sc.scenario.name,
        "version": __version__,
        "core": CORE,
        "sim_hours": hours,
        "seed": seed,
        # coils the warehouse can hold, counted as the inventory is: floor, station and hooks
        "capacity": lay.n_slots + lay.n_station + wh.n,
        "capacity_floor": lay.n_slots,
        "capacity_station": lay.n_station,
        "capacity_hooks": wh.n,
        "inventory_start": wh.inventory_start,
        "inventory_end": wh.inventory(),
        # the backlog at the end (the trucks' is in the KPIs: trucks_waiting_end, ...)
        "jobs_open_end": wh.jobs.pending,
        "station_coils_end": wh.stock.on_station,
        "coils_owed_end": sum(t.remaining for t in wh.trucks.values()),
    }
    summary.update(wh.kpi.summary(hours * 3600.0))
    # the hourly samples miss the final state: include it in the range
    end, lo, hi = summary["inventory_end"], summary["inventory_min"], summary["inventory_max"]
    summary["inventory_max"] = end if hi is None else max(hi, end)
    summary["inventory_min"] = end if lo is None else min(lo, end)
    summary["events"] = wh.events
    summary["wall_s"] = wall
    summary["sim_hours_per_wall_s"] = hours / wall if wall > 0 else None
    return RunResult(summary, wh)
