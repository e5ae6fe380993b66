"""분담금 대장 (the finance screen): a month's reconciliation, its city/district split, the
month's runs for the per-run filings, and the ledger file."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from payroll.domain.model import PayrollError
from payroll.services.common.access import Action, Actor, require
from payroll.services.console import files as console_files
from payroll.services.console import ledger as console_ledger
from payroll.services.console import runs as console_runs
from payroll.web import deps
from payroll.web.files import file_bytes, or_back

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/ledger")
def ledger_page(request: Request, me: ActorDep, month: str = "") -> Any:
    require(me, Action.LEDGER)
    month = month or request.session.get("month", "")
    report, error = None, None
    if month:
        try:
            month = deps.month_of(month)
        except PayrollError as exc:
            error = str(exc)
    if month and not error and me.may(Action.RECONCILE):
        try:
            report = console_ledger.ledger_view(deps.uow_of(request), me, month)
        except PayrollError as exc:
            error = str(exc)
    runs = []
    if month and not error:
        try:  # the month's runs, for the per-run filings
            runs = [
                c for c in console_runs.month_board(deps.uow_of(request), me, month) if c.run_id
            ]
        except PayrollError as exc:
            error = str(exc)
    ctx = {"month": month, "report": report, "error": error, "runs": runs}
    return deps.render(request, "ledger.html", ctx)


@router.get("/ledger/{month}.{fmt}")
def ledger(request: Request, me: ActorDep, month: str, fmt: str) -> Any:
    uow = deps.uow_of(request)
    return or_back(
        request,
        f"/ledger?month={month}",
        lambda: file_bytes(*console_files.ledger_file(uow, me, month, fmt)),
    )
