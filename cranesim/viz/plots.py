"""The side plots of the animation: stock, station buffer, truck queue, crane energy over time."""

from __future__ import annotations

from math import isnan
from typing import Callable, Sequence

import numpy as np

from cranesim.viz.qt import QtCore, pg
from cranesim.viz.state import Snapshot

__all__ = ["SidePlots", "PANE_COLORS", "CountAxis"]

#: One colour per pane (the automated and the manual run side by side).
PANE_COLORS = ("#1f4e9e", "#c0392b")

#: below this window width the plots use short titles and no axis labels, so that all four fit
COMPACT_WIDTH = 1300


class CountAxis(pg.AxisItem):
    """An axis of counts: ticks on whole numbers only (no 0.5 truck)."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        levels = super().tickSpacing(minVal, maxVal, size)
        whole = [(sp, off) for sp, off in levels if sp >= 1 and float(sp).is_integer()]
        return whole or [(1.0, 0.0)]


class SidePlots(pg.GraphicsLayoutWidget):
    """Inventory, station buffer and mill blocked time, truck queue, cumulative crane energy."""

    PLOTS = (
        ("inventory", "Stock in the warehouse", "coils"),
        ("station", "Unloading station buffer", "coils"),
        ("queue", "Trucks waiting for a bay", "trucks"),
        ("energy_kwh", "Crane energy (cumulative)", "kWh"),
    )
    #: the plots whose values are counts (whole-number ticks)
    COUNTS = frozenset(("inventory", "station", "queue"))

    def __init__(
        self, labels: Sequence[str], capacity: int, station_places: int, replay: bool = False
    ) -> None:
        super().__init__()
        self.setBackground("w")
        self.labels = list(labels)
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, list[pg.PlotDataItem]] = {}
        self.cursors: list[pg.InfiniteLine] = []
        self.compact = False
        for i, (key, title, unit) in enumerate(self.PLOTS):
            axes = {"left": CountAxis("left")} if key in self.COUNTS else None
            p = self.addPlot(row=0, col=i, axisItems=axes)
            p.setMenuEnabled(False)
            p.hideButtons()
            p.setTitle(title, color="#101010", size="10pt")
            p.setLabel("bottom", "model time (h)", color="#303030")
            p.setLabel("left", unit, color="#303030")
            p.showGrid(x=True, y=True, alpha=0.25)
            for ax in ("bottom", "left"):
                p.getAxis(ax).setTextPen("#303030")
                p.getAxis(ax).setPen("#808080")
                p.getAxis(ax).enableAutoSIPrefix(False)
            if len(self.labels) > 1:
                p.addLegend(offset=(-5, -5), labelTextColor="#202020", brush=(255, 255, 255, 200))
            self.curves[key] = [
                p.plot([], [], pen=pg.mkPen(PANE_COLORS[k % 2], width=2), name=lab)
                for k, lab in enumerate(self.labels)
            ]
            if key == "inventory":
                p.addItem(
                    pg.InfiniteLine(
                        pos=capacity,
                        angle=0,
                        pen=pg.mkPen("#909090", style=QtCore.Qt.DashLine),
                        label=f"capacity {capacity}",
                        labelOpts={"color": "#606060", "position": 0.5},
                    )
                )
                p.setYRange(0, capacity * 1.05)
            if key == "station":
                p.setYRange(0, station_places + 0.3)
            if replay:
                cur = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#000000", width=1))
                p.addItem(cur)
                self.cursors.append(cur)
            self.plots[key] = p
        self._titles: dict[str, str] = {}
        self.replay = replay
        self.t_range: tuple[float, float] | None = None  #: fixed time axis (h), for a replay
        self._xr: tuple[float, float] | None = None
        self._yr: dict[str, float] = {}

    def set_compact(self, compact: bool) -> None:
        """Short titles, no axis labels (a narrow window): all four plots stay in view."""
        if compact == self.compact:
            return
        self.compact = compact
        for key, _title, unit in self.PLOTS:
            p = self.plots[key]
            p.showLabel("bottom", not compact)
            p.showLabel("left", not compact)
        self._titles.clear()

    def set_title(self, key: str, text: str) -> None:
        if self._titles.get(key) != text:
            self._titles[key] = text
            size = "8pt" if self.compact else "10pt"
            self.plots[key].setTitle(text, color="#101010", size=size)

    def update_series(self, series_list, t_now: float, snaps: Sequence[Snapshot]) -> None:
        """Redraw the curves (to ``t_now``) and the titles with the current totals."""
        t_end = None if self.replay else t_now
        for key, *_ in self.PLOTS:
            for k, ser in enumerate(series_list):
                x, y = ser.steps(key, t_end, 3600.0)
                if key == "energy_kwh":
                    ok = ~np.isnan(y)
                    x, y = x[ok], y[ok]
                self.curves[key][k].setData(x, y)
        for cur in self.cursors:
            cur.setPos(t_now / 3600.0)
        if self.t_range is not None:
            x0, x1 = self.t_range
        else:
            x0, x1 = 0.0, max(t_now / 3600.0, 0.05)
        if (x0, x1) != self._xr:
            self._xr = (x0, x1)
            for p in self.plots.values():
                p.setXRange(x0, x1, padding=0.02)
        for key in ("queue", "energy_kwh"):
            top = max(
                (
                    float(np.nanmax(c.getData()[1]))
                    for c in self.curves[key]
                    if c.getData()[1] is not None
                    and len(c.getData()[1])
                    and not np.all(np.isnan(c.getData()[1]))
                ),
                default=0.0,
            )
            want = max(2.0 if key == "queue" else 1.0, top * 1.1)
            if want != self._yr.get(key):
                self._yr[key] = want
                self.plots[key].setYRange(0.0, want, padding=0.0)
        multi = len(snaps) > 1

        def per(fmt: Callable[[Snapshot], str]) -> str:
            if not multi:
                return fmt(snaps[0])
            if self.compact:  # the values in the panes' order (the legend names the colours)
                return " / ".join(fmt(s) for s in snaps)
            return ", ".join(f"{lab} {fmt(s)}" for lab, s in zip(self.labels, snaps))

        short = self.compact
        stock, station = (
            ("Stock", "Station") if short else ("Stock in the warehouse", "Station buffer")
        )
        trucks, energy = ("Trucks waiting", "Energy") if short else ("Trucks waiting for a bay", "Crane energy (cumulative)")  # fmt: skip
        self.set_title("inventory", f"{stock}: " + per(lambda s: f"{s.inventory}"))
        self.set_title(
            "station",
            f"{station} · mill blocked " + per(lambda s: f"{s.mill_blocked_s / 60:.1f} min"),
        )
        self.set_title("queue", f"{trucks}: " + per(lambda s: f"{s.queue}"))
        if all(isnan(s.energy_kwh) for s in snaps):
            if any(s.crane_stages for s in snaps):
                self.set_title("energy_kwh", f"{energy}: not in the records")
            else:
                self.set_title("energy_kwh", f"{energy}: no crane move yet")
        else:
            self.set_title(
                "energy_kwh",
                f"{energy}: "
                + per(lambda s: "n/a" if isnan(s.energy_kwh) else f"{s.energy_kwh:,.1f} kWh"),
            )
