"""The runway the cranes share: a resource with a protocol of its own.

Cranes on one runway never cross and always keep the safety distance ``d`` between bridges.
Every crane travel first *reserves* the runway interval it sweeps, from where the bridge stands
to the target:

* :meth:`Runway.reserve` is the fast path: when no neighbour is in the way and no waiting crane
  with a higher priority needs the space, the interval is the crane's at once;
* otherwise :meth:`Runway.request` (a SimPy generator) makes the crane *wait*: it states the
  interval it wants, pushes idle neighbours in the way aside (and waiting ones whose lift is
  younger: lower priority), and waits for the runway to change until :meth:`reserve` succeeds.

:meth:`Runway.plan` answers "what would it take to give crane ``c`` the interval ``[lo, hi]``
now?" with a :class:`ClearPlan`: nothing (:data:`CLEAR`), impossible now (:data:`BLOCKED`: a
neighbour in the way works, waits with a higher priority, or would be pushed out of its reach),
or the pushes that would free it.  Pushes along a chain of cranes run one after another,
farthest first, so the reserved intervals of neighbours never come closer than ``d``.

The runway keeps where each bridge is (``x``, ``y`` and the motion ``stage`` in progress), the
reserved intervals (``lo``, ``hi``), what each crane is doing as the protocol sees it
(``state``: idle, travel, work, waiting, yielding), what each waiting crane wants (``want``)
and each crane's priority (``prio``: the assignment time and crane of its lift; an idle crane
has none).  What a push does to the crane (its motion, its record, whether the scheduler may
give it a lift meanwhile) is the warehouse's: the runway calls ``start_yield`` when a push is
planned and ``end_yield`` when it is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from math import inf
from typing import Callable, Iterator

import simpy

from cranesim.codes import IDLE, TRAVEL, WAITING, WORK, YIELDING
from cranesim.physics.kinematics import Stage

__all__ = ["BLOCKED", "CLEAR", "ClearPlan", "Push", "Runway", "EPS"]

#: tolerance of the runway's comparisons (m)
EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Push:
    """Crane ``crane`` moves aside to ``x``."""

    crane: int
    x: float


@dataclass(frozen=True, slots=True)
class ClearPlan:
    """What it takes to free a runway interval for a crane (:meth:`Runway.plan`).

    ``blocked``: it cannot be freed now.  Otherwise the pushes that free it, on each side,
    nearest crane first (both empty: the interval is free).
    """

    blocked: bool = False
    east: tuple[Push, ...] = ()
    west: tuple[Push, ...] = ()

    @property
    def clear(self) -> bool:
        """The interval is free as it is."""
        return not (self.blocked or self.east or self.west)


#: the interval is free (:meth:`Runway.plan` returns this very object)
CLEAR = ClearPlan()
#: the interval cannot be freed now (:meth:`Runway.plan` returns this very object)
BLOCKED = ClearPlan(blocked=True)


class Runway:
    """The shared runway of ``n`` cranes, west to east (see the module docstring).

    Parameters
    ----------
    env
        The SimPy environment.
    x, y
        Start position of each bridge and trolley (m).
    reach
        Each crane's reachable bridge range ``(lo, hi)``, widened by :data:`EPS`.
    safety_m
        The safety distance between neighbouring bridges.
    start_yield
        ``start_yield(k, t, x0, x1) -> (stage, load_t)``: crane ``k`` is to move aside from
        ``x0`` to ``x1``, starting at ``t``; its motion and the load on its hook.
    end_yield
        ``end_yield(k, stage, load_t)``: crane ``k`` stands at the end of its push (the runway
        has restored its state); the warehouse's part, which notifies the runway.
    """

    def __init__(
        self,
        env: simpy.Environment,
        x: list[float],
        y: list[float],
        reach: list[tuple[float, float]],
        safety_m: float,
        start_yield: Callable[[int, float, float, float], tuple[Stage, float]],
        end_yield: Callable[[int, Stage, float], None],
    ) -> None:
        self.env = env
        self.n = n = len(x)
        self.d = safety_m
        self.reach = reach
        self._start_yield = start_yield
        self._end_yield = end_yield
        #: bridge and trolley position when stationary
        self.x = list(x)
        self.y = list(y)
        #: reserved intervals [lo, hi] per crane
        self.lo = list(self.x)
        self.hi = list(self.x)
        self.state = [IDLE] * n
        #: runway interval a waiting crane needs, or None
        self.want: list[tuple[float, float] | None] = [None] * n
        #: priority of each crane's lift (lower first); an idle crane's is (inf, c)
        self.prio: list[tuple[float, int]] = [(inf, c) for c in range(n)]
        #: motion in progress (for positions), or None
        self.stage: list[Stage | None] = [None] * n
        self._yield_prev = [IDLE] * n
        self._changed: simpy.Event | None = None

    # ------------------------------------------------------------------ positions
    def crane_x(self, c: int, t: float) -> float:
        """Bridge position of crane ``c`` at time ``t`` (within the current stage)."""
        stage = self.stage[c]
        if stage is None:
            return self.x[c]
        return stage.pos(0, t, stage.x0)

    def crane_y(self, c: int, t: float) -> float:
        """Trolley position of crane ``c`` at time ``t``."""
        stage = self.stage[c]
        if stage is None:
            return self.y[c]
        return stage.pos(1, t, stage.y0)

    # ------------------------------------------------------------------ changes
    def changed(self) -> simpy.Event:
        """An event that fires at the next change of the runway."""
        ev = self._changed
        if ev is None:
            ev = self._changed = self.env.event()
        return ev

    def notify(self) -> None:
        """The runway changed (a crane stopped, became idle, or ended a push)."""
        ev = self._changed
        if ev is not None:
            self._changed = None
            ev.succeed()

    def arrive(self, c: int, stage: Stage) -> None:
        """Crane ``c``'s travel ``stage`` ended: it stands at its end, holds no more runway
        than that, and works there."""
        self.stage[c] = None
        x = stage.x1
        self.x[c], self.y[c] = x, stage.y1
        self.lo[c] = self.hi[c] = x
        self.state[c] = WORK
        ev = self._changed  # notify(), inlined: every travel ends here
        if ev is not None:
            self._changed = None
            ev.succeed()

    # ------------------------------------------------------------------ the protocol
    def pushable(self, k: int, prio: tuple[float, int]) -> bool:
        """Whether crane ``k`` may be pushed aside for a lift of priority ``prio``."""
        s = self.state[k]
        return s == IDLE or (s == WAITING and self.prio[k] > prio)

    def yields_to_waiting(self, c: int, x_target: float) -> bool:
        """Whether travelling to ``x_target`` would take crane ``c`` into the space that a
        waiting crane with a higher priority needs.  Such a crane must wait (and so becomes
        pushable) instead: otherwise a stream of short lifts could starve an older lift."""
        prio, d = self.prio[c], self.d
        for w in range(self.n):
            want = self.want[w]
            if want is None or w == c or not self.prio[w] < prio:
                continue
            if w > c and x_target > want[0] - (w - c) * d + EPS:
                return True
            if w < c and x_target < want[1] + (c - w) * d - EPS:
                return True
        return False

    def plan(self, c: int, lo: float, hi: float) -> ClearPlan:
        """What freeing ``[lo, hi]`` for crane ``c`` takes now: :data:`CLEAR`, :data:`BLOCKED`,
        or the pushes of neighbours in the way."""
        prio, d, n = self.prio[c], self.d, self.n
        east: list[Push] = []
        need = hi + d
        k = c + 1
        while k < n and self.lo[k] < need - EPS:
            if not self.pushable(k, prio) or need > self.reach[k][1]:
                return BLOCKED
            east.append(Push(k, need))
            need += d
            k += 1
        west: list[Push] = []
        need = lo - d
        k = c - 1
        while k >= 0 and self.hi[k] > need + EPS:
            if not self.pushable(k, prio) or need < self.reach[k][0]:
                return BLOCKED
            west.append(Push(k, need))
            need -= d
            k -= 1
        if not east and not west:
            return CLEAR
        return ClearPlan(False, tuple(east), tuple(west))

    def reserve(self, c: int, x_target: float) -> bool:
        """Reserve the runway for crane ``c`` to travel to ``x_target`` if no neighbour is in
        the way and no waiting crane with a higher priority needs it, and return ``True`` (the
        crane is travelling); else change nothing and return ``False``.  A lift calls it first:
        only when it fails does it enter :meth:`request`, which pushes or waits until this
        succeeds."""
        if self.state[c] == YIELDING or (any(self.want) and self.yields_to_waiting(c, x_target)):
            return False  # (any: no crane waits, nobody to yield to: the usual case)
        x = self.x[c]
        lo, hi = (x, x_target) if x <= x_target else (x_target, x)
        if self.plan(c, lo, hi) is not CLEAR:
            return False
        self.want[c] = None
        self.lo[c], self.hi[c] = lo, hi
        self.state[c] = TRAVEL
        return True

    def request(self, c: int, x_target: float) -> Iterator[simpy.Event]:
        """Obtain runway space for crane ``c`` to travel to ``x_target`` (a SimPy generator:
        ``yield from``); it ends with the space reserved, as :meth:`reserve` reserves it.

        Idle neighbours (and waiting neighbours with lower priority: a later lift) in the way
        are pushed aside; otherwise the crane waits for the runway to change.
        """
        while True:
            while self.state[c] == YIELDING:  # pushed aside meanwhile: wait until it stops
                yield self.changed()
            if self.reserve(c, x_target):
                return
            x = self.x[c]
            lo, hi = (x, x_target) if x <= x_target else (x_target, x)
            plan = BLOCKED if self.yields_to_waiting(c, x_target) else self.plan(c, lo, hi)
            self.want[c] = (lo, hi)
            if self.state[c] != WAITING:
                self.state[c] = WAITING
                self.notify()  # a waiting crane may now be pushed by a higher-priority one
            if not plan.blocked:
                self.start_pushes(plan)
            yield self.changed()

    # ------------------------------------------------------------------ pushes
    def start_pushes(self, plan: ClearPlan) -> None:
        """Move the cranes of ``plan`` aside: farthest first on each side, each after the last.

        A crane's push reserves the runway only when its turn comes (:meth:`_push_begin`) and
        gives it back when it ends (:meth:`_push_end`)."""
        env = self.env
        for side in (plan.east, plan.west):
            t = env.now
            for push in reversed(side):  # farthest first
                k = push.crane
                self._yield_prev[k] = self.state[k]
                self.state[k] = YIELDING
                stage, load = self._start_yield(k, t, self.x[k], push.x)
                if t <= env.now:
                    self._push_begin(k, stage)
                else:
                    env.timeout(t - env.now).callbacks.append(partial(self._push_begin, k, stage))
                env.timeout(t + stage.dur - env.now).callbacks.append(
                    partial(self._push_end, k, stage, load)
                )
                t += stage.dur

    def _push_begin(self, k: int, stage: Stage, _event: simpy.Event | None = None) -> None:
        """Crane ``k``'s push starts: it moves, holding the runway it sweeps."""
        self.stage[k] = stage
        self.lo[k], self.hi[k] = min(stage.x0, stage.x1), max(stage.x0, stage.x1)

    def _push_end(
        self, k: int, stage: Stage, load: float, _event: simpy.Event | None = None
    ) -> None:
        """Crane ``k``'s push is over: it stands at the end, back in the state it was in."""
        self.stage[k] = None
        self.x[k] = stage.x1
        self.lo[k] = self.hi[k] = stage.x1
        self.state[k] = self._yield_prev[k]
        self._end_yield(k, stage, load)
