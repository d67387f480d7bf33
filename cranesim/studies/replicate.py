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

import logging
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = [
    "run_replications",
    "replication_summary",
    "checked_replication",
    "check_dask",
    "WALL_CLOCK_KEYS",
]

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


def check_dask() -> None:
    """:class:`~cranesim.errors.UserError` (exit status 2) if ``dask.distributed`` cannot be
    imported: ``--dask`` is checked before any simulation."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        from cranesim.errors import UserError

        raise UserError(
            f"--dask needs dask.distributed, which cannot be imported ({exc}): install it with "
            "pip install 'cranesim[dask]', or leave --dask out (--workers N runs a local pool)"
        ) from None


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT blocked in this thread while the block runs (pending, not lost: it is handled
    when the block ends); processes started meanwhile inherit the mask."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def _workers_without_ctrl_c() -> Iterator[None]:
    """Local Dask workers that never see Ctrl-C.

    The terminal sends Ctrl-C to the whole process group; only this process should act on it
    (by closing the cluster), not every worker with a traceback of its own.  The workers are
    forked from a multiprocessing fork server started with SIGINT blocked, which they inherit
    (also the ones a nanny restarts later); this process keeps its Ctrl-C, which waits at most
    while the fork server starts.
    """
    import multiprocessing.forkserver
    import multiprocessing.resource_tracker

    import dask
    from distributed.utils import get_mp_context

    if sys.platform == "win32":  # pragma: no cover - no fork server, no process groups
        yield
        return
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context()  # distributed sets the fork server's preload on its first call
        # the resource tracker first: starting it unblocks SIGINT in the calling thread
        multiprocessing.resource_tracker.ensure_running()
        with _sigint_blocked():
            multiprocessing.forkserver.ensure_running()
        yield


def _run_dask(fn, tasks, results, workers, address, done) -> None:
    check_dask()
    from distributed import Client, as_completed

    if address == "local":
        with _workers_without_ctrl_c():
            _run_local_dask(fn, tasks, results, workers, done)
        return
    try:
        client = Client(address)
    except (OSError, TimeoutError) as exc:
        from cranesim.errors import UserError

        raise UserError(f"--dask {address}: cannot connect to a Dask scheduler ({exc})") from None
    _collect(client, fn, tasks, results, done, as_completed)


def _run_local_dask(fn, tasks, results, workers, done) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # no dashboard; the scheduler's health/metrics HTTP server, which would otherwise
        # listen on port 8787 of every interface, on a free loopback port
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        # the workers' own log lines (a cancelled task, a heartbeat lost while an interrupt
        # closes the cluster) are noise here: a task's error reaches this process through its
        # future, a lost worker as KilledWorker
        silence_logs=logging.CRITICAL,
    )
    try:
        _collect(Client(cluster), fn, tasks, results, done, as_completed)
    finally:
        cluster.close()


def _collect(client, fn, tasks, results, done, as_completed) -> None:
    """Submit every task to ``client``, collect the results in input order, close it."""
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
