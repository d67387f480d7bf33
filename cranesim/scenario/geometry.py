"""Can the plant a scenario draws exist?  Every geometry check, all problems at once.

The schema checks each value on its own (a speed is positive, a fraction is at most 1); this
module checks how they fit together, in plan view (x along the bay, y across it):

* the runway lies inside the bay; the cranes fit on it, listed west to east, the safety
  distance apart, each on the runway; their names are unique;
* no storage block, station place or truck bay lies outside the bay or on another: a coil
  takes a circle of ``storage.coil_diameter_m`` (rows and places of a block at least that far
  apart), a truck at a bay a square of :data:`TRUCK_WIDTH_M` (two bays at least that far apart,
  half of it from the walls);
* the layout is not larger than :data:`MAX_PLACES` storage places;
* every place is within a crane's reach, the station and the bays within every crane's, and
  the hook travels above the stacks.

:func:`geometry_problems` returns them as :class:`Problem` (key, message with the value and the
fix); the scenario's validator raises them together (:class:`Problems`), and the loader prints
one line each.
"""

from __future__ import annotations

import difflib
from math import sqrt
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Problem",
    "Problems",
    "geometry_problems",
    "MAX_PLACES",
    "TRUCK_WIDTH_M",
    "TRUCK_BED_HEIGHT_M",
    "did_you_mean",
    "format_problem",
]

#: Largest layout (storage places, both layers) a scenario may have: ~30 times the default
#: (3,162), three times a very large coil store; beyond it the arrays and the scheduler's
#: search cost memory and time for no real plant.
MAX_PLACES = 100_000
#: The width a truck takes at a bay (m): 2.55 m, the largest width of a road vehicle in China
#: (GB 1589-2016) and the EU (Directive 96/53/EC).
TRUCK_WIDTH_M = 2.55
#: Height of a truck bed (m): where a coil lies on a truck (typical).
TRUCK_BED_HEIGHT_M = 1.2

_TOL = 1e-9


class Problem(NamedTuple):
    """One thing wrong with a scenario: the key it concerns and what to do."""

    key: str
    message: str


class Problems(ValueError):
    """Several problems found together (raised by the scenario's validator)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.key}: {p.message}" for p in problems))


def format_problem(source: str, p: Problem) -> str:
    """One line for the user: ``FILE: KEY = VALUE: what is wrong; the fix``."""
    sep = " " if p.message.startswith("=") else ": "
    return f"{source}: {p.key}{sep}{p.message}"


def did_you_mean(name: str, choices: Any) -> str:
    """``" (did you mean X?)"`` for the choice closest to ``name``, or ``""``."""
    by_lower = {str(c).lower(): str(c) for c in choices}
    near = difflib.get_close_matches(str(name).lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[near[0]]}?)" if near else ""


def _rect(x0: float, x1: float, y0: float, y1: float) -> str:
    return f"x {x0:g}..{x1:g} m, y {y0:g}..{y1:g} m"


def _overlap(a: tuple, b: tuple) -> bool:
    """Rectangles ``(x0, x1, y0, y1)`` overlapping by more than a rounding error."""
    return a[0] < b[1] - 1e-6 and b[0] < a[1] - 1e-6 and a[2] < b[3] - 1e-6 and b[2] < a[3] - 1e-6


def _cranes(sc: Any) -> list[Problem]:
    out = []
    rw, n = sc.runway, len(sc.cranes)
    d = rw.safety_distance_m
    if rw.x_max_m > sc.bay.length_m + _TOL:
        out.append(Problem("runway.x_max_m", f"= {rw.x_max_m:g}: the runway ends beyond the bay "
                           f"(bay.length_m = {sc.bay.length_m:g}); expected at most "
                           f"{sc.bay.length_m:g}"))  # fmt: skip
    if (n - 1) * d > rw.x_max_m - rw.x_min_m + _TOL:
        out.append(Problem("runway.safety_distance_m", f"= {d:g}: {n} cranes need "
                           f"{(n - 1) * d:g} m between the first and the last, the runway "
                           f"({rw.x_min_m:g}..{rw.x_max_m:g} m) has {rw.x_max_m - rw.x_min_m:g}; "
                           "shorten the distance or use fewer cranes"))  # fmt: skip
    seen: dict[str, int] = {}
    for i, c in enumerate(sc.cranes):
        if c.name in seen:
            out.append(Problem(f"cranes[{i}].name", f"= {c.name!r}: cranes[{seen[c.name]}] has "
                               "this name too; crane names must be unique"))  # fmt: skip
        seen.setdefault(c.name, i)
        if not rw.x_min_m - _TOL <= c.start_x_m <= rw.x_max_m + _TOL:
            out.append(Problem(f"cranes[{i}].start_x_m", f"= {c.start_x_m:g}: off the runway; "
                               f"expected within runway.x_min_m..x_max_m = "
                               f"{rw.x_min_m:g}..{rw.x_max_m:g}"))  # fmt: skip
        if i == 0:
            continue
        prev = sc.cranes[i - 1].start_x_m
        gap = c.start_x_m - prev
        if gap < -_TOL:
            out.append(Problem(f"cranes[{i}].start_x_m", f"= {c.start_x_m:g} is west of "
                               f"cranes[{i - 1}] ({prev:g}): list the cranes west to east (they "
                               "cannot pass each other)"))  # fmt: skip
        elif gap < d - _TOL:
            out.append(Problem(f"cranes[{i}].start_x_m", f"= {c.start_x_m:g} is {gap:g} m from "
                               f"cranes[{i - 1}] ({prev:g}), less than runway.safety_distance_m "
                               f"= {d:g}; start them at least {d:g} m apart"))  # fmt: skip
    names = [c.name for c in sc.cranes]
    for mode in ("automated", "manual"):
        for k in getattr(sc.energy, mode).overrides:
            if k not in names:
                out.append(
                    Problem(
                        f"energy.{mode}.overrides.{k}",
                        f"no crane is named {k!r}"
                        f"{did_you_mean(k, names)}; cranes: {', '.join(names)}",
                    )
                )
    return out


def _blocks(sc: Any) -> tuple[list[Problem], list[tuple]]:
    """Problems of the storage blocks, and each block's footprint (x0, x1, y0, y1)."""
    st, bay = sc.storage, sc.bay
    d, r = st.coil_diameter_m, st.coil_diameter_m / 2
    out: list[Problem] = []
    rects = []
    places = 0
    for i, b in enumerate(st.blocks):
        key = f"storage.blocks[{i}]"
        p = b.place_pitch_m
        if p < d - _TOL:
            out.append(
                Problem(
                    f"{key}.place_pitch_m",
                    f"= {p:g}: neighbouring coils overlap; "
                    f"expected at least storage.coil_diameter_m ({d:g})",
                )
            )
        if st.stacking == "pyramid2" and b.lower_places_per_row > 1 and p >= 2 * d:
            out.append(Problem(f"{key}.place_pitch_m", f"= {p:g}: an upper coil must rest on two "
                               f"lower coils; expected less than twice the coil diameter "
                               f"({2 * d:g}) for a pyramid"))  # fmt: skip
        if b.rows > 1 and b.row_pitch_m < d - _TOL:
            out.append(Problem(f"{key}.row_pitch_m", f"= {b.row_pitch_m:g}: coils of neighbouring "
                               f"rows overlap; expected at least storage.coil_diameter_m "
                               f"({d:g})"))  # fmt: skip
        x_last = b.x_first_m + (b.rows - 1) * b.row_pitch_m
        y_last = b.y_first_m + (b.lower_places_per_row - 1) * p
        rect = (b.x_first_m - r, x_last + r, b.y_first_m - r, y_last + r)
        rects.append(rect)
        if rect[0] < -_TOL or rect[1] > bay.length_m + _TOL:
            out.append(
                Problem(
                    key,
                    f"its rows span x {rect[0]:g}..{rect[1]:g} m (coils "
                    f"included), outside the bay (0..bay.length_m = "
                    f"{bay.length_m:g}); move x_first_m or use fewer rows",
                )
            )
        if rect[2] < -_TOL or rect[3] > bay.span_m + _TOL:
            out.append(Problem(key, f"its places span y {rect[2]:g}..{rect[3]:g} m (coils "
                               f"included), outside the bay (0..bay.span_m = {bay.span_m:g}); "
                               "move y_first_m or use fewer places per row"))  # fmt: skip
        for j in range(i):
            if _overlap(rect, rects[j]):
                out.append(
                    Problem(
                        key,
                        f"its coils ({_rect(*rect)}) overlap storage.blocks[{j}] "
                        f"({_rect(*rects[j])}); move one of them",
                    )
                )
                break  # the first block it overlaps is enough
        upper = b.lower_places_per_row - 1 if st.stacking == "pyramid2" else 0
        places += b.rows * (b.lower_places_per_row + upper)
    if places > MAX_PLACES:
        out.append(Problem("storage.blocks", f"{places:,} storage places, more than the "
                           f"{MAX_PLACES:,} a scenario may have; check rows and "
                           "lower_places_per_row"))  # fmt: skip
    return out, rects


def _reach(sc: Any) -> tuple[list[tuple[float, float]], float, float]:
    """Each crane's reachable bridge range, and the range every crane reaches."""
    rw, n = sc.runway, len(sc.cranes)
    d = rw.safety_distance_m
    reach = [(rw.x_min_m + i * d, rw.x_max_m - (n - 1 - i) * d) for i in range(n)]
    return reach, max(lo for lo, _ in reach), min(hi for _, hi in reach)


def _places(sc: Any, rects: list[tuple]) -> list[Problem]:
    """The station and the truck bays: inside the bay, off the blocks and each other, within
    every crane's reach; the storage rows within a crane's reach; the hook above the stacks."""
    st, bay, stn = sc.storage, sc.bay, sc.station
    d, r, w = st.coil_diameter_m, st.coil_diameter_m / 2, TRUCK_WIDTH_M / 2
    out: list[Problem] = []
    reach, common_lo, common_hi = _reach(sc)
    n = len(sc.cranes)
    every = (f"every crane reaches x {common_lo:g}..{common_hi:g} m with {n} cranes and "
             f"runway.safety_distance_m = {sc.runway.safety_distance_m:g}")  # fmt: skip

    def on_block(x: float, y: float, half: float) -> int:
        for j, rect in enumerate(rects):
            if _overlap((x - half, x + half, y - half, y + half), rect):
                return j
        return -1

    if stn.places > 1 and stn.place_pitch_m < d - _TOL:
        out.append(Problem("station.place_pitch_m", f"= {stn.place_pitch_m:g}: coils on "
                           f"neighbouring station places overlap; expected at least "
                           f"storage.coil_diameter_m ({d:g})"))  # fmt: skip
    spots = []  # (key, x, y, half width) of the station places and bays, for overlaps
    walls, on, far = [], [], []  # station places near a wall, on a block, out of reach
    for k in range(stn.places):
        x = stn.x_m + (k - (stn.places - 1) / 2) * stn.place_pitch_m
        if not (
            r - _TOL <= x <= bay.length_m - r + _TOL
            and r - _TOL <= stn.y_m <= bay.span_m - r + _TOL
        ):
            walls.append(k)
        elif (j := on_block(x, stn.y_m, r)) >= 0:
            on.append((k, j))
        if not common_lo - _TOL <= x <= common_hi + _TOL:
            far.append(k)
        spots.append((f"station place {k + 1}", x, stn.y_m, r))

    def places(ks: list[int]) -> str:
        first = spots[ks[0]]
        more = f" (and {len(ks) - 1} more of its {stn.places})" if len(ks) > 1 else ""
        return f"{first[0]} at (x {first[1]:g}, y {first[2]:g}){more}"

    if walls:
        out.append(Problem("station", f"{places(walls)} is less than half a coil ({r:g} m) from "
                           f"a wall or outside the bay ({bay.length_m:g} x {bay.span_m:g} m); "
                           "move station.x_m/y_m or use fewer places"))  # fmt: skip
    if on:
        j = on[0][1]
        out.append(Problem("station", f"{places([k for k, _ in on])} lies on "
                           f"storage.blocks[{j}] ({_rect(*rects[j])}); move the station off the "
                           "block"))  # fmt: skip
    if far:
        out.append(
            Problem(
                "station.x_m",
                f"= {stn.x_m:g}: {places(far)} must be within every "
                f"crane's reach (cranes cannot hand coils over): {every}",
            )
        )
    for i, tb in enumerate(sc.trucks.bays):
        key, what = f"trucks.bays[{i}]", f"a truck at (x {tb.x_m:g}, y {tb.y_m:g})"
        if not w - _TOL <= tb.x_m <= bay.length_m - w + _TOL:
            out.append(
                Problem(
                    f"{key}.x_m",
                    f"= {tb.x_m:g}: {what} needs half a truck width "
                    f"({w:g} m) to the end walls; expected {w:g}..{bay.length_m - w:g}",
                )
            )
        if not w - _TOL <= tb.y_m <= bay.span_m - w + _TOL:
            out.append(
                Problem(
                    f"{key}.y_m",
                    f"= {tb.y_m:g}: {what} needs half a truck width "
                    f"({w:g} m) to the side walls; expected {w:g}..{bay.span_m - w:g}",
                )
            )
        j = on_block(tb.x_m, tb.y_m, w)
        if j >= 0:
            out.append(Problem(key, f"{what} ({TRUCK_WIDTH_M:g} m wide) would stand on "
                               f"storage.blocks[{j}] ({_rect(*rects[j])}); put the bay in a lane "
                               "between blocks"))  # fmt: skip
        if not common_lo - _TOL <= tb.x_m <= common_hi + _TOL:
            out.append(
                Problem(
                    f"{key}.x_m",
                    f"= {tb.x_m:g}: a truck bay must be within every "
                    f"crane's reach (cranes cannot hand coils over): {every}",
                )
            )
        for name, x, y, half in spots:
            if abs(x - tb.x_m) < half + w - 1e-6 and abs(y - tb.y_m) < half + w - 1e-6:
                other = "a truck" if name.startswith("trucks") else "a coil"
                out.append(Problem(key, f"{what} overlaps {name} at (x {x:g}, y {y:g}): "
                                   f"{other} stands there; bays must be at least "
                                   f"{TRUCK_WIDTH_M:g} m from other bays and clear of the "
                                   "station"))  # fmt: skip
        spots.append((key, tb.x_m, tb.y_m, w))
    # the hook travels above the highest coil
    top = sc.bay.hook_travel_height_m
    p_min = min(b.place_pitch_m for b in st.blocks)
    stack = sqrt(max(d * d - (p_min / 2) ** 2, 0.0)) + d if st.stacking == "pyramid2" else d
    if stack > top + _TOL:
        out.append(
            Problem(
                "bay.hook_travel_height_m",
                f"= {top:g}: a load must travel above the "
                f"stacks (top at {stack:.2f} m); expected at least {stack:.2f}",
            )
        )
    for key, z in (
        ("station.pick_height_m", stn.pick_height_m),
        ("a truck bed", TRUCK_BED_HEIGHT_M),
    ):
        if z > top + _TOL:
            out.append(
                Problem(
                    "bay.hook_travel_height_m",
                    f"= {top:g}: below {key} ({z:g} m), "
                    f"where the hook picks or sets down; expected at least {z:g}",
                )
            )
    # every storage row within some crane's reach (unless there are too many to build)
    if sum(b.rows for b in st.blocks) > MAX_PLACES:
        return out
    lo = np.array([a for a, _ in reach]) - _TOL
    hi = np.array([b for _, b in reach]) + _TOL
    for i, b in enumerate(st.blocks):
        xs = b.x_first_m + np.arange(b.rows) * b.row_pitch_m
        out_of_reach = ~((xs[:, None] >= lo) & (xs[:, None] <= hi)).any(axis=1)
        if out_of_reach.any():
            row = int(np.argmax(out_of_reach))
            out.append(Problem(f"storage.blocks[{i}]", f"row {row} at x {xs[row]:g} m is out of "
                               f"every crane's reach (runway.x_min_m..x_max_m = "
                               f"{sc.runway.x_min_m:g}..{sc.runway.x_max_m:g}, each crane keeps "
                               "the safety distance from its neighbours)"))  # fmt: skip
    return out


def geometry_problems(sc: Any) -> list[Problem]:
    """Every geometry problem of a scenario whose values are each valid (module docstring)."""
    out = _cranes(sc)
    blocks, rects = _blocks(sc)
    return out + blocks + _places(sc, rects)
