"""The array container shared by the SimPy model and the scheduler cores.

The model builds one :class:`SchedState` with :meth:`SchedState.allocate`, fills the static parts
(crane kinematics and reach, location coordinates, the stacking relations, energy coefficients)
once, before building the scheduler (the compiled core reads them once), and then updates the
dynamic parts **in place** between decisions (crane positions and freedom, slot occupancy and
bookings, jobs, grade demand, ``params[P_STATION_FILL]``).  The arrays are never reallocated: a
:class:`cranesim.sched.Scheduler` keeps views of them (typed memoryviews in the compiled core)
from its construction on.

Layout of the arrays (``n`` cranes, ``L`` locations of which the first ``S`` are storage slots,
then the station places, then the truck bay places; ``J`` job capacity; ``G`` grades)::

    cranes      c_x f8[n], c_y f8[n]      position (a busy crane: where its lift ends)
                c_free u1[n]              1 = may be assigned now
                c_lo f8[n], c_hi f8[n]    reachable bridge range (static)
                c_busy_lo f8[n], c_busy_hi f8[n]
                                          runway x-interval of the rest of the current lift,
                                          else [x, x]
                c_free_at f8[n]           a busy crane's expected end of lift (model seconds)
                c_vx, c_ax, c_vy, c_ay f8[n]
                                          bridge speed (m/s) and acceleration (m/s2), trolley
                                          speed and acceleration (static, all > 0)
    locations   loc_x, loc_y, loc_z f8[L]
    slots       s_coil i8[S]    coil id, -1 empty
                s_grade i4[S]   grade of the coil, -1 empty
                s_booked u1[S]  1 = source or target of a lift in progress
                s_level i4[S]   0 lower, 1 upper
                s_sup0, s_sup1 i4[S]  slots this one rests on (-1 none)
                s_blk0, s_blk1 i4[S]  slots resting on this one, its blockers (-1 none)
    jobs        j_active u1[J], j_taken u1[J]
                j_kind i4[J]    0 store, 1 retrieve
                j_loc i4[J]     store: station place location; retrieve: truck bay location
                j_grade i4[J]
                j_t f8[J]       release time (coil arrival / truck docked), model seconds
                j_coil i8[J]    store: coil id; retrieve: -1
                j_rem i4[J]     retrieve: coils its truck still needs that no lift has taken
                                yet, this one included (the model keeps it); store: 0
    g_demand i4[G]              active untaken retrieve jobs per grade
    masses      s_mass f8[S]    coil mass in the slot (t), 0 when empty
                j_mass f8[J]    store: mass of the coil to store (t); retrieve: 0
    energy      c_e f8[16 n]    per crane c, entries 16 c + i: the energy estimate's
                                coefficients (kWh) for the energy and mix objectives, each a
                                per-start part and a per-metre part, both affine in the coil
                                mass m (t): i = 0..3 bridge (start, start/t, per m, per m per t),
                                4..7 trolley, 8..11 hoist up, 12..15 hoist down (static; see
                                cranesim.physics.energy.scheduler_coefficients)
    params f8[24]               see the ``P_*`` indices in :mod:`cranesim.codes`
    out i8[5]                   written by ``decide``: crane, job, src_loc, dst_loc, lift_kind
    changes     touch i8[2]     [0] 1 = the writer notes every slot it changes (below); [1] how
                                many are in touch_list
                touch_list i8[S], s_touched u1[S]
                                the slots noted since the last decision, each once
                                (:meth:`SchedState.touched`).  With touch[0] = 1 the compiled
                                core reads only these slots' s_coil, s_grade, s_mass and
                                s_booked for changes, instead of comparing all of them, and
                                its ``decide`` empties the list (the twin reads every slot
                                and ignores it); with 0 (the default) the list is unused.
                                The model writes slots through :class:`SlotWriter`, which
                                notes each write

Example
-------
>>> st = SchedState.allocate(n_cranes=2, n_locs=10, n_slots=6, job_capacity=4, n_grades=3)
>>> st.s_coil.dtype.str, st.s_coil[:3].tolist(), st.out.tolist()
('<i8', [-1, -1, -1], [-1, -1, -1, -1, -1])
>>> st.validate()
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cranesim.codes import N_OUT, N_PARAMS

__all__ = ["SchedState", "SlotWriter", "FIELDS"]

#: name -> (dtype, size key, fill value).  The size keys name the dimensions above.
FIELDS: dict[str, tuple[str, str, int]] = {
    "c_x": ("f8", "n", 0),
    "c_y": ("f8", "n", 0),
    "c_free": ("u1", "n", 0),
    "c_lo": ("f8", "n", 0),
    "c_hi": ("f8", "n", 0),
    "c_busy_lo": ("f8", "n", 0),
    "c_busy_hi": ("f8", "n", 0),
    "c_free_at": ("f8", "n", 0),
    "c_vx": ("f8", "n", 0),
    "c_ax": ("f8", "n", 0),
    "c_vy": ("f8", "n", 0),
    "c_ay": ("f8", "n", 0),
    "loc_x": ("f8", "L", 0),
    "loc_y": ("f8", "L", 0),
    "loc_z": ("f8", "L", 0),
    "s_coil": ("i8", "S", -1),
    "s_grade": ("i4", "S", -1),
    "s_booked": ("u1", "S", 0),
    "s_level": ("i4", "S", 0),
    "s_sup0": ("i4", "S", -1),
    "s_sup1": ("i4", "S", -1),
    "s_blk0": ("i4", "S", -1),
    "s_blk1": ("i4", "S", -1),
    "j_active": ("u1", "J", 0),
    "j_taken": ("u1", "J", 0),
    "j_kind": ("i4", "J", 0),
    "j_loc": ("i4", "J", -1),
    "j_grade": ("i4", "J", -1),
    "j_t": ("f8", "J", 0),
    "j_coil": ("i8", "J", -1),
    "j_rem": ("i4", "J", 0),
    "g_demand": ("i4", "G", 0),
    "s_mass": ("f8", "S", 0),
    "j_mass": ("f8", "J", 0),
    "c_e": ("f8", "E", 0),
    "params": ("f8", "P", 0),
    "out": ("i8", "O", -1),
    "touch": ("i8", "T", 0),
    "touch_list": ("i8", "S", -1),
    "s_touched": ("u1", "S", 0),
}


class SchedState:
    """Numpy arrays describing what the scheduler sees; see the module docstring.

    Build it with :meth:`allocate`; every field listed in :data:`FIELDS` is an attribute holding
    a C-contiguous, native-endian numpy array.  Assign into the arrays (``st.c_x[c] = x``,
    ``st.loc_x[:] = xs``), never rebind the attributes: the schedulers hold views.
    """

    __slots__ = ("n_cranes", "n_locs", "n_slots", "job_capacity", "n_grades", *FIELDS)

    # declared for type checkers (set by ``allocate``)
    n_cranes: int
    n_locs: int
    n_slots: int
    job_capacity: int
    n_grades: int

    @classmethod
    def allocate(
        cls, n_cranes: int, n_locs: int, n_slots: int, job_capacity: int, n_grades: int
    ) -> "SchedState":
        """All arrays, zero-filled except ids and indices (-1: none)."""
        if n_cranes < 1:
            raise ValueError(f"n_cranes = {n_cranes}: expected at least 1")
        if not 0 <= n_slots <= n_locs:
            raise ValueError(
                f"n_slots = {n_slots}, n_locs = {n_locs}: expected 0 <= n_slots <= n_locs"
            )
        if job_capacity < 0 or n_grades < 0:
            raise ValueError("job_capacity and n_grades must be >= 0")
        st = cls.__new__(cls)
        st.n_cranes = int(n_cranes)
        st.n_locs = int(n_locs)
        st.n_slots = int(n_slots)
        st.job_capacity = int(job_capacity)
        st.n_grades = int(n_grades)
        sizes = st._sizes()
        for name, (dt, key, fill) in FIELDS.items():
            object.__setattr__(st, name, np.full(sizes[key], fill, dtype=np.dtype(dt)))
        return st

    def _sizes(self) -> dict[str, int]:
        return {
            "n": self.n_cranes,
            "L": self.n_locs,
            "S": self.n_slots,
            "J": self.job_capacity,
            "G": self.n_grades,
            "P": N_PARAMS,
            "E": 16 * self.n_cranes,
            "O": N_OUT,
            "T": 2,
        }

    def validate(self) -> None:
        """Check every array's dtype, shape and contiguity; raise ``ValueError`` naming the first bad one."""
        sizes = self._sizes()
        for name, (dt, key, _) in FIELDS.items():
            a: Any = getattr(self, name, None)
            if not isinstance(a, np.ndarray):
                raise ValueError(
                    f"SchedState.{name}: expected a numpy array, got {type(a).__name__}"
                )
            want = np.dtype(dt)
            if a.dtype != want:
                raise ValueError(f"SchedState.{name}: dtype {a.dtype}, expected {want}")
            if a.shape != (sizes[key],):
                raise ValueError(f"SchedState.{name}: shape {a.shape}, expected ({sizes[key]},)")
            if not a.flags.c_contiguous:
                raise ValueError(f"SchedState.{name}: not C-contiguous")
        if not self.out.flags.writeable:
            raise ValueError("SchedState.out: not writeable")

    def touched(self, s: int) -> None:
        """Note that slot ``s``'s coil, grade, mass or booking changed (a no-op unless
        ``touch[0]`` is 1; then every such write must be noted, or the compiled core will not
        see it)."""
        if self.touch[0] and not self.s_touched[s]:
            self.s_touched[s] = 1
            self.touch_list[self.touch[1]] = s
            self.touch[1] += 1

    def copy(self) -> "SchedState":
        """An independent deep copy (for tests and dumps; the model never needs one)."""
        st = type(self).__new__(type(self))
        for k in ("n_cranes", "n_locs", "n_slots", "job_capacity", "n_grades"):
            object.__setattr__(st, k, getattr(self, k))
        for name in FIELDS:
            object.__setattr__(st, name, getattr(self, name).copy())
        return st

    def __repr__(self) -> str:
        return (
            f"SchedState(n_cranes={self.n_cranes}, n_locs={self.n_locs}, n_slots={self.n_slots}, "
            f"job_capacity={self.job_capacity}, n_grades={self.n_grades})"
        )


class SlotWriter:
    """The model's slot writes, one call each: a coil put down on slot ``s`` (:meth:`put`), a
    coil lifted off it (:meth:`clear`), the slot booked for a lift (:meth:`book`).  Each writes
    the slot's fields and notes the change (:meth:`SchedState.touched`).

    The compiled ``SlotWriter`` is its twin (the same writes, tested equal); :mod:`cranesim.sched`
    exports the one :mod:`cranesim.native` selects.
    """

    __slots__ = ("st", "S")

    def __init__(self, st: SchedState) -> None:
        self.st = st
        self.S = st.n_slots

    def _check(self, s: int) -> None:
        if not 0 <= s < self.S:
            raise IndexError(f"slot {s} out of range (n_slots = {self.S})")

    def put(self, s: int, coil: int, grade: int, mass: float) -> None:
        """Coil ``coil`` of ``grade`` and ``mass`` t now lies on slot ``s``; its booking ends."""
        self._check(s)
        st = self.st
        st.s_coil[s] = coil
        st.s_grade[s] = grade
        st.s_mass[s] = mass
        st.s_booked[s] = 0
        st.touched(s)

    def clear(self, s: int) -> None:
        """Slot ``s`` is empty now; its booking ends."""
        self._check(s)
        st = self.st
        st.s_coil[s] = -1
        st.s_grade[s] = -1
        st.s_mass[s] = 0.0
        st.s_booked[s] = 0
        st.touched(s)

    def book(self, s: int) -> None:
        """Slot ``s`` is the source or the target of a lift that has begun."""
        self._check(s)
        self.st.s_booked[s] = 1
        self.st.touched(s)
