"""The process-wide value cache makes a value once when several threads ask for it at the same time."""

from __future__ import annotations

import threading
import time

import pytest

from search.docsets import BitsetCache


def test_threads_asking_for_the_same_value_at_once_make_it_once() -> None:
    cache = BitsetCache(max_bytes=1 << 20)
    made: list[int] = []
    started = threading.Event()

    def make() -> str:
        made.append(1)
        started.set()
        time.sleep(0.3)  # a facet column being built
        return "value"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(("k",), make, lambda v: 8)))
               for _ in range(4)]
    threads[0].start()
    assert started.wait(5)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(10)
    assert results == ["value"] * 4 and len(made) == 1


def test_a_failed_make_lets_a_waiting_thread_make_it() -> None:
    cache = BitsetCache(max_bytes=1 << 20)
    started, release = threading.Event(), threading.Event()

    def failing() -> str:
        started.set()
        assert release.wait(5)
        raise RuntimeError("index went away")

    errors: list[Exception] = []

    def first() -> None:
        try:
            cache.get(("k",), failing, lambda v: 8)
        except RuntimeError as e:
            errors.append(e)

    t = threading.Thread(target=first)
    t.start()
    assert started.wait(5)
    got: list[str] = []
    waiter = threading.Thread(target=lambda: got.append(cache.get(("k",), lambda: "second", lambda v: 8)))
    waiter.start()
    time.sleep(0.1)
    assert not got  # it waits for the first maker
    release.set()
    t.join(5)
    waiter.join(5)
    assert len(errors) == 1 and got == ["second"]
    with pytest.raises(KeyError):
        cache.get(("other",), lambda: {}["missing"], lambda v: 8)
    assert cache.get(("other",), lambda: "made", lambda v: 8) == "made"  # a failure leaves nothing stuck
