"""Where the warehouse's demand comes from: the coils at the start, the mill's coils and
stoppages, the trucks and their orders.

The model's processes (:meth:`Warehouse.mill <cranesim.model.warehouse.Warehouse.mill>`,
:meth:`~cranesim.model.warehouse.Warehouse.truck_arrivals`) and the initial stock
(:class:`~cranesim.model.stock.Stock`) read a *demand source*: an object with the methods of
:class:`DemandSource`.  Two sources are the model's own:

* :class:`SyntheticDemand`: the generators of ``[mill]``, ``[trucks]`` and ``[storage]
  initial_fill``, each on its own random stream;
* :class:`~cranesim.model.recorded.RecordedDemand`: a plant's records (``[demand] source =
  "recorded"``, files described in :mod:`cranesim.scenario.demand`), streamed as the run goes.

Both feed the same processes and the same scheduler, so a recorded run differs from a synthetic
one only in what arrives when.  :class:`~cranesim.model.recorded.ExportDemand` wraps either and
writes what it delivered in the recorded format (``cranesim run --export-demand DIR``).
"""

from __future__ import annotations

from math import inf, isfinite
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Protocol

import numpy as np

from cranesim.model.stock import Coils, fill_initial_stock, truck_rate_per_h
from cranesim.scenario.layout import Layout
from cranesim.scenario.schema import Scenario
from cranesim.sched.state import SchedState

if TYPE_CHECKING:
    from cranesim.model.stock import Stock

__all__ = [
    "DemandFactory",
    "DemandSource",
    "MillCoil",
    "MillStop",
    "SyntheticDemand",
]


class MillCoil(NamedTuple):
    """The mill's next coil: ready at the station ``delay`` s from now (the mill waits for a
    free place from then), its grade index and mass (t), and the plant's id (None: the model's
    own number)."""

    delay: float
    grade: int
    mass: float
    ident: str | None = None


class MillStop(NamedTuple):
    """A stoppage of the mill starting ``delay`` s from now and lasting ``dur`` s."""

    delay: float
    dur: float


class DemandSource(Protocol):
    """What the warehouse asks of its demand.

    The warehouse calls :meth:`fill` once (the scheduler's arrays, no coils yet), then
    :meth:`bind` with its stock; from then on its mill process asks :meth:`next_mill` after
    each coil delivered (:meth:`delivered`) or stoppage ended, and its truck process asks
    :meth:`next_truck` and, when the truck is there, :meth:`truck_order`.
    """

    def fill(self, st: SchedState, lay: Layout, coils: Coils) -> list[str] | None:
        """Put the initial stock on the floor (through ``coils.new``); return the plant's ids
        in the order of the coils' numbers, or None (the numbers are the ids)."""
        ...

    def bind(self, stock: Stock) -> None:
        """The warehouse's stock, built with :meth:`fill`."""
        ...

    def next_mill(self, now: float) -> MillCoil | MillStop | None:
        """The mill's next coil or stoppage; None when the mill rolls no more."""
        ...

    def delivered(self, coil: int, now: float) -> None:
        """The coil of the last :meth:`next_mill` is on the station as number ``coil``."""
        ...

    def next_truck(self, now: float) -> float | None:
        """Seconds from now to the next truck; None when no more trucks come."""
        ...

    def truck_order(self, now: float, coils: Coils) -> tuple[str | None, list[tuple[int, int]]]:
        """The truck that arrived now: the plant's id (None: the model's number) and its order
        ``[(grade, coils), ...]``, promised to it (``coils.promised``); an empty order sends no
        truck."""
        ...


class SyntheticDemand:
    """The scenario's generators: the mill's product mix, rhythm and stoppages (``[mill]``), the
    trucks sent by dispatch with orders drawn from the stock (``[trucks]``), and the initial
    stock (``[storage] initial_fill``).

    Each draws from its own stream (``rng_mill``, ``rng_trucks``, ``rng_init``), so a change to
    one leaves the others' draws as they were.
    """

    def __init__(
        self,
        sc: Scenario,
        rng_mill: np.random.Generator,
        rng_trucks: np.random.Generator,
        rng_init: np.random.Generator,
    ) -> None:
        self.sc = sc
        self.rng_mill, self.rng_trucks, self.rng_init = rng_mill, rng_trucks, rng_init
        m = sc.mill
        cv = m.interval_cv
        self._shape = 1.0 / (cv * cv) if cv > 0 else 0.0
        self._stops = m.stop_mean_min > 0 and isfinite(m.stop_mtbf_h)
        #: rolling time until the next stoppage, and rolled since the last one
        self._next_stop = rng_mill.exponential(m.stop_mtbf_h * 3600.0) if self._stops else inf
        self._rolled = 0.0
        self.truck_rate_per_h = truck_rate_per_h(sc)
        self._stock: Stock | None = None
        self._coils: Coils | None = None

    def fill(self, st: SchedState, lay: Layout, coils: Coils) -> None:
        fill_initial_stock(st, lay, coils, self.sc.storage.initial_fill, self.rng_init)
        return None

    def bind(self, stock: Stock) -> None:
        self._stock = stock
        self._cap = len(stock.st.s_coil)

    # ---------------------------------------------------------------- the mill
    def next_mill(self, now: float) -> MillCoil | MillStop:
        """A stoppage when the mill has rolled its time between stoppages (drawn then), else
        the next coil: a product of the mix after a gamma-distributed interval (mean: its
        mass at ``rate_t_h``)."""
        m, rng = self.sc.mill, self.rng_mill
        if self._rolled >= self._next_stop:
            dur = rng.exponential(m.stop_mean_min * 60.0)
            self._rolled = 0.0
            self._next_stop = rng.exponential(m.stop_mtbf_h * 3600.0)
            return MillStop(0.0, dur)
        g, mass = self._stock.coils.draw(rng)
        interval = mass / m.rate_t_h * 3600.0
        if self._shape > 0:
            interval *= rng.gamma(self._shape, 1.0 / self._shape)
        self._rolled += interval
        return MillCoil(interval, g, mass)

    def delivered(self, coil: int, now: float) -> None:
        pass

    # ---------------------------------------------------------------- trucks
    def next_truck(self, now: float) -> float:
        """Dispatch sends trucks at the rate that carries away what the mill makes, more when
        the stock is above ``inventory_target_fill``, fewer below (exponential gaps)."""
        tr = self.sc.trucks
        target = max(tr.inventory_target_fill, 0.05)
        fill = self._stock.inventory() / self._cap
        mult = max(0.1, 1.0 + tr.inventory_gain * (fill - target) / target)
        return self.rng_trucks.exponential(3600.0 / (self.truck_rate_per_h * mult))

    def truck_order(self, now: float, coils: Coils) -> tuple[None, list[tuple[int, int]]]:
        """``order_coils_min``-``max`` coils in up to ``max_grades_per_order`` grades, drawn
        from what is in stock and not yet promised (empty when nothing is)."""
        tr, rng = self.sc.trucks, self.rng_trucks
        n = int(rng.integers(tr.order_coils_min, tr.order_coils_max + 1))
        k = int(rng.integers(1, tr.max_grades_per_order + 1))
        return None, coils.order(rng, n, k)


#: ``factory(warehouse) -> source``: how a warehouse gets its demand (``Warehouse(...,
#: demand=factory)``), called before the initial stock is laid out
DemandFactory = Callable[[Any], DemandSource]
