"""Work spread over processes, results in input order: the same results as a serial run, only sooner."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

# Set in each worker process by the pool's initializer (inherited, not pickled, where processes fork).
_function: Callable[[Any, Any], Any] | None = None
_state: Any = None
_abandon: Callable[[Any], None] | None = None


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _initialize(function: Callable[[Any, Any], Any], state: Any, abandon: Callable[[Any], None] | None) -> None:
    global _function, _state, _abandon
    _function, _state, _abandon = function, state, abandon


def _run_chunk(items: Sequence[Any]) -> list[Any]:
    assert _function is not None
    results: list[Any] = []
    try:
        for item in items:
            results.append(_function(_state, item))
    except BaseException:
        if _abandon is not None:
            for result in results:
                _abandon(result)
        raise
    return results


def _context() -> Any:
    import multiprocessing

    # fork shares the (possibly large) state with the workers without pickling it
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def ordered_map(
    function: Callable[[S, T], R],
    state: S,
    items: Sequence[T],
    jobs: int,
    *,
    abandon: Callable[[R], None] | None = None,
) -> Generator[R, None, None]:
    """``function(state, item)`` for each item, yielded in the items' order, over ``jobs`` processes.

    When the consumer stops early or an item fails (the exception is raised here, in order), ``abandon`` is
    called on every result computed but not yet yielded, so side effects (staged files) can be undone.
    """
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield function(state, item)
        return
    from concurrent.futures import ProcessPoolExecutor  # only for a run with work for several processes

    size = max(1, min(32, len(items) // (jobs * 8)))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        mp_context=_context(),
        initializer=_initialize,
        initargs=(function, state, abandon),
    ) as pool:
        # A future keeps its result: each is dropped once consumed, so results do not pile up over the run.
        pending: deque[Future[list[R]]] = deque(pool.submit(_run_chunk, chunk) for chunk in chunks)
        try:
            while pending:
                results = pending.popleft().result()
                for index, result in enumerate(results):
                    try:
                        yield result
                    except BaseException:
                        if abandon:
                            for later in results[index + 1 :]:
                                abandon(later)
                        raise
        except BaseException:
            _abandon_rest(pending, abandon)
            raise


def _abandon_rest(futures: Iterable[Future[list[R]]], abandon: Callable[[R], None] | None) -> None:
    for future in futures:
        future.cancel()
    if abandon is None:
        return
    for future in futures:
        if future.cancelled():
            continue
        try:
            results = future.result()
        except BaseException:  # a failed chunk undid its own work
            continue
        for result in results:
            abandon(result)
