"""What the model emits: one record type (:data:`cranesim.record.trace.COLUMNS`) for everything.

:class:`Recorder` builds the records of the warehouse's events (:meth:`Recorder.event`) and of
crane stages (:meth:`Recorder.stage`, with the stage's motion sums and energy), hands each to the
KPIs (:class:`~cranesim.record.kpi.KpiAccumulator`) and to the sink (a trace writer), if any.
Without a sink the KPIs take a crane stage's or a coil arrival's figures directly and the record
itself is not built: the summary is the same, to the bit (``tests/model/test_model.py``).
"""

from __future__ import annotations

from typing import Any, Callable

from cranesim.codes import LIFT_KINDS, STAGE_CODES
from cranesim.model.stock import Lift
from cranesim.physics.kinematics import Stage
from cranesim.record.kpi import KpiAccumulator, motion_sums

__all__ = ["Recorder", "watermark"]

NAN = float("nan")
#: the last fields of a record that concerns no truck: truck, order_coils, station_fill, inventory
_NO_TRUCK = (-1, -1, NAN, -1)


class Recorder:
    """Builds and emits the model's records.

    Parameters
    ----------
    kpi
        The KPI accumulator every record goes to.
    sink
        Also called with every record, or ``None``.
    price
        ``price(crane, moves) -> kWh`` for a crane stage's energy, or ``None`` (NaN).
    grades
        Grade names by index.
    coil_grade
        Grade index by coil id, of the coils in the warehouse (kept by the model).
    x, y
        Each crane's bridge and trolley position when stationary (kept by the runway).
    """

    def __init__(
        self,
        kpi: KpiAccumulator,
        sink: Callable[[tuple], None] | None,
        price: Callable[[int, Any], float] | None,
        grades: tuple[str, ...],
        coil_grade: dict[int, int],
        x: list[float],
        y: list[float],
    ) -> None:
        self.kpi = kpi
        self.sink = sink
        self._price = price
        self._grades = grades
        self._coil_grade = coil_grade
        self._x, self._y = x, y
        self._consume = kpi.consume
        self._stage_sums = kpi.cs.add_moves
        #: per crane, when its last record of busy time ended (a stage, or a runway wait; not a
        #: push during a lift, which overlaps its wait): what runs after it is not yet recorded
        self.busy_to = [0.0] * len(x)

    def emit(self, rec: tuple) -> None:
        """Hand a record to the KPIs and the sink."""
        self._consume(rec)
        if self.sink is not None:
            self.sink(rec)

    def event(
        self, t: float, dur: float, crane: int, kind: str, lift: Lift | None = None,
        coil: int = -1, *, src: int = -1, dst: int = -1, truck: int = -1, order: int = -1,
        fill: float = NAN, inventory: int = -1,
    ) -> None:  # fmt: skip
        """Emit a record with no motion (mill, trucks, runway waits, breaks, samples).

        ``src``/``dst``: the locations involved (a truck's bay, a coil's station place);
        ``truck``, ``order``: a truck's id and coils ordered; ``fill``: the station's fill
        after a coil; ``inventory``: coils in the warehouse at a sample.
        """
        if kind == "wait":
            self.busy_to[crane] = t + dur
        if lift is not None:
            x, y = self._x[crane], self._y[crane]
            rec = (
                t, dur, crane, kind, lift.id, LIFT_KINDS[lift.kind], lift.coil,
                self._grades[lift.grade], lift.src, lift.dst,
                x, y, x, y, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, lift.mass, NAN,
                lift.truck, -1, NAN, -1,
            )  # fmt: skip
        else:
            g = self._grades[self._coil_grade[coil]] if coil >= 0 else ""
            rec = (
                t, dur, crane, kind, -1, "", coil, g, src, dst,
                NAN, NAN, NAN, NAN, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0.0, NAN,
                truck, order, fill, inventory,
            )  # fmt: skip
        self.emit(rec)

    def coil_in(self, t: float, coil: int, loc: int, fill: float) -> None:
        """A coil reached the station place ``loc``, which is now ``fill`` full."""
        if self.sink is None:
            self.kpi.coil_in(fill)  # what consume takes from the record, without building it
        else:
            self.event(t, 0.0, -1, "coil_in", coil=coil, dst=loc, fill=fill)

    def stage(self, stage: Stage, crane: int, kind: str, lift: Lift | None, load_t: float) -> None:
        """Emit the record of a crane stage (``kind``: a :data:`~cranesim.codes.STAGE_CODES`
        name) with ``load_t`` on the hook.  Without a sink the KPIs take its figures directly
        (:meth:`CraneStageSums.add_moves <cranesim.record.kpi.CraneStageSumsPy>`, the sums
        ``consume`` adds such a record to) and the record itself is not built."""
        moves = stage.moves
        price = self._price
        if lift is None or kind != "yield":
            self.busy_to[crane] = stage.t0 + stage.dur
        energy = NAN if price is None else price(crane, moves)
        if self.sink is None:
            if lift is None:
                self._stage_sums(STAGE_CODES[kind], crane, stage.dur, -1, -1, moves, energy)
            else:
                self._stage_sums(
                    STAGE_CODES[kind], crane, stage.dur, lift.id, lift.kind, moves, energy
                )
            return
        bm, tm, hm, bs, ts, hs, bn, tn, hn = motion_sums(moves)
        if lift is None:
            ident = (-1, "", -1, "", -1, -1)
            truck = _NO_TRUCK
        else:
            ident = (
                lift.id,
                LIFT_KINDS[lift.kind],
                lift.coil,
                self._grades[lift.grade],
                lift.src,
                lift.dst,
            )
            truck = (lift.truck, -1, NAN, -1)
        self.emit(
            (stage.t0, stage.dur, crane, kind) + ident
            + (stage.x0, stage.y0, stage.x1, stage.y1, bm, tm, hm, bs, ts, hs, bn, tn, hn, load_t, energy)
            + truck
        )  # fmt: skip


def watermark(wh: Any) -> float:
    """No record the warehouse ``wh`` emits from now on starts before the returned model time:
    the earliest start of the intervals in progress, or now (``Warehouse.watermark()``).

    The model emits an interval's record when the interval ends, so records do not leave it in
    the order of their start times; a trace writer holds them until this watermark passes them
    and so writes them in time order (:meth:`TraceWriter.release
    <cranesim.record.trace.TraceWriter.release>`).  The intervals in progress are the crane
    stages (each crane's, kept by the runway, or None) and the runway waits, breaks and mill
    blockages (their starts in ``wh.open_since``).  A process that emits a record after the
    time it carries must show its start in ``open_since`` meanwhile.
    """
    w = wh.env.now
    for stage in wh.stage:
        if stage is not None and stage.t0 < w:
            w = stage.t0
    for t in wh.open_since.values():
        if t < w:
            w = t
    return w
