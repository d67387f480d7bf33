"""The animation window: the top views (:mod:`~cranesim.viz.topview`), the side plots
(:mod:`~cranesim.viz.plots`) and the controls, over one clock.

Everything is built once; each tick only moves items and swaps data.  A :class:`QtCore.QTimer`
drives :meth:`AnimWindow.tick`, which advances the model by wall time × speed, bounded per tick
(model seconds and SimPy events), so the window never freezes; ``simpy.rt`` is not used.
"""

from __future__ import annotations

import html
import time
from math import floor
from typing import Callable, Sequence

import numpy as np

from cranesim.viz.plots import COMPACT_WIDTH, SidePlots
from cranesim.viz.qt import QtCore, QtGui, QtWidgets
from cranesim.viz.state import Snapshot
from cranesim.viz.topview import AGE_COLORS, GRADE_COLORS, TARGET_COLOR, TopView, age_labels

__all__ = ["AnimWindow", "format_clock", "SPEEDS"]


def format_clock(t: float) -> str:
    """``'Day 2 · 03:25:10'`` for model time ``t`` in seconds (day 1 starts at t = 0)."""
    t = round(t, 3)  # 89.99999999 s is shown as 00:01:30, not 00:01:29
    day = int(floor(t / 86400.0))
    s = int(floor(t - day * 86400.0))
    return f"Day {day + 1} · {s // 3600:02d}:{(s % 3600) // 60:02d}:{s % 60:02d}"


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
    controls
        Show the buttons, the replay slider and the play state; ``False`` for exported frames
        (the clock stays).
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
        controls: bool = True,
    ) -> None:
        super().__init__()
        self.controls = controls
        self.compact: bool | None = None
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
        for w in self._control_widgets:
            w.setVisible(controls)

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
            pl.addWidget(v.info, 0)
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
            box = QtWidgets.QWidget()
            row = QtWidgets.QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(QtWidgets.QLabel("Replay time"))
            self.slider = QtWidgets.QSlider(QtCore.Qt.Horizontal)
            src = self.sources[0]
            self.slider.setRange(int(floor(src.t_start)), int(np.ceil(src.t_end)))
            self.slider.valueChanged.connect(self._slider_moved)
            row.addWidget(self.slider, 1)
            lay.addWidget(box)
            box.setVisible(controls)
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
        speed_label = QtWidgets.QLabel("Speed")
        row.addWidget(speed_label)
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
        color_label = QtWidgets.QLabel("Colour coils by")
        row.addWidget(color_label)
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
        self.status.setMinimumWidth(120)
        row.addWidget(self.status)
        #: what exported frames leave out: every control but the clock
        self._control_widgets = [self.play_btn, self.step_btn, speed_label, self.speed_box,
                                 color_label, self.color_box, self.status]  # fmt: skip
        return row

    def _update_legend(self) -> None:
        sw = '<span style="color:{c}; font-size:12pt">■</span>&nbsp;{t}'
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
        if self.compact:  # one line: the colours; the key to the symbols in the tooltip
            self.legend.setText(f"{head} " + " &nbsp; ".join(items))
            self.legend.setToolTip(sym)
            return
        self.legend.setToolTip("")
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

    def set_compact(self, compact: bool) -> None:
        """Short titles and legend, no long axis labels: for windows narrower than
        :data:`~cranesim.viz.plots.COMPACT_WIDTH` (all four plots and the labels fit from
        800 x 450 up)."""
        if compact == self.compact:
            return
        self.compact = compact
        self.side.set_compact(compact)
        for v in self.views:
            v.set_compact(compact)
            v.info.setText("")  # rewritten, in the compact form, by the render below
        self._update_legend()
        self.render(force_side=True)

    def fit_panes(self) -> None:
        """Give the plan views the height in which the bay spans the width (long bays are
        flat), within what the plots below need; then fit each bay to its view."""
        self.set_compact(self.width() < COMPACT_WIDTH)
        total = self.split.height() if self.split.height() > 100 else self.height() - 60
        plot_w = max(self.width() - 12 - 60, 100)  # the window less margins and the y axis
        need = 0
        for v in self.views:
            ih = v.info.heightForWidth(max(self.width() - 12, 200))
            need += v.height_for(plot_w) + max(ih, v.info.sizeHint().height()) + 2
        lh = self.legend.heightForWidth(max(self.width() - 12, 200))
        need += (lh if lh > 0 else self.legend.sizeHint().height()) + 6
        plots = (100 if self.compact else 170) + 30 * (len(self.views) - 1)  # the plots' least
        pane = max(min(need, total - plots), int(0.35 * total))
        self.split.setSizes([pane, max(total - pane, 80)])
        QtCore.QTimer.singleShot(0, self._fit_views)

    def _fit_views(self) -> None:
        for v in self.views:
            vb = v.getPlotItem().getViewBox()
            v.fit(vb.width(), vb.height())

    def dispose(self) -> None:
        """Close and delete the window now (a live window left to interpreter exit can crash)."""
        self.close()
        self.deleteLater()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)
            app.processEvents()
