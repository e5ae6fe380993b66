"""연도별 기준: the city administrator's year page (draft, edit, preview, publish, history)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.services.common import display_names
from payroll.services.common.access import Actor, Forbidden, NotFound
from payroll.services.console import years as console_years
from payroll.web import deps

router = APIRouter(prefix="/admin/years")
ActorDep = Annotated[Actor, Depends(deps.actor)]


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 2000 <= year <= 2100:
        raise NotFound()
    return year


@router.get("")
def year_page(request: Request, me: ActorDep, year: int = 0) -> Any:
    uow = deps.uow_of(request)
    form = console_years.year_form(uow, me, _year(year or date.today().year + 1))
    ctx = {
        "f": form,
        "history": console_years.history(deps.uow_of(request), me),
        "names": display_names.names(deps.uow_of(request)),
    }
    return deps.render(request, "admin_years.html", ctx)


@router.post("")
async def year_post(request: Request, me: ActorDep) -> Any:
    """``step=preview`` checks and shows the effect; ``step=publish`` writes the changes."""
    posted = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _year(posted.get("year"))
    uow = deps.uow_of(request)
    preview = console_years.preview_year(uow, me, posted)
    if posted.get("step") == "publish" and not preview.problems:
        try:
            result = console_years.publish_year(deps.uow_of(request), me, posted)
        except (NotFound, Forbidden):
            raise
        except PayrollError as exc:
            preview.problems = list(getattr(exc, "problems", [str(exc)]))
        else:
            marked = f", 재계산 표시 {len(result.marked)}건" if result.marked else ""
            deps.flash(
                request, f"{posted['year']}년 기준 {len(result.changes)}건을 반영했습니다{marked}"
            )
            return RedirectResponse(f"/admin/years?year={posted['year']}", status_code=303)
    ctx = {
        "f": preview.form,
        "preview": preview,
        "history": console_years.history(deps.uow_of(request), me),
        "names": display_names.names(deps.uow_of(request)),
    }
    return deps.render(request, "admin_years.html", ctx, 400 if preview.problems else 200)
