"""Sway: period, residual swing, ZV shaping and damping times against formulas and an ODE."""

from __future__ import annotations

from math import exp, log, pi, sin, sqrt

import numpy as np
import pytest
from conftest import unchecked_sway
from hypothesis import given, settings
from hypothesis import strategies as st

from cranesim.codes import BRIDGE
from cranesim.physics.kinematics import AxisMove, profile
from cranesim.physics.sway import (
    abrupt_stop_amplitude_m,
    counter_moves_needed,
    manual_stop_amplitude_m,
    move_residual_m,
    period_s,
    residual_amplitude_m,
    settle_time_s,
    shaped_accel,
    trapezoid_residual_closed_form_m,
    zv_residual_ratio,
)

G = 9.81


def test_period_matches_formula_and_brief():
    for L, brief in ((4.0, 4.0), (6.0, 4.9), (10.0, 6.3)):
        assert period_s(L) == pytest.approx(2 * pi * sqrt(L / G), rel=1e-12)
        assert period_s(L) == pytest.approx(brief, abs=0.05)


def test_abrupt_stop_matches_brief():
    assert abrupt_stop_amplitude_m(6.0, 0.3) == pytest.approx(6.0 * 0.3 / G)
    assert abrupt_stop_amplitude_m(6.0, 0.3) == pytest.approx(0.18, abs=0.005)


@pytest.mark.parametrize("L,a,t", [(5.0, 0.3, 1.0), (6.0, 0.3, 2.45), (4.0, 0.2, 7.3)])
def test_single_step_response(L, a, t):
    """A deceleration step of length t leaves (L·a/g)·2|sin(ωt/2)|; at t = T/2 twice L·a/g."""
    w = sqrt(G / L)
    got = residual_amplitude_m([(0.0, t, -a)], L)
    assert got == pytest.approx(L * a / G * 2 * abs(sin(w * t / 2)), rel=1e-9)
    half = residual_amplitude_m([(0.0, period_s(L) / 2, -a)], L)
    assert half == pytest.approx(2 * L * a / G, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.01, 200), st.floats(0.1, 3), st.floats(0.05, 1.0), st.floats(2.0, 15.0))
def test_trapezoid_residual_closed_form(d, v, a, L):
    m = AxisMove(BRIDGE, 3.0, 1.0, 1.0 + d, v, a)
    assert move_residual_m(m, L) == pytest.approx(
        trapezoid_residual_closed_form_m(d, v, a, L), rel=1e-7, abs=1e-9
    )


def pendulum_ode(phases, L, tau, t_end, dt=1e-3):
    """RK4 of x'' + (2/τ)x' + ω²x = -a(t); amplitude from x and x' at t_end."""
    w2 = G / L
    c = 2.0 / tau

    def acc(t):
        return sum(a for t0, t1, a in phases if t0 <= t < t1)

    def f(t, y):
        return np.array([y[1], -c * y[1] - w2 * y[0] - acc(t)])

    y = np.zeros(2)
    t = 0.0
    n = int(round(t_end / dt))
    for _ in range(n):
        k1 = f(t, y)
        k2 = f(t + dt / 2, y + dt / 2 * k1)
        k3 = f(t + dt / 2, y + dt / 2 * k2)
        k4 = f(t + dt, y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += dt
    wd = sqrt(w2 - (c / 2) ** 2)
    return sqrt(y[0] ** 2 + ((y[1] + c / 2 * y[0]) / wd) ** 2)


@pytest.mark.parametrize("tau", [1e9, 11.0])
def test_residual_matches_pendulum_ode(tau):
    m = AxisMove(BRIDGE, 0.0, 0.0, 12.0, 1.5, 0.3)
    phases = [(0.0, m.t_acc, 0.3), (m.dur - m.t_acc, m.dur, -0.3)]
    ode = pendulum_ode(phases, 5.0, tau, m.dur)
    assert move_residual_m(m, 5.0, tau) == pytest.approx(ode, rel=2e-3)


def test_zv_shaper_cancels_the_swing():
    """Two half-steps T/2 apart (the ZV shaper) leave no swing; the ratio says so too."""
    L, a = 5.0, 0.3
    T = period_s(L)
    m = AxisMove(BRIDGE, 0.0, 0.0, 21.0, 1.0, a)
    unshaped = [(0.0, m.t_acc, a), (m.dur - m.t_acc, m.dur, -a)]
    shaped = []
    for t0, t1, acc in unshaped:
        shaped += [(t0, t1, acc / 2), (t0 + T / 2, t1 + T / 2, acc / 2)]
    assert residual_amplitude_m(unshaped, L) > 0.05
    assert residual_amplitude_m(shaped, L) == pytest.approx(0.0, abs=1e-9)
    assert zv_residual_ratio(0.0) == pytest.approx(0.0, abs=1e-12)
    # tuned for L but the rope is 10 % longer: the same ratio as the two-impulse response
    L2 = 1.1 * L
    ratio = residual_amplitude_m(shaped, L2) / residual_amplitude_m(unshaped, L2)
    assert ratio == pytest.approx(zv_residual_ratio(0.1), rel=1e-6)


@pytest.mark.parametrize("d", [40.0, 5.0, 0.5, 0.05])
def test_shaped_move_is_half_a_period_longer(d):
    v, a, T = 100 / 60, 0.3, period_s(5.0)
    a2 = shaped_accel(d, v, a, T)
    assert 0 < a2 < a
    assert profile(d, v, a2)[0] == pytest.approx(profile(d, v, a)[0] + T / 2, rel=1e-12)


def test_settle_and_counter_moves():
    # the brief's ±180 mm -> ±30 mm in 15-25 s fixes τ ≈ 11 s
    assert settle_time_s(0.18, 0.03, 11.0) == pytest.approx(11.0 * log(6.0))
    assert 15.0 <= settle_time_s(0.18, 0.03, 11.0) <= 25.0
    assert settle_time_s(0.02, 0.03, 11.0) == 0.0
    assert counter_moves_needed(0.18, 0.03, 0.4) == 2  # 0.18 -> 0.072 -> 0.0288
    assert counter_moves_needed(0.18, 0.03, 0.5) == 3
    assert counter_moves_needed(0.01, 0.03, 0.5) == 0


def test_manual_stop_amplitude():
    L, a = 6.0, 0.3
    base = L * a / G
    # after a long cruise the start's swing has decayed: one abrupt stop, L·a/g
    assert manual_stop_amplitude_m(L, a, 1e4, 11.0, 1.0) == pytest.approx(base, rel=1e-9)
    # after no cruise the two steps add up in phase or cancel
    assert manual_stop_amplitude_m(L, a, 0.0, 11.0, 0.0) == pytest.approx(2 * base)
    assert manual_stop_amplitude_m(L, a, 0.0, 11.0, pi) == pytest.approx(0.0, abs=1e-12)
    left = exp(-5.0 / 11.0)
    assert manual_stop_amplitude_m(L, a, 5.0, 11.0, pi / 2) == pytest.approx(
        base * sqrt(1 + left**2)
    )


@settings(max_examples=300, deadline=None)
@given(
    d=st.floats(-120.0, 120.0, allow_nan=False),
    t0=st.floats(0.0, 1e6, allow_nan=False),
    v=st.floats(0.2, 2.5),
    a=st.floats(0.05, 0.6),
    shaped=st.booleans(),
    length_error=st.sampled_from([0.0, 0.05, -0.1]),
)
def test_shaped_planner_moves_are_the_sway_functions(d, t0, v, a, shaped, length_error):
    """ShapedPlanner writes shaped_accel and move_residual_m out for speed: same bits."""
    from cranesim.physics.planners import ShapedPlanner
    from cranesim.physics.sway import (
        move_residual_m,
        settle_time_s,
        shaped_accel,
        zv_residual_ratio,
    )
    from cranesim.scenario.load import load_config

    sc = load_config(None)
    sw = unchecked_sway(sc, {"automated_anti_sway": shaped, "shaper_length_error": length_error})
    pl = ShapedPlanner(sc.crane_specs(), sc.bay.hook_travel_height_m, sw)
    p0, p1 = 50.0, 50.0 + d
    m, settle = pl._axis_move(BRIDGE, t0, p0, p1, v, a, 2.0)
    a_cmd = shaped_accel(p1 - p0, v, a, pl.T) if shaped else a
    assert m.a == a_cmd
    ratio = zv_residual_ratio(length_error) if shaped else 1.0
    resid = ratio * move_residual_m(AxisMove(BRIDGE, t0, p0, p1, v, a, 2.0), sw.rope_length_m,
                                    sw.decay_time_constant_s)  # fmt: skip
    assert settle == settle_time_s(resid, sw.tolerance_m, sw.decay_time_constant_s)


def test_manual_jogs_swing_the_load_and_the_driver_waits_before_lowering():
    """The creep jogs re-excite the calmed load (issue 14: 0.05-0.3 m jogs leave 49-221 mm);
    the travel stage ends only when the swing they left is within tolerance.  Checked with the
    pendulum ODE over the jogs of each stage, independent of the planner's closed form."""
    from cranesim.codes import TAG_JOG, TROLLEY
    from cranesim.physics.driver import ManualPlanner
    from cranesim.scenario.load import load_config

    sc = load_config(None)
    sw = sc.sway
    pl = ManualPlanner(
        sc.crane_specs(), sc.bay.hook_travel_height_m, sc.manual, sw, rng=np.random.default_rng(3)
    )
    rng = np.random.default_rng(4)
    excited = 0
    for _ in range(12):
        x0, x1 = rng.uniform(10, 250, 2)
        y0, y1 = rng.uniform(3, 27, 2)
        st_ = pl.travel(0, 100.0, x0, y0, x1, y1, 2.2)
        end = st_.t0 + st_.dur
        jogs = [m for m in st_.moves if m.tag == TAG_JOG]
        t_first = min(m.t0 for m in jogs)
        last = max(m.t1 for m in jogs)
        for axis in (BRIDGE, TROLLEY):
            ph = [
                (a - t_first, b - t_first, acc)
                for m in jogs
                if m.axis == axis
                for a, b, acc in (
                    (m.t0, m.t0 + m.t_acc, m.a if m.p1 > m.p0 else -m.a),
                    (m.t1 - m.t_acc, m.t1, -m.a if m.p1 > m.p0 else m.a),
                )
            ]
            if not ph:
                continue
            assert (
                pendulum_ode(ph, sw.rope_length_m, sw.decay_time_constant_s, end - t_first, dt=0.01)
                <= sw.tolerance_m * 1.02
            )
            if (
                pendulum_ode(
                    ph, sw.rope_length_m, sw.decay_time_constant_s, last - t_first, dt=0.01
                )
                > 1.5 * sw.tolerance_m
            ):
                excited += 1
                assert end > last + 1.0  # he waited
    assert excited >= 3
    assert pl.stats["jog_settle_s"] > 0
