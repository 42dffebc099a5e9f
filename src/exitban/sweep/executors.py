"""Where runs execute: in this process, in local worker processes, or on a Dask cluster.

Every executor maps a worker function (``run_task`` unless told otherwise) over tasks and
yields results as they finish, in any order; the results themselves do not depend on the
executor (seeds are fixed per task). Tasks may come from a generator: each executor draws
the next task only when it has room, so a caller can stop early (calibration does).
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, Protocol

from exitban.sweep.dask_probe import probe_scheduler
from exitban.sweep.worker import run_task

Result = tuple[dict[str, Any], bytes | None]
Worker = Callable[..., Result]  # (task, threads) -> (record, Parquet bytes or None); module-level, so it pickles
RESUME_HINT = "completed runs are stored: run the same command again to finish the missing ones"


class SweepInterrupted(RuntimeError):
    """Workers were lost beyond what the executor can recover from; the store keeps what finished."""


class Executor(Protocol):
    label: str

    def map_unordered(self, tasks: Iterable[Any], fn: Worker = run_task) -> Iterator[Result]: ...

    def close(self) -> None: ...


def _threads_per_worker(workers: int) -> int:
    """Numba threads for each worker so that workers do not oversubscribe the cores."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


class SerialExecutor:
    """Runs one after another in this process (no start-up cost; what ``--workers 1`` uses)."""

    label = "serial"

    def map_unordered(self, tasks: Iterable[Any], fn: Worker = run_task) -> Iterator[Result]:
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        pass


PARENT_CHECK_S = 0.5


def exit_with_parent(parent: int) -> None:
    """In a worker: end this process as soon as the sweep that started it is gone (even by ``kill -9``).

    Without this a worker goes on with the runs already queued to it for minutes, holding its memory.
    The check runs between the engine's days, so a worker ends within about a day's step.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class ProcessExecutor:
    """A pool of local worker processes (spawned, so no Numba thread pool is forked)."""

    def __init__(self, workers: int, threads: int | None = None) -> None:
        self.workers = workers
        self.threads = threads or _threads_per_worker(workers)
        self.label = f"{workers} local processes"
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),
            initializer=exit_with_parent,
            initargs=(os.getpid(),),
        )

    def map_unordered(self, tasks: Iterable[Any], fn: Worker = run_task) -> Iterator[Result]:
        threads = self.threads
        # Keep a bounded number in flight: memory stays flat for a sweep of 100k runs.
        queue = iter(tasks)
        pending = set()
        for task in queue:
            pending.add(self._pool.submit(fn, task, threads))
            if len(pending) >= 4 * self.workers:
                break
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(self._pool.submit(fn, nxt, threads))
        except BrokenProcessPool:
            raise SweepInterrupted(f"a worker process died (out of memory or killed); {RESUME_HINT}") from None
        finally:
            for fut in pending:  # a caller that stopped early: runs not yet started are dropped
                fut.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Dask distributed: ``local:N`` starts a LocalCluster of N processes; ``tcp://host:port`` joins one.

    A worker that dies mid-run costs nothing: the scheduler re-runs its tasks elsewhere,
    and since a run is a pure function of its task, the re-run gives the same bytes.
    """

    def __init__(self, address: str) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            from exitban.extras import install_hint

            raise ValueError(f"--dask needs the 'dask' extra: {install_hint('dask')}") from None
        self._cluster = None
        if address.startswith("local:"):
            n = _parse_workers(address)
            import dask

            # Hand every worker its next run ahead of time (no scheduler-side queue): runs last
            # ~0.1-10 s, so a round trip per run would leave workers idle between runs.
            with dask.config.set({"distributed.scheduler.worker-saturation": "inf"}):
                self._cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.workers = n
            self._client = Client(self._cluster)
        elif address.startswith(("tcp://", "tls://")):
            if address.startswith("tcp://"):
                probe_scheduler(address)  # within PROBE_TIMEOUT_S: Dask's client may hang on a server that is not Dask
            try:
                self._client = Client(address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise ValueError(f"--dask: cannot reach a Dask scheduler at {address}: {exc}") from None
            self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        else:
            raise ValueError(f"--dask must be 'local:N' or 'tcp://HOST:PORT', got '{address}'")
        self.label = f"Dask ({address}, {self.workers} workers)"

    @property
    def client(self) -> Any:
        return self._client

    def map_unordered(self, tasks: Iterable[Any], fn: Worker = run_task) -> Iterator[Result]:
        from dask.distributed import as_completed

        threads = 1 if self._cluster is not None else None
        batch = uuid.uuid4().hex[:8]  # keys unique per call: two sweeps on one cluster never share a key
        queue = iter(tasks)

        def submit(task: Any) -> Any:
            return self._client.submit(fn, task, threads, key=f"exitban-{batch}-{task.run_id}")

        # A bounded window of runs in flight, topped up as results arrive: the client and the
        # scheduler hold a few hundred tasks, not all of a 100k-run sweep.
        window = max(64, 8 * self.workers)
        pending = {submit(t) for t in itertools.islice(queue, window)}
        stream = as_completed(pending)
        try:
            for fut in stream:
                pending.discard(fut)
                result = fut.result()
                fut.release()
                yield result
                nxt = next(queue, None)
                if nxt is not None:
                    new = submit(nxt)
                    pending.add(new)
                    stream.add(new)
        except Exception as exc:  # e.g. KilledWorker: a run took down workers three times
            raise SweepInterrupted(f"Dask gave up on a run ({type(exc).__name__}: {exc}); {RESUME_HINT}") from None
        finally:
            self._client.cancel(list(pending))

    def close(self) -> None:
        quiet = logging.getLogger("distributed")  # the in-process scheduler logs its shutdown at INFO
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            self._client.close()
            if self._cluster is not None:
                self._cluster.close()
        finally:
            quiet.setLevel(level)


def _parse_workers(address: str) -> int:
    text = address.removeprefix("local:")
    if not text.isdigit() or not 1 <= int(text) <= 1024:
        raise ValueError(f"--dask local:N needs a worker count N from 1 to 1024, got '{address}'")
    return int(text)


def make_executor(workers: int | None = None, dask: str | None = None, n_tasks: int | None = None) -> Executor:
    """``dask`` wins; else ``workers`` processes (1 = serial in this process; default: the core count)."""
    if dask:
        return DaskExecutor(dask)
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n_tasks is not None:
        n = min(n, max(1, n_tasks))
    return SerialExecutor() if n <= 1 else ProcessExecutor(n)


def local_copies(executor: Executor) -> int:
    """How many runs this machine holds at once under ``executor``: its processes (Dask's run elsewhere)."""
    return executor.workers if isinstance(executor, ProcessExecutor) else 1
