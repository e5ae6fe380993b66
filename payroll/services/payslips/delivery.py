"""Send a finalized run's payslips to the participants who chose e-mail or 알림톡.

``payroll payslips send RUN``, the run page's 명세서 발송 button and the scheduled job all
call :func:`send_run`. The job is resumable and never sends a payslip twice:

1. one transaction queues a delivery per participant whose 수령방법 is 이메일 or 알림톡
   and who has none yet for that channel (a second job finds them and queues nothing);
2. each message is marked ``sending`` and committed *before* it leaves, then ``sent``,
   ``bounced`` or ``failed`` after; a delivery a crashed job left ``sending`` may have
   left, so it is not sent again but marked ``failed`` (printed instead);
3. a passing failure (server busy or away) leaves the delivery queued; the queue is
   tried again up to ``attempts`` times, waiting ``backoff`` seconds more each round;
4. messages leave at most ``rate`` per second.

E-mails carry the payslip PDF encrypted with :func:`payroll.domain.payslip_password
.email_password`; 알림톡 carries only a link to the participant's own page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from payroll.config.settings import public_url
from payroll.domain.contact import Delivery
from payroll.domain.delivery import (
    UNREACHED,
    DeliveryFailure,
    DeliveryRecord,
    DeliveryState,
)
from payroll.domain.payslip_password import email_password
from payroll.domain.report_records import RunRecord
from payroll.domain.runs import RunError, RunState
from payroll.payslips.encrypt import encrypt_pdf
from payroll.payslips.render import Renderer
from payroll.payslips.view import PayslipView
from payroll.services.common import audit
from payroll.services.payslips.mail import payslip_mail, payslip_text
from payroll.services.payslips.output import run_views
from payroll.services.ports.messaging import Mailer, TextSender
from payroll.services.unit_of_work import UnitOfWork

INTERRUPTED = (
    "이전 발송 작업이 보내는 도중 멈춰 전달 여부를 알 수 없습니다 "
    "(두 번 보내지 않도록 다시 보내지 않음; 인쇄본으로 전달)"
)
NO_PASSWORD = "휴대전화 번호가 없어 명세서 비밀번호를 정할 수 없습니다"
NO_CHANNEL = "알림톡 발송 업체가 설정되지 않았습니다 (PAYROLL_SMS_PROVIDER)"


class PdfRenderer(Protocol):
    def render(self, view: PayslipView) -> bytes: ...


@dataclass(frozen=True)
class Unreached:
    """A participant to hand a printed payslip: why the payslip did not reach them."""

    participant_id: str
    name: str
    reason: str


@dataclass
class DeliveryReport:
    """What one sending job did, and the run's state after it."""

    run: RunRecord
    sent_now: int = 0
    deliveries: list[DeliveryRecord] = field(default_factory=list)
    to_print: list[Unreached] = field(default_factory=list)

    def count(self, state: DeliveryState) -> int:
        return sum(1 for d in self.deliveries if d.state == state)


@dataclass(frozen=True)
class SendOptions:
    """Pace and patience of a job: messages per second, tries per message, backoff."""

    rate: float = 5.0
    attempts: int = 3
    backoff: float = 30.0

    @classmethod
    def from_env(cls) -> SendOptions:
        """``PAYROLL_SEND_RATE``, ``PAYROLL_SEND_ATTEMPTS``, ``PAYROLL_SEND_BACKOFF``."""
        env = os.environ
        try:
            return cls(
                float(env.get("PAYROLL_SEND_RATE") or cls.rate),
                max(1, int(env.get("PAYROLL_SEND_ATTEMPTS") or cls.attempts)),
                float(env.get("PAYROLL_SEND_BACKOFF") or cls.backoff),
            )
        except ValueError as exc:
            raise RunError(f"PAYROLL_SEND_* 설정이 숫자가 아닙니다: {exc}") from exc


@dataclass(frozen=True)
class _Target:
    payslip_id: int
    participant_id: str
    name: str
    delivery: str
    email: str | None
    phone: str | None


def send_run(
    uow: UnitOfWork,
    run: RunRecord,
    mailer: Mailer | None,
    texts: TextSender | None = None,
    *,
    actor: str = "system",
    options: SendOptions | None = None,
    sleep: Callable[[float], None] = time.sleep,
    renderer: PdfRenderer | None = None,
) -> DeliveryReport:
    """Queue and send the run's e-mail and 알림톡 payslips (see the module docstring)."""
    opts = options or SendOptions.from_env()
    if run.state != RunState.FINALIZED:
        raise RunError(f"실행 {run.id} ({run.month}): 확정된 급여만 명세서를 보낼 수 있습니다")
    views, targets = _targets(uow, run)
    _check_channels(targets, mailer, texts)
    with uow.serialized(f"payslip-delivery:{run.id}"):
        _queue(uow, run, targets)
        for stale in uow.deliveries.of_run(run.id):
            if stale.state == DeliveryState.SENDING:
                uow.deliveries.set_state(
                    stale.id, DeliveryState.FAILED, attempts=stale.attempts, reason=INTERRUPTED
                )
    by_slip = {t.payslip_id: (t, v) for t, v in zip(targets, views, strict=True)}
    sent = 0
    for round_ in range(opts.attempts):
        with uow:
            queued = [d for d in uow.deliveries.of_run(run.id) if d.state == DeliveryState.QUEUED]
        if not queued:
            break
        if round_:
            sleep(opts.backoff * round_)
        for delivery in queued:
            target, view = by_slip[delivery.payslip_id]
            if delivery.channel == Delivery.EMAIL and renderer is None:
                renderer = Renderer()
            if _send_one(uow, delivery, view, target, mailer, texts, renderer, opts):
                sent += 1
            sleep(1.0 / opts.rate if opts.rate > 0 else 0)
    with uow:
        deliveries = uow.deliveries.of_run(run.id)
        audit.record(
            uow,
            actor,
            "payslips.sent",
            "run",
            run.id,
            sent_now=sent,
            **{s.value: sum(1 for d in deliveries if d.state == s) for s in DeliveryState},
        )
    return DeliveryReport(run, sent, deliveries, _to_print(targets, deliveries))


def delivery_status(uow: UnitOfWork, run: RunRecord) -> DeliveryReport:
    """The run's deliveries and the participants to hand a printed payslip (reads only)."""
    _, targets = _targets(uow, run)
    with uow:
        deliveries = uow.deliveries.of_run(run.id)
    return DeliveryReport(run, 0, deliveries, _to_print(targets, deliveries))


def _targets(uow: UnitOfWork, run: RunRecord) -> tuple[list[PayslipView], list[_Target]]:
    """The run's payslip views and, in the same order, whom each goes to and how."""
    views = run_views(uow, run)
    with uow:
        found = uow.pay_sheets.run_payslips(run)
    targets = [
        _Target(
            f.slip.id,
            f.person.participant_id,
            f.person.name,
            f.person.delivery,
            f.person.email,
            f.person.phone,
        )  # fmt: skip
        for f in found
    ]
    assert [t.participant_id for t in targets] == [v.participant_id for v in views]
    return views, targets


def _check_channels(
    targets: list[_Target], mailer: Mailer | None, texts: TextSender | None
) -> None:
    """Refuse to start when a participant's chosen channel is not configured."""
    chosen = {t.delivery for t in targets}
    if Delivery.EMAIL in chosen and mailer is None:
        raise RunError(
            "메일 서버가 설정되지 않았습니다: PAYROLL_SMTP_HOST와 PAYROLL_SMTP_FROM을 지정하십시오"
        )
    if Delivery.ALIMTALK in chosen and texts is None:
        raise RunError(NO_CHANNEL)


def _queue(uow: UnitOfWork, run: RunRecord, targets: list[_Target]) -> None:
    """A queued delivery for every target who chose e-mail or 알림톡 and has none yet."""
    have = {(d.payslip_id, d.channel) for d in uow.deliveries.of_run(run.id)}
    for t in targets:
        if t.delivery == Delivery.PAPER or (t.payslip_id, t.delivery) in have:
            continue
        address = (t.email if t.delivery == Delivery.EMAIL else t.phone) or ""
        state, reason = DeliveryState.QUEUED, None
        if not address:
            state, reason = DeliveryState.FAILED, "받을 주소(이메일 또는 휴대전화)가 없습니다"
        elif t.delivery == Delivery.EMAIL and not t.phone:
            state, reason = DeliveryState.FAILED, NO_PASSWORD
        uow.deliveries.add(
            DeliveryRecord(
                0, run.id, t.payslip_id, t.participant_id, t.delivery, address, state, 0, reason
            )  # fmt: skip
        )


def _send_one(
    uow: UnitOfWork,
    delivery: DeliveryRecord,
    view: PayslipView,
    target: _Target,
    mailer: Mailer | None,
    texts: TextSender | None,
    renderer: PdfRenderer | None,
    opts: SendOptions,
) -> bool:
    """Send one queued delivery, its state committed before and after; True when sent."""
    attempts = delivery.attempts + 1
    key = f"payslip-{delivery.run_id}-{delivery.payslip_id}-{delivery.channel}"
    channel = mailer if delivery.channel == Delivery.EMAIL else texts
    if channel is None:
        with uow:
            uow.deliveries.set_state(
                delivery.id, DeliveryState.FAILED, attempts=delivery.attempts, reason=NO_CHANNEL
            )
        return False
    if delivery.channel == Delivery.EMAIL:
        assert renderer is not None
        password = email_password(view.birth_date, target.phone)
        assert password is not None  # checked when queued
        pdf = encrypt_pdf(renderer.render(view), password)
        message: object = payslip_mail(view, delivery.address, pdf, key)
    else:
        message = payslip_text(view, delivery.address, f"{public_url()}/me", key)
    with uow:
        uow.deliveries.set_state(delivery.id, DeliveryState.SENDING, attempts=attempts)
    try:
        channel.send(message)  # type: ignore[arg-type]
    except DeliveryFailure as failure:
        if failure.permanent:
            state = DeliveryState.BOUNCED
        elif attempts < opts.attempts:
            state = DeliveryState.QUEUED
        else:
            state = DeliveryState.FAILED
        with uow:
            uow.deliveries.set_state(
                delivery.id, state, attempts=attempts, reason=failure.reason[:500]
            )
        return False
    with uow:
        uow.deliveries.set_state(delivery.id, DeliveryState.SENT, attempts=attempts)
    return True


def _to_print(targets: list[_Target], deliveries: list[DeliveryRecord]) -> list[Unreached]:
    """Who gets a printed payslip: 종이, and those whose delivery bounced or failed."""
    by_slip = {d.payslip_id: d for d in deliveries}
    out: list[Unreached] = []
    for t in targets:
        d = by_slip.get(t.payslip_id)
        if t.delivery == Delivery.PAPER:
            out.append(Unreached(t.participant_id, t.name, "수령방법 종이"))
        elif d is not None and d.state in UNREACHED:
            out.append(Unreached(t.participant_id, t.name, f"{d.state_label}: {d.reason or ''}"))
    return sorted(out, key=lambda u: (u.name, u.participant_id))
