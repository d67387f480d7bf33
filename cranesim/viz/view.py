"""The animation window: a to-scale top view of the warehouse, side plots and the controls.

Everything is built once; each tick only moves items (``setPos``) and swaps data (``setData``,
a redraw of a coil layer when occupancy or colours changed).  A :class:`QtCore.QTimer` drives
:meth:`AnimWindow.tick`, which advances the model by wall time × speed, bounded per tick (model
seconds and SimPy events), so the window never freezes; ``simpy.rt`` is not used.

Conventions of the top view: x runs along the runway (west → east, left to right), y across the
bay, both in metres and to scale (aspect locked).
"""

from __future__ import annotations

import html
import sys
import time
from math import floor, isnan
from typing import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from cranesim.viz.source import AGE_BINS_H, Snapshot, age_class


def keep_none_alive() -> bool:
    """Work around Qt bindings that drop a reference to ``None``/``True`` they return.

    PySide6/shiboken6 6.12.0 on Python 3.11 returns ``None`` from every call that returns
    nothing, and ``True`` from ``Signal.emit``, without taking a reference
    (``QObject().setObjectName("x")`` lowers ``sys.getrefcount(None)`` by one).  After some ten
    thousand calls, a few seconds of animation, ``None`` is deallocated and the interpreter
    aborts ("none_dealloc").  On Python >= 3.12 these objects are immortal and nothing happens.
    When the leak is detected, the reference counts of ``None``, ``True`` and ``False`` are
    raised by 2**50 (they are never freed anyway, so extra references are harmless).
    Returns whether the workaround was applied.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    probe = QtCore.QObject()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    leaked = before - sys.getrefcount(None)
    del probe
    if leaked < 32:
        return False
    big = 1 << 50
    for obj in (None, True, False):
        cnt = ctypes.c_ssize_t.from_address(
            id(obj)
        )  # ob_refcnt: first field of a release build's PyObject
        before = sys.getrefcount(obj)
        cnt.value += big
        if sys.getrefcount(obj) - before != big:  # not where we thought: undo, give up
            cnt.value -= big
            return False
    return True


NONE_WORKAROUND = keep_none_alive()

__all__ = [
    "RectLayer",
    "TopView",
    "SidePlots",
    "AnimWindow",
    "format_clock",
    "GRADE_COLORS",
    "AGE_COLORS",
]

#: Coil colours by grade (cycled when there are more grades); no yellow, that is the cranes'.
GRADE_COLORS = (
    "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
    "#bcbd22", "#393b79", "#637939", "#843c39",
)  # fmt: skip
#: Initial stock (age unknown), then one colour per age class (new → old).
AGE_COLORS = ("#c8c0b0", "#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
CRANE_FILL = (255, 184, 0, 70)
CRANE_EDGE = (150, 100, 0)
TARGET_COLOR = "#e0001b"
PANE_COLORS = ("#1f4e9e", "#c0392b")


def format_clock(t: float) -> str:
    """``'Day 2 · 03:25:10'`` for model time ``t`` in seconds (day 1 starts at t = 0)."""
    t = round(t, 3)  # 89.99999999 s is shown as 00:01:30, not 00:01:29
    day = int(floor(t / 86400.0))
    s = int(floor(t - day * 86400.0))
    return f"Day {day + 1} · {s // 3600:02d}:{(s % 3600) // 60:02d}:{s % 60:02d}"


def age_labels() -> list[str]:
    def h(v: float) -> str:
        return f"{v / 24:g} d" if v >= 24 else f"{v:g} h"

    edges = (0.0,) + AGE_BINS_H
    labels = ["initial stock (age unknown)"]
    labels += [f"{h(a)}–{h(b)}" if a > 0 else f"< {h(b)}" for a, b in zip(edges[:-1], edges[1:])]
    labels.append(f"> {h(AGE_BINS_H[-1])}")
    return labels


class RectLayer(pg.GraphicsObject):
    """Many axis-aligned rectangles in data coordinates, one colour index each (-1 = hidden).

    Drawn into a cached :class:`QtGui.QPicture` that is rebuilt only when the colours change.
    """

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        w: float,
        h: float,
        palette: Sequence,
        pen: QtGui.QPen,
    ) -> None:
        super().__init__()
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.x, self.y = x, y
        self._rects = [QtCore.QRectF(xi - w / 2, yi - h / 2, w, h) for xi, yi in zip(x, y)]
        self._pen = pen
        self._brushes = [
            pg.mkBrush(c) if c is not None else QtGui.QBrush(QtCore.Qt.NoBrush) for c in palette
        ]
        self.idx = np.full(x.size, -1, dtype=np.int32)
        self._pic = QtGui.QPicture()
        if x.size:
            self._bounds = QtCore.QRectF(
                float(x.min()) - w,
                float(y.min()) - h,
                float(np.ptp(x)) + 2 * w,
                float(np.ptp(y)) + 2 * h,
            )
        else:
            self._bounds = QtCore.QRectF()
        self.redraws = 0

    def set_colors(self, idx: np.ndarray) -> bool:
        """Set the colour index of every rectangle; returns whether anything changed."""
        idx = np.asarray(idx, dtype=np.int32)
        if np.array_equal(idx, self.idx):
            return False
        self.idx = idx.copy()
        pic = QtGui.QPicture()
        p = QtGui.QPainter(pic)
        p.setPen(self._pen)
        for k in np.unique(idx[idx >= 0]):
            p.setBrush(self._brushes[int(k)])
            p.drawRects([self._rects[i] for i in np.flatnonzero(idx == k)])
        p.end()
        self._pic = pic
        self.redraws += 1
        self.prepareGeometryChange()
        self.update()
        return True

    def paint(self, p: QtGui.QPainter, *args) -> None:
        p.drawPicture(0, 0, self._pic)

    def boundingRect(self) -> QtCore.QRectF:
        return self._bounds


def _rect_item(x: float, y: float, w: float, h: float, brush, pen, parent=None, z: float = 0.0):
    it = QtWidgets.QGraphicsRectItem(QtCore.QRectF(x, y, w, h), parent)
    it.setBrush(pg.mkBrush(brush) if brush is not None else QtGui.QBrush(QtCore.Qt.NoBrush))
    it.setPen(pen)
    it.setZValue(z)
    return it


def _text(
    text: str, color="#202020", anchor=(0.5, 0.5), size: int = 9, bold: bool = False, fill=None
) -> pg.TextItem:
    it = pg.TextItem(text, color=color, anchor=anchor, fill=fill)
    f = QtGui.QFont()
    f.setPointSize(size)
    f.setBold(bold)
    it.setFont(f)
    return it


class TopView(pg.PlotWidget):
    """To-scale plan of one warehouse: bay, runway, storage, station, truck bays, cranes."""

    def __init__(self, sc, lay, title: str = "") -> None:
        super().__init__(background="w")
        self.sc, self.lay = sc, lay
        self.G = len(lay.grades)
        pi = self.getPlotItem()
        pi.setTitle(title, color="#101010", size="11pt")
        pi.setAspectLocked(True)
        pi.setMenuEnabled(False)
        pi.hideButtons()
        pi.showGrid(x=False, y=False)
        for ax, label in (
            ("bottom", "x along the runway, west → east (m)"),
            ("left", "y across the bay (m)"),
        ):
            pi.setLabel(ax, label, color="#303030")
            pi.getAxis(ax).setTextPen("#303030")
            pi.getAxis(ax).setPen("#808080")
        L, W = sc.bay.length_m, sc.bay.span_m
        self.L, self.W = L, W
        d = sc.storage.coil_diameter_m
        # coil footprint seen from above: lying coils, eye along x; diameter across y
        xs_rows = np.unique(lay.loc_x[: lay.n_slots]) if lay.n_slots else np.zeros(0)
        pitch = float(np.diff(xs_rows).min()) if xs_rows.size > 1 else 2.0
        cw, ch = min(1.6, 0.75 * pitch), 0.92 * d
        self.coil_w, self.coil_h = cw, ch
        palette = list(GRADE_COLORS[i % len(GRADE_COLORS)] for i in range(self.G)) + list(
            AGE_COLORS
        )
        self.palette = palette

        # ------------------------------------------------------------ static plan
        floor_ = _rect_item(0, 0, L, W, (246, 244, 238), pg.mkPen("#505050", width=1.5), z=-20)
        self.addItem(floor_)
        rail = pg.mkPen((90, 90, 90), width=4)
        for y in (0.0, W):
            self.addItem(pg.PlotDataItem([0, L], [y, y], pen=rail))
        for x in (sc.runway.x_min_m, sc.runway.x_max_m):
            self.addItem(
                pg.PlotDataItem(
                    [x, x],
                    [-0.6, W + 0.6],
                    pen=pg.mkPen((90, 90, 90), width=1.5, style=QtCore.Qt.DashLine),
                )
            )
        t = _text("runway rail", "#505050", anchor=(0, 1), size=8)
        t.setPos(0.5, W + 0.1)
        self.addItem(t)

        S = lay.n_slots
        level = lay.slot_level
        self.lower_slots = np.flatnonzero(level == 0)
        self.upper_slots = np.flatnonzero(level == 1)
        lx, ly = lay.loc_x[self.lower_slots], lay.loc_y[self.lower_slots]
        ux, uy = lay.loc_x[self.upper_slots], lay.loc_y[self.upper_slots]
        empty = RectLayer(lx, ly, cw, ch, [None], pg.mkPen((185, 180, 170), width=1))
        empty.set_colors(np.zeros(lx.size, dtype=np.int32))
        empty.setZValue(-10)
        self.addItem(empty)
        self.lower = RectLayer(lx, ly, cw, ch, palette, pg.mkPen((255, 255, 255), width=0.8))
        self.lower.setZValue(-5)
        self.upper = RectLayer(ux, uy, 0.8 * cw, 0.7 * ch, palette, pg.mkPen((0, 0, 0), width=1.6))
        self.upper.setZValue(-4)
        self.addItem(self.lower)
        self.addItem(self.upper)
        # storage block labels (rows of one block share a pitch and a y range)
        for bi, b in enumerate(sc.storage.blocks):
            x0 = b.x_first_m
            y_top = b.y_first_m + (b.lower_places_per_row - 1) * b.place_pitch_m + ch / 2
            lbl = _text(
                f"Block {chr(65 + bi) if bi < 26 else bi + 1}: {b.rows} rows × "
                f"{b.lower_places_per_row}+{max(b.lower_places_per_row - 1, 0) if sc.storage.stacking == 'pyramid2' else 0} places",
                "#404040",
                anchor=(0.5, 1.0),
                size=8,
            )
            lbl.setAnchor((0.0, 1.0))
            lbl.setPos(x0 - cw / 2, y_top + 0.1)
            self.addItem(lbl)

        # unloading station
        n_st = lay.n_station
        st_x = lay.loc_x[S : S + n_st]
        st_y = lay.loc_y[S : S + n_st]
        pads = RectLayer(
            st_x, st_y, cw + 0.5, ch + 0.5, [(220, 220, 220)], pg.mkPen("#404040", width=1.2)
        )
        pads.set_colors(np.zeros(n_st, dtype=np.int32))
        pads.setZValue(-6)
        self.addItem(pads)
        self.station = RectLayer(st_x, st_y, cw, ch, palette, pg.mkPen((255, 255, 255), width=0.8))
        self.station.setZValue(-3)
        self.addItem(self.station)
        self.station_label = _text(
            "Unloading station (mill)",
            "#202020",
            anchor=(0.5, 1.0),
            size=8,
            bold=True,
            fill=(255, 255, 255, 210),
        )
        self.station_label.setPos(float(st_x.mean()), float(st_y.max()) + ch / 2 + 0.3)
        self.station_label.setZValue(16)
        self.addItem(self.station_label)
        self._station_full = None

        # truck bays
        self.truck_len = tl = min(12.0, 0.5 * W)
        tw = 2.6
        self.trucks: list[QtWidgets.QGraphicsRectItem] = []
        self.truck_text: list[pg.TextItem] = []
        b0 = S + n_st
        for b in range(lay.n_bays):
            bx, by = float(lay.loc_x[b0 + b]), float(lay.loc_y[b0 + b])
            yc = min(max(by, tl / 2 + 0.3), W - tl / 2 - 0.3)
            mark = _rect_item(
                bx - tw / 2 - 0.3,
                yc - tl / 2 - 0.3,
                tw + 0.6,
                tl + 0.6,
                None,
                pg.mkPen("#606060", width=1.2, style=QtCore.Qt.DashLine),
                z=-8,
            )
            self.addItem(mark)
            body = _rect_item(
                bx - tw / 2,
                yc - tl / 2,
                tw,
                tl,
                (120, 135, 160),
                pg.mkPen("#2c3e50", width=1.2),
                z=-7,
            )
            _rect_item(  # the cab, towards the lane entrance
                bx - tw / 2,
                yc - tl / 2 - 2.0,
                tw,
                2.0,
                (80, 95, 120),
                pg.mkPen("#2c3e50", width=1),
                parent=body,
            )
            body.setVisible(False)
            self.addItem(body)
            self.trucks.append(body)
            lbl = _text(f"Truck bay {b + 1}", "#303030", anchor=(0.5, 0.0), size=8, bold=True)
            lbl.setPos(bx, yc - tl / 2 - 0.5 - 2.0)
            self.addItem(lbl)
            tt = _text("free", "#303030", anchor=(0.5, 0.5), size=8)
            tt.setPos(bx, yc + tl / 2 + 1.4)
            tt.setZValue(5)
            self.addItem(tt)
            self.truck_text.append(tt)

        # status line under the plan, and a compass
        self.info = _text("", "#101010", anchor=(0, 0), size=9)
        self.info.setPos(0.0, -1.0)
        self.addItem(self.info)
        comp = _text("west ← → east", "#505050", anchor=(1, 1), size=8)
        comp.setPos(L - 0.5, W + 0.1)
        self.addItem(comp)
        sb = pg.ScaleBar(size=10.0 if L < 150 else 20.0, suffix="m", brush="#202020", pen="#202020")
        sb.setParentItem(self.getPlotItem().getViewBox())
        sb.anchor((1, 1), (1, 1), offset=(-15, -10))
        sb.text.setColor("#202020")
        self.scale_bar = sb

        # ------------------------------------------------------------ cranes
        dsafe = sc.runway.safety_distance_m
        bw = 2.4  # two girders
        ec = min(7.0, max(3.0, 0.35 * dsafe))  # end carriage (wheelbase) along the runway
        self.bridges: list[QtWidgets.QGraphicsRectItem] = []
        self.trolleys: list[QtWidgets.QGraphicsRectItem] = []
        self.loads: list[QtWidgets.QGraphicsRectItem] = []
        self.hooks: list[QtWidgets.QGraphicsEllipseItem] = []
        self.crane_labels: list[pg.TextItem] = []
        self.target_lines: list[pg.PlotDataItem] = []
        edge = pg.mkPen(CRANE_EDGE, width=1.5)
        specs = sc.crane_specs()
        for c, spec in enumerate(specs):
            br = _rect_item(-bw / 2, 0.0, bw, W, CRANE_FILL, edge, z=10)
            for yy in (-0.7, W - 0.7):
                _rect_item(-ec / 2, yy, ec, 1.4, (235, 170, 0, 220), edge, parent=br)
            self.addItem(br)
            self.bridges.append(br)
            line = pg.PlotDataItem(
                [], [], pen=pg.mkPen(TARGET_COLOR, width=1.5, style=QtCore.Qt.DashLine)
            )
            line.setZValue(11)
            self.addItem(line)
            self.target_lines.append(line)
            tr = _rect_item(-1.5, -1.3, 3.0, 2.6, (70, 70, 70), pg.mkPen("#000000", width=1), z=12)
            self.addItem(tr)
            self.trolleys.append(tr)
            hk = QtWidgets.QGraphicsEllipseItem(QtCore.QRectF(-0.4, -0.4, 0.8, 0.8))
            hk.setBrush(pg.mkBrush("#ffffff"))
            hk.setPen(pg.mkPen("#000000", width=1))
            hk.setZValue(13)
            self.addItem(hk)
            self.hooks.append(hk)
            ld = _rect_item(-cw / 2, -ch / 2, cw, ch, "#000000", pg.mkPen("#000000", width=2), z=14)
            ld.setVisible(False)
            self.addItem(ld)
            self.loads.append(ld)
            lbl = _text(spec.name, "#000000", anchor=(0.5, 1.0), size=9, bold=True)
            lbl.setPos(spec.start_x_m, W + 0.8)
            lbl.setZValue(15)
            self.addItem(lbl)
            self.crane_labels.append(lbl)
        self.targets = pg.ScatterPlotItem(
            size=16, pen=pg.mkPen(TARGET_COLOR, width=2.5), brush=None, symbol="o"
        )
        self.targets.setZValue(11)
        self.addItem(self.targets)
        self._label_text = [""] * len(self.bridges)
        self._load_color = [-2] * len(self.bridges)
        self.setXRange(-1.0, L + 1.0, padding=0)
        self.setYRange(-4.5, W + 5.5, padding=0)
        self.names = [s.name for s in specs]

    # ---------------------------------------------------------------- update
    def color_index(
        self, grade: np.ndarray, birth: np.ndarray, present: np.ndarray, t: float, mode: str
    ) -> np.ndarray:
        if mode == "age":
            idx = self.G + age_class(birth, t)
        else:
            idx = np.asarray(grade, dtype=np.int32) % len(GRADE_COLORS)
        return np.where(present, idx, -1).astype(np.int32)

    def update_scene(self, snap: Snapshot, mode: str = "grade") -> None:
        """Move and recolour the items to show ``snap`` (nothing is rebuilt)."""
        t = snap.t
        present = snap.slot_coil >= 0
        idx = self.color_index(snap.slot_grade, snap.slot_birth, present, t, mode)
        self.lower.set_colors(idx[self.lower_slots])
        self.upper.set_colors(idx[self.upper_slots])
        st_coil = np.asarray(snap.station_coil, dtype=np.int64)
        self.station.set_colors(
            self.color_index(
                np.asarray(snap.station_grade), snap.station_birth, st_coil >= 0, t, mode
            )
        )
        full = bool(st_coil.size and np.all(st_coil >= 0))
        if full != self._station_full:
            self._station_full = full
            self.station_label.setText(
                "Unloading station (mill) · FULL" if full else "Unloading station (mill)",
                color="#d00000" if full else "#202020",
            )
        for b, body in enumerate(self.trucks):
            busy = snap.bay_busy[b]
            body.setVisible(busy)
            txt = f"loaded {snap.bay_loaded[b]}/{snap.bay_ordered[b]}" if busy else "free"
            if self.truck_text[b].textItem.toPlainText() != txt:
                self.truck_text[b].setText(txt)
        tx, ty = [], []
        top = self.sc.bay.hook_travel_height_m
        for c, cv in enumerate(snap.cranes):
            self.bridges[c].setPos(cv.x, 0.0)
            self.trolleys[c].setPos(cv.x, cv.y)
            self.hooks[c].setPos(cv.x, cv.y)
            # the hook circle shrinks as the hook goes down (seen from above)
            self.hooks[c].setScale(0.5 + 0.5 * max(0.0, min(1.0, cv.z / top)) if top > 0 else 1.0)
            ld = self.loads[c]
            if cv.holding:
                ld.setPos(cv.x, cv.y)
                k = int(
                    self.color_index(
                        np.array([cv.grade]), np.array([cv.birth]), np.array([True]), t, mode
                    )[0]
                )
                if k != self._load_color[c]:
                    self._load_color[c] = k
                    ld.setBrush(pg.mkBrush(self.palette[k]))
            ld.setVisible(cv.holding)
            target = cv.target
            lbl = self.names[c] + (
                f" · {cv.kind}" if cv.kind else (" · driver on break" if cv.on_break else " · idle")
            )
            if cv.z < top - 0.05:
                lbl += f"\nhook {cv.z:.1f} m"
            if lbl != self._label_text[c]:
                self._label_text[c] = lbl
                self.crane_labels[c].setText(lbl)
            self.crane_labels[c].setPos(cv.x, self.W + 0.8)
            if target >= 0:
                x1, y1 = float(self.lay.loc_x[target]), float(self.lay.loc_y[target])
                self.target_lines[c].setData([cv.x, x1], [cv.y, y1])
                tx.append(x1)
                ty.append(y1)
            else:
                self.target_lines[c].setData([], [])
        self.targets.setData(tx, ty)
        cap = self.lay.n_slots
        energy = "" if isnan(snap.energy_kwh) else f" · crane energy {snap.energy_kwh:,.1f} kWh"
        self.info.setText(
            f"Trucks waiting: {snap.queue} · at bays: {sum(snap.bay_busy)}/{len(snap.bay_busy)} · "
            f"station {int(np.count_nonzero(st_coil >= 0))}/{st_coil.size} · "
            f"stock {snap.inventory} coils ({int(np.count_nonzero(present))}/{cap} floor places) · "
            f"in {snap.coils_in} / out {snap.coils_out} · relocations {snap.relocations} · "
            f"mill blocked {snap.mill_blocked_s / 60:.1f} min{energy}"
        )


class SidePlots(pg.GraphicsLayoutWidget):
    """Inventory, station buffer and mill blocked time, truck queue, cumulative crane energy."""

    PLOTS = (
        ("inventory", "Stock in the warehouse", "coils"),
        ("station", "Unloading station buffer", "coils"),
        ("queue", "Trucks waiting for a bay", "trucks"),
        ("energy_kwh", "Crane energy (cumulative)", "kWh"),
    )

    def __init__(
        self, labels: Sequence[str], capacity: int, station_places: int, replay: bool = False
    ) -> None:
        super().__init__()
        self.setBackground("w")
        self.labels = list(labels)
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, list[pg.PlotDataItem]] = {}
        self.cursors: list[pg.InfiniteLine] = []
        for i, (key, title, unit) in enumerate(self.PLOTS):
            p = self.addPlot(row=0, col=i)
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
                        labelOpts={"color": "#606060", "position": 0.15},
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

    def set_title(self, key: str, text: str) -> None:
        if self._titles.get(key) != text:
            self._titles[key] = text
            self.plots[key].setTitle(text, color="#101010", size="10pt")

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
            return ", ".join(f"{lab} {fmt(s)}" for lab, s in zip(self.labels, snaps))

        self.set_title("inventory", "Stock in the warehouse: " + per(lambda s: f"{s.inventory}"))
        self.set_title(
            "station",
            "Station buffer · mill blocked " + per(lambda s: f"{s.mill_blocked_s / 60:.1f} min"),
        )
        self.set_title("queue", "Trucks waiting for a bay: " + per(lambda s: f"{s.queue}"))
        if all(isnan(s.energy_kwh) for s in snaps):
            if any(s.crane_stages for s in snaps):
                self.set_title("energy_kwh", "Crane energy: not in the records (energy_kwh is NaN)")
            else:
                self.set_title("energy_kwh", "Crane energy (cumulative): no crane move yet")
        else:
            self.set_title(
                "energy_kwh",
                "Crane energy (cumulative): "
                + per(lambda s: "n/a" if isnan(s.energy_kwh) else f"{s.energy_kwh:,.1f} kWh"),
            )


SPEEDS = (1, 2, 5, 10, 30, 60, 120, 300, 500, 1000, 2000)


class AnimWindow(QtWidgets.QMainWindow):
    """The animation window: one or two panes over one clock, controls and side plots.

    Parameters
    ----------
    sources
        :class:`~cranesim.viz.source.LiveSource` (one, or two side by side) or one
        :class:`~cranesim.viz.source.ReplaySource`.
    speed
        Model seconds per wall second.
    clock
        Wall clock in seconds (injected by tests); :func:`time.monotonic` by default.
    tick_ms
        Timer interval.
    max_model_s_per_tick, max_events_per_tick
        Bounds on the work of one tick, so the window stays responsive at any speed.
    step_s
        Model seconds advanced by the Step button.
    """

    def __init__(
        self,
        sources: Sequence,
        speed: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        tick_ms: int = 33,
        max_model_s_per_tick: float = 300.0,
        max_events_per_tick: int = 20000,
        step_s: float = 10.0,
        color_mode: str = "grade",
        title: str = "cranesim",
    ) -> None:
        super().__init__()
        self.sources = list(sources)
        self.replay = hasattr(self.sources[0], "timelines")
        self.speed = float(speed)
        self.clock = clock
        self.max_model_s = float(max_model_s_per_tick)
        self.max_events = max_events_per_tick
        self.step_s = float(step_s)
        self.color_mode = color_mode
        self.playing = False
        self.error: BaseException | None = None
        self.ticks = 0
        self._last_wall: float | None = None
        self._side_every = 5
        self.t = min(s.t for s in self.sources)
        self.setWindowTitle(title)

        central = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(central)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        lay.addLayout(self._build_controls())

        self.views: list[TopView] = []
        split = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        panes = QtWidgets.QWidget()
        pl = QtWidgets.QVBoxLayout(panes)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        for src in self.sources:
            v = TopView(src.sc, src.lay, src.label)
            self.views.append(v)
            pl.addWidget(v, 1)
        self.legend = QtWidgets.QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(QtCore.Qt.RichText)
        self.legend.setStyleSheet("QLabel { background: white; color: #202020; padding: 3px; }")
        self.legend.setSizePolicy(QtWidgets.QSizePolicy.Preferred, QtWidgets.QSizePolicy.Maximum)
        pl.addWidget(self.legend, 0)
        split.addWidget(panes)
        lay0 = self.sources[0].lay
        self.side = SidePlots(
            [getattr(s, "short", s.label) for s in self.sources],
            lay0.n_slots,
            lay0.n_station,
            self.replay,
        )
        if self.replay:
            src0 = self.sources[0]
            self.side.t_range = (
                src0.t_start / 3600.0,
                max(src0.t_end, src0.t_start + 60.0) / 3600.0,
            )
        split.addWidget(self.side)
        split.setStretchFactor(0, 3 if len(self.views) == 1 else 5)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.split = split
        if self.replay:
            row = QtWidgets.QHBoxLayout()
            row.addWidget(QtWidgets.QLabel("Replay time"))
            self.slider = QtWidgets.QSlider(QtCore.Qt.Horizontal)
            src = self.sources[0]
            self.slider.setRange(int(floor(src.t_start)), int(np.ceil(src.t_end)))
            self.slider.valueChanged.connect(self._slider_moved)
            row.addWidget(self.slider, 1)
            lay.addLayout(row)
        else:
            self.slider = None
        self.setCentralWidget(central)
        self._update_legend()

        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.render(force_side=True)

    # ---------------------------------------------------------------- controls
    def _build_controls(self) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        self.play_btn = QtWidgets.QPushButton("▶ Play")
        self.play_btn.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key_Space))
        self.play_btn.clicked.connect(self.toggle)
        self.step_btn = QtWidgets.QPushButton(f"Step +{self.step_s:g} s")
        self.step_btn.setShortcut(QtGui.QKeySequence(QtCore.Qt.Key_Right))
        self.step_btn.clicked.connect(self.step)
        row.addWidget(self.play_btn)
        row.addWidget(self.step_btn)
        row.addWidget(QtWidgets.QLabel("Speed"))
        self.speed_box = QtWidgets.QComboBox()
        speeds = sorted(
            set(SPEEDS) | {int(self.speed)} if self.speed == int(self.speed) else set(SPEEDS)
        )
        for s in speeds:
            self.speed_box.addItem(f"{s}×", s)
        i = self.speed_box.findData(int(self.speed)) if self.speed == int(self.speed) else -1
        if i >= 0:
            self.speed_box.setCurrentIndex(i)
        self.speed_box.currentIndexChanged.connect(
            lambda _i: self.set_speed(self.speed_box.currentData())
        )
        row.addWidget(self.speed_box)
        row.addWidget(QtWidgets.QLabel("Colour coils by"))
        self.color_box = QtWidgets.QComboBox()
        self.color_box.addItem("grade", "grade")
        self.color_box.addItem("age", "age")
        self.color_box.setCurrentIndex(0 if self.color_mode == "grade" else 1)
        self.color_box.currentIndexChanged.connect(
            lambda _i: self.set_color_mode(self.color_box.currentData())
        )
        row.addWidget(self.color_box)
        row.addStretch(1)
        self.clock_label = QtWidgets.QLabel()
        f = QtGui.QFont()
        f.setPointSize(14)
        f.setBold(True)
        self.clock_label.setFont(f)
        row.addWidget(self.clock_label)
        self.status = QtWidgets.QLabel()
        self.status.setMinimumWidth(180)
        row.addWidget(self.status)
        return row

    def _update_legend(self) -> None:
        sw = '<span style="color:{c}; font-size:14pt">■</span>&nbsp;{t}'
        if self.color_mode == "age":
            items = [sw.format(c=c, t=html.escape(t)) for c, t in zip(AGE_COLORS, age_labels())]
            head = "<b>Coil age since arrival:</b>"
        else:
            grades = self.sources[0].lay.grades
            items = [
                sw.format(c=GRADE_COLORS[i % len(GRADE_COLORS)], t=html.escape(g))
                for i, g in enumerate(grades)
            ]
            head = "<b>Coil grade:</b>"
        sym = (
            "<b>Symbols:</b> large box = coil on the floor (lower layer) · "
            "small box with black outline = upper layer (rests on two lower coils) · "
            "grey outline = empty place · "
            '<span style="color:#c89000">yellow bar</span> = crane bridge, dark box = trolley, '
            "white circle = hook (smaller when lowered), coloured box on it = coil on the hook · "
            f'<span style="color:{TARGET_COLOR}">red ring + dashed line</span> = where the crane is going '
            "(pick place, then put-down place) · blue-grey box = truck at a bay"
        )
        self.legend.setText(f"{head} " + " &nbsp; ".join(items) + "<br>" + sym)

    def set_speed(self, speed: float) -> None:
        self.speed = float(speed)
        self._update_status()

    def set_color_mode(self, mode: str) -> None:
        self.color_mode = mode
        self._update_legend()
        self.render()

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def play(self) -> None:
        if self.error is not None:
            return
        self.playing = True
        self._last_wall = self.clock()
        self.timer.start()
        self.play_btn.setText("⏸ Pause")
        self._update_status()

    def pause(self) -> None:
        self.playing = False
        self.timer.stop()
        self.play_btn.setText("▶ Play")
        self._update_status()

    def step(self) -> None:
        """Advance by ``step_s`` model seconds (paused or not)."""
        self.advance(self.t + self.step_s, self.max_events)
        self.render(force_side=True)

    def _slider_moved(self, value: int) -> None:
        if abs(value - self.t) >= 1.0:
            self.advance(float(value), float("inf"))
            self.render(force_side=True)

    # ---------------------------------------------------------------- time
    def advance(self, t_target: float, max_events: float) -> float:
        """Advance every source to ``t_target`` (bounded by ``max_events`` each); returns the clock."""
        try:
            reached = [src.advance_to(t_target, max_events) for src in self.sources]
        except Exception as exc:  # a model error: stop, show it, keep the window usable
            self.error = exc
            self.pause()
            self.status.setText(f"model error: {type(exc).__name__}")
            self.status.setToolTip(str(exc))
            reached = [src.t for src in self.sources]
        self.t = min(reached)
        if all(src.done for src in self.sources) and self.playing:
            self.pause()
        return self.t

    def tick(self) -> None:
        """One timer tick: advance by wall dt × speed (bounded), then redraw."""
        now = self.clock()
        last = self._last_wall if self._last_wall is not None else now
        self._last_wall = now
        dt = max(0.0, now - last)
        if self.playing:
            self.advance(self.t + min(dt * self.speed, self.max_model_s), self.max_events)
        self.ticks += 1
        self.render(force_side=self.ticks % self._side_every == 0)

    def seek(self, t: float) -> float:
        """Advance (or, in replay, move) to exactly ``t`` with no event bound, and redraw."""
        self.advance(t, float("inf"))
        self.render(force_side=True)
        return self.t

    # ---------------------------------------------------------------- drawing
    def snapshots(self) -> list[Snapshot]:
        return [src.snapshot() for src in self.sources]

    def render(self, force_side: bool = False) -> None:
        snaps = self.snapshots()
        for v, s in zip(self.views, snaps):
            v.update_scene(s, self.color_mode)
        if force_side:
            self.side.update_series([src.series for src in self.sources], self.t, snaps)
        self.clock_label.setText(format_clock(self.t))
        if self.slider is not None and abs(self.slider.value() - self.t) >= 1.0:
            self.slider.blockSignals(True)
            self.slider.setValue(int(round(self.t)))
            self.slider.blockSignals(False)
        self._update_status()

    def _update_status(self) -> None:
        if self.error is not None:
            return
        state = "playing" if self.playing else "paused"
        if all(src.done for src in self.sources):
            state = "end of trace" if self.replay else "end of run"
        self.status.setText(f"  {self.speed:g}× · {state}")

    def closeEvent(self, ev: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.timer.stop()
        self.playing = False
        super().closeEvent(ev)

    def resizeEvent(self, ev: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(ev)
        QtCore.QTimer.singleShot(0, self.fit_panes)

    def fit_panes(self) -> None:
        """Give the plan views the height their aspect needs (long bays are flat), the rest to the plots."""
        total = self.split.height() if self.split.height() > 100 else self.height() - 60
        need = 0
        for v in self.views:
            L, W = v.L + 2.0, v.W + 8.0
            need += int((self.width() - 90) * W / L) + 95
        lh = self.legend.heightForWidth(max(self.width() - 12, 200))
        need += (lh if lh > 0 else self.legend.sizeHint().height()) + 6
        pane = max(min(need, int(0.68 * total)), int(0.3 * total))
        self.split.setSizes([pane, max(total - pane, 100)])

    def dispose(self) -> None:
        """Close and delete the window now (a live window left to interpreter exit can crash)."""
        self.close()
        self.deleteLater()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)
            app.processEvents()
