"""The trace file as a contract: columns, time order, stamping, names, metadata, replay.

The references are independent of the writer: the records as the model emitted them (caught by
a second sink, with the model time at which each was emitted), the scenario's layout, and the
KPI summary of the run itself.
"""

from __future__ import annotations

import json
import math
import re
import tomllib

import pyarrow.parquet as pq
import pytest
from conftest import REPO

from cranesim.model.runner import run
from cranesim.record.kpi import KpiAccumulator
from cranesim.record.trace import (
    COL,
    TRACE_SCHEMA,
    TraceMeta,
    TraceWriter,
    iter_records,
    read_meta,
    read_trace,
    schema_table,
    sidecar_path,
    trace_scenario,
)
from cranesim.scenario.layout import build_layout
from cranesim.scenario.load import parse_config

INSTANTS = {"coil_in", "truck_arrive", "truck_dock", "truck_depart", "sample"}


class Catch:
    """A sink that keeps each record with the model time it was emitted at."""

    def __init__(self):
        self.wh = None
        self.got = []

    def __call__(self, rec):
        self.got.append((rec, self.wh.env.now))


@pytest.fixture(scope="module")
def traced(small, tmp_path_factory):
    """A 12 h run of small.toml with a CSV and a Parquet trace and the emitted records."""
    d = tmp_path_factory.mktemp("trace")
    import cranesim.model.runner as runner

    catch = Catch()
    orig = runner.Warehouse

    def warehouse(*a, **kw):
        wh = orig(*a, **kw)
        catch.wh = wh
        return wh

    runner.Warehouse = warehouse
    try:
        res = run(small, hours=12, seed=5, trace_path=str(d / "t.csv"), sink=catch)
    finally:
        runner.Warehouse = orig
    run(small, hours=12, seed=5, trace_path=str(d / "t.parquet"))
    return res, catch.got, d / "t.csv", d / "t.parquet"


def test_every_row_is_stamped_at_its_own_time(traced):
    _, got, _, _ = traced
    kinds = set()
    for rec, emitted in got:
        kind, t, dur = rec[COL["kind"]], rec[COL["t_s"]], rec[COL["dur_s"]]
        kinds.add(kind)
        if kind in INSTANTS:
            assert dur == 0.0 and t == emitted, kind  # truck_dock at docking, ...
        elif kind == "mill_stop":
            assert t == emitted  # announced when it begins
        else:
            assert t + dur == pytest.approx(emitted, abs=1e-9), kind  # emitted when it ends
    assert {"truck_dock", "truck_depart", "wait", "pick", "place"} <= kinds


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_file_holds_every_record_in_time_order(traced, fmt):
    _, got, csv_path, pq_path = traced
    recs = list(iter_records(csv_path if fmt == "csv" else pq_path))
    emitted = [r for r, _ in got]
    assert len(recs) == len(emitted)
    # time order, ties in the order the model emitted them: a stable sort of the emission
    order = sorted(range(len(emitted)), key=lambda i: emitted[i][0])
    for i, r in zip(order, recs):
        assert _same(r, emitted[i])
    ts = [r[0] for r in recs]
    assert all(a <= b for a, b in zip(ts, ts[1:]))
    # the emission order was not time order (the writer did reorder)
    assert any(a[0] > b[0] for a, b in zip(emitted, emitted[1:]))


def _same(a, b) -> bool:
    return all(x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
               for x, y in zip(a, b))  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_kpis_from_the_file_are_the_runs(traced, small, fmt):
    res, _, csv_path, pq_path = traced
    acc = KpiAccumulator(len(small.cranes), [c.name for c in small.cranes]).consume_all(
        iter_records(csv_path if fmt == "csv" else pq_path)
    )
    again = acc.summary(12 * 3600.0)
    for key, value in again.items():
        if key in ("inventory_max", "inventory_min"):  # the run adds its end state to these
            continue
        assert value == res.summary[key], key


def test_columns_names_and_nulls(traced, small):
    _, _, csv_path, pq_path = traced
    rows = list(read_trace(pq_path))
    assert rows == list(read_trace(csv_path))
    lay = build_layout(small)
    names = {c.name for c in small.cranes}
    places = set(zip(lay.loc_kind, lay.loc_name))
    arrived, docked, left = {}, {}, {}
    for r in rows:
        k = r["kind"]
        assert (r["crane"] is not None) == (k in ("move_empty", "pick", "move_loaded", "place",
                                                  "yield", "wait", "break", "lift_open",
                                                  "wait_open", "yield_open"))  # fmt: skip
        if r["crane"] is not None:
            assert r["crane"] in names and r["x0_m"] is not None
        else:
            assert r["x0_m"] is None and r["bridge_m"] is None
        for side in ("from", "to"):
            if r[f"{side}_kind"] is not None:
                assert (r[f"{side}_kind"], r[f"{side}_name"]) in places
        if k == "pick":
            assert re.fullmatch(r"(S\d+|B\d+-R\d+-[LU]\d+)", r["from_name"])
        if k == "truck_arrive":
            arrived[r["truck"]] = r["t_s"]
        elif k == "truck_dock":
            docked[r["truck"]] = r["t_s"]
            assert r["to_kind"] == "bay" and r["order_coils"] > 0
        elif k == "truck_depart":
            left[r["truck"]] = r["t_s"]
            assert r["from_kind"] == "bay"
        assert (r["inventory"] is not None) == (k == "sample")
        assert (r["station_fill"] is not None) == (k == "coil_in")
        assert (r["order_coils"] is not None) == k.startswith("truck_")
        if r["lift_kind"] == "retrieve":
            assert r["truck"] in docked  # a retrieve serves a docked truck
    assert left and all(arrived[t] <= docked[t] <= left[t] for t in left)


def test_schema_is_in_the_files(traced):
    _, _, csv_path, pq_path = traced
    schema = pq.read_schema(pq_path)
    assert schema.names == [f.name for f in TRACE_SCHEMA]
    for f in TRACE_SCHEMA:
        md = schema.field(f.name).metadata
        assert md[b"description"].decode() == f.description and md[b"unit"].decode() == f.unit
    side = json.loads(sidecar_path(csv_path).read_text())
    assert [c["name"] for c in side["tableSchema"]["columns"]] == schema.names
    assert csv_path.read_text().splitlines()[0].split(",") == schema.names


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_metadata_replays_the_run(traced, small, fmt):
    _, _, csv_path, pq_path = traced
    path = csv_path if fmt == "csv" else pq_path
    meta = read_meta(path)
    assert meta["seed"] == 5 and meta["hours"] == 12 and meta["core"] in ("compiled", "pure-python")
    assert meta["cranes"] == [c.name for c in small.cranes]
    sc, _ = trace_scenario(path)
    assert sc.model_dump() == small.model_dump()
    assert parse_config(tomllib.loads(meta["scenario_toml"])).model_dump() == small.model_dump()
    # the same run from the metadata alone gives the same file, byte for byte
    again = path.with_name("again" + path.suffix)
    run(sc, hours=meta["hours"], seed=meta["seed"], trace_path=str(again))
    assert again.read_bytes() == path.read_bytes()


def test_overrides_are_in_the_metadata(small, tmp_path):
    sc = small.derive({"mill.rate_t_h": 50.0})
    p = tmp_path / "o.parquet"
    run(sc, hours=1, seed=1, trace_path=str(p))
    back, meta = trace_scenario(p)
    assert meta["scenario_overrides"] == ["mill.rate_t_h = 50.0"]
    assert back.mill.rate_t_h == 50.0 and back.model_dump() == sc.model_dump()


def test_memory_stays_flat(small, tmp_path, monkeypatch):
    """Records held for reordering never exceed about two hours of records, whatever the
    length of the run (those released wait for a batch, of a fixed size, to be written)."""
    held = []
    orig = TraceWriter.release

    def release(self, w):
        orig(self, w)
        held.append(len(self._held))
        assert len(self._out) < self.batch

    monkeypatch.setattr(TraceWriter, "release", release)
    p = tmp_path / "long.csv"
    run(small, hours=96, seed=2, trace_path=str(p), crew="plain")
    rows = sum(1 for _ in open(p)) - 1
    per_hour = rows / 96
    assert len(held) >= 96 and max(held) < 2 * per_hour + 50


def test_a_record_behind_the_watermark_is_refused(tmp_path):
    meta = TraceMeta(("C1",), (), ())
    w = TraceWriter(tmp_path / "x.csv", meta)
    rec = (5.0, 0.0, -1, "sample") + (-1, "", -1, "", -1, -1) + (math.nan,) * 4
    rec += (0.0,) * 6 + (0, 0, 0, 0.0, math.nan, -1, -1, math.nan, 3)
    w.write(rec)
    w.release(10.0)
    with pytest.raises(RuntimeError, match="watermark"):
        w.write((9.0,) + rec[1:])
    w.abort()
    assert not (tmp_path / "x.csv").exists()


def test_readme_documents_the_schema():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert schema_table() in readme, "README's trace table differs: paste schema_table()"
    for f in TRACE_SCHEMA:
        assert f"`{f.name}`" in readme
