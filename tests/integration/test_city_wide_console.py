"""The console and one person across districts (#22): a clerk's upload is checked against
the person's enrollments in other districts, and the participant page lists them by
district, program, term and dates only."""

from __future__ import annotations

from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.common.access import Actor, Role
from payroll.services.console import imports as console_imports
from payroll.services.console import runs as console_runs

JONGNO, MAPO = "11110", "11440"
HEADER = "참여자번호,성명,생년월일,자치구,주민등록번호,사업,기수\n"
NUMBER = "700501-2123456"


def clerk(district: str) -> Actor:
    return Actor(f"clerk-{district}", Role.CLERK, frozenset({district}))


def upload(engine: Engine, who: Actor, rows: str) -> console_imports.UploadResult:
    return console_imports.upload(
        SqlUnitOfWork(engine), who, "roster", "명부.csv", (HEADER + rows).encode()
    )


def test_a_clerks_upload_is_refused_by_another_districts_enrollment_of_the_person(
    engine: Engine,
) -> None:
    done = upload(
        engine, clerk(JONGNO), f"J-001,김민지,1970-05-01,종로구,{NUMBER},dongheng,2025-H1\n"
    )
    assert done.ok, done.errors
    refused = upload(
        engine, clerk(MAPO), f"M-001,김민지,1970-05-01,마포구,{NUMBER},dongheng,2025-H1\n"
    )
    assert not refused.ok
    [error] = refused.errors
    assert error.column == "term" and "no_overlap" in error.reason
    assert "종로구 서울 동행일자리 2025-H1 2025-01-10~2025-06-30" in error.reason
    assert "J-001" not in error.reason and NUMBER not in error.reason

    # 마포구 enrolls the person in the next term; its page shows 종로구's term, nothing more.
    later = upload(
        engine, clerk(MAPO), f"M-001,김민지,1970-05-01,마포구,{NUMBER},dongheng,2025-H2\n"
    )
    assert later.ok, later.errors
    page = console_runs.participant_page(SqlUnitOfWork(engine), clerk(MAPO), "M-001")
    assert [(c["district_name"], c["term"], c["own"]) for c in page["city"]] == [
        ("종로구", "2025-H1", False),
        ("마포구", "2025-H2", True),
    ]
    elsewhere = page["city"][0]
    assert set(elsewhere) == {
        "district", "district_name", "program", "program_name", "term", "start", "end",
        "source", "source_label", "own",
    }  # fmt: skip
    assert NUMBER not in str(page)


def test_the_same_participant_id_in_two_districts_is_each_clerks_own(engine: Engine) -> None:
    assert upload(engine, clerk(JONGNO), f"P-1,김민지,1970-05-01,종로구,{NUMBER},,\n").ok
    assert upload(engine, clerk(MAPO), "P-1,이서준,1981-12-24,마포구,811224-1987654,,\n").ok
    mine = console_runs.participant_page(SqlUnitOfWork(engine), clerk(MAPO), "P-1")
    assert mine["participant"]["name"] == "이서준"
    theirs = console_runs.participant_page(SqlUnitOfWork(engine), clerk(JONGNO), "P-1")
    assert theirs["participant"]["name"] == "김민지"
