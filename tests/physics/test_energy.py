"""Energy of single moves against hand-computed physics, for every drive type.

Expected values are written as energy balances (kinetic energy, friction work, potential
energy), not as the implementation's three phases, and a brute-force time integration of F·v
checks the phase formulas independently.
"""

from __future__ import annotations

from math import sqrt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cranesim.codes import BRIDGE, HOIST, TROLLEY
from cranesim.errors import ConfigError
from cranesim.physics.energy import (
    DRIVE_TYPICAL,
    DriveParams,
    EnergyModel,
    MoveLog,
    Physics,
    energy_table,
    move_energy,
    resolve_drives,
)
from cranesim.physics.kinematics import AxisMove, Stage
from cranesim.scenario.load import parse_config

G = 9.81
KWH = 3.6e6
PHYS = Physics(
    rotating_mass_factor=1.1,
    rolling_resistance=0.0075,
    breakaway_factor=1.75,
    breakaway_s=0.5,
    bridge_mass_t=35.0,
    trolley_mass_t=7.0,
    lifting_device_mass_t=1.5,
)
ETA = 0.8
FIXED_KJ = 1.5


def drive(kind: str, regen: float = 0.0, plugging: bool = False) -> DriveParams:
    return DriveParams(kind, eta=ETA, regen=regen, fixed_kj=FIXED_KJ, plugging=plugging)


# --------------------------------------------------------------------------- hand physics
def travel_expected(d, v, a, mass_t, p: DriveParams, v_rated=None):
    """Energy balance of a rest-to-rest travel move where braking exceeds friction."""
    m = mass_t * 1000.0
    meq = 1.1 * m
    f = 0.0075 * m * G
    if d >= v * v / a:  # trapezoid
        vp, ta = v, v / a
    else:  # triangle
        vp = sqrt(a * d)
        ta = vp / a
    vs = v if v_rated is None else v_rated
    d_acc = 0.5 * vp * ta
    ke = 0.5 * meq * vp * vp
    tb = min(0.5, ta)
    brk = 0.75 * f * 0.5 * a * tb * tb
    cruise_s = (d - 2 * d_acc) / vp
    assert meq * a > f  # these cases brake in the deceleration phase
    # grid: accelerate to KE, overcome friction until the deceleration starts, breakaway
    motoring = (ke + f * (d - d_acc) + brk) / ETA
    # braking: the kinetic energy not eaten by friction while decelerating, r after losses
    regen = p.regen * (ke - f * d_acc)
    loss = 0.0
    if p.drive == "wound_rotor_contactor":
        regen = 0.0  # mechanical brake
        # slip power (v_s - v)·F integrated over the acceleration: F·(v_s·t_acc - d_acc)
        loss += (meq * a + f) * (vs * ta - d_acc) + 0.75 * f * (vs * tb - 0.5 * a * tb * tb)
        loss += f * (vs - vp) * cruise_s  # slip power at part speed
        if p.plugging:
            loss += (meq * a - f) * vs * ta  # reverse field: the grid supplies F·v_s
        loss /= ETA
    return (motoring + loss + FIXED_KJ * 1000 - regen) / KWH


def hoist_expected(h, v, a, mass_t, up: bool, p: DriveParams, v_rated=None):
    """Hoisting: the grid supplies m·g·h/η (kinetic energy in and out cancels); lowering
    returns r·m·g·h; a wound-rotor hoist pays slip against the synchronous speed, holds a creep
    lowering with counter-torque and generates only in a lowering's cruise."""
    m = mass_t * 1000.0
    meq = 1.1 * m
    vp = v if h >= v * v / a else sqrt(a * h)
    ta = vp / a
    vs = v if v_rated is None else v_rated
    cruise_s = (h - vp * ta) / vp
    wr = p.drive == "wound_rotor_contactor"
    if up:
        e = m * G * h / ETA
        if wr:
            e += (m * G + meq * a) * (vs * ta - 0.5 * vp * ta) / ETA
            e += m * G * (vs - vp) * cruise_s / ETA
    elif not wr:
        e = -p.regen * m * G * h
    elif vp < 0.5 * vs:
        e = m * G * vs * (2 * ta + cruise_s) / ETA  # counter-torque for the whole move
    else:
        e = (m * G - meq * a) * vs * ta / ETA - p.regen * m * G * vp * cruise_s
    return (e + FIXED_KJ * 1000) / KWH


DRIVES = [
    ("inverter_resistor", 0.0, False),
    ("inverter_regen", 0.6, False),
    ("wound_rotor_contactor", 0.0, False),
    ("wound_rotor_contactor", 0.7, True),
]


@pytest.mark.parametrize("kind,regen,plug", DRIVES)
@pytest.mark.parametrize(
    "axis,d,v,a,load",
    [
        (BRIDGE, 40.0, 100 / 60, 0.3, 2.2),  # trapezoid, loaded
        (BRIDGE, 3.0, 100 / 60, 0.3, 0.0),  # triangle, empty
        (TROLLEY, 12.0, 45 / 60, 0.3, 2.2),  # trapezoid
        (TROLLEY, 0.12, 45 / 60, 0.3, 0.0),  # triangle jog
    ],
)
def test_travel_move_matches_hand_physics(axis, d, v, a, load, kind, regen, plug):
    p = drive(kind, regen, plug)
    mass = PHYS.axis_mass_t(axis, load)
    assert mass == pytest.approx((35.0 if axis == BRIDGE else 0.0) + 7.0 + 1.5 + load)
    m = AxisMove(axis, 0.0, 5.0, 5.0 + d, v, a, load)
    got = move_energy(m, mass, v, True, p, PHYS).net_kwh
    assert got == pytest.approx(travel_expected(d, v, a, mass, p), rel=1e-12)
    # reversed direction costs the same
    back = AxisMove(axis, 0.0, 5.0 + d, 5.0, v, a, load)
    assert move_energy(back, mass, v, True, p, PHYS).net_kwh == pytest.approx(got, rel=1e-12)


@pytest.mark.parametrize("kind,regen,plug", DRIVES)
@pytest.mark.parametrize("h,load", [(3.4, 2.2), (3.4, 0.0), (0.1, 2.0), (0.03, 2.0)])  # triangles
@pytest.mark.parametrize("up", [True, False])
def test_hoist_move_matches_hand_physics(h, load, up, kind, regen, plug):
    p = drive(kind, regen, plug)
    v, a = 18 / 60, 0.25
    mass = 1.5 + load
    m = AxisMove(HOIST, 0.0, 4.0, 4.0 + h if up else 4.0 - h, v, a, load)
    got = move_energy(m, mass, v, up, p, PHYS).net_kwh
    assert got == pytest.approx(hoist_expected(h, v, a, mass, up, p), rel=1e-12)


def test_wound_rotor_part_speed_pays_slip():
    """A creep-speed move on a resistor step draws F·v_rated, not F·v, while cruising."""
    p = drive("wound_rotor_contactor")
    v_rated = 100 / 60
    d, v, a = 2.0, 0.1 * v_rated, 0.3
    mass = PHYS.axis_mass_t(BRIDGE, 2.2)
    m = AxisMove(BRIDGE, 0.0, 0.0, d, v, a, 2.2)
    got = move_energy(m, mass, v_rated, True, p, PHYS).net_kwh
    assert got == pytest.approx(travel_expected(d, v, a, mass, p, v_rated), rel=1e-12)
    inv = move_energy(m, mass, v_rated, True, drive("inverter_resistor"), PHYS).net_kwh
    assert got > inv
    h = 0.3
    hm = AxisMove(HOIST, 0.0, 1.0, 1.0 + h, 0.1 * 0.3, 0.25, 2.2)
    got = move_energy(hm, 3.7, 0.3, True, p, PHYS).net_kwh
    assert got == pytest.approx(hoist_expected(h, 0.03, 0.25, 3.7, True, p, 0.3), rel=1e-12)


def test_low_acceleration_never_brakes():
    """When friction exceeds the inertial force, the deceleration is motoring too: no regen."""
    p = drive("inverter_regen", 0.7)
    mass = PHYS.axis_mass_t(TROLLEY, 0.0)
    a = 0.05  # m_eq·a = 0.055·m·... < w·g·m = 0.0736·m
    m = AxisMove(TROLLEY, 0.0, 0.0, 10.0, 0.75, a, 0.0)
    e = move_energy(m, mass, 0.75, True, p, PHYS)
    f = 0.0075 * mass * 1000 * G
    tb = min(0.5, m.t_acc)
    assert e.regen_j == 0.0
    assert e.motoring_j == pytest.approx((f * 10.0 + 0.75 * f * 0.5 * a * tb * tb) / ETA, rel=1e-12)


def test_zero_move_costs_nothing():
    m = AxisMove(BRIDGE, 0.0, 3.0, 3.0, 1.0, 0.3, 0.0)
    assert move_energy(m, 40.0, 1.0, True, drive("wound_rotor_contactor"), PHYS).net_j == 0.0


# --------------------------------------------------------------------------- brute force
def integrate_work(axis, d_signed, v, a, mass_t, n=200_000):
    """Positive and negative mechanical work by time-stepping F(t)·v(t) (midpoint rule)."""
    m = AxisMove(axis, 0.0, 0.0, d_signed, v, a, 0.0)
    t = (np.arange(n) + 0.5) * (m.dur / n)
    dt = m.dur / n
    acc = np.where(t < m.t_acc, a, np.where(t > m.dur - m.t_acc, -a, 0.0))
    speed = np.where(t < m.t_acc, a * t, np.where(t > m.dur - m.t_acc, a * (m.dur - t), m.v_peak))
    mass = mass_t * 1000.0
    if axis == HOIST:
        sgn = 1.0 if d_signed > 0 else -1.0
        power = (mass * G + 1.1 * mass * acc * sgn) * speed * sgn
    else:
        f = 0.0075 * mass * G
        fb = np.where(t < min(0.5, m.t_acc), 1.75 * f, f)
        power = (1.1 * mass * acc + fb) * speed
    return float(np.sum(np.maximum(power, 0)) * dt), float(np.sum(np.maximum(-power, 0)) * dt), m


@pytest.mark.parametrize(
    "axis,d,v,a,mass",
    [
        (BRIDGE, 37.0, 1.6, 0.3, 45.7),
        (TROLLEY, 0.5, 0.75, 0.3, 8.5),
        (HOIST, 3.0, 0.3, 0.25, 3.7),
        (HOIST, -3.0, 0.3, 0.25, 3.7),
        (BRIDGE, -0.2, 1.6, 0.3, 43.5),
    ],
)
def test_phase_formulas_match_time_integration(axis, d, v, a, mass):
    pos, neg, m = integrate_work(axis, d, v, a, mass)
    e = move_energy(m, mass, v, d > 0, drive("inverter_resistor"), PHYS)
    assert e.positive_work_j == pytest.approx(pos, rel=2e-4)
    assert e.negative_work_j == pytest.approx(neg, rel=2e-4, abs=1e-6)


# --------------------------------------------------------------------------- properties
moves = st.tuples(
    st.sampled_from([BRIDGE, TROLLEY]),
    st.floats(0.001, 250.0),
    st.floats(0.02, 3.0),
    st.floats(0.02, 1.0),
    st.floats(0.0, 16.0),
)


@settings(max_examples=300, deadline=None)
@given(moves, st.sampled_from(DRIVES), st.floats(0.5, 1.0))
def test_regen_never_exceeds_what_went_in(mv, dr, eta):
    axis, d, v, a, load = mv
    kind, _, plug = dr
    p = DriveParams(kind, eta=eta, regen=1.0, fixed_kj=0.0, plugging=plug)  # even r = 1
    mass = PHYS.axis_mass_t(axis, load)
    m = AxisMove(axis, 0.0, 0.0, d, v, a, load)
    e = move_energy(m, mass, v, True, p, PHYS)
    assert e.regen_j <= e.motoring_j + 1e-9
    assert e.net_j >= -1e-9


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.01, 20.0),
    st.floats(0.02, 1.0),
    st.floats(0.05, 2.0),
    st.floats(0.0, 16.0),
    st.floats(0.5, 1.0),
)
def test_lowering_returns_less_than_hoisting_took(h, v, a, load, eta):
    p = DriveParams("inverter_regen", eta=eta, regen=1.0, fixed_kj=0.0, plugging=False)
    mass = 1.5 + load
    up = move_energy(AxisMove(HOIST, 0, 0.0, h, v, a, load), mass, v, True, p, PHYS)
    down = move_energy(AxisMove(HOIST, 0, h, 0.0, v, a, load), mass, v, False, p, PHYS)
    assert down.motoring_j == 0.0
    assert down.regen_j <= up.motoring_j * (1 + 1e-12)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([BRIDGE, TROLLEY, HOIST]),
            st.floats(-60, 60),
            st.floats(0.02, 3.0),
            st.floats(0.02, 1.0),
            st.floats(0.0, 16.0),
            st.integers(0, 1),
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(DRIVES),
)
def test_vectorised_equals_scalar(rows, dr):
    kind, regen, plug = dr
    params = [drive(kind, regen, plug), drive("inverter_resistor")]
    log = MoveLog()
    expect = 0.0
    for axis, d, v, a, load, c in rows:
        m = AxisMove(axis, 0.0, 10.0, 10.0 + d, v, a, load)
        if m.dur <= 0:
            continue
        mass = PHYS.axis_mass_t(axis, load)
        vr = 1.3 * v
        expect += move_energy(m, mass, vr, d > 0, params[c], PHYS).net_j
        log.append(c, axis, d > 0, load, m, vr, 0)
    got = float(energy_table(log, params, PHYS)["net"].sum())
    assert got == pytest.approx(expect, rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- config and model hook
@pytest.fixture
def small_doc(small_cfg_path):
    import tomllib

    return tomllib.loads(small_cfg_path.read_text(encoding="utf-8"))


def test_drive_resolution_and_overrides(small_doc):
    doc = dict(small_doc)
    doc["energy"] = {
        "mechanical_efficiency": 0.95,
        "manual": {
            "drive": "wound_rotor_contactor",
            "plugging": True,
            "cab_kw": 2.0,
            "cab_duty": 0.5,
            "overrides": {"C2": {"drive": "inverter_resistor", "cab_kw": 3.0}},
        },
        "automated": {"drive": "inverter_regen"},
    }
    sc = parse_config(doc)
    man = resolve_drives(sc, "manual")
    aut = resolve_drives(sc, "automated")
    typ = DRIVE_TYPICAL["wound_rotor_contactor"]
    assert man[0].drive == "wound_rotor_contactor" and man[0].plugging
    assert man[0].eta == pytest.approx(typ["motor"] * typ["drive"] * 0.95)
    # the cab's average draw while staffed: electrical input at full load x duty
    assert man[0].cab_kw == pytest.approx(2.0 * 0.5)
    assert man[1].drive == "inverter_resistor" and not man[1].plugging
    assert man[1].cab_kw == pytest.approx(3.0 * 0.5)
    assert aut[0].regen == DRIVE_TYPICAL["inverter_regen"]["regen"] and aut[0].cab_kw == 0.0


@pytest.mark.parametrize(
    "energy,needle",
    [
        ({"automated": {"drive": "inverter_resistor", "regen_fraction": 0.5}}, "regen_fraction"),
        ({"manual": {"overrides": {"C9": {"cab_kw": 3.0}}}}, "C9"),
        ({"manual": {"drive": "inverter_regen", "plugging": True}}, "plugging"),
        ({"rolling_resistance": 0.5}, "rolling_resistance"),
        ({"manual": {"drive": "diesel"}}, "drive"),
    ],
)
def test_bad_energy_config_is_one_line(small_doc, energy, needle):
    doc = dict(small_doc)
    doc["energy"] = energy
    with pytest.raises(ConfigError) as err:
        parse_config(doc, "x.toml")
    msg = str(err.value)
    assert "\n" not in msg and "x.toml" in msg and needle in msg


def test_stage_hook_sums_moves_and_keeps_totals(small_doc):
    sc = parse_config(small_doc)
    em = EnergyModel(sc, "manual")
    v = sc.crane.bridge_speed_m_min / 60
    moves = [
        AxisMove(BRIDGE, 0.0, 10.0, 30.0, v, 0.3, 2.0),
        AxisMove(TROLLEY, 0.0, 5.0, 9.0, 0.75, 0.3, 2.0),
    ]
    got = em.stage_kwh(0, Stage(0.0, 20.0, moves, 10.0, 5.0, 30.0, 9.0), "move_loaded")
    expect = sum(
        move_energy(
            m, em.phys.axis_mass_t(m.axis, 2.0), em.v_rated[0][m.axis], True, em.params[0], em.phys
        ).net_kwh
        for m in moves
    )
    assert got == pytest.approx(expect, rel=1e-12)
    assert em.motion_kwh() == pytest.approx(got, rel=1e-12)
    assert len(em.log) == 2
    p = em.params
    assert em.standby_kwh(10.0) == pytest.approx(sum(10 * (q.standby_kw + q.cab_kw) for q in p))


@pytest.mark.parametrize("drive", ["inverter_resistor", "inverter_regen", "wound_rotor_contactor"])
def test_stage_kwh_is_move_energy_move_by_move(drive):
    """stage_kwh skips the MoveEnergy objects for speed: the same bits as move_kwh's net_kwh."""
    import random

    from cranesim.codes import BRIDGE, HOIST, TROLLEY
    from cranesim.physics.energy import EnergyModel
    from cranesim.physics.kinematics import AxisMove, Stage
    from cranesim.scenario.load import load_config

    sc = load_config(None).derive({"energy.automated.drive": drive})
    fast, ref = EnergyModel(sc, log=True), EnergyModel(sc, log=True)
    r = random.Random(7)
    for _ in range(200):
        moves = [
            AxisMove(axis, 0.0, 5.0, 5.0 + r.uniform(-60, 60), r.uniform(0.1, 1.8), r.uniform(0.05, 0.5),
                     r.choice([0.0, 2.1]))
            for axis in (BRIDGE, TROLLEY, HOIST)
        ]  # fmt: skip
        stage = Stage(0.0, 10.0, moves, 0.0, 0.0, 0.0, 0.0)
        want = 0.0
        for m in moves:
            want += ref.move_kwh(1, m).net_kwh
        assert fast.stage_kwh(1, stage, "move_loaded") == want
    assert len(fast.log) == len(ref.log)


@pytest.mark.parametrize(
    "axis,d,v,vs,a,load",
    [
        (BRIDGE, 40.0, 100 / 60, 100 / 60, 0.3, 2.2),  # a main move at rated speed
        (BRIDGE, 0.1, 10 / 60, 100 / 60, 0.3, 2.2),  # a creep jog at 10% of rated speed
        (TROLLEY, 0.05, 6 / 60, 60 / 60, 0.3, 0.0),
        (HOIST, 3.0, 0.27, 0.3, 0.25, 2.2),  # hoisting at 90% of rated speed
        (HOIST, -0.1, 0.03, 0.3, 0.25, 2.2),  # creep lowering: counter-torque
        (HOIST, -3.0, 0.3, 0.3, 0.25, 2.2),
    ],  # lowering at speed: supersynchronous cruise
)
def test_wound_rotor_losses_match_time_integration(axis, d, v, vs, a, load):
    """Rotor losses by time-stepping the slip power F(t)·(v_s - v(t)) (travel, hoisting) or the
    air-gap power F_hold(t)·v_s of counter-torque lowering, independent of the phase formulas."""
    n = 400_000
    m = AxisMove(axis, 0.0, 0.0, d, v, a, load)
    t = (np.arange(n) + 0.5) * (m.dur / n)
    dt = m.dur / n
    acc_phase, dec_phase = t < m.t_acc, t > m.dur - m.t_acc
    speed = np.where(acc_phase, a * t, np.where(dec_phase, a * (m.dur - t), m.v_peak))
    mass_t = PHYS.axis_mass_t(axis, load)
    mass = mass_t * 1000.0
    p = drive("wound_rotor_contactor", 0.7)
    e = move_energy(m, mass_t, vs, d > 0, p, PHYS)
    if axis != HOIST:
        f = 0.0075 * mass * G
        fb = np.where(t < min(0.5, m.t_acc), 1.75 * f, f)
        force = np.where(acc_phase, 1.1 * mass * a + fb, np.where(dec_phase, 0.0, f))
        loss, back = float(np.sum(force * (vs - speed)) * dt), 0.0
    elif d > 0:
        force = np.where(acc_phase, mass * G + 1.1 * mass * a, np.where(dec_phase, 0.0, mass * G))
        loss, back = float(np.sum(force * (vs - speed)) * dt), 0.0
    elif m.v_peak < 0.5 * vs:  # the motor holds the load up while the field turns upwards
        hold = mass * G - 1.1 * mass * np.where(acc_phase, a, np.where(dec_phase, -a, 0.0))
        loss, back = float(np.sum(hold * vs) * dt), 0.0
    else:  # holds back below synchronous speed while accelerating, generates in the cruise
        hold = np.where(acc_phase, mass * G - 1.1 * mass * a, 0.0)
        cruise = ~acc_phase & ~dec_phase
        loss = float(np.sum(hold * vs) * dt)
        back = 0.7 * float(np.sum(np.where(cruise, mass * G * speed, 0.0)) * dt)
    assert e.start_loss_j * ETA == pytest.approx(loss, rel=1e-4)
    assert e.regen_j == pytest.approx(back, rel=1e-4, abs=1e-9)


def test_wound_rotor_jogs_are_not_free():
    """At rated speed a start burns about its kinetic energy in the rotor (a start costs ~2× KE);
    a creep jog spends its whole acceleration at high slip and burns far more than its own
    kinetic energy, so it costs several times an inverter's jog."""
    vs, a, load = 100 / 60, 0.3, 2.2
    mass_t = PHYS.axis_mass_t(BRIDGE, load)
    meq = 1.1 * mass_t * 1000
    wr, inv = drive("wound_rotor_contactor"), drive("inverter_resistor")
    full = AxisMove(BRIDGE, 0.0, 0.0, 40.0, vs, a, load)
    e = move_energy(full, mass_t, vs, True, wr, PHYS)
    ke = 0.5 * meq * vs * vs
    assert ke < e.start_loss_j * ETA < 1.3 * ke  # KE plus the friction force's slip (f·d_acc)
    jog = AxisMove(BRIDGE, 0.0, 0.0, 0.1, 0.1 * vs, a, load)
    ej = move_energy(jog, mass_t, vs, True, wr, PHYS)
    assert ej.start_loss_j > 10 * 0.5 * meq * jog.v_peak**2
    assert ej.net_j > 3 * move_energy(jog, mass_t, vs, True, inv, PHYS).net_j
