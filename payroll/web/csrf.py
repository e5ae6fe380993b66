"""CSRF protection: a per-session secret token in every form, checked before any POST.

The token lives in the signed, HttpOnly session cookie and is written into each form as
the hidden field ``csrftoken`` (or sent as the ``X-CSRFToken`` header). A request that
changes anything without the matching token is refused with 403 before a route runs.

Why not a package: ``starlette-csrf`` checks only a header, so plain HTML forms (the
console works without JavaScript) cannot pass it; ``asgi-csrf`` 0.11 fails on multipart
uploads with the python-multipart release FastAPI needs. The session middleware already
signs the cookie with itsdangerous, so the token needs no signature of its own.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

FIELD = "csrftoken"
HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


def token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    value = request.session.get("csrf")
    if not value:
        value = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(value)


FILE_SUFFIXES = (".csv", ".xlsx", ".pdf", ".zip")
FOREIGN = frozenset({"cross-site", "same-site"})


async def check(request: Request) -> None:
    """FastAPI dependency of every route: refuse a POST whose token does not match.

    A GET for a file (which writes it into the output folder and an audit entry) is
    refused when the browser's Fetch Metadata says another site asked for it: a link on
    another site cannot make the console write as the signed-in user. Pages stay
    reachable from links.
    """
    if request.method in SAFE_METHODS:
        site = request.headers.get("sec-fetch-site", "")
        if site in FOREIGN and request.url.path.endswith(FILE_SUFFIXES):
            raise CsrfRefused
        return
    expected = request.session.get("csrf")
    if not expected:
        raise CsrfRefused  # no session token: refused before the body is parsed
    given = request.headers.get(HEADER)
    if given is None:
        form = await request.form()  # cached: the route reads the same parsed form
        value = form.get(FIELD)
        given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(str(expected), given):
        raise CsrfRefused
