"""The one apply-a-lift (:class:`cranesim.sched.lift.LiftEffects`) against hand-built states.

A small pyramid drawn by hand: lower slots 0, 1, 2 at x = 10, 20, 30; upper slot 3 rests on 0 and
1, upper slot 4 on 1 and 2; station places 5, 6; truck bay place 7.  Every expectation below is
written out for it, and a long random sequence of legal lifts (legal by the stacking rule as this
file restates it) checks coil conservation, the stacking rule and the bookings after every step.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from cranesim.codes import LIFT_RELOCATE, LIFT_RETRIEVE, LIFT_STORE
from cranesim.sched.lift import LiftEffects
from cranesim.sched.state import FIELDS, SchedState

S, STATION, BAY = 5, (5, 6), 7
SUPPORTS = {3: (0, 1), 4: (1, 2)}  # upper slot -> the lower slots it rests on
ON_TOP = {0: (3,), 1: (3, 4), 2: (4,)}  # lower slot -> the upper slots resting on it


def pyramid(touch: bool = True) -> SchedState:
    st = SchedState.allocate(2, 8, S, 4, 2)
    st.loc_x[:] = [10.0, 20.0, 30.0, 15.0, 25.0, 40.0, 42.0, 5.0]
    st.loc_y[:] = [3.0, 3.0, 3.0, 3.0, 3.0, 8.0, 8.0, 1.0]
    st.s_level[:] = [0, 0, 0, 1, 1]
    st.s_sup0[:], st.s_sup1[:] = [-1, -1, -1, 0, 1], [-1, -1, -1, 1, 2]
    st.s_blk0[:], st.s_blk1[:] = [3, 3, 4, -1, -1], [-1, 4, -1, -1, -1]
    st.c_x[:], st.c_y[:], st.c_free[:] = [12.0, 35.0], [4.0, 4.0], 1
    st.touch[0] = 1 if touch else 0
    return st


def put_coil(st: SchedState, s: int, coil: int, grade: int, mass: float = 2.0) -> None:
    st.s_coil[s], st.s_grade[s], st.s_mass[s] = coil, grade, mass


def noted(st: SchedState) -> list[int]:
    return st.touch_list[: st.touch[1]].tolist()


def test_assign_store_books_the_target_and_takes_the_job():
    st = pyramid()
    st.j_active[0], st.j_kind[0], st.j_loc[0], st.j_grade[0] = 1, LIFT_STORE, 5, 1
    LiftEffects(st).assign(0, 0, 5, 3, LIFT_STORE)  # crane 0 at x 12: station (40) -> slot 3 (15)
    assert st.s_booked.tolist() == [0, 0, 0, 1, 0]
    assert noted(st) == [3]  # the core is told, the station is not a slot
    assert (st.j_taken[0], st.g_demand[1]) == (1, 0)
    assert (st.c_free[0], st.c_busy_lo[0], st.c_busy_hi[0]) == (0, 12.0, 40.0)
    assert (st.c_x[0], st.c_y[0]) == (15.0, 3.0)  # where the lift ends
    assert st.c_free[1] == 1 and st.c_x[1] == 35.0  # the other crane is untouched


def test_assign_retrieve_books_the_source_and_lowers_the_demand():
    st = pyramid()
    put_coil(st, 2, 70, 1)
    st.j_active[1], st.j_kind[1], st.j_loc[1], st.j_grade[1], st.g_demand[1] = (
        1,
        LIFT_RETRIEVE,
        BAY,
        1,
        3,
    )
    LiftEffects(st).assign(1, 1, 2, BAY, LIFT_RETRIEVE)  # crane 1 at x 35: slot 2 (30) -> bay (5)
    assert st.s_booked.tolist() == [0, 0, 1, 0, 0] and noted(st) == [2]
    assert (st.j_taken[1], st.g_demand[1]) == (1, 2)
    assert (st.c_busy_lo[1], st.c_busy_hi[1], st.c_x[1], st.c_y[1]) == (5.0, 35.0, 5.0, 1.0)


def test_assign_relocation_books_both_slots_and_leaves_the_job_open():
    st = pyramid()
    put_coil(st, 0, 1, 0)
    put_coil(st, 1, 2, 0)
    put_coil(st, 3, 3, 1)
    st.j_active[2], st.j_kind[2], st.j_loc[2], st.j_grade[2], st.g_demand[0] = (
        1,
        LIFT_RETRIEVE,
        BAY,
        0,
        1,
    )
    LiftEffects(st).assign(0, 2, 3, 2, LIFT_RELOCATE)  # free slot 0 or 1 for the truck
    assert st.s_booked.tolist() == [0, 0, 1, 1, 0] and noted(st) == [3, 2]  # source first
    assert (st.j_taken[2], st.g_demand[0]) == (0, 1)  # the retrieve job still waits
    assert (st.c_busy_lo[0], st.c_busy_hi[0]) == (12.0, 30.0)


def test_take_empties_a_slot_or_a_station_place():
    st = pyramid()
    put_coil(st, 4, 9, 1, 2.5)
    st.s_booked[4] = 1
    station = [11, -1]
    fx = LiftEffects(st, station)
    assert fx.take(4) == 9
    assert (st.s_coil[4], st.s_grade[4], st.s_mass[4], st.s_booked[4]) == (-1, -1, 0.0, 0)
    assert fx.take(5) == 11 and station == [-1, -1]
    assert fx.take(6) == -1  # an empty place
    assert noted(st) == [4]


def test_put_on_a_slot_or_onto_the_truck():
    st = pyramid()
    st.s_booked[0] = 1
    fx = LiftEffects(st)
    assert fx.put(0, 21, 1, 1.75) is True
    assert (st.s_coil[0], st.s_grade[0], st.s_mass[0], st.s_booked[0]) == (21, 1, 1.75, 0)
    before = {k: getattr(st, k).copy() for k in FIELDS}
    assert fx.put(BAY, 22, 0, 2.0) is False  # shipped: nothing on the floor changes
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(st, k), v, err_msg=k)


def test_close_ends_store_and_retrieve_jobs_only():
    st = pyramid()
    st.j_active[:3], st.j_taken[:3] = 1, 1
    fx = LiftEffects(st)
    fx.close(0, LIFT_STORE)
    fx.close(1, LIFT_RETRIEVE)
    fx.close(2, LIFT_RELOCATE)
    assert st.j_active[:3].tolist() == [0, 0, 1] and st.j_taken[:3].tolist() == [0, 0, 1]


def test_release_stands_the_crane_where_it_is():
    st = pyramid()
    st.c_free[0], st.c_busy_lo[0], st.c_busy_hi[0] = 0, 5.0, 40.0
    fx = LiftEffects(st)
    fx.release(0, 22.5, 6.0, free=False)
    assert (st.c_x[0], st.c_y[0], st.c_busy_lo[0], st.c_busy_hi[0], st.c_free[0]) == (
        22.5,
        6.0,
        22.5,
        22.5,
        0,
    )
    fx.release(0, 22.5, 6.0)
    assert st.c_free[0] == 1


def test_the_stacking_rule():
    st = pyramid()
    fx = LiftEffects(st)
    assert fx.missing_support(3) == 0  # both supports empty: the first is named
    put_coil(st, 0, 1, 0)
    assert fx.missing_support(3) == 1
    put_coil(st, 1, 2, 0)
    assert fx.missing_support(3) == -1 and fx.missing_support(0) == -1  # a lower slot needs none
    put_coil(st, 3, 3, 0)
    assert fx.blocker(0) == 3 and fx.blocker(1) == 3 and fx.blocker(2) == -1
    assert fx.blocker(3) == -1  # nothing rests on an upper slot


def legal_lifts(st, station):
    """Every lift the stacking rule allows now (restated here): from a coil nothing rests on (or
    a station place) to an empty slot whose supports hold coils once the coil has left its
    source (or the truck)."""
    occ = {s for s in range(S) if st.s_coil[s] >= 0}
    sources = [s for s in occ if not any(b in occ for b in ON_TOP.get(s, ()))]
    sources += [STATION[k] for k, c in enumerate(station) if c >= 0]
    out = []
    for a in sources:
        left = occ - {a}
        targets = [
            s for s in range(S) if s not in occ and all(b in left for b in SUPPORTS.get(s, ()))
        ]
        out += [(a, b) for b in targets + ([] if a in STATION else [BAY])]
    return out


@pytest.mark.parametrize("touch", [True, False])
def test_random_lifts_conserve_coils_keep_the_rule_and_free_every_booking(touch):
    rng = random.Random(13)
    st = pyramid(touch)
    station = [-1, -1]
    fx = LiftEffects(st, station)
    next_coil, shipped, present = 100, [], set()
    for step in range(600):
        for k in range(2):  # the mill refills the station now and then
            if station[k] < 0 and rng.random() < 0.3:
                station[k] = next_coil
                present.add(next_coil)
                next_coil += 1
        lifts = legal_lifts(st, station)
        if not lifts:
            continue
        src, dst = rng.choice(lifts)
        kind = LIFT_STORE if src in STATION else (LIFT_RETRIEVE if dst == BAY else LIFT_RELOCATE)
        st.touch[1] = 0
        st.s_touched[:] = 0
        st.j_active[0], st.j_taken[0], st.j_grade[0] = 1, 0, 0
        coil = station[src - S] if src >= S else int(st.s_coil[src])
        fx.assign(step % 2, 0, src, dst, kind)
        booked = {s for s in (src, dst) if s < S}
        assert set(np.flatnonzero(st.s_booked).tolist()) == booked
        assert fx.take(src) == coil
        assert fx.put(dst, coil, 0, 2.0) is (dst != BAY)
        fx.close(0, kind)
        if dst == BAY:
            shipped.append(coil)
            present.discard(coil)
        # no booking outlives its lift; the job is closed unless it was a relocation
        assert not st.s_booked.any()
        assert st.j_active[0] == (kind == LIFT_RELOCATE)
        # every coil is in exactly one place, or shipped
        on_floor = [int(c) for c in st.s_coil if c >= 0]
        here = on_floor + [c for c in station if c >= 0]
        assert sorted(here) == sorted(present) and len(set(here)) == len(here)
        # the stacking rule holds
        for s, sup in SUPPORTS.items():
            if st.s_coil[s] >= 0:
                assert all(st.s_coil[b] >= 0 for b in sup), (step, s)
        # the core is told of every slot the lift changed (when it asks to be)
        assert sorted(noted(st)) == (sorted(booked) if touch else [])
    assert len(shipped) > 50 and next_coil > 150  # the sequence did store and ship
