"""검토표, 빈 양식, 신고 자료, 퇴직금 검토, 조기 종료: the plug-ins of the run, uploads,
ledger and participant screens (each calls a ``services/console_*`` function)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from payroll.domain.labels import END_REASON_LABELS
from payroll.domain.model import PayrollError
from payroll.services.common.access import Actor, Forbidden, NotFound
from payroll.services.console import enrollment as console_enrollment
from payroll.services.console import filings as console_filings
from payroll.services.console import reports as console_reports
from payroll.services.console import runs as console_runs
from payroll.services.filings import registry as filing_registry
from payroll.web import deps
from payroll.web.routes.downloads import TYPES, _attachment, _bytes, _or_back

router = APIRouter()
deps.TEMPLATES.env.globals["end_reasons"] = END_REASON_LABELS
deps.TEMPLATES.env.globals["filing_kinds"] = filing_registry.kinds()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/runs/{run_id}/review.xlsx")
def review(request: Request, me: ActorDep, run_id: int) -> Any:
    uow = deps.uow_of(request)
    return _or_back(
        request,
        f"/runs/{run_id}",
        lambda: _bytes(*console_reports.review_workbook(uow, me, run_id)),
    )


@router.get("/templates/{kind}.xlsx")
def template(me: ActorDep, kind: str) -> Any:
    return _bytes(*console_reports.import_template(me, kind))


@router.get("/filings/severance.xlsx")
def severance(request: Request, me: ActorDep, district: str = "") -> Any:
    uow = deps.uow_of(request)
    return _or_back(
        request,
        "/ledger",
        lambda: _bytes(*console_reports.severance_workbook(uow, me, district)),
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
        return FileResponse(done.path, media_type=media, headers=_attachment(done.path.name))

    return _or_back(request, back, send)


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
        return FileResponse(
            done.path, media_type=TYPES["xlsx"], headers=_attachment(done.path.name)
        )

    return _or_back(request, back, send)


@router.post("/participants/{participant_id}/end")
def end_enrollment(
    request: Request,
    me: ActorDep,
    participant_id: str,
    on: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    program: Annotated[str, Form()] = "",
    term: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Any:
    """End an enrollment early; a refusal is shown on the participant page itself."""
    uow = deps.uow_of(request)
    try:
        done = console_enrollment.end_enrollment(
            uow, me, participant_id, on, reason, note, program or None, term or None
        )
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        entered = {"program": program, "term": term, "on": on, "reason": reason, "note": note}
        return _refused(request, me, participant_id, entered, str(exc))
    deps.flash(request, done.message)
    return RedirectResponse(f"/participants/{participant_id}", status_code=303)


def _refused(
    request: Request, me: Actor, participant_id: str, entered: dict[str, str], why: str
) -> Any:
    """The participant page with the refusal above the form, the entered values kept."""
    report = console_runs.participant_page(deps.uow_of(request), me, participant_id)
    ctx = {"p": report, "end_error": why, "entered": entered}
    return deps.render(request, "participant.html", ctx, 409)
