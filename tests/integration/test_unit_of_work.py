"""The unit of work: ``with uow:`` commits on success, rolls back on error, joins when
nested: on both databases, and the in-memory fake behaves the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from payroll.db.engine import make_engine
from payroll.db.uow import SqlUnitOfWork, UnitOfWorkClosed
from payroll.services.admin import city_settings
from payroll.services.common import lookup
from tests.conftest import BACKENDS, new_database_url
from tests.support.fake_uow import FakeUnitOfWork


class Boom(Exception):
    pass


def _put(uow: SqlUnitOfWork | FakeUnitOfWork, value: str) -> None:
    with uow:
        city_settings.put(uow, city_settings.SELF_FINALIZE, value, "시청 담당자")


@pytest.fixture(params=[*BACKENDS, "fake"])
def any_uow(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[SqlUnitOfWork | FakeUnitOfWork]:
    if request.param == "fake":
        yield FakeUnitOfWork()
        return
    engine = make_engine(new_database_url(request.param, request, tmp_path))
    yield SqlUnitOfWork(engine)
    engine.dispose()


def test_a_block_that_ends_normally_is_committed(any_uow) -> None:
    _put(any_uow, "on")
    with any_uow:
        assert city_settings.self_finalize_allowed(any_uow)
        [entry] = any_uow.audit.entries("city_setting", city_settings.SELF_FINALIZE)
        assert (entry.actor, entry.action, entry.detail) == (
            "시청 담당자",
            "setting.changed",
            {"old": None, "new": "on"},
        )


def test_an_exception_rolls_back_every_write_of_the_block(any_uow) -> None:
    with pytest.raises(Boom), any_uow:
        city_settings.put(any_uow, city_settings.SELF_FINALIZE, "on", "시청 담당자")
        raise Boom
    with any_uow:
        assert not city_settings.self_finalize_allowed(any_uow)
        assert any_uow.audit.entries("city_setting", city_settings.SELF_FINALIZE) == []


def test_a_nested_block_joins_the_outer_one_which_decides(any_uow) -> None:
    with pytest.raises(Boom), any_uow:
        _put(any_uow, "on")  # its own `with uow:` ends normally, but only joins
        raise Boom
    with any_uow:
        assert not city_settings.self_finalize_allowed(any_uow)


def test_a_store_used_after_the_block_refuses(uow: SqlUnitOfWork) -> None:
    with uow:
        assert lookup.district_code(uow, "종로구") == "11110"
    with pytest.raises(UnitOfWorkClosed):
        uow.flush()


def test_a_serialized_block_must_be_the_outermost(uow: SqlUnitOfWork) -> None:
    with uow.serialized("roster"):
        assert lookup.program_code(uow, "동행일자리") == "dongheng"
    with uow, pytest.raises(RuntimeError, match="outermost"), uow.serialized():
        pass
