"""What every screen shares: templates, the signed-in actor, flash messages, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from payroll.domain.audit_labels import action_name, entity_name
from payroll.domain.users import UserAccount
from payroll.formats.inputs import parse_month
from payroll.services.admin.users import account, actor_of
from payroll.services.common.access import Action, Actor
from payroll.services.common.display_names import role_name, term_name
from payroll.services.console import waiting as console_waiting
from payroll.services.unit_of_work import UnitOfWork
from payroll.web import csrf
from payroll.web.hints import for_screen

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["won"] = lambda amount: f"{int(amount or 0):,}"
TEMPLATES.env.globals["Action"] = Action
TEMPLATES.env.globals["kst"] = timezone(timedelta(hours=9), "KST")
TEMPLATES.env.filters["role"] = role_name
TEMPLATES.env.filters["term"] = term_name
TEMPLATES.env.filters["audit_action"] = action_name
TEMPLATES.env.filters["audit_entity"] = entity_name
TEMPLATES.env.filters["weekday"] = lambda code: WEEKDAY_NAMES.get(code, code)
WEEKDAY_NAMES = {
    "mon": "월",
    "tue": "화",
    "wed": "수",
    "thu": "목",
    "fri": "금",
    "sat": "토",
    "sun": "일",
}
SESSION_HOURS = 8  # a session ends this long after login, whatever happens
IDLE_MINUTES = 30  # and after this long without a request


class LoginRequired(Exception):
    """No valid session: the browser is sent to the login page."""


class MustChangePassword(Exception):
    """A one-time password is in use: the browser is sent to the password page."""


def month_of(text: str) -> str:
    """A month as a user types it (``2025-04``, ``2025.4``, ``2025년 4월``) -> ``2025-04``;
    the same parser as the command line. An ``InputError`` in Korean otherwise."""
    return parse_month(text, "월")


def uow_of(request: Request) -> UnitOfWork:
    """A new unit of work on the console's database (one per service call or job)."""
    return request.app.state.unit_of_work()  # type: ignore[no-any-return]


def out_dir_of(request: Request) -> Path:
    return request.app.state.out_dir  # type: ignore[no-any-return]


def _stamp(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def start_session(request: Request, user: UserAccount) -> None:
    """A fresh session for ``user`` (the old one's content is dropped)."""
    request.session.clear()  # a new CSRF token too
    now = datetime.now(UTC).timestamp()
    request.session.update(
        {
            "uid": user.id,
            "pw": _stamp(user.password_changed_at),
            "sv": user.session_version,
            "grant": _grant(user),
            "at": now,
            "seen": now,
        }
    )


def _grant(user: UserAccount) -> str:
    """The role and districts a session was opened with; a change of either ends it."""
    return f"{user.role}:{','.join(sorted(user.districts))}"


def current_user(request: Request) -> tuple[Actor, UserAccount]:
    """The signed-in user, checked against the database on every request."""
    session = request.session
    uid = session.get("uid")
    now = datetime.now(UTC).timestamp()
    if not uid:
        raise LoginRequired
    if now - float(session.get("at", 0)) > SESSION_HOURS * 3600 or (
        now - float(session.get("seen", 0)) > IDLE_MINUTES * 60
    ):
        session.clear()
        raise LoginRequired
    row = account(uow_of(request), uid)
    # Server-side revocation: a disabled user, a password change or reset, a logout
    # (each raises the session version) or a new role or district ends the session.
    if (
        row is None
        or row.disabled
        or _stamp(row.password_changed_at) != session.get("pw")
        or row.session_version != session.get("sv")
        or _grant(row) != session.get("grant")
    ):
        session.clear()
        raise LoginRequired
    session["seen"] = now
    return actor_of(row), row


def actor(request: Request) -> Actor:
    """The acting user of a screen (FastAPI dependency); must have a chosen password."""
    who, row = current_user(request)
    if row.must_change_password:
        raise MustChangePassword
    return who


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session.setdefault("flash", []).append([kind, for_screen(message)])


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> Any:
    """A page with the actor, flash messages and the CSRF token for its forms."""
    ctx = dict(context or {})
    for key in ("message", "error"):  # a service's refusal: its hints name buttons here
        if isinstance(ctx.get(key), str):
            ctx[key] = for_screen(ctx[key])
    ctx.setdefault("me", _me(request))
    if ctx["me"] is not None and "header" not in ctx:
        ctx["header"] = console_waiting.header(uow_of(request), ctx["me"])
    ctx["flashes"] = request.session.pop("flash", []) if "session" in request.scope else []
    ctx["csrf"] = csrf.token(request)
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)


def _me(request: Request) -> Actor | None:
    try:
        return current_user(request)[0]
    except LoginRequired:
        return None
