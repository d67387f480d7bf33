"""Replications on a Dask cluster give exactly the serial results, in input order.

A two-process :class:`distributed.LocalCluster` on the loopback interface stands in for a
real cluster: the workers are separate processes that import cranesim and receive pickled
scenarios, as remote workers would.  Skipped when ``dask.distributed`` is not installed
(``pip install "cranesim[dask]"``; the ``test`` extra includes it).
"""

from __future__ import annotations

import json

import pytest

distributed = pytest.importorskip("distributed")

from cranesim.studies.replicate import replication_summary, run_replications  # noqa: E402

SEEDS = (5, 6, 7, 8)
HOURS = 2.0


@pytest.fixture(scope="module")
def serial(small):
    return run_replications(replication_summary, [(small, s, HOURS) for s in SEEDS], progress=False)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},  # loopback only
    ) as c:
        yield c


def test_cluster_equals_serial(small, serial, cluster):
    got = run_replications(
        replication_summary,
        [(small, s, HOURS) for s in SEEDS],
        dask_address=cluster.scheduler_address,
        progress=False,
    )
    assert [r["seed"] for r in got] == list(SEEDS)  # input order, not completion order
    assert json.dumps(got) == json.dumps(serial)
    assert len({r["lifts"] for r in got}) > 1  # the seeds differ, so the check has teeth


def test_ran_on_the_workers(small, cluster):
    """The replications really ran in the worker processes, not in this one."""
    import os

    pids = run_replications(os.getpid, [()] * 4, dask_address=cluster.scheduler_address,
                            progress=False)  # fmt: skip
    assert len(pids) == 4 and os.getpid() not in pids


def test_equal_arguments_are_not_deduplicated(cluster):
    """pure=False: two identical tasks are two replications."""
    import os

    got = run_replications(os.urandom, [(8,), (8,)], dask_address=cluster.scheduler_address,
                           progress=False)  # fmt: skip
    assert got[0] != got[1]


def test_failure_is_raised(small, cluster):
    with pytest.raises(KeyError):
        run_replications(
            replication_summary,
            [(small, 1, 0.5), (small, 2, 0.5, "no-such-policy")],
            dask_address=cluster.scheduler_address,
            progress=False,
        )


def test_local_shortcut_starts_its_own_cluster(small, serial):
    got = run_replications(
        replication_summary,
        [(small, s, HOURS) for s in SEEDS[:2]],
        workers=2,
        dask_address="local",
        progress=False,
    )
    assert json.dumps(got) == json.dumps(serial[:2])


def test_compare_on_dask_equals_serial(small_cfg_path, tmp_path, cluster):
    """`cranesim compare --dask ADDRESS` writes the same JSON as a serial compare."""
    from cranesim.cli.app import main

    a, b = tmp_path / "serial.json", tmp_path / "dask.json"
    common = [str(small_cfg_path), "--replications", "2", "--hours", "2", "--no-progress"]
    assert main(["compare", *common, "--json", str(a)]) == 0
    assert main(["compare", *common, "--json", str(b), "--dask", cluster.scheduler_address]) == 0
    ja, jb = json.loads(a.read_text()), json.loads(b.read_text())
    ja.pop("wall_s")
    jb.pop("wall_s")
    assert ja == jb
