"""신고 자료 (filings) on the finance screen: each kind of the registry
(``services/filings/kinds/``) as a POST, masked or with full RRNs behind a password, and
the severance review workbook."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from payroll.domain.model import PayrollError
from payroll.services.common.access import Actor
from payroll.services.console import filings as console_filings
from payroll.services.console import reports as console_reports
from payroll.services.filings import registry as filing_registry
from payroll.web import deps
from payroll.web.files import TYPES, attachment, file_bytes, or_back

router = APIRouter()
deps.TEMPLATES.env.globals["filing_kinds"] = filing_registry.kinds()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/filings/severance.xlsx")
def severance(request: Request, me: ActorDep, district: str = "") -> Any:
    uow = deps.uow_of(request)
    return or_back(
        request,
        "/ledger",
        lambda: file_bytes(*console_reports.severance_workbook(uow, me, district)),
    )


@router.post("/filings/{kind}")
async def filing(request: Request, me: ActorDep, kind: str) -> Any:
    """One filing of the month (masked RRNs); refused while a run it needs is open.

    A POST with the CSRF token: making a filing writes a file and an audit entry, so a
    link on another site cannot make one.
    """
    form = await request.form()
    params = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrftoken"}
    return await run_in_threadpool(_filing, request, me, kind, params)


def _filing(request: Request, me: Actor, kind: str, params: dict[str, str]) -> Any:
    uow, out = deps.uow_of(request), deps.out_dir_of(request)
    back = "/ledger?" + urlencode({"month": params.get("month", "")})

    def send() -> Any:
        done = console_filings.filing_file(uow, me, kind, params, out)
        media = TYPES[done.path.suffix.lstrip(".")]
        return FileResponse(done.path, media_type=media, headers=attachment(done.path.name))

    return or_back(request, back, send)


@router.post("/filings")
def filing_with_full_rrns(
    request: Request,
    me: ActorDep,
    kind: Annotated[str, Form()],
    password: Annotated[str, Form()],
    again: Annotated[str, Form()],
    month: Annotated[str, Form()] = "",
    half: Annotated[str, Form()] = "",
    first: Annotated[str, Form(alias="from")] = "",
    last: Annotated[str, Form(alias="to")] = "",
    run: Annotated[str, Form()] = "",
) -> Any:
    """A filing with full RRNs as an encrypted XLSX; the password is never kept or logged."""
    uow, out = deps.uow_of(request), deps.out_dir_of(request)
    params = {"month": month, "half": half, "from": first, "to": last, "run": run}
    if kind != "simple-statement" or half.strip():
        params.pop("month")  # the page's month, used only by a monthly simple statement
    back = "/ledger?" + urlencode({"month": month})

    def send() -> Any:
        if password != again:
            raise PayrollError("암호 두 칸이 다릅니다")
        done = console_filings.filing_file(uow, me, kind, params, out, password)
        return FileResponse(done.path, media_type=TYPES["xlsx"], headers=attachment(done.path.name))

    return or_back(request, back, send)
