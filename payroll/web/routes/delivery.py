"""명세서 발송: the run page's send button (a background job) and the delivery states."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from payroll.notify.channels import open_channels
from payroll.services.common.access import Actor
from payroll.services.console import delivery as console_delivery
from payroll.services.console import runs as console_runs
from payroll.web import deps

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.post("/runs/{run_id}/send")
def send_payslips(request: Request, me: ActorDep, run_id: int) -> Any:
    """Send the run's payslips by e-mail and 알림톡 in the background."""
    uow = deps.uow_of(request)
    page = console_runs.run_page(uow, me, run_id)
    if not console_delivery.may_send(me):
        deps.flash(request, "명세서를 보낼 권한이 없습니다", "error")
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def work(_progress: Any) -> str:
        with open_channels() as (mailer, texts):
            return console_delivery.send(uow, me, run_id, mailer, texts)

    job = request.app.state.jobs.start(
        me.name, f"급여 실행 {run_id} 명세서 발송", page.run.participants, f"/runs/{run_id}", work
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
