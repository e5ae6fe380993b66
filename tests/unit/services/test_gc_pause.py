"""A run's calculation pauses the cycle collector and always gives it back, even when the
run fails; a caller that had paused it itself keeps it paused."""

from __future__ import annotations

import gc

import pytest

from payroll.services.common.gc_pause import cycle_collection_paused


@pytest.fixture(autouse=True)
def _restore() -> object:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_resumed_after() -> None:
    gc.enable()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumed_after_a_failing_run() -> None:
    gc.enable()
    with pytest.raises(ValueError), cycle_collection_paused():
        raise ValueError("run failed")
    assert gc.isenabled()


def test_a_caller_that_paused_it_keeps_it_paused() -> None:
    gc.disable()
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()
