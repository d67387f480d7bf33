"""The compiled physics kernels (``cranesim._core.physics``) against their pure-Python twins, bit for bit.

Each kernel replaces a Python loop that runs for every crane stage of a simulation; a trace must
not depend on which of the two ran, so every comparison here is ``==`` on floats.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import replace

import pytest
from conftest import unchecked_sway
from hypothesis import given, settings
from hypothesis import strategies as st

from cranesim.codes import BRIDGE, HOIST, TROLLEY
from cranesim.native import compiled
from cranesim.physics.energy import EnergyModel, resolve_drives
from cranesim.physics.kinematics import AxisMove, Stage
from cranesim.physics.planners import ShapedPlanner
from cranesim.record.kpi import motion_sums_py as _motion_sums_py
from cranesim.scenario.load import load_config
from cranesim.sched import CORE

pytestmark = pytest.mark.skipif(CORE != "compiled", reason="pure-Python run: no compiled kernels")

PHYSICS = importlib.import_module("cranesim._core.physics") if compiled() else None


def test_kernels_load_with_the_compiled_core():
    """A build that compiled the scheduler compiled the physics too: no silent Python fallback."""
    assert PHYSICS is not None and PHYSICS.__name__ == "cranesim._core.physics"


@settings(max_examples=400, deadline=None)
@given(
    d=st.one_of(st.floats(-150.0, 150.0, allow_nan=False), st.sampled_from([0.0, 1e-9, -1e-9])),
    t0=st.one_of(st.floats(0.0, 4e7, allow_nan=False), st.just(0.0)),
    v=st.floats(0.05, 3.0),
    a=st.floats(0.01, 1.0),
    shaped=st.booleans(),
    length_error=st.sampled_from([0.0, 0.05, -0.1, 0.3]),
    tau=st.sampled_from([11.0, 3.0, 60.0, float("inf")]),
    tol=st.sampled_from([0.02, 1e-6, 0.5]),  # the config requires > 0
)
def test_shaped_move_is_the_twin(d, t0, v, a, shaped, length_error, tau, tol):
    sc = load_config(None)
    sw = unchecked_sway(sc,
        {"automated_anti_sway": shaped, "shaper_length_error": length_error,
                "decay_time_constant_s": tau, "tolerance_m": tol}
    )  # fmt: skip
    pl = ShapedPlanner(sc.crane_specs(), sc.bay.hook_travel_height_m, sw)
    assert pl._shape is not pl._shape_py  # the kernel is bound
    p0 = 40.0
    got = pl._shape(t0, p0, p0 + d, v, a)
    want = pl._shape_py(t0, p0, p0 + d, v, a)
    assert got == want
    assert [repr(x) for x in got] == [repr(x) for x in want]  # the sign of a zero too


def _random_moves(r: random.Random, n: int) -> list[AxisMove]:
    moves = []
    for _ in range(n):
        axis = r.choice([BRIDGE, TROLLEY, HOIST])
        p0 = r.choice([5.0, 0, 12.5, r.uniform(0, 200)])
        p1 = r.choice([p0, p0 + r.uniform(-80, 80), p0 + 1e-7, 3])  # a still move, ints too
        v = r.uniform(0.05, 2.0)
        a = r.uniform(0.02, 0.6)
        load = r.choice([0.0, 2.1, r.uniform(0.5, 4.0)])
        moves.append(AxisMove(axis, r.uniform(0, 1e6), p0, p1, v, a, load))
    return moves


@pytest.mark.parametrize("drive", ["inverter_resistor", "inverter_regen", "wound_rotor_contactor"])
@pytest.mark.parametrize("plugging", [False, True])
def test_stage_energy_is_the_twin(drive, plugging):
    """The kernel (no move log) and the Python loop (with one) price the same stages alike,
    stage by stage and in every total."""
    sc = load_config(None)
    sc = sc.derive({"energy.automated.drive": drive})
    params = [replace(p, plugging=plugging) for p in resolve_drives(sc, "automated")]
    kern, ref = EnergyModel(sc, params=params, log=False), EnergyModel(sc, params=params, log=True)
    assert kern._kernel is not None and ref._kernel is None
    r = random.Random(11)
    n = len(kern.params)
    for i in range(300):
        moves = _random_moves(r, r.randint(0, 4))
        stage = Stage(0.0, 10.0, moves, 0.0, 0.0, 0.0, 0.0)
        c = i % n
        assert kern.stage_kwh(c, stage, "move_loaded") == ref.stage_kwh(c, stage, "move_loaded")
    assert kern.totals == ref.totals
    assert kern.stages == ref.stages == 300
    assert kern.motion_kwh() == ref.motion_kwh()


def test_stage_energy_rejects_a_crane_out_of_range():
    em = EnergyModel(load_config(None), log=False)
    with pytest.raises(IndexError):
        em.stage_kwh(len(em.params), Stage(0.0, 1.0, [], 0.0, 0.0, 0.0, 0.0), "pick")


def test_motion_sums_is_the_twin():
    r = random.Random(5)
    for _ in range(300):
        moves = _random_moves(r, r.randint(0, 5))
        got, want = PHYSICS.motion_sums(moves), _motion_sums_py(moves)
        assert got == want
        assert [type(x) for x in got] == [type(x) for x in want]


def test_moves_and_stages_are_the_twins():
    """The compiled AxisMove, TaggedMove and Stage against the Python classes: every attribute,
    position and sum, bit for bit; and they survive pickling (the process pool)."""
    import pickle

    from cranesim.physics.kinematics import AxisMovePy, StagePy
    from cranesim.physics.planners import TaggedMove, TaggedMovePy

    assert (
        AxisMove is PHYSICS.AxisMove and Stage is PHYSICS.Stage and TaggedMove is PHYSICS.TaggedMove
    )
    r = random.Random(3)
    for _ in range(400):
        axis = r.choice([BRIDGE, TROLLEY, HOIST])
        args = (axis, r.uniform(0, 1e6), r.uniform(0, 200), r.choice([r.uniform(0, 200), 50.0]),
                r.uniform(0.05, 2.0), r.uniform(0.02, 0.6), r.choice([0.0, 2.3]))  # fmt: skip
        if r.random() < 0.3:
            args = args[:3] + (args[2],) + args[4:]  # a still move
        tag = r.randrange(5)
        pairs = [
            (AxisMove(*args), AxisMovePy(*args)),
            (TaggedMove(*args, tag), TaggedMovePy(*args, tag)),
        ]
        for got, want in pairs:
            for name in (
                "axis",
                "t0",
                "p0",
                "p1",
                "v",
                "a",
                "load_t",
                "dur",
                "t_acc",
                "v_peak",
                "t1",
                "distance",
            ):
                assert getattr(got, name) == getattr(want, name), name
            for dt in (
                -1.0,
                0.0,
                r.uniform(0, want.dur),
                want.t_acc,
                want.dur - want.t_acc,
                want.dur,
                1e9,
            ):
                assert got.pos(want.t0 + dt) == want.pos(want.t0 + dt)
            assert repr(got) == repr(want)
            back = pickle.loads(pickle.dumps(got))
            assert (
                type(back) is type(got)
                and back.dur == got.dur
                and getattr(back, "tag", 0) == getattr(got, "tag", 0)
            )
        assert pairs[1][0].tag == tag
        moves_c = [pairs[0][0], pairs[1][0]]
        moves_p = [pairs[0][1], pairs[1][1]]
        sc_, sp_ = (
            Stage(1.0, 20.0, moves_c, 1.0, 2.0, 3.0, 4.0),
            StagePy(1.0, 20.0, moves_p, 1.0, 2.0, 3.0, 4.0),
        )
        for a in (BRIDGE, TROLLEY, HOIST):
            assert sc_.axis_distance(a) == sp_.axis_distance(a)
            assert sc_.axis_time(a) == sp_.axis_time(a)
            assert sc_.starts(a) == sp_.starts(a)
            for t in (0.0, args[1], args[1] + 1.0, 2e6):
                assert sc_.pos(a, t, 7.5) == sp_.pos(a, t, 7.5)
        assert PHYSICS.motion_sums(moves_c) == _motion_sums_py(moves_p)


@pytest.mark.parametrize("shaped", [True, False])
def test_shaped_travel_is_the_twin(shaped):
    """ShapedPlanner.travel built in one compiled call (and travel_counted and hoist_counted,
    the whole of travel and hoist, counts included) against the Python code: the same stages,
    moves and counts (moves per axis, swings waited out, settle time)."""
    sc = load_config(None)
    sw = sc.sway.model_copy(update={"automated_anti_sway": shaped})
    fast = ShapedPlanner(sc.crane_specs(), sc.bay.hook_travel_height_m, sw)
    slow = ShapedPlanner(sc.crane_specs(), sc.bay.hook_travel_height_m, sw)
    assert fast._travel_c is not None
    slow._travel_c = None
    r = random.Random(9)
    for _ in range(300):
        c = r.randrange(len(sc.crane_specs()))
        x0, y0 = r.uniform(0, 250), r.uniform(0, 30)
        x1 = r.choice([x0, r.uniform(0, 250), x0 + 0.01])
        y1 = r.choice([y0, r.uniform(0, 30)])
        args = (c, r.uniform(0, 3e7), x0, y0, x1, y1, r.choice([0.0, 2.2]))
        if r.random() < 0.3:  # a hoist stage: the model's call against the Python method
            pick = r.random() < 0.5
            args = (c, args[1], x0, y0, r.choice([0.0, 1.8, 3.6]), pick, r.choice([0.0, 2.2]))
            a = (fast.hoist if r.random() < 0.5 else fast.hoist_counted)(*args)
            b = slow.hoist(*args)
        else:
            a = (fast.travel if r.random() < 0.5 else fast.travel_counted)(
                *args
            )  # the model's call
            b = slow.travel(*args)
        assert (a.t0, a.dur, a.x0, a.y0, a.x1, a.y1) == (b.t0, b.dur, b.x0, b.y0, b.x1, b.y1)
        assert len(a.moves) == len(b.moves)
        for m, n in zip(a.moves, b.moves):
            assert (
                m.axis,
                m.t0,
                m.p0,
                m.p1,
                m.v,
                m.a,
                m.load_t,
                m.dur,
                getattr(m, "tag", None),
            ) == (n.axis, n.t0, n.p0, n.p1, n.v, n.a, n.load_t, n.dur, getattr(n, "tag", None))
    assert (
        fast.stats == slow.stats and fast.stats["moves"][0][0] > 0 and fast.stats["moves"][2][4] > 0
    )


def test_hoist_stage_is_the_twin(monkeypatch):
    """AutomatedPlanner.hoist's stage, compiled against its Python lines."""
    import cranesim.physics.planners as motion

    sc = load_config(None)
    pl = motion.AutomatedPlanner(sc.crane_specs(), sc.bay.hook_travel_height_m)
    r = random.Random(4)
    cases = [(r.randrange(len(sc.crane_specs())), r.uniform(0, 3e7), r.uniform(0, 250), r.uniform(0, 30),
              r.choice([0.0, 1.2, r.uniform(0, 3), pl.top]), r.random() < 0.5, r.choice([0.0, 2.1]))
             for _ in range(300)]  # fmt: skip
    got = [pl.hoist(*a) for a in cases]
    monkeypatch.setattr(motion, "_hoist_stage", motion.hoist_stage_py)
    want = [pl.hoist(*a) for a in cases]
    for a, b in zip(got, want):
        assert (a.t0, a.dur, a.x0, a.y0, a.x1, a.y1) == (b.t0, b.dur, b.x0, b.y0, b.x1, b.y1)
        for m, n in zip(a.moves, b.moves, strict=True):
            assert (m.axis, m.t0, m.p0, m.p1, m.v, m.a, m.load_t, m.dur) == (
                n.axis,
                n.t0,
                n.p0,
                n.p1,
                n.v,
                n.a,
                n.load_t,
                n.dur,
            )


def test_first_breach_is_the_twin():
    """The separation check, compiled against its Python loop, with and without breaches."""
    from cranesim.model.checks import first_breach_py as _first_breach_py

    r = random.Random(8)
    hits = 0
    for _ in range(500):
        n = r.randint(1, 5)
        rx = sorted(r.uniform(0, 200) for _ in range(n))
        lo = [x - r.uniform(0, 8) for x in rx]
        hi = [x + r.uniform(0, 8) for x in rx]
        stages = []
        for k in range(n):
            if r.random() < 0.5:
                stages.append(None)
                continue
            m = AxisMove(BRIDGE, 10.0, rx[k], rx[k] + r.uniform(-20, 20), 1.5, 0.3)
            stages.append(Stage(10.0, m.dur, [m], rx[k], 5.0, m.p1, 5.0))
        args = (stages, rx, lo, hi, r.uniform(5, 40), r.choice([5.0, 12.0, 25.0]))
        got, want = PHYSICS.first_breach(*args), _first_breach_py(*args)
        assert got == want
        hits += got is not None
    assert 50 < hits < 450  # both outcomes were compared


def _stage_sums_fields(cs) -> tuple:
    return (
        cs.crane_busy_s, cs.crane_wait_s, cs.crane_yield_s, cs.crane_lifts, cs.empty_travel_m,
        cs.loaded_travel_m, cs.yield_travel_m, cs.hoist_m, cs.lifts, cs.lift_kinds, cs.energy_kwh,
        cs.energy_records,
    )  # fmt: skip


def test_crane_stage_sums_are_the_twin():
    """The KPI sums of crane stages, from records (add) and from a stage's moves (add_moves),
    interleaved as a run without a trace makes them: every sum equal, bit for bit."""
    from cranesim.codes import LIFT_KIND_CODES
    from cranesim.codes import STAGE_CODES as KIND_CODES
    from cranesim.record.kpi import CraneStageSumsPy

    r = random.Random(11)
    twin, kern = CraneStageSumsPy(3), PHYSICS.CraneStageSums(3)
    kinds, lks = list(KIND_CODES), list(LIFT_KIND_CODES)
    for i in range(3000):
        k, c, d = r.choice(kinds), r.randrange(3), r.uniform(0.0, 90.0)
        lift = r.choice([-1, i])
        lk = r.choice(lks)
        e = r.choice([float("nan"), r.uniform(-0.05, 0.3)])
        if r.random() < 0.5:
            args = (k, c, d, lift, lk, r.uniform(0, 80), r.uniform(0, 20), r.uniform(0, 12), e)
            twin.add(*args)
            kern.add(*args)
        else:
            moves = _random_moves(r, r.randrange(0, 5))
            args = (KIND_CODES[k], c, d, lift, LIFT_KIND_CODES[lk], moves, e)
            twin.add_moves(*args)
            kern.add_moves(*args)
        assert _stage_sums_fields(kern) == _stage_sums_fields(twin), f"record {i}"
    for bad in ((0, 3), (0, -1), (6, 0)):  # a crane out of range, a kind out of range
        for cs in (twin, kern):
            with pytest.raises((IndexError, KeyError)):
                cs.add_moves(bad[0], bad[1], 1.0, -1, -1, [], 0.0)
    for cs in (twin, kern):
        with pytest.raises(KeyError):
            cs.add("place", 0, 1.0, 5, "", 0.0, 0.0, 0.0, 0.0)  # a place needs its lift's kind
