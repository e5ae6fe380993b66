"""내려받기: 명세서 PDF(한 장씩, ZIP), 인쇄 파일, 이체 파일, 급여대장, 분담금 대장."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from payroll.domain.model import PayrollError
from payroll.services.common.access import Action, Actor, Forbidden, NotFound, require
from payroll.services.console import files as console_files
from payroll.services.console import ledger as console_ledger
from payroll.services.console import runs as console_runs
from payroll.web import deps

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]
TYPES = {
    "pdf": "application/pdf",
    "zip": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"}


def _bytes(name: str, data: bytes) -> Response:
    return Response(data, media_type=TYPES[name.rsplit(".", 1)[1]], headers=_attachment(name))


def _or_back(request: Request, back: str, call: Any) -> Any:
    try:
        return call()
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
        return RedirectResponse(back, status_code=303)


@router.get("/payslips/{payslip_id}.pdf")
def payslip(request: Request, me: ActorDep, payslip_id: int) -> Any:
    name, data = console_files.payslip_pdf(deps.uow_of(request), me, payslip_id)
    return _bytes(name, data)


@router.get("/runs/{run_id}/payslips.zip")
def payslips_zip(request: Request, me: ActorDep, run_id: int) -> Any:
    uow, out = deps.uow_of(request), deps.out_dir_of(request)
    return _or_back(
        request,
        f"/runs/{run_id}",
        lambda: _bytes(*console_files.payslips_zip(uow, me, run_id, out)),
    )


@router.get("/runs/{run_id}/print.pdf")
def print_file(request: Request, me: ActorDep, run_id: int) -> Any:
    uow, out = deps.uow_of(request), deps.out_dir_of(request)

    def send() -> Any:
        path = console_files.print_file(uow, me, run_id, out)
        return FileResponse(path, media_type=TYPES["pdf"], headers=_attachment(path.name))

    return _or_back(request, f"/runs/{run_id}", send)


@router.get("/runs/{run_id}/{which}")
def run_file(request: Request, me: ActorDep, run_id: int, which: str) -> Any:
    """``payment.csv`` (이체 파일) or ``register.xlsx`` (급여대장) of a finalized run."""
    if which not in ("payment.csv", "register.xlsx"):
        raise NotFound(f"{which}: 찾을 수 없습니다")
    uow, out = deps.uow_of(request), deps.out_dir_of(request)

    def send() -> Any:
        files = console_files.run_files(uow, me, run_id, out)
        path = files.payment if which == "payment.csv" else files.register
        media = TYPES[which.rsplit(".", 1)[1]]
        return FileResponse(path, media_type=media, headers=_attachment(path.name))

    return _or_back(request, f"/runs/{run_id}", send)


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
    return _or_back(
        request,
        f"/ledger?month={month}",
        lambda: _bytes(*console_files.ledger_file(uow, me, month, fmt)),
    )
