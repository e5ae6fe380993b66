"""A participant's own page (/me): sign in with ID, birth date and a one-time code, then
see their own finalized payslips, enrollments, leave balance and final settlement.

Everything here is keyed by the signed-in participant's ID: a payslip of anyone else is
"not found", exactly like one that does not exist. Sign-in steps and payslips opened are
audited with the participant as the actor (actor kind ``participant``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from payroll.domain import portal
from payroll.domain.contact import mask_phone
from payroll.domain.delivery import TextMessage
from payroll.domain.model import PayrollError
from payroll.domain.runs import RunState
from payroll.payslips.view import PayslipView, month_label
from payroll.services.common import audit
from payroll.services.common.access import NotFound
from payroll.services.payslips.output import run_views
from payroll.services.ports.messaging import TextSender
from payroll.services.unit_of_work import UnitOfWork

SENT = "등록된 휴대전화로 확인 코드를 보냈습니다. {minutes}분 안에 입력하십시오."
NOT_SENT = "참여자번호와 생년월일이 맞는 분의 휴대전화로만 코드를 보냅니다. 다시 확인하십시오."


class SignInError(PayrollError):
    """A sign-in step refused (the message says what to do, never which part was wrong)."""


@dataclass(frozen=True)
class MyPayslip:
    payslip_id: int
    month: str
    month_label: str
    program: str
    gross: int
    net: int


@dataclass(frozen=True)
class MyEnrollment:
    program: str
    term: str
    start: date
    end: date
    end_reason: str


@dataclass(frozen=True)
class MyPage:
    participant_id: str
    name: str
    phone: str
    enrollments: list[MyEnrollment]
    payslips: list[MyPayslip]
    leave_balance: int | None  # days, as of the latest finalized payslip
    settlement: PayslipView | None  # the final month's payslip with its settlement lines


def _audit(uow: UnitOfWork, participant_id: str, action: str, **detail: object) -> None:
    with audit.acting_as("participant"):
        audit.record(uow, participant_id, action, "participant", participant_id, **detail)


def send_code(
    uow: UnitOfWork,
    participant_id: str,
    birth_date: date,
    texts: TextSender | None,
    now: datetime,
    link: str,
) -> str:
    """Send a one-time code to the participant's registered mobile number.

    A wrong ID or birth date, or no number registered, sends nothing and answers with
    the same words whichever part was wrong.
    """
    if texts is None:
        raise SignInError("지금은 확인 문자를 보낼 수 없습니다. 담당 자치구에 문의하십시오.")
    pid = participant_id.strip()
    refusal: str | None = None
    with uow:
        person = uow.participants.get(pid) if pid else None
        if person is None or person.birth_date != birth_date or not person.phone:
            refusal = NOT_SENT
            if person is not None:  # kept: the refusal is committed, then reported
                _audit(uow, pid, "me.code_refused")
        elif portal.too_soon(uow.sign_in_codes.get(pid), now):
            refusal = (
                f"코드는 {portal.RESEND_SECONDS}초에 한 번만 보냅니다. 받은 코드를 입력하십시오."
            )
        else:
            code = portal.new_code()
            uow.sign_in_codes.put(portal.issue(pid, code, now))
            _audit(uow, pid, "me.code_sent", phone=mask_phone(person.phone))
            phone = person.phone
    if refusal is not None:
        raise SignInError(refusal)
    # after the commit: a code in the database that never left is harmless, a code that
    # left without being stored would not open anything
    text = f"[서울시 공공일자리] 본인 확인 코드 {code} ({portal.CODE_MINUTES}분 안에 입력)"
    texts.send(TextMessage(phone, text, link, f"me-{pid}-{int(now.timestamp())}"))
    return SENT.format(minutes=portal.CODE_MINUTES)


def check_code(uow: UnitOfWork, participant_id: str, code: str, now: datetime) -> str:
    """The participant ID when ``code`` is the one sent (used once); else a refusal."""
    pid = participant_id.strip()
    with uow:
        stored = uow.sign_in_codes.get(pid)
        if not portal.matches(stored, code, now):
            if stored is not None:
                uow.sign_in_codes.failed(pid)
                _audit(uow, pid, "me.sign_in_failed")
        else:
            uow.sign_in_codes.remove(pid)
            _audit(uow, pid, "me.signed_in")
            return pid
    raise SignInError("코드가 맞지 않거나 시간이 지났습니다. 코드를 다시 받으십시오.")


def _finalized_slips(uow: UnitOfWork, pk: int) -> list[tuple[int, int, str, str, int, int]]:
    return [
        (s.payslip_id, s.run_id, s.month, s.program_code, s.gross, s.net)
        for s in uow.console.participant_payslips(pk)
        if s.state == RunState.FINALIZED
    ]


def my_page(uow: UnitOfWork, participant_id: str) -> MyPage:
    """What the signed-in participant sees: only their own records, finalized pay only."""
    with uow:
        person = uow.participants.get(participant_id)
        if person is None:
            raise NotFound("참여자를 찾을 수 없습니다")
        names = uow.names.programs()
        enrollments = [
            MyEnrollment(
                names.get(e.program_code, e.program_code),
                e.term_code or "",
                e.start,
                e.end,
                e.end_reason or "",
            )  # fmt: skip
            for e in uow.enrollments.of_participants([person.id]).get(person.id, [])
        ]
        slips = _finalized_slips(uow, person.id)
        payslips = [
            MyPayslip(pid, month, month_label(month), names.get(prog, prog), gross, net)
            for pid, _run, month, prog, gross, net in slips
        ]
    latest = my_payslip(uow, participant_id, slips[-1][0], audited=False) if slips else None
    settlement = None
    for pid, *_ in reversed(slips):
        view = my_payslip(uow, participant_id, pid, audited=False)
        if view.has_settlement:
            settlement = view
            break
    return MyPage(
        person.participant_id,
        person.name,
        mask_phone(person.phone),
        enrollments,
        list(reversed(payslips)),
        latest.leave.balance if latest else None,
        settlement,
    )


def my_payslip(
    uow: UnitOfWork, participant_id: str, payslip_id: int, *, audited: bool = True
) -> PayslipView:
    """One of the participant's own finalized payslips; any other is not found."""
    with uow:
        found = uow.console.payslip_owner(payslip_id)
        if (
            found is None
            or found.participant_id != participant_id
            or found.run.state != RunState.FINALIZED
        ):
            raise NotFound("명세서를 찾을 수 없습니다")
        views = run_views(uow, found.run)
        slips = uow.pay_sheets.run_payslips(found.run)
        [view] = [v for v, s in zip(views, slips, strict=True) if s.slip.id == payslip_id]
        if audited:
            _audit(uow, participant_id, "me.payslip_viewed", payslip=payslip_id)
    return view
