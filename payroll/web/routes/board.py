"""월별 현황판: 자치구 × 사업마다 상태, 인원, 합계, 예외, 다음 할 일."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services.common.access import Action, Actor, Forbidden, NotFound
from payroll.services.console import runs as console_runs
from payroll.web import deps

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


def default_month() -> str:
    today = date.today()
    return f"{today.year:04d}-{today.month:02d}"


@router.get("/")
def home() -> Any:
    return RedirectResponse("/board", status_code=303)


@router.get("/board")
def month_board(request: Request, me: ActorDep, month: str = "") -> Any:
    typed = month or request.session.get("month") or default_month()
    uow = deps.uow_of(request)
    error, cells, valid = None, [], False
    try:
        month = deps.month_of(typed)
        cells = console_runs.month_board(uow, me, month)
        request.session["month"] = month
        valid = True
    except PayrollError as exc:
        month, error = typed, str(exc)
    ctx = {
        "month": month,
        "valid": valid,
        "cells": cells,
        "error": error,
        "districts": console_runs.visible_districts(uow, me),
        "programs": console_runs.program_choices(uow),
        "can_calculate": valid and me.may(Action.CALCULATE),
    }
    return deps.render(request, "board.html", ctx)


@router.post("/calculate")
def calculate(
    request: Request,
    me: ActorDep,
    month: Annotated[str, Form()],
    district: Annotated[str, Form()],
    program: Annotated[str, Form()],
) -> Any:
    """Start the calculation in the background; the job page shows its progress."""
    uow = deps.uow_of(request)
    try:
        month = deps.month_of(month)
        total = console_runs.calculation_size(uow, me, month, district, program)
    except PayrollError as exc:
        if isinstance(exc, NotFound | Forbidden):
            raise
        deps.flash(request, str(exc), "error")
        return RedirectResponse(f"/board?{urlencode({'month': month})}", status_code=303)

    def work(progress: Any) -> str:
        results = console_runs.calculate(uow, me, month, district, program, progress)
        return (
            "; ".join(
                f"급여 실행 {r.id}: {r.participants}명, 예외 {r.exceptions}건, "
                f"지급 총액 {r.gross:,}원" + (f" ({r.note})" if r.note else "")
                for r in results
            )
            or "계산할 참여자가 없습니다"
        )

    title = " ".join(
        (
            month,
            dict(console_runs.visible_districts(uow, me)).get(district, district),
            dict(console_runs.program_choices(uow)).get(program, program),
            "급여 계산",
        )
    )
    job = request.app.state.jobs.start(me.name, title, total, f"/board?month={month}", work)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, me: ActorDep, job_id: str) -> Any:
    job = request.app.state.jobs.get(job_id, me.name)
    return deps.render(request, "job.html", {"job": job})


@router.get("/jobs/{job_id}/progress")
def job_progress(request: Request, me: ActorDep, job_id: str) -> Any:
    """The progress fragment htmx polls every second until the job ends."""
    job = request.app.state.jobs.get(job_id, me.name)
    return deps.render(request, "_job_progress.html", {"job": job})
