"""The names a plant gives the places of its warehouse, and the layout's locations they are.

A floor place is named by its block, its row in the block, its tier and its place in the row:

* block: the ``name`` of its ``[[storage.blocks]]`` entry, or its number (1 = the first entry);
* row: 1 = the block's first row (at ``x_first_m``), counting along the bay;
* tier: 1 = the floor, 2 = the upper layer of a pyramid;
* place: 1 = the place at ``y_first_m``, counting across the bay; upper place ``i`` rests on
  lower places ``i`` and ``i + 1``.

In one text (a move log's ``from`` and ``to``): ``BLOCK-ROW-TIER-PLACE`` (``W-12-1-7``;
the block name may itself hold dashes), ``station N`` (the unloading station's place ``N``,
counting from 1 at the west end; ``station`` alone: any place of it) and ``bay N`` (truck
loading bay ``N`` in ``[[trucks.bays]]`` order).

>>> from cranesim.scenario.load import load_config
>>> from cranesim.scenario.layout import build_layout
>>> sc = load_config()
>>> places = Places(sc, build_layout(sc))
>>> places.slot("1", 1, 1, 1), places.slot("1", 1, 2, 1), places.name(31)
(0, 16, ('1', 2, 1, 1))
>>> places.loc("2-1-1-3"), places.label(places.loc("station 2")), places.slot("1", 25, 1, 1)
(746, 'station 2', 'block 1 has 24 rows')
"""

from __future__ import annotations

from bisect import bisect_right

from cranesim.scenario.layout import Layout
from cranesim.scenario.schema import Scenario

__all__ = ["Places"]


class Places:
    """Place names of a scenario's layout (see the module docstring)."""

    def __init__(self, sc: Scenario, lay: Layout) -> None:
        self.lay = lay
        pyramid = sc.storage.stacking == "pyramid2"
        self.tiers = 2 if pyramid else 1
        self._names: list[str] = []
        self._key: dict[str, int] = {}
        self._first: list[int] = []  # first slot of each block
        self._rows: list[int] = []
        self._lower: list[int] = []
        slot = 0
        for i, b in enumerate(sc.storage.blocks):
            name = b.name or str(i + 1)
            self._names.append(name)
            self._first.append(slot)
            self._rows.append(b.rows)
            self._lower.append(b.lower_places_per_row)
            slot += b.rows * (b.lower_places_per_row * 2 - 1 if pyramid else b.lower_places_per_row)
        for i, name in enumerate(self._names):
            self._key[name] = i
        for i in range(len(self._names)):
            self._key.setdefault(str(i + 1), i)  # numbers, where no name shadows them
        self.blocks = tuple(self._names)

    def _per_row(self, b: int) -> int:
        n = self._lower[b]
        return 2 * n - 1 if self.tiers == 2 else n

    def slot(self, block: str, row: int, tier: int, place: int) -> int | str:
        """The slot index of a floor place, or why there is none (a str)."""
        b = self._key.get(str(block).strip())
        if b is None:
            return f"no block {block!r} (blocks: {', '.join(self.blocks)})"
        if not 1 <= row <= self._rows[b]:
            return f"block {self._names[b]} has {self._rows[b]} rows"
        if not 1 <= tier <= self.tiers:
            return "tier 1 (floor) or 2 (upper)" if self.tiers == 2 else "tier 1 (flat storage)"
        n = self._lower[b] - (tier - 1)
        if not 1 <= place <= n:
            return f"tier {tier} of a row in block {self._names[b]} has {n} places"
        base = self._first[b] + (row - 1) * self._per_row(b)
        return base + (tier - 1) * self._lower[b] + place - 1

    def name(self, slot: int) -> tuple[str, int, int, int]:
        """``(block, row, tier, place)`` of a slot."""
        b = bisect_right(self._first, slot) - 1
        row, k = divmod(slot - self._first[b], self._per_row(b))
        n = self._lower[b]
        tier, place = (1, k) if k < n else (2, k - n)
        return self._names[b], row + 1, tier, place + 1

    def loc(self, text: str) -> int | str:
        """The location of a place's text (see the module docstring), or why there is none;
        ``station`` alone is the station's first place."""
        t = text.strip()
        low = t.lower()
        lay = self.lay
        for word, count, first in (
            ("station", lay.n_station, lay.n_slots),
            ("bay", lay.n_bays, lay.n_slots + lay.n_station),
        ):
            if low == word or low.startswith(word + " "):
                k = low[len(word) :].strip() or "1"
                if not k.isdigit() or not 1 <= int(k) <= count:
                    return f"{word} places are numbered 1 to {count}"
                return first + int(k) - 1
        parts = t.rsplit("-", 3)
        if len(parts) != 4 or not all(p.strip().isdigit() for p in parts[1:]):
            return "expected BLOCK-ROW-TIER-PLACE, 'station N' or 'bay N'"
        return self.slot(parts[0], *(int(p) for p in parts[1:]))

    def label(self, loc: int) -> str:
        """The text of a location (the inverse of :meth:`loc`)."""
        lay = self.lay
        if loc < lay.n_slots:
            return "-".join(str(v) for v in self.name(loc))
        if loc < lay.n_slots + lay.n_station:
            return f"station {loc - lay.n_slots + 1}"
        return f"bay {loc - lay.n_slots - lay.n_station + 1}"
