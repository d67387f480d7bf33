"""Greedy objectives (time, energy, mix) and the grade-aware upper-layer penalty.

The energy estimate is checked against the energy model itself (:func:`move_energy` on the
same moves), and the scheduler's choices against costs computed by hand from it.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_scheduler import CORES, check_assignment, make_state, one_row

from cranesim.codes import (
    BRIDGE,
    HOIST,
    OBJECTIVE_CODES,
    P_OBJECTIVE,
    P_S_PER_KWH,
    P_TOP_Z,
    P_W_COVER,
    P_W_FINISH,
    TROLLEY,
)
from cranesim.physics.energy import move_energy, physics_of, resolve_drives, scheduler_coefficients
from cranesim.physics.kinematics import AxisMove
from cranesim.scenario.load import load_config


@pytest.fixture(scope="module")
def sc():
    return load_config(None)


def _true_kwh(sc, axis, d, load, up=True, crane=0):
    sp = sc.crane_specs()[crane]
    v, a = {
        BRIDGE: (sp.bridge_speed_m_min / 60.0, sp.bridge_accel_m_s2),
        TROLLEY: (sp.trolley_speed_m_min / 60.0, sp.trolley_accel_m_s2),
        HOIST: (sp.hoist_speed_m_min / 60.0, sp.hoist_accel_m_s2),
    }[axis]
    phys = physics_of(sc)
    m = AxisMove(axis, 0.0, 0.0, d if up else -d, v, a, load)
    return move_energy(
        m, phys.axis_mass_t(axis, load), v, up, resolve_drives(sc, "automated")[crane], phys
    ).net_kwh


@pytest.mark.parametrize("drive", ["inverter_resistor", "inverter_regen", "wound_rotor_contactor"])
def test_coefficients_are_the_energy_model_on_full_speed_moves(sc, drive):
    """(e0 + e1 m) + d (e2 + e3 m) equals move_energy for moves that reach full speed."""
    sc = sc.derive({"energy.automated.drive": drive})
    k = scheduler_coefficients(sc)
    assert k.shape == (len(sc.cranes), 16) and np.all(np.isfinite(k))
    for axis, i0, up in (
        (BRIDGE, 0, True),
        (TROLLEY, 4, True),
        (HOIST, 8, True),
        (HOIST, 12, False),
    ):
        e0, e1, e2, e3 = k[0, i0 : i0 + 4]
        for d in (40.0, 75.5, 150.0) if axis != HOIST else (6.0, 7.5):
            for load in (0.0, 1.9, 2.4):
                want = _true_kwh(sc, axis, d, load, up)
                got = (e0 + e1 * load) + d * (e2 + e3 * load)
                assert got == pytest.approx(want, rel=1e-9, abs=1e-12), (drive, axis, d, load)
    # physics, not fitting artefacts: a loaded bridge move costs more per metre than an empty one
    assert k[0, 3] > 0 and k[0, 2] > 0 and k[0, 0] > 0


def _two_targets(objective, s_per_kwh=600.0, coef=None):
    """One crane at the station; target 0 straight across the bay (trolley only), target 1
    straight along it (bridge only).  Trolley 0.5 m/s, bridge 1.5 m/s."""
    slots = [(10.0, 25.0, 0, -1, -1, -1, -1, 0), (40.0, 5.0, 0, -1, -1, -1, -1, 0)]
    st = make_state(
        slots,
        stations=[(10.0, 5.0)],
        bays=[(60.0, 25.0)],
        cranes=[{"x": 10.0, "y": 5.0, "vx": 1.5, "ax": 0.3, "vy": 0.5, "ay": 0.3}],
        jobs=[(0, 2, 0, 0.0)],
        params={P_OBJECTIVE: OBJECTIVE_CODES[objective], P_S_PER_KWH: s_per_kwh, P_TOP_Z: 8.0},
    )
    st.j_mass[0] = 2.0
    if coef is not None:
        st.c_e[:16] = coef
    return st


@pytest.mark.parametrize("core", CORES)
def test_energy_objective_picks_the_cheaper_axis(core, sc):
    """Time: the 30 m bridge move (25.0 s) beats the 20 m trolley move (41.7 s).  Energy: the
    trolley moves 8.5 t instead of 43.5 t, so it wins, at the cost computed by hand."""
    coef = scheduler_coefficients(sc)[0]
    st = _two_targets("time", coef=coef)
    assert core.Scheduler(st).decide(0.0) == 1
    assert st.out.tolist() == [0, 0, 2, 1, 0]

    st = _two_targets("energy", coef=coef)
    s = core.Scheduler(st)
    assert s.decide(0.0) == 1
    assert st.out.tolist() == [0, 0, 2, 0, 0]
    check_assignment(st, st.out)
    # hand cost: travel to the station is 0 m; pick at the station (h = 8 m), the 20 m trolley
    # move with the 2 t coil, the put-down at the slot (h = 8 m); station fill 0
    m = 2.0
    pick = _true_kwh(sc, HOIST, 8.0, 0.0, up=False) + _true_kwh(sc, HOIST, 8.0, m, up=True)
    put = _true_kwh(sc, HOIST, 8.0, m, up=False) + _true_kwh(sc, HOIST, 8.0, 0.0, up=True)
    trolley = _true_kwh(sc, TROLLEY, 20.0, m)
    assert s.last_cost == pytest.approx(600.0 * (pick + trolley + put), rel=1e-9)


@pytest.mark.parametrize("core", CORES)
def test_mix_adds_time_and_priced_energy(core, sc):
    """With one target left (slot 1 booked), the mix cost of the lift is its time cost plus its
    energy cost (station fill 0: no bonus counted twice)."""
    coef = scheduler_coefficients(sc)[0]
    cost = {}
    for obj in ("time", "energy", "mix"):
        st = _two_targets(obj, coef=coef)
        st.s_booked[1] = 1
        s = core.Scheduler(st)
        assert s.decide(0.0) == 1 and int(st.out[3]) == 0
        cost[obj] = s.last_cost
    assert cost["mix"] == pytest.approx(cost["time"] + cost["energy"], rel=1e-12)
    assert cost["time"] == pytest.approx(20.0 / 0.5 + 0.5 / 0.3, rel=1e-12)  # trapezoid move


@pytest.mark.parametrize("core", CORES)
def test_objective_code_is_checked(core):
    st = _two_targets("time")
    st.params[P_OBJECTIVE] = 3.0
    with pytest.raises(ValueError, match=r"params\[16\]"):
        core.Scheduler(st).decide(0.0)


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("w_cover, expect_dst", [(0.0, 2), (100.0, 3)])
def test_cover_penalty_spares_coils_of_other_grades(core, w_cover, expect_dst):
    """Upper slot 2 rests on coils of grades 1 and 2; the store coil is grade 0.  Covering them
    costs w_cover each; the far lower slot 3 (15 m of bridge travel, 15 s) wins when that is
    cheaper than covering them."""
    slots = one_row([(1, 1), (2, 2)], [(None, 0)]) + [(25.0, 5.0, 0, -1, -1, -1, -1, 0)]
    st = make_state(
        slots,
        stations=[(10.0, 5.7)],
        bays=[(50.0, 18.0)],
        cranes=[{"x": 10.0, "y": 5.7}],
        jobs=[(0, 4, 0, 0.0)],
        params={3: 0.0, 4: 0.0, P_W_COVER: w_cover},
    )
    assert core.Scheduler(st).decide(0.0) == 1
    assert st.out.tolist() == [0, 0, 4, expect_dst, 0]


@pytest.mark.parametrize("core", CORES)
def test_same_grade_support_is_no_block(core):
    """A truck waits for grade 1.  Covering a grade-1 coil with another coil is penalised by
    w_block_demand; covering it with a grade-1 coil is not (the top coil serves the truck)."""
    chosen = {}
    for store_grade in (0, 1):
        slots = one_row([(1, 1), (2, 1)], [(None, 0)]) + [(25.0, 5.0, 0, -1, -1, -1, -1, 0)]
        st = make_state(
            slots,
            stations=[(10.0, 5.7)],
            bays=[(50.0, 18.0)],
            cranes=[{"x": 10.0, "y": 5.7}],
            jobs=[(0, 4, store_grade, 0.0), (1, 5, 1, 0.0)],
            params={3: 0.0, 4: 200.0, 1: 1e6, 7: 1.0},  # the full station makes the store first
        )
        assert core.Scheduler(st).decide(0.0) == 1
        assert int(st.out[1]) == 0
        chosen[store_grade] = int(st.out[3])
    assert chosen == {0: 3, 1: 2}


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("w_finish, expect_job", [(0.0, 0), (50.0, 1)])
def test_finish_term_loads_the_nearly_full_truck_first(core, w_finish, expect_job):
    """Two trucks at two bays want grade 1; the coil for bay 0 is nearer (job 0 is cheaper by
    22 s of bridge travel).  Truck 0 still needs 3 coils, truck 1 only this one: at 50 s per other
    coil, job 1 (0 others) beats job 0 (2 others: +100 s)."""
    slots = [(20.0, 5.0, 0, -1, -1, 1, 1, 0), (45.0, 5.0, 0, -1, -1, 2, 1, 0)]
    st = make_state(
        slots,
        stations=[(30.0, 1.0)],
        bays=[(20.0, 18.0), (45.0, 18.0)],
        cranes=[{"x": 20.0, "y": 5.0}],
        jobs=[(1, 3, 1, 0.0), (1, 4, 1, 0.0)],
        params={P_W_FINISH: w_finish, 2: 0.0},
    )
    st.j_rem[0], st.j_rem[1] = 3, 1
    assert core.Scheduler(st).decide(0.0) == 1
    assert int(st.out[1]) == expect_job
    check_assignment(st, st.out)
