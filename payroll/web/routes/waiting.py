"""할 일 and 급여 실행 목록: the runs waiting for the signed-in manager, approving a month's
runs at once, and the runs of a year."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services.common.access import Action, Actor, Forbidden, NotFound
from payroll.services.console import waiting as console_waiting
from payroll.web import deps

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/waiting")
def waiting_page(request: Request, me: ActorDep) -> Any:
    runs = console_waiting.waiting_for(deps.uow_of(request), me)
    months = sorted({r.month for r in runs if r.step == "승인"})
    ctx = {"runs": runs, "months": months, "can_approve": me.may(Action.APPROVE)}
    return deps.render(request, "waiting.html", ctx)


@router.get("/runs")
def runs_of_year(request: Request, me: ActorDep, year: str = "") -> Any:
    """The runs of a year (this year by default), each with its state and totals."""
    chosen = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else date.today().year
    runs = console_waiting.runs_of_year(deps.uow_of(request), me, chosen)
    ctx = {"year": chosen, "runs": runs, "people": me.may(Action.VIEW_PEOPLE)}
    return deps.render(request, "runs_year.html", ctx)


@router.post("/waiting/approve")
def approve_month(request: Request, me: ActorDep, month: Annotated[str, Form()]) -> Any:
    """Approve every run of the month this manager may approve; say what was left."""
    try:
        month = deps.month_of(month)
        done = console_waiting.approve_month(deps.uow_of(request), me, month)
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
        return RedirectResponse("/waiting", status_code=303)
    if done.approved:
        deps.flash(
            request,
            f"{month} 급여 {len(done.approved)}건을 승인했습니다: " + ", ".join(done.approved),
        )
    for left in done.left:
        deps.flash(request, f"승인하지 않음 — {left}", "warn")
    if not done.approved and not done.left:
        deps.flash(request, f"{month}에 승인할 급여가 없습니다.", "warn")
    return RedirectResponse("/board?" + urlencode({"month": month}), status_code=303)
