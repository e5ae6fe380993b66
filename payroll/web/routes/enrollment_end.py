"""조기 종료 (early end of an enrollment) from the participant screen: the POST, and the
participant page again with the refusal above the form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from payroll.domain.labels import END_REASON_LABELS
from payroll.domain.model import PayrollError
from payroll.services.common.access import Actor, Forbidden, NotFound
from payroll.services.console import enrollment as console_enrollment
from payroll.services.console import runs as console_runs
from payroll.web import deps

router = APIRouter()
deps.TEMPLATES.env.globals["end_reasons"] = END_REASON_LABELS
ActorDep = Annotated[Actor, Depends(deps.actor)]


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
