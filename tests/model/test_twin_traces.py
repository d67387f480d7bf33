"""The compiled scheduler and its pure-Python twin produce identical traces, record by record."""

from __future__ import annotations

import pytest

from cranesim.model.dispatch import make_scheduler
from cranesim.model.warehouse import Warehouse
from cranesim.scenario.load import load_config
from cranesim.sched.reference import Scheduler as PyScheduler

try:
    from cranesim._core.scheduler import Scheduler as CyScheduler
except ImportError as exc:  # pragma: no cover - CI always builds the core
    CyScheduler = None
    _why = str(exc)

needs_core = pytest.mark.skipif(CyScheduler is None, reason="compiled core not built")


def _trace(sc, seed, hours, sched_cls, policy=None):
    recs = []

    def factory(st, wh):  # the warehouse's policy, on this core
        return make_scheduler(wh.policy, st, wh, core=sched_cls)

    wh = Warehouse(sc, seed, sink=recs.append, policy=policy, scheduler=factory)
    wh.run_until(hours * 3600.0)
    return recs


def _same(a, b):
    assert len(a) == len(b)
    for i, (ra, rb) in enumerate(zip(a, b)):
        # NaN != NaN: compare reprs, which are exact for floats
        assert repr(ra) == repr(rb), f"record {i} differs:\n{ra}\n{rb}"


@needs_core
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "policy", ["joint", "rollout", "greedy", "plant_rules", "fcfs_nearest", "random_free"]
)
def test_small_identical(small_cfg_path, seed, policy):
    sc = load_config(small_cfg_path)
    _same(
        _trace(sc, seed, 6.0, CyScheduler, policy),
        _trace(sc, seed, 6.0, PyScheduler, policy),
    )


@needs_core
@pytest.mark.parametrize("seed", [1, 2])
def test_default_identical(default_cfg_path, seed):
    sc = load_config(default_cfg_path)
    _same(
        _trace(sc, seed, 1.5, CyScheduler),
        _trace(sc, seed, 1.5, PyScheduler),
    )
