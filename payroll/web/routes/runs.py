"""급여 실행 화면: 합계, 예외(제외), 참여자별 모든 항목과 검색, 승인·확정·취소."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services.common.access import Actor, Forbidden, NotFound
from payroll.services.console import carryovers as console_carryovers
from payroll.services.console import delivery as console_delivery
from payroll.services.console import files as console_files
from payroll.services.console import runs as console_runs
from payroll.web import deps

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/runs/{run_id}")
def run_page(request: Request, me: ActorDep, run_id: int, q: str = "", p: int = 1) -> Any:
    uow = deps.uow_of(request)
    page = console_runs.run_page(uow, me, run_id)
    slips = console_runs.run_payslips(uow, me, run_id, q, p)
    delivery = console_delivery.run_deliveries(uow, me, run_id)
    extras = console_carryovers.run_extras(uow, me, run_id)
    context = {"page": page, "slips": slips, "q": q, "delivery": delivery, "extras": extras}
    context["may_send"] = console_delivery.may_send(me)
    return deps.render(request, "run.html", context)


@router.get("/runs/{run_id}/rows")
def run_rows(request: Request, me: ActorDep, run_id: int, q: str = "", p: int = 1) -> Any:
    """The participant rows matching the search box (htmx swaps them in)."""
    slips = console_runs.run_payslips(deps.uow_of(request), me, run_id, q, p)
    return deps.render(request, "_run_rows.html", {"slips": slips, "q": q})


def _act(request: Request, run_id: int, done: str, call: Any) -> Any:
    try:
        call()
        deps.flash(request, done)
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.post("/runs/{run_id}/approve")
def approve(request: Request, me: ActorDep, run_id: int) -> Any:
    uow = deps.uow_of(request)
    return _act(request, run_id, "승인했습니다.", lambda: console_runs.approve(uow, me, run_id))


@router.post("/runs/{run_id}/finalize")
def finalize(request: Request, me: ActorDep, run_id: int) -> Any:
    uow = deps.uow_of(request)
    return _act(
        request,
        run_id,
        "확정했습니다. 이 급여는 이제 바뀌지 않습니다.",
        lambda: console_runs.finalize(uow, me, run_id),
    )


@router.post("/runs/{run_id}/cancel")
def cancel(request: Request, me: ActorDep, run_id: int, reason: Annotated[str, Form()] = "") -> Any:
    uow = deps.uow_of(request)
    return _act(
        request, run_id, "취소했습니다.", lambda: console_runs.cancel(uow, me, run_id, reason)
    )


@router.post("/runs/{run_id}/exclude")
def exclude(
    request: Request,
    me: ActorDep,
    run_id: int,
    participant_id: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Any:
    uow = deps.uow_of(request)
    return _act(
        request,
        run_id,
        f"{participant_id}의 이번 달 급여를 지급 보류했습니다 (계산해 보관, 해제 후 지급).",
        lambda: console_runs.exclude(uow, me, run_id, participant_id, reason),
    )


@router.post("/runs/{run_id}/payslips")
def render_payslips(request: Request, me: ActorDep, run_id: int) -> Any:
    """Render the run's payslips and print file in the background."""
    uow = deps.uow_of(request)
    page = console_runs.run_page(uow, me, run_id)
    out = deps.out_dir_of(request)

    def work(progress: Any) -> str:
        report = console_files.render_run_payslips(uow, me, run_id, out, progress)
        failed = f", 실패 {len(report.failed)}건" if report.failed else ""
        return f"명세서 {report.rendered}건 생성, {report.skipped}건 그대로{failed}"

    job = request.app.state.jobs.start(
        me.name, f"급여 실행 {run_id} 명세서 만들기", page.run.participants, f"/runs/{run_id}", work
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
