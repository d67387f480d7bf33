"""The runway as a resource (:class:`cranesim.model.runway.Runway`), on its own.

Three cranes on a runway with a 10 m safety distance; the crane side (what a push does to a
crane) is a stand-in that moves the bridge at a constant speed.  Every expected plan, position
and time is worked out by hand from the positions below.
"""

from __future__ import annotations

import pytest
import simpy

from cranesim.codes import BRIDGE, IDLE, TRAVEL, WAITING, WORK, YIELDING
from cranesim.model.runway import BLOCKED, CLEAR, ClearPlan, Push, Runway
from cranesim.physics.kinematics import AxisMove, Stage

D = 10.0  # safety distance (m)
V, A = 1.0, 1000.0  # bridge speed (m/s), acceleration: all but instant, so time = distance / V


class Cranes:
    """The crane side of the runway: pushes are bridge moves at V; records what happened."""

    def __init__(self, env):
        self.env = env
        self.yields: list[tuple[int, float, float, float]] = []  # crane, start, x0, x1
        self.runway: Runway | None = None

    def start_yield(self, k, t, x0, x1):
        self.yields.append((k, t, x0, x1))
        m = AxisMove(BRIDGE, t, x0, x1, V, A, 0.0)
        return Stage(t, m.dur, [m], x0, 5.0, x1, 5.0), 0.0

    def end_yield(self, k, stage, load):
        self.runway.notify()


def runway(xs, reach=None):
    env = simpy.Environment()
    cranes = Cranes(env)
    reach = reach or [(-100.0, 200.0)] * len(xs)
    rw = Runway(env, list(xs), [5.0] * len(xs), reach, D, cranes.start_yield, cranes.end_yield)
    cranes.runway = rw
    return env, rw, cranes


def test_plan_names_the_pushes_nearest_first():
    _, rw, _ = runway([0.0, 15.0, 40.0])
    assert rw.plan(0, 0.0, 5.0) is CLEAR  # 15 - 5 >= 10
    assert rw.plan(0, 0.0, 20.0) == ClearPlan(east=(Push(1, 30.0),))  # crane 2 at 40 is clear of 30
    assert rw.plan(0, 0.0, 25.0) == ClearPlan(east=(Push(1, 35.0), Push(2, 45.0)))
    assert rw.plan(2, 20.0, 40.0) == ClearPlan(west=(Push(1, 10.0),))
    assert rw.plan(1, 5.0, 15.0) == ClearPlan(west=(Push(0, -5.0),))
    assert CLEAR.clear and not BLOCKED.clear and not rw.plan(0, 0.0, 20.0).clear


def test_plan_is_blocked_by_a_working_crane_or_the_end_of_a_reach():
    _, rw, _ = runway([0.0, 15.0, 40.0], reach=[(-100.0, 200.0), (-100.0, 200.0), (-100.0, 44.0)])
    rw.state[1] = WORK
    assert rw.plan(0, 0.0, 20.0) is BLOCKED
    rw.state[1] = IDLE
    assert rw.plan(0, 0.0, 25.0) is BLOCKED  # crane 2 would have to go to 45, beyond its 44


def test_a_waiting_crane_is_pushed_only_for_an_older_lift():
    _, rw, _ = runway([0.0, 15.0, 40.0])
    rw.state[1], rw.prio[1] = WAITING, (50.0, 1)
    rw.prio[0] = (60.0, 0)  # a younger lift: it must not push the waiting one
    assert rw.plan(0, 0.0, 20.0) is BLOCKED
    rw.prio[0] = (40.0, 0)
    assert rw.plan(0, 0.0, 20.0) == ClearPlan(east=(Push(1, 30.0),))


def test_a_younger_lift_keeps_out_of_the_space_an_older_waiting_one_wants():
    _, rw, _ = runway([0.0, 15.0, 40.0])
    rw.want[2], rw.prio[2], rw.state[2] = (30.0, 40.0), (5.0, 2), WAITING
    rw.prio[1] = (10.0, 1)
    assert rw.yields_to_waiting(1, 21.0)  # 21 > 30 - 10
    assert not rw.yields_to_waiting(1, 19.0)
    assert not rw.reserve(1, 21.0) and rw.state[1] == IDLE  # refused: nothing changed
    rw.prio[1] = (1.0, 1)  # older than the waiting lift: no need to keep out
    assert not rw.yields_to_waiting(1, 21.0)


def test_reserve_takes_the_interval_at_once_or_changes_nothing():
    _, rw, _ = runway([0.0, 15.0, 40.0])
    assert rw.reserve(1, 25.0)
    assert (rw.lo[1], rw.hi[1], rw.state[1]) == (15.0, 25.0, TRAVEL)
    assert not rw.reserve(0, 8.0)  # 15 - 8 < 10: crane 1 travels, it cannot be pushed
    assert (rw.lo[0], rw.hi[0], rw.state[0]) == (0.0, 0.0, IDLE)
    rw.state[2] = YIELDING
    assert not rw.reserve(2, 50.0)


def test_request_pushes_a_chain_farthest_first_and_keeps_the_distance():
    env, rw, cranes = runway([0.0, 12.0, 24.0])
    rw.prio[0] = (0.0, 0)
    rw.state[0] = WORK
    gaps = []

    def crane0():
        yield from rw.request(0, 20.0)

    done = env.process(crane0())
    while not done.triggered:
        env.step()
        for k in (1, 2):  # positions and reservations of neighbours, at every event
            gaps.append(rw.crane_x(k, env.now) - rw.crane_x(k - 1, env.now))
            gaps.append(rw.lo[k] - rw.hi[k - 1])
    # crane 2 goes 24 -> 40 first (16 s), then crane 1 goes 12 -> 30 (18 s)
    assert [(k, x0, x1) for k, _, x0, x1 in cranes.yields] == [(2, 24.0, 40.0), (1, 12.0, 30.0)]
    t2 = AxisMove(BRIDGE, 0.0, 24.0, 40.0, V, A, 0.0).dur
    assert cranes.yields[1][1] == pytest.approx(t2)  # planned to start when crane 2 is through
    t1 = AxisMove(BRIDGE, 0.0, 12.0, 30.0, V, A, 0.0).dur
    assert env.now == pytest.approx(t2 + t1)
    assert (rw.x[1], rw.x[2], rw.state[1], rw.state[2]) == (30.0, 40.0, IDLE, IDLE)
    assert (rw.lo[0], rw.hi[0], rw.state[0], rw.want[0]) == (0.0, 20.0, TRAVEL, None)
    assert min(gaps) >= D - 1e-9


def test_request_waits_for_a_working_crane_and_then_pushes_it():
    env, rw, cranes = runway([0.0, 15.0, 60.0])
    rw.prio[0], rw.state[0] = (0.0, 0), WORK
    rw.state[1], rw.prio[1] = WORK, (1.0, 1)

    def crane0():
        yield from rw.request(0, 20.0)

    def crane1():  # works for 100 s, then is idle
        yield env.timeout(100.0)
        rw.state[1], rw.prio[1] = IDLE, (float("inf"), 1)
        rw.notify()

    done = env.process(crane0())
    env.process(crane1())
    env.run(until=50.0)
    assert rw.state[0] == WAITING and rw.want[0] == (0.0, 20.0) and not cranes.yields
    env.run(until=done)
    assert [(k, t, x1) for k, t, _, x1 in cranes.yields] == [(1, 100.0, 30.0)]
    assert env.now == pytest.approx(100.0 + AxisMove(BRIDGE, 0.0, 15.0, 30.0, V, A, 0.0).dur)
    assert rw.state[0] == TRAVEL and rw.want[0] is None
