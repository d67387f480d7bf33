"""Recorded demand files are checked as strictly as scenarios: each problem names the file, the
row and the column, and what was expected (issue 18).

A small valid set of files (on configs/small.toml: blocks of 4 rows, 7 lower and 6 upper
places) is broken one way at a time; the check must name exactly that place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cranesim.errors import ConfigError
from cranesim.scenario.layout import build_layout
from cranesim.scenario.load import load_config
from cranesim.scenario.recorded import DemandError, with_demand
from cranesim.scenario.recorded_check import check_demand, require_demand

Q, S = "Q235-6.5", "SWRH82B-12.5"
BASE = {
    "stock": [
        "coil_id,grade,mass_t,block,row,tier,place",
        f"S1,{Q},2.0,1,1,1,1",
        f"S2,{Q},2.1,1,1,1,2",
        f"S3,{S},2.2,1,1,2,1",  # upper, resting on S1 and S2
    ],
    "coils": [
        "coil_id,grade,mass_t,ready_at,station_at",
        f"C1,{Q},2.0,100.0,100.0",
        f"C2,{S},2.2,250.0,260.0",
        f"C3,{Q},1.9,400.0,400.0",
    ],
    "trucks": [
        "truck_id,arrive_at,grade,coils",
        f"T1,500.0,{Q},3",
        f"T1,500.0,{S},1",
        f"T2,900.0,{S},1",
    ],
    "stops": ["start_at,duration_s,reason", "1000.0,600.0,roll change"],
}


def _folder(tmp_path: Path, **edits: dict[int, str | None]) -> Path:
    """The base files with lines replaced (``{line: text}``, 0 = header; None drops it)."""
    d = tmp_path / "demand"
    d.mkdir(exist_ok=True)
    for name, lines in BASE.items():
        lines = list(lines)
        for i, text in sorted(edits.get(name, {}).items(), reverse=True):
            if text is None:
                del lines[i]
            elif i < len(lines):
                lines[i] = text
            else:
                lines.append(text)
        (d / f"{name}.csv").write_text("\n".join(lines) + "\n")
    return d


def _check(small, folder: Path, **demand):
    sc = with_demand(small, folder)
    if demand:
        d = sc.demand.model_dump() | demand
        sc = sc.model_copy(update={"demand": type(sc.demand).model_validate(d)})
    return check_demand(sc, build_layout(sc), 8.0)


def test_the_base_files_are_valid(small, tmp_path):
    check = _check(small, _folder(tmp_path))
    assert not check.problems, check.problems.errors
    assert check.counts == dict(stock=3, coils=3, trucks=2, ordered=5, stops=1)
    assert (check.first_s, check.last_s) == (100.0, 1600.0)
    assert any("records end at 0.44 h" in n for n in check.problems.notes)


CASES = [
    # (edits, the problem: file, row, column and what)
    ({"coils": {2: "C2,X-1,2.2,250.0,260.0"}}, "coils.csv: row 2, column grade = 'X-1': unknown grade"),
    ({"coils": {1: f"C1,{Q},abc,100.0,100.0"}}, "coils.csv: row 1, column mass_t = 'abc': expected a number"),
    ({"coils": {1: f"C1,{Q},-2,100.0,100.0"}}, "coils.csv: row 1, column mass_t = -2.0: expected a mass"),
    ({"coils": {3: f"C3,{Q},1.9,200.0,200.0"}}, "coils.csv: row 3, column ready_at = 200.0: out of order: earlier than the coil before (250.0)"),
    ({"coils": {2: f"C2,{S},2.2,250.0,240.0"}}, "coils.csv: row 2, column station_at = 240.0: before its ready_at (250.0)"),
    ({"coils": {1: f"C1,{Q},2.0,-5,-5"}}, "coils.csv: row 1, column ready_at = -5.0: before the start of the run"),
    ({"coils": {1: f"C1,{Q},2.0,,"}}, "coils.csv: row 1, column ready_at = '': empty"),
    ({"coils": {3: f"S2,{Q},1.9,400.0,400.0"}}, "coils.csv: row 3, column coil_id = 'S2': duplicate coil id (first: stock.csv row 2)"),
    ({"coils": {1: f"C1,{Q},2.0,tomorrow,"}}, "coils.csv: row 1, column ready_at = 'tomorrow': expected seconds from the start or an ISO 8601 date-time"),
    ({"coils": {2: f"C2,{S},2.2,2024-06-03 06:00,"}}, "coils.csv: row 2, column ready_at = '2024-06-03 06:00': a date-time needs [demand] start"),
    ({"coils": {0: "coil_id,grade,ready_at,station_at"}}, "coils.csv: missing column mass_t"),
    ({"coils": {0: "coil_id,grade,mas_t,ready_at,station_at"}}, "coils.csv: unknown column mas_t (did you mean mass_t?)"),
    ({"stock": {1: f"S1,{Q},2.0,1,9,1,1"}}, "stock.csv: row 1, column block/row/tier/place = '1-9-1-1': block 1 has 4 rows"),
    ({"stock": {1: f"S1,{Q},2.0,Z,1,1,1"}}, "stock.csv: row 1, column block/row/tier/place = 'Z-1-1-1': no block 'Z' (blocks: 1, 2)"),
    ({"stock": {1: f"S1,{Q},2.0,1,1,3,1"}}, "stock.csv: row 1, column block/row/tier/place = '1-1-3-1': tier 1 (floor) or 2 (upper)"),
    ({"stock": {1: f"S1,{Q},2.0,1,1,1,8"}}, "stock.csv: row 1, column block/row/tier/place = '1-1-1-8': tier 1 of a row in block 1 has 7 places"),
    ({"stock": {1: f"S1,{Q},2.0,1,1,1,1.5"}}, "stock.csv: row 1, column place = 1.5: expected a whole number >= 1"),
    ({"stock": {2: f"S2,{Q},2.1,1,1,1,1"}}, "stock.csv: row 2, column block/row/tier/place = '1-1-1-1': place already holds the coil of row 1"),
    ({"stock": {2: f"S2,{Q},2.1,1,2,1,2"}}, "stock.csv: place 1-1-2-1: an upper coil needs coils on 1-1-1-2 beneath it"),
    ({"trucks": {1: f"T1,500.0,{Q},3", 3: f"T2,400.0,{Q},2"}}, "trucks.csv: row 3, column arrive_at = 400.0: out of order: earlier than the truck before (500.0)"),
    ({"trucks": {2: f"T1,501.0,{S},1"}}, "trucks.csv: row 2, column arrive_at = 501.0: truck T1 arrived at 500.0 (row 1)"),
    ({"trucks": {4: f"T1,900.0,{Q},1"}}, "trucks.csv: row 4, column truck_id = 'T1': the lines of a truck must be together (its first: row 1)"),
    ({"trucks": {3: f"T2,900.0,{Q},0"}}, "trucks.csv: row 3, column coils = 0.0: expected a whole number >= 1"),
    ({"trucks": {3: f"T2,900.0,{Q},5"}}, f"trucks.csv: row 3, column coils = 5: truck T2 orders 5 coils of {Q}, but the stock and the mill hold only 1 that no earlier truck ordered: the truck would wait at its bay to the end of the run"),
    ({"trucks": {3: f"T2,900.0,{Q},9"}}, "trucks.csv: row 3, column truck_id = 'T2': orders 9 coils, more than [trucks] order_coils_max = 8"),
    ({"stops": {2: "1200.0,100.0,again"}}, "stops.csv: row 2, column start_at = 1200.0: out of order: earlier than the end of the stoppage before (1600.0)"),
    ({"stops": {1: "1000.0,-1,x"}}, "stops.csv: row 1, column duration_s = -1.0: expected seconds >= 0"),
]  # fmt: skip


@pytest.mark.parametrize(("edits", "problem"), CASES, ids=[c[1][:40] for c in CASES])
def test_each_problem_names_file_row_and_column(small, tmp_path, edits, problem):
    check = _check(small, _folder(tmp_path, **edits))
    assert check.problems.count >= 1
    assert any(e.startswith(problem) for e in check.problems.errors), check.problems.errors
    sc = with_demand(small, tmp_path / "demand")
    with pytest.raises(DemandError) as err:
        require_demand(sc, build_layout(sc))
    assert "\n" not in str(err.value)


def test_orders_by_coil_id(small, tmp_path):
    head = "truck_id,arrive_at,coil_id"
    ok = _folder(tmp_path, trucks={0: head, 1: "T1,500.0,C1", 2: "T1,500.0,S3", 3: "T2,900.0,C3"})
    check = _check(small, ok)
    assert not check.problems and check.counts["ordered"] == 3
    twice = _folder(
        tmp_path, trucks={0: head, 1: "T1,500.0,C1", 2: "T1,500.0,S3", 3: "T2,900.0,C1"}
    )
    assert _check(small, twice).problems.errors == [
        "trucks.csv: row 3, column coil_id = 'C1': ordered twice (row 1)"
    ]
    unknown = _folder(
        tmp_path, trucks={0: head, 1: "T1,500.0,C1", 2: "T1,500.0,S3", 3: "T2,900.0,C9"}
    )
    assert _check(small, unknown).problems.errors == [
        "trucks.csv: row 3, column coil_id = 'C9': no such coil in stock or from the mill"
    ]


def test_short_orders_can_be_trimmed(small, tmp_path):
    d = _folder(tmp_path, trucks={3: f"T2,900.0,{Q},5"})
    check = _check(small, d, short_orders="trim")
    assert not check.problems
    assert check.counts["ordered"] == 5  # 3 + 1 + 1 of the 5 asked
    assert any("1 order lines cut" in n and "cut to 1" in n for n in check.problems.notes)


def test_trucks_waiting_for_later_coils_are_noted(small, tmp_path):
    d = _folder(tmp_path, trucks={1: f"T1,50.0,{Q},3", 2: f"T1,50.0,{S},1"})
    check = _check(small, d)
    assert not check.problems
    assert any("1 trucks order coils the stock does not hold" in n for n in check.problems.notes)


def test_files_must_be_there_and_readable(small, tmp_path):
    d = _folder(tmp_path)
    (d / "trucks.csv").unlink()
    assert _check(small, d).problems.errors == [
        f"{d}: no trucks.csv or trucks.parquet (trucks are required)"
    ]
    (d / "trucks.parquet").write_text("not parquet")
    (d / "coils.parquet").write_text("")
    assert _check(small, d).problems.errors == [f"{d}: both coils.csv and coils.parquet: keep one"]
    (d / "coils.parquet").unlink()
    (err,) = _check(small, d).problems.errors
    assert err.startswith(f"{d / 'trucks.parquet'}: [demand] trucks: cannot read")


def test_parquet_with_typed_columns(small, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = _folder(tmp_path)
    (d / "trucks.csv").unlink()
    table = pa.table(
        {
            "truck_id": ["T1", "T1", "T2"],
            "arrive_at": pa.array([500.0, 500.0, 900.0]),
            "grade": [Q, S, S],
            "coils": pa.array([3, 1, 1], pa.int64()),
        }
    )
    pq.write_table(table, d / "trucks.parquet")
    check = _check(small, d)
    assert not check.problems and check.counts["ordered"] == 5
    # a timestamp column counts from [demand] start
    table = table.set_column(
        1, "arrive_at", pa.array([1717394400, 1717394400, 1717394700], pa.timestamp("s"))
    )
    pq.write_table(table, d / "trucks.parquet")
    check = _check(small, d, start="2024-06-03T05:55:00")
    assert not check.problems, check.problems.errors
    assert check.last_s == 1600.0 and check.first_s == 100.0


def test_the_demand_section(tmp_path, small_cfg_path):
    text = small_cfg_path.read_text()
    (tmp_path / "plant").mkdir()
    d = _folder(tmp_path)
    cfg = tmp_path / "plant" / "plant.toml"
    cfg.write_text(text + '\n[demand]\nsource = "recorded"\ndir = "../demand"\n')
    sc = load_config(cfg)
    assert Path(sc.demand.dir) == (tmp_path / "plant" / ".." / "demand").absolute()
    assert not check_demand(sc, build_layout(sc)).problems
    assert Path(sc.demand.dir).resolve() == d.resolve()
    for extra, message in [
        ('dir = "x"', 'demand: files given but source = "synthetic"'),
        ('source = "recorded"', 'demand: source = "recorded" needs dir, or coils and trucks'),
        ('source = "recorded"\ndir = "x"\nstart = "monday"', "demand.start: start = 'monday': expected an ISO 8601 date-time"),
        ('late_coils = "drop"', "demand.late_coils = 'drop'"),
    ]:  # fmt: skip
        cfg.write_text(text + "\n[demand]\n" + extra + "\n")
        with pytest.raises(ConfigError) as err:
            load_config(cfg)
        assert message in str(err.value) and str(cfg) in str(err.value)
