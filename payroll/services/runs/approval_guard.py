"""Approval binds the figures: what a manager approved is what is finalized and paid.

Approving records a fingerprint of every payslip line, every payee (bank, account,
holder) and the month's attendance of each participant; the per-participant digests go
into the ``run.approved`` audit entry, so a later change can be named. A change after
approval (a roster's new account, imported attendance, a recalculation) returns the run
to 계산됨 with the change named (:func:`reopen_changed`), and finalization refuses a run
whose fingerprint differs from the approved one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from payroll.domain.model import AttendanceRecord
from payroll.domain.runs import RunRecord, RunState
from payroll.services.common import audit
from payroll.services.unit_of_work import UnitOfWork

PARTS = ("급여 내역", "지급 계좌", "출결")
"""What each of a participant's three digests covers, as the change is named."""


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def participant_digests(uow: UnitOfWork, run: RunRecord) -> dict[str, list[str]]:
    """participant id → [lines, payee, attendance] digests of ``run`` as it is now."""
    with uow:
        slips = uow.carryovers.run_figures(run.id)
        exceptions = uow.runs.exceptions(run.id)
        enrollments = [s[0] for s in slips] + [x.enrollment_id for x, _ in exceptions]
        payees = uow.carryovers.payees(enrollments)  # with the participant ids
        days = uow.carryovers.month_attendance(enrollments, run.month)
    out: dict[str, list[str]] = {}
    for eid, gross, deductions, net, lines in sorted(slips, key=lambda s: payees[s[0]][0]):
        out[payees[eid][0]] = [
            _digest([lines, gross, deductions, net]),
            *_payee_and_days(payees, days, eid),
        ]
    for exception, pid in exceptions:
        out[pid] = [
            _digest(["보류", exception.excluded, exception.reason]),
            *_payee_and_days(payees, days, exception.enrollment_id),
        ]
    return out


def _payee_and_days(
    payees: Mapping[int, tuple[str, ...]],
    days: Mapping[int, list[AttendanceRecord]],
    enrollment: int,
) -> list[str]:
    """The payee and attendance digests of ``enrollment``."""
    return [
        _digest(payees.get(enrollment, ())[1:]),
        _digest(
            sorted((str(r.day), str(r.status), str(r.hours)) for r in days.get(enrollment, []))
        ),
    ]


def fingerprint(digests: Mapping[str, list[str]]) -> str:
    """One hash of a run's per-participant digests."""
    return hashlib.sha256(
        json.dumps(dict(sorted(digests.items())), sort_keys=True).encode()
    ).hexdigest()


def record_approval(uow: UnitOfWork, run: RunRecord, by: str) -> str:
    """Store the fingerprint of ``run`` as approved (inside the approval's transaction)."""
    with uow:
        digests = participant_digests(uow, run)
        print_ = fingerprint(digests)
        uow.carryovers.set_fingerprint(run.id, print_)
        audit.record(
            uow, by, "run.approved", "payroll_run", run.id, fingerprint=print_, digests=digests
        )
        return print_


def approved_digests(uow: UnitOfWork, run: RunRecord) -> dict[str, list[str]]:
    """The per-participant digests of the run's last approval (empty when none)."""
    with uow:
        entries = [e for e in uow.audit.entries("payroll_run", str(run.id))]
    for entry in reversed(entries):
        if entry.action == "run.approved":
            found = entry.detail.get("digests")
            return dict(found) if isinstance(found, dict) else {}
    return {}


def changes_since_approval(uow: UnitOfWork, run: RunRecord) -> list[str]:
    """What changed since ``run`` was approved, in Korean (``P-2 지급 계좌``); empty: nothing."""
    if not run.approved_fingerprint:  # approved before fingerprints were kept
        return []
    with uow:
        now = participant_digests(uow, run)
        if fingerprint(now) == run.approved_fingerprint:
            return []
        before = approved_digests(uow, run)
    changes = []
    for pid in sorted(set(now) | set(before)):
        if pid not in before:
            changes.append(f"{pid} 추가")
        elif pid not in now:
            changes.append(f"{pid} 빠짐")
        else:
            parts = [
                name for name, a, b in zip(PARTS, before[pid], now[pid], strict=True) if a != b
            ]
            if parts:
                changes.append(f"{pid} {'·'.join(parts)} 변경")
    if not changes:
        changes.append("급여 내역 변경")
    return changes


def reopen(uow: UnitOfWork, run: RunRecord, changes: list[str], actor: str) -> str:
    """Return an approved run to 계산됨, naming ``changes``; the note kept on the run."""
    shown = ", ".join(changes[:5]) + (f" 외 {len(changes) - 5}건" if len(changes) > 5 else "")
    note = f"승인 후 변경되어 다시 승인이 필요합니다: {shown}"
    with uow:
        uow.carryovers.reopen(run.id, note)
        audit.record(uow, actor, "run.reopened", "payroll_run", run.id, changes=changes)
    return note


def reopen_changed(uow: UnitOfWork, actor: str) -> list[tuple[int, str]]:
    """Every approved run whose figures, payees or attendance changed since its approval,
    returned to 계산됨 (in the caller's transaction); (run id, note) of each."""
    out = []
    with uow:
        for run in uow.runs.list(state=RunState.APPROVED):
            changes = changes_since_approval(uow, run)
            if changes:
                out.append((run.id, reopen(uow, run, changes, actor)))
    return out
