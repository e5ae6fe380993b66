"""Schedule files: they load, resolve, fire at the right KST times, and mistakes are named."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from payroll.config.resources import asset_dir
from payroll.scheduler.definitions import (
    SEOUL,
    JobDefinition,
    ScheduleError,
    load_definitions,
)
from payroll.scheduler.service import next_fire_times

SHIPPED = asset_dir("schedules")


@pytest.fixture(scope="module")
def shipped() -> dict[str, JobDefinition]:
    return {d.id: d for d in load_definitions(SHIPPED)}


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def test_shipped_schedules_load_and_every_func_is_callable(
    shipped: dict[str, JobDefinition],
) -> None:
    assert {
        "calculate-previous-month",
        "render-finalized-payslips",
        "write-previous-month-ledgers",
        "close-ended-terms",
        "integrity-check",
    } <= set(shipped)
    for job in shipped.values():
        assert callable(job.resolve()), job.id
        assert job.description, f"{job.id} has no description"
        assert job.misfire_grace_time > 0


@pytest.mark.parametrize(
    ("job_id", "now", "expected"),
    [
        # the calculation fires on the 1st at 02:00 KST, across month and year ends
        ("calculate-previous-month", kst(2025, 1, 31, 23, 59), kst(2025, 2, 1, 2, 0)),
        ("calculate-previous-month", kst(2025, 12, 15, 12, 0), kst(2026, 1, 1, 2, 0)),
        ("calculate-previous-month", kst(2025, 3, 1, 2, 0, 1), kst(2025, 4, 1, 2, 0)),
        # 2025-01-31 16:30 UTC is already 2025-02-01 01:30 in Seoul
        (
            "calculate-previous-month",
            datetime(2025, 1, 31, 16, 30, tzinfo=UTC),
            kst(2025, 2, 1, 2, 0),
        ),
        # the ledgers on the 5th at 06:00, February of a leap year included
        ("write-previous-month-ledgers", kst(2024, 2, 5, 6, 0, 1), kst(2024, 3, 5, 6, 0)),
        # daily at 01:00: 2028 is a leap year, 2027 is not
        ("close-ended-terms", kst(2028, 2, 28, 1, 0, 1), kst(2028, 2, 29, 1, 0)),
        ("close-ended-terms", kst(2028, 2, 29, 1, 0, 1), kst(2028, 3, 1, 1, 0)),
        ("close-ended-terms", kst(2027, 2, 28, 1, 0, 1), kst(2027, 3, 1, 1, 0)),
        ("integrity-check", kst(2024, 2, 28, 23, 0), kst(2024, 2, 29, 4, 30)),
        # every 30 minutes, over midnight at the end of a month
        ("render-finalized-payslips", kst(2025, 1, 31, 23, 45), kst(2025, 2, 1, 0, 0)),
    ],
)
def test_next_fire_times_across_month_ends(
    shipped: dict[str, JobDefinition], job_id: str, now: datetime, expected: datetime
) -> None:
    fire = shipped[job_id].trigger().get_next_fire_time(None, now)
    assert fire == expected
    assert fire.utcoffset() == expected.utcoffset()  # reported in KST (+09:00)
    assert next_fire_times([shipped[job_id]], now)[job_id] == expected


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
[[jobs]]
id = "ok-job"
func = "tests.support.sample_jobs:record"
cron = { hour = "1" }
"""


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('func = "tests.support.sample_jobs:record"\ncron = { hour = "1" }', "missing 'id'"),
        ('id = "bad-job"\ncron = { hour = "1" }', "missing 'func'"),
        ('id = "bad-job"\nfunc = "tests.support.sample_jobs:record"', "missing 'cron'"),
        (
            'id = "bad-job"\nfunc = "tests.support.sample_jobs:record"\ncron = { hour = "25" }',
            "invalid cron",
        ),
        (
            'id = "bad-job"\nfunc = "tests.support.sample_jobs:record"\ncron = { hours = "2" }',
            "unknown cron fields ['hours']",
        ),
        (
            'id = "bad-job"\nfunc = "no colon here"\ncron = { hour = "2" }',
            "'func' must look like",
        ),
        (
            'id = "bad-job"\nfunc = "tests.support.sample_jobs:record"\n'
            'cron = { hour = "2" }\nmisfire_grace_time = -5',
            "'misfire_grace_time' must be a positive",
        ),
        (
            'id = "bad-job"\nfunc = "tests.support.sample_jobs:record"\n'
            'cron = { hour = "2" }\ngrace = 5',
            "unknown keys ['grace']",
        ),
    ],
)
def test_a_bad_job_is_named_with_its_file(tmp_path: Path, body: str, reason: str) -> None:
    write(tmp_path, "a.toml", GOOD)
    bad = write(tmp_path, "b.toml", f"{GOOD}\n[[jobs]]\n{body}\n")
    with pytest.raises(ScheduleError) as caught:
        load_definitions(tmp_path)
    message = str(caught.value)
    assert str(bad) in message
    assert reason in message
    # the job is named by its id when it has one, else by its position in the file
    assert ("job 'bad-job'" in message) or ("job #2" in message)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "broken.toml", '[[jobs]]\nid = "x\n')
    with pytest.raises(ScheduleError, match="not valid TOML") as caught:
        load_definitions(tmp_path)
    assert str(bad) in str(caught.value)


def test_the_same_id_in_two_files_is_refused(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", GOOD)
    second = write(tmp_path, "b.toml", GOOD)
    with pytest.raises(ScheduleError) as caught:
        load_definitions(tmp_path)
    assert f"{second}: job 'ok-job' is already defined in {first}" in str(caught.value)


@pytest.mark.parametrize(
    ("func", "reason"),
    [
        ("tests.support.no_such_module:record", "cannot import tests.support.no_such_module"),
        ("tests.support.sample_jobs:nothing", "has no 'nothing'"),
        ("tests.support.sample_jobs:NOT_CALLABLE", "is not callable"),
    ],
)
def test_a_func_that_does_not_resolve_is_named(tmp_path: Path, func: str, reason: str) -> None:
    path = write(tmp_path, "a.toml", GOOD.replace("tests.support.sample_jobs:record", func))
    (job,) = load_definitions(tmp_path)
    with pytest.raises(ScheduleError) as caught:
        job.resolve()
    assert f"{path}: job 'ok-job': func '{func}'" in str(caught.value)
    assert reason in str(caught.value)


def test_a_missing_schedules_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError, match="does not exist"):
        load_definitions(tmp_path / "nowhere")
