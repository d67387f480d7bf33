"""The animation: window, clock, crane items against the model, frames, replay, capture CLI.

Everything runs offscreen (``tests/conftest.py`` sets ``QT_QPA_PLATFORM``) on the small scenario.
Positions are compared with the model's own ``Warehouse.crane_x/crane_y/hook_z`` and with the
trace records, not with values the animation computed itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytest.importorskip("pytestqt")
pg = pytest.importorskip("pyqtgraph")

from pyqtgraph.Qt import QtGui  # noqa: E402

from cranesim.cli.app import build_parser  # noqa: E402
from cranesim.cli.app import main as cli_main  # noqa: E402
from cranesim.model.warehouse import Warehouse  # noqa: E402
from cranesim.record.trace import COL, TraceWriter, iter_records, trace_meta  # noqa: E402
from cranesim.scenario.layout import build_layout  # noqa: E402
from cranesim.scenario.load import load_config  # noqa: E402
from cranesim.viz.animate import build_window, make_sources  # noqa: E402
from cranesim.viz.source import LiveSource, ReplaySource  # noqa: E402
from cranesim.viz.state import effect_time  # noqa: E402

TOL = 1e-6


def main(argv: list[str]) -> int:
    """``cranesim animate ARGV``, in this process."""
    return cli_main(["animate", *argv])


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def sc(small_cfg_path):
    return load_config(small_cfg_path)


def _window(qtbot, sources, **kw):
    win = build_window(sources, **kw)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def _image(view) -> np.ndarray:
    from pyqtgraph.exporters import ImageExporter

    ex = ImageExporter(view.getPlotItem())
    ex.parameters()["width"] = 900
    img = ex.export(toBytes=True).convertToFormat(QtGui.QImage.Format.Format_RGB32)
    arr = pg.functions.ndarray_from_qimage(img).copy()  # copy while img holds the buffer
    del img
    return arr


def test_window_opens_with_one_item_per_crane(qtbot, sc):
    win = _window(qtbot, make_sources(sc, 7, 8.0, False))
    assert win.isVisible()
    (view,) = win.views
    assert len(view.bridges) == len(view.trolleys) == len(sc.cranes) == 2
    assert "Automated" in view.getPlotItem().titleLabel.text
    assert win.clock_label.text() == "Day 1 · 00:00:00"


def test_ticks_advance_model_time_by_wall_time_times_speed(qtbot, sc):
    clock = FakeClock()
    win = _window(qtbot, make_sources(sc, 7, 8.0, False), speed=100.0, clock=clock)
    src = win.sources[0]
    win.play()
    for _ in range(12):
        clock.now += 0.05  # 50 ms of wall time per tick
        win.tick()
    assert win.t == pytest.approx(12 * 0.05 * 100.0, abs=1e-9)
    assert src.wh.env.now == pytest.approx(60.0, abs=1e-9)
    # paused: wall time passes, model time does not
    win.pause()
    clock.now += 5.0
    win.tick()
    assert win.t == pytest.approx(60.0, abs=1e-9)
    # one tick never advances more than the per-tick bound, whatever the speed and wall gap
    win.max_model_s = 30.0
    win.set_speed(1000.0)
    win.play()
    clock.now += 2.0
    win.tick()
    assert win.t == pytest.approx(90.0, abs=1e-9)
    assert "Day 1 · 00:01:30" == win.clock_label.text()


def test_event_bound_per_tick_keeps_model_behind_instead_of_freezing(qtbot, sc):
    clock = FakeClock()
    win = _window(
        qtbot,
        make_sources(sc, 7, 8.0, False),
        speed=500.0,
        clock=clock,
        max_events_per_tick=3,
        max_model_s_per_tick=3600.0,
    )
    win.play()
    clock.now += 2.0  # asks for 1000 model seconds
    win.tick()
    assert 0.0 <= win.t < 1000.0
    t1 = win.t
    for _ in range(5):
        clock.now += 0.0
        win.tick()
    assert win.t >= t1


def test_crane_items_sit_where_the_model_puts_them(qtbot, sc):
    win = _window(qtbot, make_sources(sc, 7, 8.0, False))
    src = win.sources[0]
    wh = src.wh
    (view,) = win.views
    moving = holding = 0
    for t in np.arange(37.0, 3 * 3600.0, 211.3):
        win.seek(float(t))
        assert wh.env.now == pytest.approx(t, abs=1e-9)
        for c in range(wh.n):
            x, y = wh.crane_x(c, t), wh.crane_y(c, t)
            assert abs(view.bridges[c].pos().x() - x) < TOL
            assert abs(view.bridges[c].pos().y() - 0.0) < TOL
            assert abs(view.trolleys[c].pos().x() - x) < TOL
            assert abs(view.trolleys[c].pos().y() - y) < TOL
            assert abs(view.hooks[c].pos().x() - x) < TOL
            assert view.loads[c].isVisible() == wh.holding(c)
            if view.loads[c].isVisible():
                assert (
                    abs(view.loads[c].pos().x() - x) < TOL
                    and abs(view.loads[c].pos().y() - y) < TOL
                )
                holding += 1
            moving += wh.stage[c] is not None
        # occupancy drawn = occupancy of the model
        lower_coils = wh.st.s_coil[view.lower_slots]
        assert np.array_equal(view.lower.idx >= 0, lower_coils >= 0)
        assert np.array_equal(view.upper.idx >= 0, wh.st.s_coil[view.upper_slots] >= 0)
        assert np.array_equal(view.station.idx >= 0, np.asarray(wh.station_coil) >= 0)
    assert moving > 5 and holding > 3  # the samples caught cranes in motion and loaded


def test_side_plots_follow_the_model(qtbot, sc):
    win = _window(qtbot, make_sources(sc, 7, 8.0, False))
    src = win.sources[0]
    wh = src.wh
    seen = []
    for t in (1800.0, 3600.0, 2.5 * 3600.0):
        win.seek(t)
        ser = src.series
        assert ser.value("inventory") == wh.inventory()
        assert ser.value("station") == sum(1 for c in wh.station_coil if c >= 0)
        assert src.rs.station_coil == list(wh.station_coil)
        busy_bays = wh.lay.n_bays - len(wh._bays.items)  # noqa: SLF001
        assert sum(src.rs.bay_busy) == busy_bays
        x, y = win.side.curves["inventory"][0].getData()
        assert x[-1] == pytest.approx(t / 3600.0) and y[-1] == wh.inventory()
        seen.append(ser.value("inventory"))
    assert len(src.series.t["inventory"]) > 10


def test_frames_are_not_blank_and_change_with_time(qtbot, sc):
    win = _window(qtbot, make_sources(sc, 7, 8.0, False))
    (view,) = win.views
    win.seek(600.0)
    a = _image(view)
    rgb = a[..., :3].reshape(-1, 3)
    assert rgb.astype(float).var() > 0
    colours = np.unique(rgb, axis=0)
    assert len(colours) > 20
    win.seek(1500.0)
    b = _image(view)
    assert a.shape == b.shape
    assert np.count_nonzero(np.any(a != b, axis=-1)) > 100
    # the colour toggle recolours the coils
    grades_idx = view.lower.idx.copy()
    win.set_color_mode("age")
    assert np.all(view.lower.idx[grades_idx >= 0] >= view.G)
    assert "age" in win.legend.text()


def _recorded_run(sc, tmp_path, hours=2.0, samples=150, variant=None):
    """Run the model with a CSV trace; sample crane positions and occupancy as it runs.

    ``variant``: None for the plain automated planner (``cranesim run``), else a variant of
    ``cranesim.model.crew.build_planner`` ("automated": anti-sway; "manual": the driver model).
    """
    path = tmp_path / f"small_{variant}.csv"
    kw = {}
    if variant is not None:
        from cranesim.model.crew import build_planner

        kw["planner"], kw["policy"] = build_planner(sc, variant)
    meta = trace_meta(sc, build_layout(sc), seed=7, hours=hours, crew=variant or "plain")
    with TraceWriter(path, meta) as w:
        wh = Warehouse(sc, 7, sink=w.write, **kw)
        ts = np.sort(np.random.default_rng(3).uniform(0.0, hours * 3600.0, samples))
        seen = []
        for t in ts:
            wh.env.run(until=float(t))
            seen.append(
                (
                    float(t),
                    [
                        (wh.crane_x(c, t), wh.crane_y(c, t), wh.hook_z(c, t), wh.holding(c))
                        for c in range(wh.n)
                    ],  # noqa: SLF001
                    wh.st.s_coil.copy(),
                )
            )
        wh.env.run(until=hours * 3600.0 + 900.0)  # let the stages in progress finish in the trace
    return path, seen


@pytest.mark.parametrize("variant", [None, "automated"])
def test_replay_puts_cranes_where_the_trace_says(qtbot, sc, tmp_path, variant):
    path, seen = _recorded_run(sc, tmp_path, variant=variant)
    recs = list(iter_records(path))
    rp = ReplaySource(Warehouse(sc, 7), recs)
    assert rp.scaled_stages == 0  # every stage rebuilt exactly by the model's own planners
    # at every stage record's start and end, the crane is where the record says
    n = 0
    for r in recs:
        if r[COL["kind"]] not in ("move_empty", "move_loaded", "yield"):
            continue
        c, t0, t1 = r[COL["crane"]], r[COL["t_s"]], effect_time(r)
        x0, y0 = rp.crane_position(c, t0)[:2]
        x1, y1 = rp.crane_position(c, t1)[:2]
        assert abs(x0 - r[COL["x0_m"]]) < TOL and abs(y0 - r[COL["y0_m"]]) < TOL
        assert abs(x1 - r[COL["x1_m"]]) < TOL and abs(y1 - r[COL["y1_m"]]) < TOL
        n += 1
    assert n > 50
    # in between, positions, hook and occupancy match the live model
    win = _window(qtbot, [rp])
    (view,) = win.views
    for t, cranes, coils in seen:
        win.seek(t)
        assert win.t == pytest.approx(t)
        snap = rp.snapshot()
        for c, (x, y, z, holding) in enumerate(cranes):
            cv = snap.cranes[c]
            assert abs(cv.x - x) < TOL and abs(cv.y - y) < TOL and abs(cv.z - z) < TOL
            assert cv.holding == holding
            assert abs(view.bridges[c].pos().x() - x) < TOL
            assert abs(view.trolleys[c].pos().y() - y) < TOL
        assert np.array_equal(snap.slot_coil, coils)
    # seeking backwards restores the earlier state
    t, cranes, coils = seen[10]
    win.seek(t)
    assert np.array_equal(rp.snapshot().slot_coil, coils)
    assert win.slider is not None and win.slider.value() == int(round(t))


def test_replay_of_a_manual_trace_keeps_record_end_points(sc, tmp_path):
    """A human driver's moves are random: replay stretches the planned path over the recorded
    stage, so the crane is still exactly where each record starts and ends."""
    path, seen = _recorded_run(sc, tmp_path, hours=1.0, samples=40, variant="manual")
    recs = list(iter_records(path))
    rp = ReplaySource(Warehouse(sc, 7), recs)
    n = 0
    for r in recs:
        if r[COL["kind"]] in ("move_empty", "move_loaded"):
            c = r[COL["crane"]]
            for t, xk, yk in ((r[COL["t_s"]], "x0_m", "y0_m"), (effect_time(r), "x1_m", "y1_m")):
                x, y, _ = rp.crane_position(c, t)
                assert abs(x - r[COL[xk]]) < TOL and abs(y - r[COL[yk]]) < TOL
            n += 1
    assert n > 10
    for t, _cranes, coils in seen:  # occupancy does not depend on how the crane moved
        rp.advance_to(t)
        assert np.array_equal(rp.snapshot().slot_coil, coils)


def test_side_by_side_runs_two_models_on_one_clock(qtbot, sc):
    srcs = make_sources(sc, 7, 8.0, True)
    assert len(srcs) == 2 and "Manual" in srcs[1].label
    assert srcs[1].wh.st.params[6] == 1  # fcfs_nearest
    assert np.array_equal(srcs[0].wh.st.s_coil, srcs[1].wh.st.s_coil)  # same initial stock
    win = _window(qtbot, srcs)
    assert len(win.views) == 2
    win.seek(1800.0)
    assert srcs[0].t == srcs[1].t == pytest.approx(1800.0)
    for v, s in zip(win.views, srcs):
        for c in range(s.wh.n):
            assert abs(v.bridges[c].pos().x() - s.wh.crane_x(c, 1800.0)) < TOL
    assert len(win.side.curves["inventory"]) == 2


def test_capture_cli_writes_n_pngs(tmp_path, small_cfg_path):
    out = tmp_path / "frames"
    rc = main(
        [
            str(small_cfg_path),
            "--offscreen",
            "--frames",
            "3",
            "--every",
            "120",
            "--out",
            str(out),
            "--size",
            "900x600",
            "--gif",
        ]
    )
    assert rc == 0
    files = sorted(out.glob("frame_*.png"))
    assert [f.name for f in files] == ["frame_0000.png", "frame_0001.png", "frame_0002.png"]
    imgs = [QtGui.QImage(str(f)) for f in files]
    assert all(not im.isNull() and im.width() == 900 and im.height() == 600 for im in imgs)
    assert (out / "animation.gif").stat().st_size > 0


def test_capture_of_a_replay(tmp_path, sc, small_cfg_path):
    """The trace alone is enough: its scenario and seed are in its metadata."""
    path, _ = _recorded_run(sc, tmp_path, hours=0.5, samples=3)
    out = tmp_path / "rf"
    rc = main(
        [
            "--replay",
            str(path),
            "--offscreen",
            "--frames",
            "2",
            "--every",
            "300",
            "--out",
            str(out),
            "--size",
            "800x500",
        ]
    )
    assert rc == 0
    assert len(list(out.glob("*.png"))) == 2


def test_replay_of_a_trace_whose_metadata_lies_is_refused(tmp_path, sc, capsys):
    import json

    from cranesim.record.trace import sidecar_path

    path, _ = _recorded_run(sc, tmp_path, hours=1.0, samples=2)
    side = sidecar_path(path)
    doc = json.loads(side.read_text())
    doc["cranesim"]["seed"] = 8  # not the seed that ran
    side.write_text(json.dumps(doc))
    rc = main(["--replay", str(path), "--offscreen", "--frames", "1", "--out", str(tmp_path / "f")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "seed 8" in err and "do not match" in err and err.count("\n") == 1
    side.unlink()
    assert main(["--replay", str(path), "--offscreen", "--frames", "1"]) == 2
    assert "metadata" in capsys.readouterr().err


def test_replay_takes_no_scenario(tmp_path, sc, small_cfg_path, capsys):
    path, _ = _recorded_run(sc, tmp_path, hours=0.2, samples=2)
    for extra in ([str(small_cfg_path)], ["--seed", "7"], ["--set", "mill.rate_t_h=50"]):
        assert main([*extra, "--replay", str(path), "--offscreen", "--frames", "1"]) == 2
        assert "from the trace" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--replay", "nope.csv"], "no such file"),
        (["--offscreen"], "--frames"),
        (["--replay", "x.csv", "--side-by-side"], "cannot be combined"),
        (["--frames", "2", "--size", "huge"], "--size"),
        (["missing.toml", "--frames", "1"], "missing.toml"),
        (["--frames", "3", "--every", "3600", "--hours", "1"], "beyond the run"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("cranesim: error: ") and words in err and err.count("\n") == 1


def test_the_parser_has_the_subcommand():
    ns = build_parser().parse_args(["animate", "c.toml", "--speed", "500", "--side-by-side"])
    assert ns.config == "c.toml" and ns.speed == 500.0 and ns.side_by_side and callable(ns._handler)


def test_closing_the_window_mid_run_exits_0(small_cfg_path, tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from pyqtgraph.Qt import QtCore, QtWidgets
        app = QtWidgets.QApplication([])
        def close():
            wins = [w for w in app.topLevelWidgets() if w.isVisible() and hasattr(w, "tick")]
            if not (wins and wins[0].playing and wins[0].t > 0):
                QtCore.QTimer.singleShot(200, close)  # not running yet (a loaded machine)
                return
            wins[0].close()
        QtCore.QTimer.singleShot(1500, close)
        from cranesim.cli.app import main
        sys.exit(main(["animate", {str(small_cfg_path)!r}, "--speed", "500"]))
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_live_source_event_bound_is_exact(sc):
    src = LiveSource(lambda sink: Warehouse(sc, 7, sink=sink), 3600.0)
    t_next = src.next_event_time()
    reached = src.advance_to(500.0, max_events=0)
    assert reached == 0.0 and src.next_event_time() == t_next
    assert src.advance_to(5000.0) == 3600.0 and src.done


def test_qt_bindings_cannot_exhaust_none_in_a_long_session(qtbot, sc):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call; the view
    raises None's count so a session of days does not abort with "deallocating None"."""
    clock = FakeClock()
    win = _window(qtbot, make_sources(sc, 7, 8.0, False), speed=60.0, clock=clock)
    win.play()
    before = sys.getrefcount(None)
    for _ in range(20):
        clock.now += 0.033
        win.tick()
    per_tick = max(before - sys.getrefcount(None), 0) / 20
    assert sys.getrefcount(None) > per_tick * 30 * 86400 * 7  # a week at 30 ticks per second
