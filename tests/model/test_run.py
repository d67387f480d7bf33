"""``cranesim.model.run`` from Python is ``cranesim run``; the events it reports are exact.

The CLI runs in a subprocess (its own interpreter), so the equality is between two independent
runs of the same scenario and seed.
"""

from __future__ import annotations

import json

import pytest
import simpy

from cranesim.model import Warehouse, run
from cranesim.model.clock import advance
from cranesim.model.crew import CREWS
from cranesim.scenario.load import load_config
from cranesim.studies.replicate import WALL_CLOCK_KEYS


def _model_keys(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k not in WALL_CLOCK_KEYS}


@pytest.mark.parametrize(("crew", "flags"), [("automated", []), ("plain", ["--no-energy"])])
def test_run_from_python_equals_cranesim_run(run_cli, default_cfg_path, tmp_path, crew, flags):
    out = tmp_path / "s.json"
    proc = run_cli("run", default_cfg_path, "--hours", "24", "--seed", "1", "--json", out, *flags)
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(out.read_text())
    kw = {} if crew == "automated" else {"crew": crew}  # automated: the default
    py = run(load_config(default_cfg_path), hours=24, seed=1, **kw).summary
    assert _model_keys(json.loads(json.dumps(py))) == _model_keys(cli)
    assert (cli["energy_kwh"] is None) == (crew == "plain") and cli["lifts"] > 100


def test_unknown_crew_is_refused(small):
    with pytest.raises(ValueError, match="crew must be one of 'automated', 'plain', not 'manual'"):
        run(small, hours=1, crew="manual")
    assert CREWS == ("automated", "plain")


def test_events_are_counted_exactly_and_the_run_is_simpys(small):
    """The model's own event loop against SimPy's ``run(until)`` on a twin warehouse, whose
    steps are counted by wrapping ``step``: the same records, the same clock, and one step
    fewer (SimPy's stop event, which the model does not count)."""
    hours = 6.0
    a, b = [], []
    wa = Warehouse(small, 4, sink=a.append)
    wa.run_until(hours * 3600.0)
    wb = Warehouse(small, 4, sink=b.append)
    steps = 0
    step = wb.env.step

    def counted() -> None:
        nonlocal steps
        steps += 1
        step()

    wb.env.step = counted  # SimPy's run calls self.step() for every event
    wb.env.run(until=hours * 3600.0)
    assert repr(a) == repr(b)  # NaN fields compare equal as text
    assert wa.env.now == wb.env.now == hours * 3600.0
    assert wa.events == steps - 1 > 1000
    # in hourly steps (a progress bar): the same events, the same count
    c, hours_done = [], []
    wc = Warehouse(small, 4, sink=c.append)
    wc.run_until(hours * 3600.0, progress=hours_done.append)
    assert repr(c) == repr(a) and wc.events == wa.events
    assert hours_done == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def test_advance_stops_where_simpy_run_stops():
    """An event at exactly the stop time is left for later, as ``env.run(until=t)`` leaves it;
    the clock stands at ``t``."""

    def model(env, log):
        def proc(name, delays):
            for d in delays:
                yield env.timeout(d)
                log.append((env.now, name))

        env.process(proc("a", [1.0, 1.0, 1.0]))  # at 1, 2, 3
        env.process(proc("b", [2.0, 0.5]))  # at 2, 2.5

    ours, simpys = [], []
    e1, e2 = simpy.Environment(), simpy.Environment()
    model(e1, ours)
    model(e2, simpys)
    n = advance(e1, 2.0)
    e2.run(until=2.0)
    assert ours == simpys == [(1.0, "a")] and e1.now == e2.now == 2.0
    assert n == 3  # two process starts and the timeout at 1
    assert advance(e1, 10.0) == 6  # 2 (a), 2 (b), 2.5 (b), 3 (a), and the ends of b and a
    e2.run(until=10.0)
    assert ours == simpys
    with pytest.raises(ValueError, match="must be greater"):
        advance(e1, 10.0)
