"""Running a batch: cache check, parallel execution (process pool or dask), progress bars, manifest.

Runs execute behind a :class:`concurrent.futures.Executor`: in this process when one job is
asked for (or only one run is due), a :class:`~concurrent.futures.ProcessPoolExecutor` locally
(papermill changes the working directory, so runs need processes, not threads; see
:func:`_pool_context`), or ``dask.distributed.Client(scheduler).get_executor()``. Runs marked
``last`` (the cross-site summary) start after every other run has finished, so they read the
others' key results.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterator

from tqdm.auto import tqdm

from ..errors import InputError
from ..municipalities import municipality_name
from .execution import RETRIES, RunResult, execute, export_html, now, warm_up
from .manifest import MANIFEST_NAME, RunKeys, RunManifest
from .planning import ALL, Run

__all__ = ["run_batch", "failure_table", "EXECUTORS"]

EXECUTORS = ("local", "dask")

_worker_progress = None  # a worker process's progress queue, set by _init_worker


class _Bar(tqdm):
    monitor_interval = 0  # no monitor thread: the pool may fork this process (see _pool_context)


def _pool_context():
    """The start method of the local pool's workers.

    On Linux, when this process has no other thread: ``fork``, after importing the Jupyter stack
    here, so every worker starts warm — a spawned worker first spends about 2 s of CPU importing
    the package, papermill and nbconvert, which on a small machine is a tenth of a short batch.
    Forking is safe then: no thread holds a lock, and no kernel or ZMQ context exists yet (kernels
    are only started in the workers). Elsewhere, or with threads running (an embedding
    application, a progress thread), ``spawn``: fresh interpreters, as on macOS and Windows.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        warm_up()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _init_worker(queue) -> None:
    global _worker_progress
    _worker_progress = queue


def _execute_in_worker(run: Run, with_code: bool, retries: int) -> RunResult:
    return execute(run, with_code=with_code, progress=_worker_progress, retries=retries)


class _Progress:
    """An overall bar (runs, with counts per status) and one bar per executing run (cells)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled
        self.lock = threading.Lock()
        self.overall = _Bar(total=total, desc="runs", unit="run", disable=not enabled, dynamic_ncols=True)
        self.bars: dict[str, tqdm] = {}
        self.finished: set[str] = set()
        self.counts: Counter = Counter()

    def event(self, event) -> None:
        """Handle ``(run id, kind, value)`` from :func:`execute` (possibly from another process)."""
        run_id, kind, value = event
        with self.lock:
            if run_id in self.finished:
                return
            bar = self.bars.get(run_id)
            if kind == "start":
                if bar is not None:
                    bar.close()
                self.bars[run_id] = _Bar(total=value, desc=run_id, unit="cell", leave=False, dynamic_ncols=True)
            elif kind == "cell" and bar is not None:
                bar.update(1)
            elif kind == "retry" and bar is not None:
                bar.set_postfix_str(f"kernel died, attempt {value + 1}")

    def done(self, result: RunResult) -> None:
        with self.lock:
            self.finished.add(result.run.id)
            bar = self.bars.pop(result.run.id, None)
            if bar is not None:
                bar.close()
            self.counts[result.status] += 1
            self.overall.set_postfix(dict(self.counts), refresh=False)
            self.overall.update(1)

    def close(self) -> None:
        with self.lock:
            for bar in self.bars.values():
                bar.close()
            self.bars.clear()
            self.overall.close()


class _DaskReporter:
    """Sends a worker's progress events to a named ``distributed.Queue``. Only the name travels
    with the task: the scheduler unpickles task arguments, and a Queue object would connect there."""

    def __init__(self, name: str) -> None:
        self.name, self._queue = name, None

    def __getstate__(self) -> dict:
        return {"name": self.name}

    def __setstate__(self, state: dict) -> None:
        self.name, self._queue = state["name"], None

    def put(self, event) -> None:
        if self._queue is None:
            from distributed import Queue, get_client

            self._queue = Queue(self.name, client=get_client())
        self._queue.put(list(event))


def _take_local(queue) -> list:
    """Events from a multiprocessing queue: one, waiting at most 0.2 s."""
    try:
        return [queue.get(timeout=0.2)]
    except Exception:  # noqa: BLE001 - queue.Empty
        return []


def _take_dask(queue) -> list:
    """Every event waiting in a ``distributed.Queue`` (without the scheduler-side timeout, which logs
    an error each time it expires), then a pause."""
    events = queue.get(batch=True)
    if not events:
        time.sleep(0.2)
    return events


class _Pump(threading.Thread):
    """Moves progress events from a queue (filled by workers) to the bars."""

    def __init__(self, take: Callable[[], list], handle: Callable) -> None:
        super().__init__(daemon=True, name="fouress-eval-progress")
        self.take, self.handle, self.stopping = take, handle, threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                events = self.take()
            except Exception:  # noqa: BLE001 - the queue is closing
                time.sleep(0.2)
                continue
            for event in events:
                try:
                    self.handle(tuple(event))
                except Exception:  # noqa: BLE001 - a display problem never stops the batch
                    pass

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=2)


def _dask_client(scheduler: str | None, jobs: int):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--executor dask needs dask.distributed, which is not installed",
                         expected="pip install 'fouress_eval[dask]'") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="15s"), None
        except (OSError, TimeoutError, ValueError) as error:
            raise InputError(f"cannot reach the dask scheduler ({error})", value=scheduler,
                             expected="an address such as tcp://host:8786") from None
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


class _Pool:
    """Where runs execute; started on first need so a fully cached batch starts nothing."""

    def __init__(self, executor: str, jobs: int, scheduler: str | None, progress: _Progress,
                 with_code: bool, retries: int) -> None:
        self.kind, self.jobs, self.scheduler = executor, max(1, int(jobs)), scheduler
        self.progress, self.with_code, self.retries = progress, with_code, retries
        self.executor = self.client = self.cluster = self.queue = self.pump = self.reporter = None

    def _start(self, workers: int) -> None:
        if self.kind == "local":
            context = _pool_context()
            self.queue = context.Queue() if self.progress.enabled else None
            self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                initializer=_init_worker, initargs=(self.queue,))
        else:
            self.client, self.cluster = _dask_client(self.scheduler, self.jobs)
            self.executor = self.client.get_executor(pure=False)
            if self.progress.enabled:
                try:
                    from distributed import Queue

                    self.queue = Queue(client=self.client)
                    self.reporter = _DaskReporter(self.queue.name)
                except Exception:  # noqa: BLE001 - no per-run bars then
                    self.queue = None

    def _start_pump(self) -> None:
        """Move progress events to the bars; started once the workers exist (a thread must not be
        running when the pool forks them)."""
        if self.queue is not None and self.pump is None:
            queue, take = self.queue, _take_local if self.kind == "local" else _take_dask
            self.pump = _Pump(lambda: take(queue), self.progress.event)
            self.pump.start()

    def run(self, runs: list[Run]) -> Iterator[RunResult]:
        """Execute ``runs``, yielding each result as it finishes."""
        if not runs:
            return
        if self.kind == "local" and self.executor is None and min(self.jobs, len(runs)) <= 1:
            for run in runs:  # in this process, one after another
                yield execute(run, with_code=self.with_code, retries=self.retries,
                              progress=self.progress.event if self.progress.enabled else False)
            return
        if self.executor is None:
            self._start(min(self.jobs, len(runs)))
        if self.kind == "local":
            futures = {self.executor.submit(_execute_in_worker, run, self.with_code, self.retries): run
                       for run in runs}
        else:
            futures = {self.executor.submit(execute, run, with_code=self.with_code, progress=self.reporter,
                                            retries=self.retries): run for run in runs}
        self._start_pump()  # a fork-context pool has forked its workers at the first submit
        try:
            for future in as_completed(futures):
                run = futures[future]
                try:
                    result = future.result()
                except Exception as error:  # noqa: BLE001 - the worker process itself was lost
                    result = RunResult(run, "failed", 0.0, error=f"{type(error).__name__}: {error} "
                                       "(the worker running this notebook was lost)", started=now(), finished=now())
                yield result
        finally:
            for future in futures:
                future.cancel()

    def close(self, *, cancel: bool = False) -> None:
        if self.pump is not None:
            self.pump.stop()
        if self.executor is not None:
            if self.kind == "local":
                self.executor.shutdown(wait=not cancel, cancel_futures=True)
            else:
                self.executor.shutdown(wait=not cancel)
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _cached(run: Run, record: dict, with_code: bool) -> RunResult:
    started, clock = now(), time.perf_counter()
    if bool(record.get("with_code")) != with_code:  # same execution, other rendering: redo the HTML only
        export_html(run.output, run.html, with_code=with_code)
    return RunResult(run, "cached", time.perf_counter() - clock, html=run.html, started=started, finished=now())


def run_batch(runs: list[Run], *, jobs: int = 1, executor: str = "local", scheduler: str | None = None,
              force: bool = False, with_code: bool = False, progress: bool = True, retries: int = RETRIES,
              out_dir: Path | None = None, on_result: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Execute ``runs`` (from :func:`plan`), continuing past failures; one result per run, in order.

    ``jobs``: parallel runs (1: in this process); ``executor``: ``"local"`` (process pool) or
    ``"dask"`` (``scheduler`` address, or a local dask cluster of ``jobs`` workers when none).
    A run whose key matches its last successful run in ``<out_dir>/runs.json`` is not executed
    (status ``cached``) unless ``force``. The manifest is rewritten after every finished run.
    ``on_result`` is called in this process with each result as it arrives.
    """
    if executor not in EXECUTORS:
        raise InputError("unknown executor", value=executor, expected=" or ".join(EXECUTORS))
    if not runs:
        return []
    ids = [run.id for run in runs]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError("two runs of the batch write the same output: " + ", ".join(twice))
    root = Path(out_dir) if out_dir is not None else runs[0].root
    manifest, keys = RunManifest.load(root / MANIFEST_NAME), RunKeys()
    bars = _Progress(len(runs), progress)
    pool = _Pool(executor, jobs, scheduler, bars, with_code, retries)
    results: dict[str, RunResult] = {}
    due: dict[str, tuple[str, dict]] = {}

    def finish(result: RunResult) -> None:
        result.key, parts = due[result.run.id]
        manifest.record(result, parts, with_code=with_code)
        manifest.save()
        results[result.run.id] = result
        bars.done(result)
        if on_result is not None:
            on_result(result)

    interrupted = True
    try:
        for stage in ([r for r in runs if not r.last], [r for r in runs if r.last]):
            pending = []
            for run in stage:
                due[run.id] = keys.key(run)
                record = None if force else manifest.cached(run, due[run.id][0])
                try:
                    cached = _cached(run, record, with_code) if record is not None else None
                except Exception:  # noqa: BLE001 - its HTML cannot be redone: execute it again
                    cached = None
                if cached is None:
                    pending.append(run)
                else:
                    finish(cached)
            for result in pool.run(pending):
                finish(result)
        interrupted = False
    finally:
        pool.close(cancel=interrupted)
        bars.close()
    return [results[run.id] for run in runs]


def failure_table(results: list[RunResult]) -> str:
    """The failed runs as a text table: municipality, executed notebook, cell, first error line."""
    rows = [("municipality", "notebook", "cell", "error")]
    for result in results:
        if result.status != "failed":
            continue
        code = result.run.municipality_code
        where = "all" if code == ALL else f"{code} {municipality_name(code)}"
        if result.exec_count is not None:
            cell = f"In [{result.exec_count}]"
        elif result.cell is not None:
            cell = f"cell {result.cell}"
        else:
            cell = "-"
        rows.append((where, str(result.run.output), cell, result.error_line))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join("  " + "  ".join(value.ljust(width) for value, width in zip(row[:3], widths)) + "  " + row[3]
                     for row in rows)
