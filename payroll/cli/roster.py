"""Roster commands: ``import participants``/``history``, ``enroll``, ``participant show``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.markup import escape
from rich.text import Text

from payroll.cli.common import INVALID_INPUT, Table, console, fail, open_root
from payroll.domain.model import PayrollError
from payroll.formats.tabular import ImportRejected, RowError, parse_date
from payroll.services.common.identity import operator
from payroll.services.enrollment.enroll import EnrollmentInputError, Override, parse_daily_hours
from payroll.services.enrollment.enroll import enroll as enroll_service
from payroll.services.imports import history, rosters
from payroll.services.people.participants import participant_report


def _fail(message: str) -> NoReturn:
    fail(escape(message))


def _say(message: str) -> None:
    console.print(escape(message), highlight=False)


def _cells(*values: object) -> list[Text]:
    """Table cells shown as given (user data is never read as Rich markup)."""
    return [Text("" if v is None else str(v)) for v in values]


def _print_row_errors(title: str, errors: Sequence[RowError]) -> None:
    table = Table("행", "열", "값", "사유", title=escape(title))
    for e in errors:
        table.add_row(*_cells(e.row, e.column, e.value, e.reason))
    console.print(table)


def _import_failed(exc: PayrollError) -> NoReturn:
    if isinstance(exc, ImportRejected):
        _print_row_errors(f"{exc.path.name}: 받아들이지 않은 행", exc.errors)
        _fail(
            f"{exc.path}: 오류 {len(exc.errors)}건, 아무것도 가져오지 않았습니다 "
            f"(오류 목록: {exc.error_file})"
        )
    _fail(str(exc))


def _ignored(columns: Sequence[str]) -> None:
    if columns:
        _say(f"읽지 않은 열: {', '.join(columns)}")


def import_participants(
    file: Annotated[Path, typer.Argument(help="Roster file, .csv (UTF-8 or CP949) or .xlsx.")],
    by: str | None = typer.Option(
        None, "--by", help="Who imports; required when any row has an override (예외사유)."
    ),
) -> None:
    """Import participants and their enrollments from a roster file, all or nothing.

    Every row is validated and checked against the participation limits (stored history
    and the earlier rows of the file) before anything is written; any error rejects the
    whole file, and the errors go to FILE-stem.errors.csv next to it. A row that breaks a
    limit is refused unless its override column gives a reason (then --by is required).
    Importing the same file twice changes nothing; a stored participant's changed name,
    bank, account, dependents or household are updated (and audited).

    Columns (English or Korean header): participant_id 참여자번호 · name 성명/이름 ·
    birth_date 생년월일 · district 자치구/구 (code or name) · household 세대/가구 ·
    rrn 주민등록번호 · bank 은행/은행코드 (국민, KB국민은행, 004) · account 계좌번호 ·
    account_holder 예금주 (default: the name) · dependents 부양가족수 ·
    children 자녀수 (aged 8–20) · declared_monthly_pay 보수월액 (won; default computed) ·
    program 사업/사업명 (dongheng, maeryeok, 서울 동행일자리/동행일자리,
    서울 매력일자리/매력일자리) · term 기수 (2025-H2, 2025) · start 시작일 · end 종료일 ·
    daily_hours 일근로시간 · override 예외사유.
    """
    root = open_root()
    try:
        uow = root.uow()
        who = operator(uow, by) if by is not None else None
        report = rosters.import_participants(uow, file, who)
    except PayrollError as exc:
        _import_failed(exc)
    finally:
        root.close()
    _ignored(report.ignored_columns)
    for note in report.notes:
        _say(note)
    _say(
        f"{file.name} 가져옴: 참여자 {report.participants_added}명 추가, "
        f"{report.participants_updated}명 변경, 참여 {report.enrollments_added}건 추가, "
        f"변경 없음 {report.unchanged}행."
    )


def import_history(
    file: Annotated[
        Path,
        typer.Argument(
            help="History file, .csv or .xlsx: rrn 주민등록번호 (or participant_id 참여자번호), "
            "program 사업, start 시작일, end 종료일, district 자치구 (where it was taken)."
        ),
    ],
) -> None:
    """Import past enrollments from before the system, all or nothing.

    Each row finds its person by resident number in any district (or by participant ID),
    needs a known program and valid dates (end not before start), and must not overlap
    another enrollment of the person in any district. Stored with source "history", the
    term it falls in and the district it was taken in; identical rows are skipped. The
    terms then count for the city-wide participation limits.
    """
    root = open_root()
    try:
        report = history.import_history(root.uow(), file)
    except PayrollError as exc:
        _import_failed(exc)
    finally:
        root.close()
    _ignored(report.ignored_columns)
    _say(f"{file.name} 가져옴: 과거 참여 {report.added}건 추가, 변경 없음 {report.unchanged}건.")


def _date_option(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        fail(escape(f"--{name} {value!r}: {exc}"), INVALID_INPUT)


def enroll(
    participant_id: str = typer.Argument(..., help="The participant's id (참여자번호)."),
    program: str = typer.Option(..., "--program", help="dongheng, maeryeok (or Korean name)."),
    term: str = typer.Option(..., "--term", help="Catalog term: 2025-H2 (동행), 2025 (매력)."),
    start: str | None = typer.Option(None, "--start", help="Start date (default: term start)."),
    end: str | None = typer.Option(None, "--end", help="End date (default: term end)."),
    daily_hours: str | None = typer.Option(
        None, "--daily-hours", help="Daily hours (default: the program's)."
    ),
    override: str | None = typer.Option(
        None, "--override", help="Written reason to enroll despite broken limit rules."
    ),
    by: str | None = typer.Option(
        None, "--by", help="Who enrolls; required with --override (default: login name)."
    ),
    district: str | None = typer.Option(
        None,
        "--district",
        help="The participant's district (code or name), when several districts use the ID.",
    ),
) -> None:
    """Enroll a participant in a program's term, checking the participation limits.

    A broken rule refuses the enrollment, listing every broken rule with the enrollments
    counting against it. With --override REASON --by NAME it is enrolled anyway and the
    override is stored and audited. A pay-cut rule does not refuse: the enrollment gets
    its pay cut percentage.
    """
    if override is not None and not override.strip():
        _fail("--override 에는 예외 사유를 적어야 합니다")
    if override and not (by and by.strip()):
        _fail("--override 에는 예외를 승인하는 사람의 --by 이름이 필요합니다")
    hours: Decimal | None = None
    if daily_hours:
        try:
            hours = parse_daily_hours(daily_hours)
        except EnrollmentInputError as exc:
            _fail(f"--daily-hours {daily_hours!r}: {exc.reason}")
    start_day = _date_option(start, "start")
    end_day = _date_option(end, "end")
    root = open_root()
    try:
        if override and by:
            by = operator(root.uow(), by)
        result = enroll_service(
            root.uow(),
            participant_id,
            program,
            term,
            start=start_day,
            end=end_day,
            daily_hours=hours,
            override=Override(override.strip(), by.strip()) if override and by else None,
            actor=by.strip() if by else None,
            district=district,
        )
    except PayrollError as exc:
        _fail(str(exc))
    finally:
        root.close()
    plan = result.plan
    what = (
        f"{participant_id}, {plan.program} {plan.term.code} "
        f"({plan.start.isoformat()}..{plan.end.isoformat()})"
    )
    if not result.created:
        _say(f"이미 참여 등록됨: {what} (#{result.enrollment_id}); 바뀐 것 없음.")
        return
    _say(f"참여 등록: {what} → #{result.enrollment_id}.")
    if plan.override and plan.blocking:
        codes = ", ".join(v.code for v in plan.blocking)
        _say(f"{codes} 예외 승인 ({plan.override.by}): {plan.override.reason}")
    elif plan.override:
        _say("어긴 규칙이 없어 예외 승인이 필요 없었고 저장하지 않았습니다.")
    if plan.pay_cut_percent is not None:
        _say(f"급여 {plan.pay_cut_percent} % 감액 (명세서마다 participation_pay_cut 항목).")
    for reason in result.reasons:
        _say(f"  - {reason}")


participant_app = typer.Typer(
    help="Participants (참여자): details, enrollments, limits used and overrides.",
    no_args_is_help=True,
)


@participant_app.command("show")
def show(
    participant_id: str = typer.Argument(..., help="The participant's id (참여자번호)."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    district: str | None = typer.Option(
        None,
        "--district",
        help="The participant's district (code or name), when several districts use the ID.",
    ),
) -> None:
    """Show a participant: details (RRN masked), enrollments, limit usage and overrides,
    and the person's participation across the city (every district; no RRN)."""
    root = open_root()
    try:
        report = participant_report(root.uow(), participant_id, district)
    except PayrollError as exc:
        _fail(str(exc))
    finally:
        root.close()
    if json_output:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _print_report(report)


def _override_text(o: dict[str, Any] | None) -> str:
    if not o:
        return ""
    return f"{o['reason']} (by {o['by']})"


FIELD_LABELS = {
    "participant_id": "참여자번호",
    "name": "성명",
    "birth_date": "생년월일",
    "district": "자치구",
    "household": "세대",
    "rrn": "주민등록번호",
    "bank": "은행",
    "bank_code": "은행코드",
    "account": "계좌번호",
    "account_holder": "예금주",
    "dependents": "부양가족",
    "children": "자녀(8–20세)",
    "phone": "휴대전화",
    "email": "이메일",
    "delivery_label": "수령방법",
}
"""The Korean row names of ``participant show``."""


def _print_report(report: dict[str, Any]) -> None:
    p = report["participant"]
    details = Table("항목", "값", title=f"참여자 {escape(p['participant_id'])}")
    for key in ("participant_id", "name", "birth_date", "district", "household", "rrn",
                "bank", "bank_code", "account", "account_holder", "dependents",
                "children", "phone", "email", "delivery_label"):  # fmt: skip
        value = p[key]
        if key == "district" and p.get("district_name"):
            value = f"{value} {p['district_name']}"
        details.add_row(*_cells(FIELD_LABELS.get(key, key), value))
    console.print(details)
    enrollments = Table(
        "#", "사업", "기수", "시작", "종료", "일 근로시간", "보수월액", "출처", "감액",
        "예외 승인", title="참여",
    )  # fmt: skip
    for e in report["enrollments"]:
        cut = f"{e['pay_cut_percent']} %" if e["pay_cut_percent"] else ""
        enrollments.add_row(
            *_cells(e["enrollment"], e["program"], e["term"], e["start"], e["end"],
                    e["daily_hours"], e.get("declared_monthly_pay_shown"), e["source"], cut,
                    _override_text(e["override"]))
        )  # fmt: skip
    console.print(enrollments)
    ended = [e for e in report["enrollments"] if e.get("end_reason")]
    if ended:
        early = Table("#", "사업", "예정 종료일", "종료일", "사유", "메모", "처리자", "처리 시각",
                      title="중도 종료")  # fmt: skip
        for e in ended:
            early.add_row(
                *_cells(e["enrollment"], e["program"], e["planned_end"], e["end"],
                        e["end_reason_label"], e["end_note"], e["ended_by"], e["ended_at"])
            )  # fmt: skip
        console.print(early)
    limits = Table("사업", "규칙", "사용", "한도", "남음", "산입된 참여", title="참여 제한")
    for u in report["limits"]:
        limits.add_row(
            *_cells(u["program"], u["message"], f"{u['used']} {u['unit']}", u["limit"],
                    u["remaining"], ", ".join(u["counting_refs"]))
        )  # fmt: skip
    console.print(limits)
    city = Table(
        "자치구", "사업", "기수", "시작", "종료", "출처", title="시 전체 참여 (참여 제한 기준)"
    )
    for c in report.get("city", []):
        city.add_row(
            *_cells(c["district_name"], c["program_name"], c["term"], c["start"], c["end"],
                    c["source_label"])
        )  # fmt: skip
    console.print(city)
    if report["overrides"]:
        overrides = Table("#", "사업", "기수", "예외로 넘은 규칙", "사유", "승인자", "시각",
                          title="예외 승인")  # fmt: skip
        for o in report["overrides"]:
            overrides.add_row(
                *_cells(o["enrollment"], o["program"], o["term"], ", ".join(o["rules"]),
                        o["reason"], o["by"], o["at"])
            )  # fmt: skip
        console.print(overrides)
