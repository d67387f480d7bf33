"""Warehouse geometry: locations, storage slots and the stacking rule, as flat arrays.

Every place a coil can be is a *location* with an index:

* ``0 .. n_slots-1``: storage slots on the floor (both layers);
* ``n_slots .. n_slots+n_station-1``: buffer places of the unloading station;
* the rest: one place per truck loading bay (the truck bed).

The stacking rule is expressed by two relations between slots, so it stays pluggable: a slot's
*supports* are the slots it rests on (a coil may be put there only when every support holds a
coil) and its *blockers* are the slots resting on it (a coil may be lifted only when every
blocker is empty).  ``pyramid2`` builds a two-layer pyramid per row (upper place ``i`` rests on
lower places ``i`` and ``i+1``); ``flat`` is a single layer.

Rows run across the bay (along y); a storage block is a run of rows at a fixed pitch along x.

Every location also has a kind and a name, as traces write them (:data:`LOC_KINDS`):

* ``floor``: ``B<block>-R<row>-L<place>`` on the lower tier, ``B<block>-R<row>-U<place>`` on the
  upper one; block as listed in ``[[storage.blocks]]``, row within the block west to east, place
  across the bay from ``y_first_m``, all from 1 (upper place ``U<i>`` rests on ``L<i>`` and
  ``L<i+1>``);
* ``station``: ``S<k>``, the unloading station's places west to east, from 1;
* ``bay``: ``T<b>``, the truck loading bays as listed in ``[[trucks.bays]]``, from 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

import numpy as np

from cranesim.errors import ConfigError
from cranesim.scenario.geometry import TRUCK_BED_HEIGHT_M, format_problem, geometry_problems
from cranesim.scenario.schema import Scenario

__all__ = ["Layout", "build_layout", "LOC_KINDS"]

#: the kinds of location
LOC_KINDS = ("floor", "station", "bay")


@dataclass(frozen=True)
class Layout:
    """Flat arrays describing the warehouse (see the module docstring for indexing)."""

    n_slots: int
    n_station: int
    n_bays: int
    loc_x: np.ndarray  # f8[L]
    loc_y: np.ndarray  # f8[L]
    loc_z: np.ndarray  # f8[L]: height of the coil's underside when it lies there
    slot_level: np.ndarray  # i4[S]
    slot_row: np.ndarray  # i4[S]
    slot_sup: np.ndarray  # i4[S, 2], -1 where none
    slot_blk: np.ndarray  # i4[S, 2], -1 where none
    crane_lo: np.ndarray  # f8[n]: reachable bridge range per crane
    crane_hi: np.ndarray
    grades: tuple[str, ...]
    loc_kind: tuple[str, ...] = ()  #: per location: "floor", "station" or "bay"
    loc_name: tuple[str, ...] = ()  #: per location: its name (see the module docstring)

    @property
    def n_locs(self) -> int:
        return self.n_slots + self.n_station + self.n_bays

    def station_loc(self, k: int) -> int:
        return self.n_slots + k

    def bay_loc(self, b: int) -> int:
        return self.n_slots + self.n_station + b

    def describe_loc(self, loc: int) -> str:
        """Human-readable name of a location (for error messages and dumps)."""
        if loc < 0:
            return "-"
        if loc < self.n_slots:
            lvl = "upper" if self.slot_level[loc] else "lower"
            return f"slot {loc} (row {self.slot_row[loc]}, {lvl})"
        if loc < self.n_slots + self.n_station:
            return f"station place {loc - self.n_slots}"
        return f"truck bay {loc - self.n_slots - self.n_station}"


def build_layout(sc: Scenario, source: str | None = None) -> Layout:
    """Build the location arrays of a scenario, and each location's kind and name.

    Raises
    ------
    ConfigError
        If the geometry is impossible (:func:`~cranesim.scenario.geometry.geometry_problems`:
        coils overlap, a place lies outside the bay, on a block or out of reach), every
        problem at once.  A scenario from :func:`~cranesim.scenario.load.load_config` has
        passed these checks; one built otherwise (``model_construct``) is checked here.
    """
    source = sc._source if source is None else source
    if sc._overrides:  # a key set on top of the file may be what makes the plant impossible
        source += " with " + ", ".join(sc._overrides)
    problems = geometry_problems(sc)
    if problems:
        raise ConfigError(*(format_problem(source, p) for p in problems))
    st = sc.storage
    d = st.coil_diameter_m
    xs: list[float] = []
    ys: list[float] = []
    zs: list[float] = []
    level: list[int] = []
    rowid: list[int] = []
    sup: list[tuple[int, int]] = []
    row = 0
    names: list[str] = []
    for bi, b in enumerate(st.blocks):
        p = b.place_pitch_m
        z_up = sqrt(d * d - (p / 2) ** 2) if st.stacking == "pyramid2" else 0.0
        for r in range(b.rows):
            x = b.x_first_m + r * b.row_pitch_m
            first = len(xs)
            for i in range(b.lower_places_per_row):
                names.append(f"B{bi + 1}-R{r + 1}-L{i + 1}")
                xs.append(x)
                ys.append(b.y_first_m + i * p)
                zs.append(0.0)
                level.append(0)
                rowid.append(row)
                sup.append((-1, -1))
            if st.stacking == "pyramid2":
                for i in range(b.lower_places_per_row - 1):
                    names.append(f"B{bi + 1}-R{r + 1}-U{i + 1}")
                    xs.append(x)
                    ys.append(b.y_first_m + (i + 0.5) * p)
                    zs.append(z_up)
                    level.append(1)
                    rowid.append(row)
                    sup.append((first + i, first + i + 1))
            row += 1
    n_slots = len(xs)
    blk = [[-1, -1] for _ in range(n_slots)]
    for s, (a, b2) in enumerate(sup):
        for support in (a, b2):
            if support < 0:
                continue
            k = 0 if blk[support][0] < 0 else 1
            blk[support][k] = s
    # Order blockers so that blk0 is the west/lower-index neighbour: deterministic.
    blk = [sorted(v, key=lambda s: (s < 0, s)) for v in blk]

    stn = sc.station
    n_station = stn.places
    for k in range(n_station):
        xs.append(stn.x_m + (k - (n_station - 1) / 2) * stn.place_pitch_m)
        ys.append(stn.y_m)
        zs.append(stn.pick_height_m)
    for tb in sc.trucks.bays:
        xs.append(tb.x_m)
        ys.append(tb.y_m)
        zs.append(TRUCK_BED_HEIGHT_M)

    n = len(sc.cranes)
    dsafe = sc.runway.safety_distance_m
    lo = np.array([sc.runway.x_min_m + i * dsafe for i in range(n)], dtype=np.float64)
    hi = np.array([sc.runway.x_max_m - (n - 1 - i) * dsafe for i in range(n)], dtype=np.float64)
    n_bays = len(sc.trucks.bays)
    return Layout(
        n_slots=n_slots,
        n_station=n_station,
        n_bays=n_bays,
        loc_x=np.asarray(xs, dtype=np.float64),
        loc_y=np.asarray(ys, dtype=np.float64),
        loc_z=np.asarray(zs, dtype=np.float64),
        slot_level=np.asarray(level, dtype=np.int32),
        slot_row=np.asarray(rowid, dtype=np.int32),
        slot_sup=np.asarray(sup, dtype=np.int32).reshape(n_slots, 2),
        slot_blk=np.asarray(blk, dtype=np.int32).reshape(n_slots, 2),
        crane_lo=lo,
        crane_hi=hi,
        grades=tuple(p.grade for p in sc.mill.products),
        loc_kind=("floor",) * n_slots + ("station",) * n_station + ("bay",) * n_bays,
        loc_name=tuple(names)
        + tuple(f"S{k + 1}" for k in range(n_station))
        + tuple(f"T{b + 1}" for b in range(n_bays)),
    )
