"""How a lift changes what the scheduler sees: one implementation for every user.

A lift moves one coil from a source (a floor slot, a station place) to a target (a floor slot,
a truck bay place).  Its effects on the :class:`~cranesim.sched.state.SchedState` arrays come in
the order the lift happens, one method each of :class:`LiftEffects`:

1. :meth:`~LiftEffects.assign`, when the scheduler assigns it: the crane is busy (its runway
   interval spans where it stands, the source and the target; it will end at the target), the
   source and target slots are booked, a store or retrieve job is taken (a relocation serves a
   retrieve job that is not taken by it), a retrieve's grade has one coil less in demand;
2. :meth:`~LiftEffects.take`, at the pick: the coil leaves its slot (emptied, unbooked) or its
   station place;
3. :meth:`~LiftEffects.put`, at the place: the coil lies on its target slot (unbooked), or is on
   the truck (shipped: nothing on the floor changes);
4. :meth:`~LiftEffects.close`: a store or retrieve job ends with its lift;
5. :meth:`~LiftEffects.release`: the crane stands idle where it is.

The SimPy model (:mod:`cranesim.model`), the static benchmark
(:func:`cranesim.studies.bench.evaluate_greedy`), the replay of a trace
(:class:`cranesim.viz.source.RecordState`) and the scheduler tests all apply lifts through this
class.  Slot writes go through the :class:`~cranesim.sched.state.SlotWriter` (each noted for the
compiled core, see :meth:`SchedState.touched <cranesim.sched.state.SchedState.touched>`).

:meth:`~LiftEffects.blocker` and :meth:`~LiftEffects.missing_support` state the stacking rule for
the callers that check it: no coil is lifted from under another, none is set down on a gap.

Example
-------
>>> from cranesim.sched.state import SchedState
>>> st = SchedState.allocate(1, n_locs=4, n_slots=3, job_capacity=1, n_grades=1)
>>> st.s_coil[0], st.s_grade[0], st.loc_x[:] = 7, 0, [0.0, 5.0, 9.0, 20.0]
>>> st.j_active[0], st.j_kind[0], st.j_loc[0], st.g_demand[0] = 1, 1, 3, 1  # a truck wants grade 0
>>> fx = LiftEffects(st)
>>> fx.assign(0, 0, 0, 3, 1)  # crane 0, job 0: slot 0 -> the truck place (location 3)
>>> int(st.s_booked[0]), int(st.j_taken[0]), int(st.g_demand[0]), float(st.c_busy_hi[0])
(1, 1, 0, 20.0)
>>> fx.take(0), int(st.s_coil[0]), int(st.s_booked[0])
(7, -1, 0)
>>> fx.put(3, 7, 0, 2.0)  # on the truck
False
>>> fx.close(0, 1); int(st.j_active[0])
0
"""

from __future__ import annotations

from cranesim.codes import LIFT_RELOCATE, LIFT_RETRIEVE
from cranesim.native import kernel
from cranesim.sched.state import SchedState
from cranesim.sched.state import SlotWriter as _SlotWriterPy

__all__ = ["LiftEffects"]

_SlotWriter = kernel("SlotWriter", _SlotWriterPy)  # the compiled one when built


class LiftEffects:
    """The effects of lifts on a :class:`~cranesim.sched.state.SchedState` (see the module
    docstring).

    Parameters
    ----------
    st
        The arrays.  Its location coordinates and stacking relations are read once, here: they
        are static.
    station
        Coil id on each place of the unloading station (-1: empty), kept by the caller; the
        arrays do not hold the station.  :meth:`take` empties a station place in it.
    writer
        The slot writer (default: a new one on ``st``, the compiled one when built).
    """

    __slots__ = ("st", "S", "station", "_book", "_clear", "_put", "_lx", "_ly", "_blk", "_sup")

    def __init__(
        self, st: SchedState, station: list[int] | None = None, writer: object | None = None
    ) -> None:
        self.st = st
        self.S = st.n_slots
        self.station: list[int] = station if station is not None else []
        w = writer if writer is not None else _SlotWriter(st)
        self._book, self._clear, self._put = w.book, w.clear, w.put
        # plain floats and ints: numpy scalars are slow in per-lift arithmetic
        self._lx: list[float] = st.loc_x.tolist()
        self._ly: list[float] = st.loc_y.tolist()
        self._blk = list(zip(st.s_blk0.tolist(), st.s_blk1.tolist()))
        self._sup = list(zip(st.s_sup0.tolist(), st.s_sup1.tolist()))

    def assign(self, c: int, j: int, src: int, dst: int, kind: int) -> None:
        """The scheduler assigned crane ``c`` the lift ``src -> dst`` of ``kind`` for job ``j``
        (``st.out``): the crane is busy, the slots are booked, the job is taken."""
        st, S = self.st, self.S
        if kind != LIFT_RELOCATE:  # a relocation frees a coil for a job, which stays open
            st.j_taken[j] = 1
            if kind == LIFT_RETRIEVE:
                st.g_demand[st.j_grade[j]] -= 1
        if src < S:
            self._book(src)
        if dst < S:
            self._book(dst)
        x0 = st.c_x.item(c)  # an assigned crane is idle: it stands where c_x says
        xs, xd = self._lx[src], self._lx[dst]
        st.c_free[c] = 0
        st.c_busy_lo[c] = min(x0, xs, xd)
        st.c_busy_hi[c] = max(x0, xs, xd)
        st.c_x[c] = xd
        st.c_y[c] = self._ly[dst]

    def take(self, src: int) -> int:
        """The pick: the coil leaves ``src`` (a slot, emptied and unbooked, or a station place,
        emptied in :attr:`station`); returns the coil that was there (-1: none)."""
        S = self.S
        if src < S:
            coil = self.st.s_coil.item(src)
            self._clear(src)
            return coil
        k = src - S
        station = self.station
        if k < len(station):
            coil = station[k]
            station[k] = -1
            return coil
        return -1

    def put(self, dst: int, coil: int, grade: int, mass: float) -> bool:
        """The place: coil ``coil`` (``grade``, ``mass`` t) is set down on ``dst``.  Returns
        ``True`` when ``dst`` is a slot (the coil lies there, the booking ends), ``False`` when
        it is a truck place (shipped: the floor does not change)."""
        if dst < self.S:
            self._put(dst, coil, grade, mass)
            return True
        return False

    def close(self, j: int, kind: int) -> None:
        """The lift ends job ``j`` unless it was a relocation (its retrieve job goes on)."""
        if kind != LIFT_RELOCATE:
            st = self.st
            st.j_active[j] = 0
            st.j_taken[j] = 0

    def release(self, c: int, x: float, y: float, free: bool = True) -> None:
        """Crane ``c`` stands idle at ``(x, y)``: it spans no more runway than that; with
        ``free`` the scheduler may assign it again."""
        st = self.st
        st.c_x[c] = x
        st.c_y[c] = y
        st.c_busy_lo[c] = st.c_busy_hi[c] = x
        if free:
            st.c_free[c] = 1

    # ------------------------------------------------------------------ the stacking rule
    def blocker(self, s: int) -> int:
        """A slot resting on slot ``s`` that holds a coil (lifting from ``s`` would break the
        stacking rule), or -1."""
        coil = self.st.s_coil
        for b in self._blk[s]:
            if b >= 0 and coil[b] >= 0:
                return b
        return -1

    def missing_support(self, s: int) -> int:
        """A slot that slot ``s`` rests on and that is empty (setting a coil down on ``s``
        would break the stacking rule), or -1."""
        coil = self.st.s_coil
        for b in self._sup[s]:
            if b >= 0 and coil[b] < 0:
                return b
        return -1
