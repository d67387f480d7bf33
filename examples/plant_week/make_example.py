"""Make the plant_week example: a week of a "plant" in the recorded format.

Usage (from the repository root)::

    python examples/plant_week/make_example.py [OUT_DIR]

The "plant" is the packaged default scenario with two crane parameters changed, as a plant's
real cranes might differ from the values a planner assumed:

* ``hoist_speed_m_min``: 18.0 -> 13.5 (a slower hoist);
* ``pick_s``: 8.0 -> 16.0 (a longer pick: tongs closing and confirming).

It writes ``plant.toml`` (that scenario, whose ``[demand]`` reads this folder), runs it for one
week (168 h, the default's seed 20240601, automated cranes, its own generators) and writes what
a plant would have recorded: ``stock.csv`` (the coils at the start), ``coils.csv`` (every coil
from the mill), ``stops.csv`` (the mill's stoppages), ``trucks.csv`` (the trucks' orders) and
``moves.csv`` (the crane system's move log).  The README's walk-through ("Run your plant's
demand") imports them into the default scenario and finds the two parameters off.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cranesim.model.crew import build_planner
from cranesim.model.recorded import EXPORT_TABLES, ExportDemand, demand_source
from cranesim.model.warehouse import Warehouse
from cranesim.record.tables import TableSet
from cranesim.scenario.layout import build_layout
from cranesim.scenario.load import default_config_path, parse_config
from cranesim.studies.moves import LiftCollector, write_moves

HOURS, SEED = 168.0, 20240601
CHANGES = {"hoist_speed_m_min": ("18.0", "13.5"), "pick_s": ("8.0", "16.0")}
HEADER = """\
# The "plant" of the plant_week example (made by make_example.py; do not edit by hand): the
# packaged default scenario with two crane parameters changed, hoist_speed_m_min 18.0 -> 13.5
# and pick_s 8.0 -> 16.0.  Its week of demand and crane moves are the files beside it.

"""


def plant_toml() -> str:
    """The default scenario's text with the changed parameters and a [demand] section."""
    text = default_config_path().read_text(encoding="utf-8")
    text = text.replace('name = "masteel_wire_rod"', 'name = "plant_week"', 1)
    for key, (old, new) in CHANGES.items():
        line = next(ln for ln in text.splitlines() if ln.startswith(f"{key} = {old}"))
        text = text.replace(line, f"{key} = {new}".ljust(30) + "# plant_week: was " + old, 1)
    return (
        HEADER
        + text
        + (
            "\n[demand]                      # the week recorded in this folder\n"
            'source = "recorded"\ndir = "."\n'
        )
    )


def main(out: Path) -> None:
    import tomllib

    out.mkdir(parents=True, exist_ok=True)
    text = plant_toml()
    (out / "plant.toml").write_text(text, encoding="utf-8")
    data = tomllib.loads(text)
    data["demand"] = {"source": "synthetic"}  # the plant's own generators make the week
    sc = parse_config(data, str(out / "plant.toml"), base_dir=out)
    lay = build_layout(sc)
    exported: list[ExportDemand] = []

    def exporting(wh: Warehouse) -> ExportDemand:
        exported.append(ExportDemand(demand_source(wh), TableSet(out, EXPORT_TABLES), sc, lay))
        return exported[0]

    lifts = LiftCollector()
    planner, policy = build_planner(sc, "automated")
    wh = Warehouse(
        sc, SEED, sink=lifts, planner=planner, policy=policy, layout=lay, demand=exporting
    )
    wh.run_until(HOURS * 3600.0)
    exported[0].close()
    write_moves(lifts.log(), out / "moves.csv", sc, lay)
    print(f"wrote {out}: plant.toml, stock.csv, coils.csv, stops.csv, trucks.csv, moves.csv "
          f"({len(lifts.rows)} lifts)")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
