"""Replications in parallel: a local process pool or a Dask cluster, with the serial results.

A replication is a pure function of its arguments (a scenario, a seed, the model hours): every
random stream is spawned from the seed (see :class:`cranesim.model.Warehouse`), so where it runs
cannot change its numbers.  :func:`run_replications` therefore returns exactly what the serial
loop returns, in input order, whether it runs serially, on a local
:class:`~concurrent.futures.ProcessPoolExecutor`, or on a Dask ``distributed`` cluster.

>>> from cranesim.studies.replicate import run_replications
>>> run_replications(pow, [(2, 3), (3, 2)], progress=False)
[8, 9]

Dask is optional (``pip install "cranesim[dask]"``).  ``dask_address`` is a scheduler address
(``tcp://host:8786``) or ``"local"``, which starts a :class:`distributed.LocalCluster` of
``workers`` processes bound to the loopback interface (no dashboard) for the duration of the
call.  The function and its arguments must be importable and picklable on the workers: pass a
module-level function such as :func:`replication_summary`, not a lambda.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

__all__ = ["run_replications", "replication_summary", "checked_replication", "WALL_CLOCK_KEYS"]

T = TypeVar("T")

#: Summary keys that measure the machine, not the model: left out of replication results.
WALL_CLOCK_KEYS = ("wall_s", "sim_hours_per_wall_s")


def replication_summary(
    sc: Any, seed: int, hours: float, policy: str | None = None
) -> dict[str, Any]:
    """One replication: :func:`cranesim.model.run` without a trace; the KPI summary without
    its wall-clock figures, so equal seeds give equal dicts wherever they run."""
    from cranesim.model.runner import run

    s = run(sc, hours=hours, seed=seed, policy=policy).summary
    return {k: v for k, v in s.items() if k not in WALL_CLOCK_KEYS}


def checked_replication(sc: Any, seed: int, hours: float) -> dict[str, Any]:
    """One replication with every invariant check and the watchdog on; a model error is
    returned (``"error"``: its first line, ``"dump"``: the whole state dump), not raised, so a
    soak test reports every seed.  Wall-clock figures are kept: a soak measures them too."""
    from cranesim.errors import ModelError
    from cranesim.model.runner import run

    wd = sc.invariants.watchdog_h
    sc = sc.derive({"invariants.check": True, "invariants.watchdog_h": wd if wd > 0 else 4.0})
    try:
        s = dict(run(sc, hours=hours, seed=seed).summary)
    except ModelError as exc:
        text = str(exc)
        return {"seed": seed, "sim_hours": hours, "error": text.splitlines()[0], "dump": text}
    s["error"] = None
    return s


def _progress_bar(total: float, show: bool, desc: str, weighted: bool) -> Any:
    if not (show and sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    fmt = "{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]" if weighted else None
    return tqdm(total=total, unit="rep", desc=desc, file=sys.stderr, dynamic_ncols=True,
                smoothing=0.0, bar_format=fmt)  # fmt: skip


def run_replications(
    fn: Callable[..., T],
    args_list: Iterable[Sequence[Any]],
    workers: int = 1,
    dask_address: str | None = None,
    progress: bool = True,
    desc: str = "replications",
    on_done: Callable[[int], None] | None = None,
    weights: Sequence[float] | None = None,
) -> list[T]:
    """Call ``fn(*args)`` for every ``args`` in ``args_list``; return the results in input order.

    Parameters
    ----------
    fn
        A module-level (picklable) function.
    args_list
        One tuple of positional arguments per replication.
    workers
        Local processes (``1``: serial, in this process).  With ``dask_address="local"``, the
        number of worker processes of the local cluster (at least 1).
    dask_address
        ``None`` (local), ``"local"`` (start a loopback :class:`distributed.LocalCluster`), or
        the address of a running Dask scheduler.
    progress
        Show a tqdm bar over completed replications when stderr is a terminal.
    desc
        The bar's label.
    on_done
        Called in this process with the input index of each replication as it completes
        (completion order), e.g. to drive a caller's own progress display.
    weights
        The expected cost of each replication (e.g. its model hours): the bar counts them, so
        its time left holds when replications differ in cost.  Default: 1 each.

    Raises
    ------
    Exception
        The first replication that fails (in completion order) stops the run; its exception
        is raised here and the replications not yet started are cancelled.
    ImportError
        ``dask_address`` is given and ``dask.distributed`` is not installed.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    tasks = [tuple(a) for a in args_list]
    results: list[Any] = [None] * len(tasks)
    w = [1.0] * len(tasks) if weights is None else [float(x) for x in weights]
    if len(w) != len(tasks):
        raise ValueError(f"{len(w)} weights for {len(tasks)} replications")
    bar = _progress_bar(sum(w), progress, desc, weights is not None)
    n_done = [0]

    def done(i: int) -> None:
        n_done[0] += 1
        if bar is not None:
            if weights is not None:
                bar.set_postfix_str(f"{n_done[0]}/{len(tasks)}", refresh=False)
            bar.update(w[i])
        if on_done is not None:
            on_done(i)

    try:
        if dask_address is not None:
            _run_dask(fn, tasks, results, workers, dask_address, done)
        elif workers == 1 or len(tasks) <= 1:
            for i, a in enumerate(tasks):
                results[i] = fn(*a)
                done(i)
        else:
            _run_pool(fn, tasks, results, workers, done)
    finally:
        if bar is not None:
            bar.close()
    return results


def _run_pool(fn, tasks, results, workers, done) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as ex:
        index = {ex.submit(fn, *a): i for i, a in enumerate(tasks)}
        try:
            for fut in as_completed(index):
                results[index[fut]] = fut.result()
                done(index[fut])
        except BaseException:
            for fut in index:
                fut.cancel()
            raise


def _run_dask(fn, tasks, results, workers, address, done) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"--dask needs dask.distributed ({exc}); install it with pip install 'cranesim[dask]'"
        ) from exc
    cluster = None
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # no dashboard; the scheduler's health/metrics HTTP server, which would otherwise
            # listen on port 8787 of every interface, on a free loopback port
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        )
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        # pure=False: equal arguments are still separate replications (never deduplicated)
        futs = [client.submit(fn, *a, pure=False) for a in tasks]
        index = {f.key: i for i, f in enumerate(futs)}
        try:
            for fut in as_completed(futs):
                results[index[fut.key]] = fut.result()
                done(index[fut.key])
        except BaseException:
            client.cancel(futs)
            raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
