"""A run's files (실행 파일): payslip PDFs (one, or a ZIP), the print file, the payment
file, the payroll register and the review workbook, each at its own path."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from payroll.services.common.access import Actor
from payroll.services.console import files as console_files
from payroll.services.console import reports as console_reports
from payroll.web import deps
from payroll.web.files import TYPES, attachment, file_bytes, or_back

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/payslips/{payslip_id}.pdf")
def payslip(request: Request, me: ActorDep, payslip_id: int) -> Any:
    name, data = console_files.payslip_pdf(deps.uow_of(request), me, payslip_id)
    return file_bytes(name, data)


@router.get("/runs/{run_id}/payslips.zip")
def payslips_zip(request: Request, me: ActorDep, run_id: int) -> Any:
    uow, out = deps.uow_of(request), deps.out_dir_of(request)
    return or_back(
        request,
        f"/runs/{run_id}",
        lambda: file_bytes(*console_files.payslips_zip(uow, me, run_id, out)),
    )


@router.get("/runs/{run_id}/print.pdf")
def print_file(request: Request, me: ActorDep, run_id: int) -> Any:
    uow, out = deps.uow_of(request), deps.out_dir_of(request)

    def send() -> Any:
        path = console_files.print_file(uow, me, run_id, out)
        return FileResponse(path, media_type=TYPES["pdf"], headers=attachment(path.name))

    return or_back(request, f"/runs/{run_id}", send)


def _run_file(request: Request, me: Actor, run_id: int, pick: Any, fmt: str) -> Any:
    uow, out = deps.uow_of(request), deps.out_dir_of(request)

    def send() -> Any:
        path: Path = pick(console_files.run_files(uow, me, run_id, out))
        return FileResponse(path, media_type=TYPES[fmt], headers=attachment(path.name))

    return or_back(request, f"/runs/{run_id}", send)


@router.get("/runs/{run_id}/payment.csv")
def payment_file(request: Request, me: ActorDep, run_id: int) -> Any:
    """이체 파일 of a finalized run."""
    return _run_file(request, me, run_id, lambda files: files.payment, "csv")


@router.get("/runs/{run_id}/register.xlsx")
def register(request: Request, me: ActorDep, run_id: int) -> Any:
    """급여대장 of a finalized run."""
    return _run_file(request, me, run_id, lambda files: files.register, "xlsx")


@router.get("/runs/{run_id}/review.xlsx")
def review(request: Request, me: ActorDep, run_id: int) -> Any:
    uow = deps.uow_of(request)
    return or_back(
        request,
        f"/runs/{run_id}",
        lambda: file_bytes(*console_reports.review_workbook(uow, me, run_id)),
    )
