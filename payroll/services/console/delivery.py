"""The run page's payslip delivery: each participant's state, and the 명세서 발송 button.

Seeing the states needs the run's district (like the rest of the run page); sending needs
the right to make payslips and a district of one's own (the district clerk: finance may
print payslips city-wide but does not write to a district's participants), and a
finalized run.
"""

from __future__ import annotations

from payroll.domain.delivery import DeliveryState
from payroll.domain.runs import RunState
from payroll.payslips.view import PayslipView
from payroll.services.common import audit
from payroll.services.common.access import CITY_WIDE, Action, Actor, Forbidden, require
from payroll.services.console import files as console_files
from payroll.services.console.runs import load_run
from payroll.services.payslips.delivery import (
    DeliveryReport,
    SendOptions,
    delivery_status,
    send_run,
)
from payroll.services.ports.messaging import Mailer, TextSender
from payroll.services.unit_of_work import UnitOfWork


class _SharedRenderer:
    """The console's one WeasyPrint renderer, used one thread at a time."""

    def render(self, view: PayslipView) -> bytes:
        return console_files._render(view)  # noqa: SLF001 - the console's shared renderer


def run_deliveries(uow: UnitOfWork, actor: Actor, run_id: int) -> DeliveryReport | None:
    """The run's deliveries and print list; ``None`` while the run is not finalized."""
    with uow:
        run = load_run(uow, actor, run_id)
        require(actor, Action.VIEW_PEOPLE)
    if run.state != RunState.FINALIZED:
        return None
    return delivery_status(uow, run)


def may_send(actor: Actor) -> bool:
    return actor.may(Action.DRAFT_PAYSLIPS) and actor.role not in CITY_WIDE


def send(
    uow: UnitOfWork,
    actor: Actor,
    run_id: int,
    mailer: Mailer | None,
    texts: TextSender | None,
    options: SendOptions | None = None,
) -> str:
    """Send the run's payslips as ``actor``; a one-line Korean summary."""
    with uow:
        run = load_run(uow, actor, run_id)
        require(actor, Action.DRAFT_PAYSLIPS)
        if not may_send(actor):
            raise Forbidden("명세서 발송은 자치구 담당자가 합니다")
    with audit.acting_as("user"):
        report = send_run(
            uow, run, mailer, texts, actor=actor.name, options=options,
            renderer=_SharedRenderer(),
        )  # fmt: skip
    return (
        f"명세서 {report.sent_now}건 보냄 · 반송 {report.count(DeliveryState.BOUNCED)} · "
        f"실패 {report.count(DeliveryState.FAILED)} · 인쇄 전달 {len(report.to_print)}명"
    )
