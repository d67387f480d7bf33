"""Policies of issue 15: the relocation rule (no livelock), joint, the station first, rollout,
and the plants' rules as policies (``plant_rules``, ``plant_zoned``).

Hand-made states whose expected lift is worked out in the comments, for both cores; the
livelock case of the issue run on the model; the zoned dispatch checked on a trace.  The
differential and brute-force property tests of every policy are in ``test_scheduler.py``.
"""

from __future__ import annotations

import collections
import typing

import pytest
from test_scheduler import CORES, check_assignment, make_state, one_row

import cranesim.codes as codes
import cranesim.scenario.schema as schema
from cranesim.model.dispatch import ZonedDispatch, make_scheduler, zone_bounds
from cranesim.model.warehouse import Warehouse
from cranesim.scenario.load import load_config


@pytest.fixture(params=CORES)
def core(request):
    return request.param


def test_scenario_policies_are_the_codes():
    assert set(typing.get_args(schema.SchedulerPolicy)) == set(codes.SCHEDULER_POLICIES)
    assert schema.Scheduler().policy == "joint"


# ====================================================================== relocation rule
@pytest.mark.parametrize("policy", [0, 1, 3])
def test_relocation_does_not_bury_another_wanted_coil(core, policy):
    # Row A at x=10: lower 0 (grade 1, wanted), 1 (grade 0), upper 2 on them holds a grade-0
    # coil: it must move.  Row B at x=12: lower 3, 4 (grade 2, wanted by another truck), upper
    # 5 on them empty: the nearest target.  A coil there would block two grade-2 coils while
    # lifting it frees one grade-1 coil: not admissible (covers 2 >= frees 1).  The only other
    # target: lower slot 6 at x=30.
    slots = one_row([(1, 1), (2, 0)], [(3, 0)])
    slots += one_row([(4, 2), (5, 2)], [(None, 0)], x=12.0, first=3)
    slots += [(30.0, 5.0, 0, -1, -1, -1, -1, 0)]
    st = make_state(
        slots,
        stations=[(40.0, 1.0)],
        bays=[(5.0, 18.0), (15.0, 18.0)],
        cranes=[{"x": 10.0}],
        jobs=[(1, 8, 1, 0.0), (1, 9, 2, 50.0)],
        params={6: float(policy), 3: 0.0, 4: 0.0},
    )
    st.j_active[1] = 1
    st.j_taken[1] = 1  # the grade-2 truck's job is taken: only the grade-1 job is open
    assert core.Scheduler(st).decide(100.0) == 1
    assert st.out.tolist() == [0, 0, 2, 6, 2]
    check_assignment(st, st.out)
    st.g_demand[2] = 0  # nobody wants grade 2 any more: slot 5 is admissible, and nearer
    assert core.Scheduler(st).decide(100.0) == 1
    assert st.out.tolist() == [0, 0, 2, 5, 2]


@pytest.mark.parametrize("policy", [0, 1, 3])
def test_no_digging_under_a_coil_of_the_wanted_grade(core, policy):
    # Lower 0 (grade 1) under upper 2 (grade 1 too), lower 1 (grade 0).  A truck wants grade 1:
    # the top coil serves it (a retrieve of slot 2), whatever the lower one's distance.
    slots = one_row([(1, 1), (2, 0)], [(3, 1)])
    slots += [(30.0, 5.0, 0, -1, -1, -1, -1, 0)]
    st = make_state(
        slots,
        stations=[(40.0, 1.0)],
        bays=[(10.0, 5.0)],  # next to slot 0: fcfs' nearest coil by travel would be slot 0
        cranes=[{"x": 10.0, "y": 5.0}],
        jobs=[(1, 5, 1, 0.0)],
        params={6: float(policy)},
    )
    assert core.Scheduler(st).decide(0.0) == 1
    assert st.out.tolist() == [0, 0, 2, 5, 1]


def _relocations(sc, seed, hours, policy):
    moves = []

    def sink(r):
        if r[3] == "place" and r[5] == "relocate":
            moves.append((r[6], r[8], r[9]))  # coil, from, to

    wh = Warehouse(sc, seed, policy=policy, sink=sink)
    wh.run_until(hours * 3600.0)
    return moves, wh.kpi.summary(hours * 3600.0)


@pytest.mark.parametrize("policy", ["fcfs_nearest", "random_free", "plant_rules", "joint"])
def test_livelock_case_of_the_issue(small_cfg_path, policy):
    """fcfs_nearest on small.toml at initial_fill 0.9 shuttled two coils between two places
    thousands of times (seeds 21, 6, 8: 5,668 relocations in a week, 1 truck of 16 served).
    Now no coil goes back to a place it was relocated from, and trucks are served."""
    sc = load_config(small_cfg_path)
    sc = sc.model_copy(update={"storage": sc.storage.model_copy(update={"initial_fill": 0.9})})
    for seed in (21, 6, 8):
        moves, s = _relocations(sc, seed, 24.0, policy)
        seen = {(c, a, b) for c, a, b in moves}
        assert not [m for m in seen if (m[0], m[2], m[1]) in seen], (policy, seed)
        per_coil = collections.Counter(c for c, _, _ in moves)
        assert max(per_coil.values(), default=0) <= 3, (policy, seed, per_coil.most_common(2))
        assert s["trucks_departed"] >= 30, (policy, seed)  # 24 h: dozens of trucks, not 1


# ====================================================================== joint
def test_joint_puts_the_coil_elsewhere_when_the_nearest_place_clashes(core):
    # Crane 0 free at x=20; crane 1 busy east over [40, 60] until t=100.  A store from the
    # station place at x=22.  The nearest place, x=30, makes the lift span [20, 30]: crane 1
    # (east) must then keep out of [.., 30 + 12] but works from x=40: the lift would wait ~95 s
    # (+ 60 s penalty) > the 80 s budget, so greedy plans nothing now (crane 0 idles).  Joint
    # puts the coil on the place at x=5 (span [5, 22]: 22 + 12 = 34 < 40, no clash).
    slots = [(30.0, 5.0, 0, -1, -1, -1, -1, 0), (5.0, 5.0, 0, -1, -1, -1, -1, 0)]
    cranes = [{"x": 20.0}, {"x": 60.0, "free": 0, "busy_lo": 40.0, "busy_hi": 60.0}]
    for policy, expect in [(0, None), (3, [0, 0, 2, 1, 0])]:
        st = make_state(
            slots,
            stations=[(22.0, 1.0)],
            bays=[(90.0, 18.0)],
            cranes=cranes,
            jobs=[(0, 2, 0, 0.0)],
            params={6: float(policy), 10: 80.0},
        )
        st.c_free_at[1] = 100.0
        got = core.Scheduler(st).decide(0.0)
        assert (st.out.tolist() if got else None) == expect, policy


# ====================================================================== the station first
@pytest.mark.parametrize("policy", [0, 3])
def test_station_first_rule(core, policy):
    # One crane at x=10 next to a wanted coil: the retrieve is cheaper than the store (its
    # station place at x=40, its only target at x=42), and with w_station = 0 the station's
    # fill earns the store no bonus.  The station is 0.6 full: with the rule off (params[22]
    # > 1) or above 0.6 the retrieve is taken; at 0.6 the store goes first.
    slots = [(10.0, 5.0, 0, -1, -1, 1, 0, 0), (42.0, 5.0, 0, -1, -1, -1, -1, 0)]
    for first, expect_job in [(1.01, 1), (0.6, 0), (0.61, 1)]:
        st = make_state(
            slots,
            stations=[(40.0, 1.0)],
            bays=[(12.0, 18.0)],
            cranes=[{"x": 10.0}],
            jobs=[(0, 2, 0, 0.0), (1, 3, 0, 0.0)],
            params={6: float(policy), 1: 0.0, 7: 0.6, 22: first},
        )
        assert core.Scheduler(st).decide(0.0) == 1
        assert int(st.out[1]) == expect_job, first


# ====================================================================== rollout
def test_rollout_runs_both_cranes_where_joint_chains_one(core):
    """The bench's static instance 19: crane 0 alone reaches the coil at x=10 (job 0, under a
    blocker); the stores (jobs 2, 3) are cheapest for crane 0 too.  Joint sends crane 0 to the
    station first and, every later lift of crane 1 clashing with crane 0's, chains all five
    lifts on crane 0 (523 s).  The rollout's plans (sum of the planned lifts' ends) give the
    store of job 3 to crane 1 and crane 0 starts on job 0's relocation at once (427 s)."""
    from cranesim.studies.bench_static import evaluate_policy, make_static_instance

    inst = make_static_instance(19)
    inst.st.params[22] = 1.01  # no station-first rule: the instance's station is "full"
    st = inst.st.copy()
    for policy, first in [(3, (0, 2)), (4, (1, 3))]:
        st.params[6] = float(policy)
        assert core.Scheduler(st).decide(0.0) == 1
        assert tuple(int(v) for v in st.out[:2]) == first, policy
    joint, j_lifts = evaluate_policy(inst, "joint")
    rollout, r_lifts = evaluate_policy(inst, "rollout")
    assert {lf.crane for lf in j_lifts} == {0}
    assert [(lf.crane, lf.job, lf.start) for lf in r_lifts[:2]] == [(1, 3, 0), (0, 0, 0)]
    assert rollout < 0.85 * joint


# ====================================================================== plants' rules
def test_dispatch_factory(small_cfg_path):
    from cranesim.model.dispatch import HumanDispatch

    sc = load_config(small_cfg_path)
    wh = Warehouse(sc, 1, policy="plant_rules")
    assert type(wh.sched) is HumanDispatch and wh.st.touch[0] == 0
    assert int(wh.st.params[codes.P_POLICY]) == codes.POLICY_FCFS_NEAREST
    assert isinstance(Warehouse(sc, 1, policy="plant_zoned").sched, ZonedDispatch)
    with pytest.raises(ValueError, match="unknown scheduler policy"):
        make_scheduler("nope", wh.st, wh)


def test_zoned_cranes_work_their_own_zone_or_hand_over_to_a_neighbour(default_cfg_path):
    """plant_zoned on the default scenario: every store and retrieve is made by the crane that
    owns the zone of its place (station stop or truck bay), or by that crane's neighbour
    (hand-over), and the stores go to the storing crane's own zone when it has a place."""
    sc = load_config(default_cfg_path)
    recs = []
    wh = Warehouse(sc, 3, policy="plant_zoned", sink=recs.append)
    zones = zone_bounds(wh.st)
    wh.run_until(8 * 3600.0)
    place = [r for r in recs if r[3] == "place"]
    assert len(place) > 100
    lx = wh.lx
    off, in_zone = 0, 0
    for r in place:
        crane, kind, src, dst = r[2], r[5], r[8], r[9]
        if kind == "relocate":
            continue
        owner = wh.sched.owner(lx[src if kind == "store" else dst])
        assert abs(crane - owner) <= 1, r
        off += crane != owner
        if kind == "store":
            zlo, zhi = zones[crane]
            in_zone += zlo - 1e-9 <= lx[dst] <= zhi + 1e-9
    stores = sum(1 for r in place if r[5] == "store")
    assert in_zone == stores  # the zone had a place every time in these 8 h
    assert off < len(place) / 2
