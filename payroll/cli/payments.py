"""Holds, releases, returned transfers and write-offs: ``payroll run hold|release`` and
``payroll payment returned|write-off|open``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import Table, console, fail, fail_on, open_root, plain
from payroll.domain.model import PayrollError
from payroll.domain.money import number
from payroll.services.common.identity import operator

payment_app = typer.Typer(
    help="Returned transfers and other carried-over amounts (이월·반환·환수).",
    no_args_is_help=True,
)

RunArg = Annotated[
    str, typer.Argument(help="Run id, or MONTH/DISTRICT/PROGRAM (e.g. 2025-03/종로구/dongheng).")
]
ParticipantArg = Annotated[str, typer.Argument(help="Participant id.")]

ByOpt = Annotated[str, typer.Option("--by", help="Your name, for the audit log.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")]


def hold(run: RunArg, participant: ParticipantArg, reason: ReasonOpt, by: ByOpt) -> None:
    """Hold an exception's participant (지급 보류): the month is kept and paid on release."""
    from payroll.services.runs.lifecycle import hold_participant

    uow = open_root().uow()
    try:
        summary = hold_participant(uow, run, participant, reason, operator(uow, by))
    except PayrollError as exc:
        fail_on(exc)
    console.print(
        f"급여 실행 {summary.id} ({plain(summary.month)}): 참여자 {plain(participant)} 지급 보류 "
        "(이 달 급여는 계산되어 보관되며, 팀장이 해제하면 다음 달에 지급됩니다)"
    )


def release(run: RunArg, participant: ParticipantArg, by: ByOpt) -> None:
    """Release a held month of a finalized run: the next run pays it (미지급분)."""
    from payroll.services.runs.carryovers import release_hold
    from payroll.services.runs.lifecycle import find_run

    uow = open_root().uow()
    try:
        item = release_hold(uow, find_run(uow, run), participant, operator(uow, by))
    except PayrollError as exc:
        fail_on(exc)
    console.print(
        f"참여자 {plain(participant)} {item.ref_month} 보류분 {number(item.total)}원 해제: "
        "다음 급여 계산에서 미지급분으로 지급합니다"
    )


@payment_app.command("returned")
def returned(run: RunArg, participant: ParticipantArg, reason: ReasonOpt, by: ByOpt) -> None:
    """Record a transfer the bank returned; the next run pays it again."""
    from payroll.services.runs.carryovers import payment_returned
    from payroll.services.runs.lifecycle import find_run

    uow = open_root().uow()
    try:
        item = payment_returned(uow, find_run(uow, run), participant, reason, operator(uow, by))
    except PayrollError as exc:
        fail_on(exc)
    console.print(
        f"참여자 {plain(participant)} {item.ref_month} 이체 반환 {number(item.total)}원 기록 "
        f"(이월 항목 {item.id}): 계좌를 고치면 다음 급여 계산에서 다시 지급합니다"
    )


@payment_app.command("write-off")
def write_off_command(
    carryover: Annotated[int, typer.Argument(help="Carryover id (`payroll payment open`).")],
    reason: ReasonOpt,
    by: ByOpt,
) -> None:
    """Close an outstanding amount without paying it (a manager, with a reason)."""
    from payroll.services.runs.carryovers import write_off

    try:
        uow = open_root().uow()
        item = write_off(uow, carryover, reason, operator(uow, by))
    except PayrollError as exc:
        fail_on(exc)
    console.print(
        f"이월 항목 {item.id} ({item.kind.korean}, {item.ref_month}) 정리: "
        f"{number(item.total - item.settled)}원, 사유 {plain(reason)}"
    )


@payment_app.command("notice")
def notice_command(
    carryover: Annotated[int, typer.Argument(help="Recovery id (`payroll payment open`).")],
    out: Annotated[Path, typer.Option("--out", help="The PDF to write.")] = Path("notice.pdf"),
) -> None:
    """Write the recovery notice (과지급 임금 환수 안내, PDF) of an amount still owed."""
    from datetime import date

    from payroll.services.runs.recovery_notice import write_notice

    try:
        notice = write_notice(open_root().uow(), carryover, out, date.today())
    except PayrollError as exc:
        fail_on(exc)
    except OSError as exc:
        fail(f"{out}: 쓸 수 없습니다 ({exc.strerror or exc})", 2)
    console.print(
        f"환수 안내: {plain(str(out))} ({notice.participant_id} {notice.month}, "
        f"반환할 금액 {number(notice.outstanding)}원)"
    )


@payment_app.command("open")
def open_command() -> None:
    """List every amount still to pay (held, returned) or to recover (환수)."""
    from payroll.services.runs.carryovers import open_carryovers

    found = open_carryovers(open_root().uow())
    table = Table("항목", "참여자", "자치구", "사업", "귀속월", "구분", "남은 금액", "사유")
    for item in found:
        c = item.carryover
        table.add_row(
            str(c.id),
            item.participant_id,
            item.district,
            item.program,
            c.ref_month,
            item.label,
            number(c.outstanding),
            plain(c.reason),
        )
    console.print(table if found else "남은 이월·반환·환수 금액이 없습니다")
