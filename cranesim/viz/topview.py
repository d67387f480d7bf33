"""The to-scale top view of one warehouse: bay, runway, storage, station, truck bays, cranes.

Built once; :meth:`TopView.update_scene` only moves items (``setPos``) and swaps data
(``setData``, a redraw of a coil layer when occupancy or colours changed).  x runs along the
runway (west → east, left to right), y across the bay, both in metres and to scale (aspect
locked).
"""

from __future__ import annotations

from math import isnan
from typing import Sequence

import numpy as np

from cranesim.viz.qt import QtCore, QtGui, QtWidgets, pg
from cranesim.viz.state import AGE_BINS_H, Snapshot, age_class

__all__ = ["RectLayer", "TopView", "GRADE_COLORS", "AGE_COLORS", "TARGET_COLOR", "age_labels"]

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
        self.title = title
        pi.setTitle(title, color="#101010", size="11pt")
        pi.setAspectLocked(True)
        pi.setMenuEnabled(False)
        pi.hideButtons()
        pi.showGrid(x=False, y=False)
        for ax in ("bottom", "left"):
            pi.getAxis(ax).setTextPen("#303030")
            pi.getAxis(ax).setPen("#808080")
        self.compact: bool | None = None
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
            lbl = _text(f"B{bi + 1}", "#404040", anchor=(0.0, 1.0), size=7)  # as traces name it
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
        self.bay_labels: list[pg.TextItem] = []
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
            lbl = _text(f"Truck bay T{b + 1}", "#303030", anchor=(0.5, 0.0), size=8, bold=True)
            lbl.setPos(bx, yc - tl / 2 - 0.5 - 2.0)
            self.addItem(lbl)
            self.bay_labels.append(lbl)
            tt = _text("free", "#303030", anchor=(0.5, 0.5), size=8, fill=(255, 255, 255, 170))
            tt.setPos(bx, yc)  # on the truck (or its empty place), inside the bay
            tt.setZValue(5)
            self.addItem(tt)
            self.truck_text.append(tt)

        # the status line goes under the plan, outside it (the window places it: it wraps)
        self.info = QtWidgets.QLabel()
        self.info.setWordWrap(True)
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
            lbl = _text(spec.name, "#000000", anchor=(0.5, 1.0), size=8, bold=True)
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
        self.names = [s.name for s in specs]
        self.label_y = [W + 0.8] * len(specs)
        self.set_compact(False)
        self.fit(max(self.width(), 200))

    # ---------------------------------------------------------------- layout
    #: pixels above the bay for the crane labels (two staggered rows) and below it
    TOP_PX, BOTTOM_PX = 34, 8
    #: how far the cranes' end carriages reach beyond the rails (m)
    END_M = 0.75

    def set_compact(self, compact: bool) -> None:
        """Short axis labels and a smaller title (a narrow window)."""
        if compact == self.compact:
            return
        self.compact = compact
        pi = self.getPlotItem()
        pi.setLabel("bottom", "x along the runway, west → east (m)", color="#303030")
        pi.setLabel("left", "y across the bay (m)", color="#303030")
        pi.showLabel("bottom", not compact)  # compact: ticks only (the title says the units)
        pi.showLabel("left", not compact)
        pi.setTitle(self.title, color="#101010", size="9pt" if compact else "11pt")
        self.info.setStyleSheet(
            "QLabel { background: white; color: #101010; padding: 0 4px; font-size: %dpt; }"
            % (8 if compact else 9)
        )
        for b, lbl in enumerate(getattr(self, "bay_labels", ())):
            lbl.setText(f"T{b + 1}" if compact else f"Truck bay T{b + 1}")

    def fit(self, width_px: float, height_px: float | None = None) -> float:
        """Show the whole bay, as large as a plot of ``width_px`` x ``height_px`` pixels allows
        to scale, with the margins the labels need; returns the scale (pixels per metre).  The
        crane labels take two staggered rows above the bay, so neighbours' labels do not
        collide."""
        e = self.END_M
        top_px, bottom_px, row = self.TOP_PX, self.BOTTOM_PX, 14.0
        if height_px is not None and height_px < 4 * (top_px + bottom_px):
            top_px, bottom_px, row = 18.0, 2.0, 0.0  # a small pane: the bay first, one label row
        s = max(width_px, 50.0) / (self.L + 2.0)
        if height_px is not None and height_px > top_px + bottom_px + 10:
            s = min(s, (height_px - top_px - bottom_px) / (self.W + 2 * e))
        top, bottom = e + top_px / s, e + bottom_px / s
        # the label's lower edge 3 px above the end carriages, every other crane one row higher
        self.label_y = [self.W + e + (3.0 + (row if c % 2 else 0.0)) / s
                        for c in range(len(self.names))]  # fmt: skip
        self.setXRange(-1.0, self.L + 1.0, padding=0)
        self.setYRange(-bottom, self.W + top, padding=0)
        return s

    def height_for(self, width_px: float) -> int:
        """The pane height (pixels) in which the bay spans ``width_px`` of plot."""
        s = max(width_px, 50.0) / (self.L + 2.0)
        axis = 38 if not self.compact else 22  # the bottom axis and its label
        title = 22 if not self.compact else 18
        return int((self.W + 2 * self.END_M) * s + self.TOP_PX + self.BOTTOM_PX + axis + title)

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
                f" · {cv.kind}" if cv.kind else (" · on break" if cv.on_break else " · idle")
            )
            if cv.z < top - 0.05:
                lbl += f" · hook {cv.z:.1f} m"
            if lbl != self._label_text[c]:
                self._label_text[c] = lbl
                self.crane_labels[c].setText(lbl)
            self.crane_labels[c].setPos(cv.x, self.label_y[c])
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
        floor, n_st = int(np.count_nonzero(present)), int(np.count_nonzero(st_coil >= 0))
        if self.compact:
            energy = "" if isnan(snap.energy_kwh) else f" · {snap.energy_kwh:,.1f} kWh"
            text = (
                f"trucks waiting {snap.queue} · bays {sum(snap.bay_busy)}/{len(snap.bay_busy)} · "
                f"station {n_st}/{st_coil.size} · stock {snap.inventory} ({floor}/{cap} floor) · "
                f"in {snap.coils_in} out {snap.coils_out} · reloc. {snap.relocations} · "
                f"blocked {snap.mill_blocked_s / 60:.1f} min{energy}"
            )
        else:
            text = (
                f"Trucks waiting {snap.queue} · at bays {sum(snap.bay_busy)}/{len(snap.bay_busy)}"
                f" · station {n_st}/{st_coil.size} · stock {snap.inventory} coils ({floor}/{cap} "
                f"floor places) · in {snap.coils_in} / out {snap.coils_out} · relocations "
                f"{snap.relocations} · mill blocked {snap.mill_blocked_s / 60:.1f} min{energy}"
            )
        if text != self.info.text():
            self.info.setText(text)
