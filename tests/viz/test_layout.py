"""The animation's layout (issue 17, item 8): it works from 800 x 450 up, frames carry no
widgets, the bay fills the view, count axes tick on whole numbers, offscreen runs are quiet.

Geometry is measured on the widgets themselves (pixel rectangles of the plots, the bay's rails
mapped to the view), not on the numbers the layout code computed.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")
pytest.importorskip("pyqtgraph")

from pyqtgraph.Qt import QtCore, QtWidgets  # noqa: E402

from cranesim.cli.app import main as cli_main  # noqa: E402
from cranesim.scenario.load import load_config  # noqa: E402
from cranesim.viz.animate import build_window, make_sources  # noqa: E402
from cranesim.viz.plots import CountAxis  # noqa: E402


def _window(qtbot, sc, size, **kw):
    win = build_window(make_sources(sc, 7, 8.0, kw.pop("side_by_side", False)), **kw)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.fit_panes()
    for _ in range(3):
        QtWidgets.QApplication.processEvents()
    win.seek(1200.0)
    QtWidgets.QApplication.processEvents()
    return win


def _bay_px(view) -> tuple[float, float]:
    """The bay's width in pixels and the width of the plot area it is drawn in."""
    vb = view.getPlotItem().getViewBox()
    a = vb.mapViewToScene(QtCore.QPointF(0.0, 0.0))
    b = vb.mapViewToScene(QtCore.QPointF(view.L, 0.0))
    return abs(b.x() - a.x()), vb.sceneBoundingRect().width()


@pytest.mark.parametrize("name, size", [("small", (800, 450)), ("masteel_wire_rod", (800, 450)),
                                        ("small", (1920, 1080)), ("masteel_wire_rod", (1920, 1080))])  # fmt: skip
def test_every_plot_and_the_whole_bay_in_view(qtbot, name, size):
    win = _window(qtbot, load_config(name), size)
    assert win.compact == (size[0] < 1300)
    side_w = win.side.width()
    for key, p in win.side.plots.items():  # all four plots inside the window, none squeezed out
        r = p.sceneBoundingRect()
        assert r.left() >= -1 and r.right() <= side_w + 1, key
        assert r.width() > side_w / 6, key
    (view,) = win.views
    bay, plot = _bay_px(view)
    assert bay <= plot + 1  # the whole bay is in view
    # the long default bay spans its view; the short small one as far as the height allows
    if name == "masteel_wire_rod" or size[0] > 1000:
        assert bay >= 0.85 * plot, (bay, plot)
    else:
        assert bay >= 0.6 * plot, (bay, plot)
    assert view.info.isVisible() and view.info.text()
    text_h = view.info.fontMetrics().height()
    assert view.info.height() <= 2 * text_h + 8  # the status line: at most two lines


def test_frames_show_no_widgets(qtbot, small):
    win = _window(qtbot, small, (800, 450), controls=False)
    assert not win.play_btn.isVisible() and not win.speed_box.isVisible()
    assert not win.status.isVisible()  # no "paused"
    assert win.clock_label.isVisible() and win.clock_label.text().startswith("Day 1")
    live = _window(qtbot, small, (800, 450))
    assert live.play_btn.isVisible() and "paused" in live.status.text()


def test_count_axes_tick_on_whole_numbers():
    ax = CountAxis("left")
    for lo, hi, size in ((0.0, 1.6, 120.0), (0.0, 4.4, 300.0), (0.0, 3300.0, 150.0)):
        for spacing, _ in ax.tickSpacing(lo, hi, size):
            assert spacing >= 1 and float(spacing).is_integer()
        ticks = [v for _, vs in ax.tickValues(lo, hi, size) for v in vs]
        assert ticks and all(float(v).is_integer() for v in ticks)


def test_offscreen_frames_print_no_qt_warning(tmp_path, capfd):
    rc = cli_main(["animate", "small", "--offscreen", "--frames", "1", "--out", str(tmp_path),
                   "--size", "800x450"])  # fmt: skip
    assert rc == 0
    err = capfd.readouterr().err
    assert "propagateSizeHints" not in err and "This plugin" not in err
