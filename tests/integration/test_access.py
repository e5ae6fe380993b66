"""Who may do what: every role × console action × own / other district (both databases).

Each action is called through the service layer the console uses, as an actor whose
district is 종로구 (11110), on a run of 종로구 ("own") and a run of 중구 ("other").
Outcomes: ``ok``; ``404`` (NotFound: another district's record, nothing leaks); ``403``
(Forbidden: the role may never do it); ``refused`` (allowed, but the run's state or
separation of duties refuses it: a RunError after the access checks passed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AuditLog, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.model import PayrollError
from payroll.services.admin.audit_log import AuditFilter, console_audit
from payroll.services.common.access import Action, Actor, Forbidden, NotFound, Role, check
from payroll.services.console import admin as console_admin
from payroll.services.console import carryovers as console_carryovers
from payroll.services.console import enrollment as console_enrollment
from payroll.services.console import files as console_files
from payroll.services.console import filings as console_filings
from payroll.services.console import imports as console_imports
from payroll.services.console import reports as console_reports
from payroll.services.console import runs as console_runs
from payroll.services.console import waiting as console_waiting
from payroll.services.console import years as console_years
from payroll.services.filings.reads import OpenRunsError
from payroll.services.runs.lifecycle import RunError, calculate_runs
from tests.support.factories import add_enrolled

OWN, OTHER = "11110", "11140"
OFFICIAL_TABLE = (
    resources.files("payroll.data").joinpath("withholding_table_official.csv").read_bytes()
)
ROLES = {
    "clerk": Actor("clerk", Role.CLERK, frozenset({OWN})),
    "manager": Actor("manager", Role.MANAGER, frozenset({OWN})),
    "finance": Actor("finance", Role.FINANCE),
    "admin": Actor("admin", Role.CITY_ADMIN),
}
# action -> role -> (outcome on the own district's run, outcome on the other district's)
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "district_users": {  # a manager's own district's accounts (a list: no other side)
        "clerk": ("403", "403"),
        "manager": ("ok", "ok"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "board": {  # "404": the other district is not on the actor's board at all
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("ok", "ok"),
    },
    "run_page": {
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("403", "403"),
    },
    "participant": {
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("403", "403"),
    },
    "payslip_pdf": {
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("403", "403"),
    },
    "calculate": {
        "clerk": ("ok", "404"),
        "manager": ("403", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "exclude": {  # nobody is on the exception list: allowed means "refused" by the run
        "clerk": ("refused", "404"),
        "manager": ("403", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "release": {  # runs are not finalized: allowed means "refused"
        "clerk": ("403", "404"),
        "manager": ("refused", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "returned": {  # runs are not finalized: allowed means "refused"
        "clerk": ("refused", "404"),
        "manager": ("refused", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "audit": {
        "clerk": ("403", "403"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("ok", "ok"),
    },
    "payment_file": {  # runs are not finalized: allowed means "refused"
        "clerk": ("403", "404"),
        "manager": ("refused", "404"),
        "finance": ("refused", "refused"),
        "admin": ("403", "403"),
    },
    "ledger": {
        "clerk": ("403", "403"),
        "manager": ("403", "403"),
        "finance": ("ok", "ok"),
        "admin": ("403", "403"),
    },
    "review": {
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "participant_list": {  # "404": the other district's participant is not listed
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("403", "403"),
    },
    "runs_of_year": {
        "clerk": ("ok", "404"),
        "manager": ("ok", "404"),
        "finance": ("ok", "ok"),
        "admin": ("ok", "ok"),
    },
    "template": {  # no district: the same answer for both sides
        "clerk": ("ok", "ok"),
        "manager": ("403", "403"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "severance": {
        "clerk": ("403", "403"),
        "manager": ("403", "403"),
        "finance": ("ok", "ok"),
        "admin": ("403", "403"),
    },
    "filing": {  # runs are not finalized: allowed means "refused" (OpenRunsError)
        "clerk": ("403", "403"),
        "manager": ("403", "403"),
        "finance": ("refused", "refused"),
        "admin": ("403", "403"),
    },
    "upload": {
        "clerk": ("ok", "rows"),  # the other district's participant is a row error
        "manager": ("403", "403"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
    },
    "city_admin_pages": {
        "clerk": ("403", "403"),
        "manager": ("403", "403"),
        "finance": ("403", "403"),
        "admin": ("ok", "ok"),
    },
    # state changes, in this order: a wrong role or district changes nothing
    "holiday_change": {
        "clerk": ("403", "403"),
        "manager": ("403", "403"),
        "finance": ("403", "403"),
        "admin": ("ok", "ok"),
    },
    "withholding_upload": {
        "clerk": ("403", "403"),
        "manager": ("403", "403"),
        "finance": ("403", "403"),
        "admin": ("ok", "ok"),
    },
    "year_page": {
        "clerk": ("403", "403"),
        "manager": ("403", "403"),
        "finance": ("403", "403"),
        "admin": ("ok", "ok"),
    },
    "approve": {
        "clerk": ("403", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
        "manager": ("ok", "404"),
    },
    "finalize": {  # the manager approved the own run: separation of duties refuses
        "clerk": ("403", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
        "manager": ("refused", "404"),
    },
    "cancel": {
        "clerk": ("403", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
        "manager": ("ok", "404"),
    },
    "end_enrollment": {
        "manager": ("403", "404"),
        "finance": ("403", "403"),
        "admin": ("403", "403"),
        "clerk": ("ok", "404"),
    },
}


def outcome(call: Callable[[], object]) -> str:
    try:
        result = call()
    except NotFound:
        return "404"
    except Forbidden:
        return "403"
    except (RunError, OpenRunsError):
        return "refused"
    if isinstance(result, console_imports.UploadResult) and not result.ok:
        return "rows"
    return "ok"


@pytest.fixture
def city(engine: Engine, tmp_path: Path) -> dict[str, dict[str, object]]:
    uow = SqlUnitOfWork(engine)
    add_enrolled(engine, "J-001", district=OWN)
    add_enrolled(engine, "C-001", name="박중구", district=OTHER)
    calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="system")
    sides: dict[str, dict[str, object]] = {}
    with transaction(engine) as session:
        for key, pid, code in (("own", "J-001", OWN), ("other", "C-001", OTHER)):
            [cell] = [
                c
                for c in console_runs.month_board(uow, ROLES["finance"], "2025-03")
                if c.district == code
            ]
            slip = session.scalars(select(PayslipRow).where(PayslipRow.run_id == cell.run_id)).one()
            sides[key] = {"run": cell.run_id, "pid": pid, "slip": slip.id, "district": code}
    return sides


def calls(engine: Engine, actor: Actor, side: dict[str, object], out: Path) -> dict[str, Callable]:
    uow = SqlUnitOfWork(engine)
    run, pid, slip, district = side["run"], side["pid"], side["slip"], side["district"]
    csv = f"participant_id,date,status\n{pid},2025-03-12,absent\n".encode()

    def board() -> None:
        cells = console_runs.month_board(uow, actor, "2025-03")
        if district not in {c.district for c in cells}:
            raise NotFound("not on the board")

    def admin_pages() -> None:
        console_admin.catalog(uow, actor)
        console_admin.holidays(uow, actor, 2025)
        console_admin.scheduler_history(uow, actor)
        console_admin.user_list(uow, actor)

    def participant_list() -> None:
        listed = console_runs.participant_list(uow, actor, str(pid))
        if pid not in {r["participant_id"] for r in listed.rows}:
            raise NotFound("not listed")

    def runs_of_year() -> None:
        if run not in {r.run_id for r in console_waiting.runs_of_year(uow, actor, 2025)}:
            raise NotFound("not listed")

    return {
        "board": board,
        "participant_list": participant_list,
        "runs_of_year": runs_of_year,
        "run_page": lambda: (
            console_runs.run_page(uow, actor, run),
            console_runs.run_payslips(uow, actor, run, "김"),
        ),
        "participant": lambda: console_runs.participant_page(uow, actor, pid),
        "payslip_pdf": lambda: console_files.payslip_pdf(uow, actor, slip),
        "calculate": lambda: console_runs.calculate(uow, actor, "2025-03", district, "dongheng"),
        "exclude": lambda: console_runs.exclude(uow, actor, run, pid, "사유"),
        "release": lambda: console_carryovers.release(uow, actor, run, pid),
        "returned": lambda: console_carryovers.returned(uow, actor, run, pid, "해지 계좌"),
        "audit": lambda: console_audit(uow, actor, AuditFilter(run=str(run))),
        "payment_file": lambda: console_files.run_files(uow, actor, run, out),
        "ledger": lambda: console_files.ledger_file(uow, actor, "2025-03", "csv"),
        "review": lambda: console_reports.review_workbook(uow, actor, run),
        "template": lambda: console_reports.import_template(actor, "roster"),
        "severance": lambda: console_reports.severance_workbook(uow, actor),
        "filing": lambda: console_filings.filing_file(uow, actor, "payees", {"run": str(run)}, out),
        "end_enrollment": lambda: console_enrollment.end_enrollment(
            uow, actor, pid, "2025-03-20", "employed"
        ),
        "upload": lambda: console_imports.upload(uow, actor, "attendance", "a.csv", csv),
        "city_admin_pages": admin_pages,
        "district_users": lambda: console_admin.district_users(uow, actor),
        "holiday_change": lambda: console_admin.change_holiday(
            uow, actor, "2025-10-10", "add", "임시공휴일"
        ),
        # in force from 2030: the month's runs stay current (no recalculation mark)
        "withholding_upload": lambda: console_admin.upload_withholding(
            uow, actor, "nts.csv", OFFICIAL_TABLE, "2030-01-01"
        ),
        "year_page": lambda: (
            console_years.year_form(uow, actor, 2027),
            console_years.preview_year(uow, actor, {"year": "2027"}),
            console_years.publish_year(uow, actor, {"year": "2027"}),
            console_years.history(uow, actor),
        ),
        "approve": lambda: console_runs.approve(uow, actor, run),
        "finalize": lambda: console_runs.finalize(uow, actor, run),
        "cancel": lambda: console_runs.cancel(uow, actor, run, "잘못 계산"),
    }


def test_every_role_action_and_district(
    engine: Engine, city: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    seen: dict[str, dict[str, tuple[str, str]]] = {}
    for action, by_role in EXPECTED.items():
        seen[action] = {}
        for role in by_role:
            got = []
            for side in ("own", "other"):
                todo = calls(engine, ROLES[role], city[side], tmp_path / "out")[action]
                got.append(outcome(todo))
            seen[action][role] = (got[0], got[1])
    assert seen == EXPECTED


def test_refused_attempts_leave_nothing_in_the_audit_log_as_done(
    engine: Engine, city: dict[str, dict[str, object]]
) -> None:
    uow = SqlUnitOfWork(engine)
    other_run = city["other"]["run"]
    for role in ROLES.values():
        for call in (console_runs.approve, console_runs.finalize):
            with pytest.raises((NotFound, Forbidden)):
                call(uow, role, other_run)  # type: ignore[arg-type]
    with transaction(engine) as session:
        actions = set(session.scalars(select(AuditLog.action)))
    assert "run.approved" not in actions and "run.finalized" not in actions


def test_console_actions_are_audited_as_the_user(
    engine: Engine, city: dict[str, dict[str, object]]
) -> None:
    uow = SqlUnitOfWork(engine)
    console_runs.approve(uow, ROLES["manager"], city["own"]["run"])  # type: ignore[arg-type]
    with transaction(engine) as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "run.approved")).one()
        calculated = session.scalars(
            select(AuditLog).where(AuditLog.action == "run.calculated")
        ).first()
    assert (entry.actor, entry.actor_kind) == ("manager", "user")
    assert calculated is not None and calculated.actor_kind == "operator"


def test_upload_of_another_districts_roster_rows_writes_nothing(
    engine: Engine, city: dict[str, dict[str, object]]
) -> None:
    uow = SqlUnitOfWork(engine)
    roster = (
        "참여자번호,성명,생년월일,자치구,사업,기수\n"
        "J-009,최종로,1970-01-01,종로구,dongheng,2025-H1\n"
        "C-009,정중구,1970-01-01,중구,dongheng,2025-H1\n"
    ).encode()
    result = console_imports.upload(uow, ROLES["clerk"], "roster", "명부.csv", roster)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (3, "district", "담당 자치구가 아닙니다")
    ]
    with pytest.raises(NotFound):
        console_runs.participant_page(uow, ROLES["finance"], "J-009")  # nothing written


# --- pure: the checks themselves ------------------------------------------------------


def test_another_district_is_not_found_before_the_role_is_checked() -> None:
    clerk = ROLES["clerk"]
    with pytest.raises(NotFound):
        check(clerk, Action.APPROVE, OTHER, "run 7")  # not "forbidden": nothing leaks
    with pytest.raises(Forbidden):
        check(clerk, Action.APPROVE, OWN, "run 7")
    check(clerk, Action.CALCULATE, OWN, "run 7")
    assert ROLES["finance"].sees(OTHER) and not ROLES["manager"].sees(OTHER)
    assert ROLES["manager"].visible([OWN, OTHER]) == [OWN]


def test_not_found_and_forbidden_are_payroll_errors() -> None:
    # The CLI and the console turn any PayrollError into one line, never a traceback.
    assert issubclass(NotFound, PayrollError) and issubclass(Forbidden, PayrollError)


def test_board_counts_the_enrollments_a_run_calculates(engine: Engine) -> None:
    uow = SqlUnitOfWork(engine)

    add_enrolled(engine, "J-001", district=OWN)
    add_enrolled(engine, "J-002", district=OWN, program="maeryeok", term="2025")
    add_enrolled(engine, "C-001", district=OTHER)
    add_enrolled(engine, "J-003", district=OWN, start=date(2025, 4, 1), end=date(2025, 6, 30))
    counted = console_runs.enrolled_counts(uow, "2025-03")
    with uow:
        members = uow.run_inputs.members("2025-03", None, None)  # what the runs calculate
        grouped = dict(Counter((m.district, m.program) for m in members))
    assert (
        counted == grouped == {(OWN, "dongheng"): 1, (OWN, "maeryeok"): 1, (OTHER, "dongheng"): 1}
    )
