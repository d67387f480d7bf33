"""Move times and positions against hand-computed trapezoid and triangle profiles."""

from math import sqrt

import pytest

from cranesim.codes import BRIDGE, HOIST
from cranesim.physics.kinematics import AxisMove, Stage, move_time, profile


def test_trapezoid_hand_values():
    # 40 m at 100 m/min (5/3 m/s), 0.3 m/s²: accelerate 5.556 s over 4.630 m, brake the same,
    # cruise the remaining 30.741 m at 5/3 m/s for 18.444 s: 29.556 s in all.
    v, a, d = 100 / 60, 0.3, 40.0
    t_acc = v / a
    d_acc = 0.5 * a * t_acc**2
    expected = 2 * t_acc + (d - 2 * d_acc) / v
    assert move_time(d, v, a) == pytest.approx(expected, rel=1e-12)
    assert move_time(d, v, a) == pytest.approx(29.5556, abs=1e-4)
    dur, tacc, vp = profile(d, v, a)
    assert (dur, tacc, vp) == pytest.approx((expected, t_acc, v))


def test_triangle_hand_values():
    # 0.6 m cannot reach 5/3 m/s (needs 9.26 m): accelerate 0.3 m and brake 0.3 m,
    # t = 2*sqrt(0.3 / (0.5*0.3)) = 2*sqrt(2) s, peak a*sqrt(2) m/s.
    v, a, d = 100 / 60, 0.3, 0.6
    assert move_time(d, v, a) == pytest.approx(2 * sqrt(2), rel=1e-12)
    dur, tacc, vp = profile(d, v, a)
    assert vp == pytest.approx(0.3 * sqrt(2))
    assert vp < v


def test_boundary_between_profiles_is_continuous():
    v, a = 1.5, 0.25
    d_star = v * v / a  # exactly reaches top speed at mid-move
    assert move_time(d_star * (1 - 1e-9), v, a) == pytest.approx(move_time(d_star, v, a), rel=1e-6)
    assert move_time(d_star, v, a) == pytest.approx(2 * v / a)


def test_zero_and_sign():
    assert move_time(0.0, 1.0, 1.0) == 0.0
    assert move_time(-12.0, 1.0, 0.5) == move_time(12.0, 1.0, 0.5)


@pytest.mark.parametrize("d", [0.3, 2.0, 9.26, 40.0, 150.0])
def test_position_profile(d):
    v, a = 100 / 60, 0.3
    m = AxisMove(BRIDGE, 10.0, 5.0, 5.0 + d, v, a)
    assert m.pos(10.0) == 5.0
    assert m.pos(m.t1) == pytest.approx(5.0 + d, abs=1e-12)
    assert m.pos(10.0 + m.dur / 2) == pytest.approx(5.0 + d / 2, rel=1e-12)  # symmetric profile
    # inside the acceleration phase: s = a t²/2
    t = min(m.t_acc, m.dur / 2) / 2
    assert m.pos(10.0 + t) == pytest.approx(5.0 + 0.5 * a * t * t, rel=1e-12)
    # monotone
    pts = [m.pos(10.0 + m.dur * i / 50) for i in range(51)]
    assert all(b >= a_ for a_, b in zip(pts, pts[1:]))
    # backwards move mirrors
    back = AxisMove(BRIDGE, 0.0, 5.0 + d, 5.0, v, a)
    assert back.pos(back.dur / 3) == pytest.approx(5.0 + d - (m.pos(10.0 + m.dur / 3) - 5.0))


def test_stage_holds_position_between_moves():
    down = AxisMove(HOIST, 0.0, 4.0, 0.5, 0.3, 0.25)
    up = AxisMove(HOIST, down.t1 + 8.0, 0.5, 4.0, 0.3, 0.25)
    st = Stage(0.0, down.dur + 8.0 + up.dur, [down, up], 1.0, 1.0, 1.0, 1.0)
    assert st.pos(HOIST, down.t1 + 4.0, 4.0) == pytest.approx(0.5)
    assert st.pos(HOIST, st.dur, 4.0) == pytest.approx(4.0)
    assert st.starts(HOIST) == 2
    assert st.axis_distance(HOIST) == pytest.approx(7.0)
