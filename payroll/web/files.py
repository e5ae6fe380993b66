"""What the screens' downloads share: media types, the attachment header, and going back
to the screen with the refusal as a message."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from payroll.domain.model import PayrollError
from payroll.services.common.access import Forbidden, NotFound
from payroll.web import deps

TYPES = {
    "pdf": "application/pdf",
    "zip": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"}


def file_bytes(name: str, data: bytes) -> Response:
    return Response(data, media_type=TYPES[name.rsplit(".", 1)[1]], headers=attachment(name))


def or_back(request: Request, back: str, call: Any) -> Any:
    """``call()``; a refusal becomes a message on the screen ``back`` (403/404 stay)."""
    try:
        return call()
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
        return RedirectResponse(back, status_code=303)
