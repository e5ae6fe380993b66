"""A size limit on every request body, enforced before any form is parsed.

Anonymous requests (the login form) get the smallest allowance, signed-in pages a small
one, and only the upload routes the file limit. A declared ``Content-Length`` over the
limit is refused at once without reading; a body streamed without one is counted as it
arrives and refused when it passes the limit. Installed inside the session middleware, so
``scope["session"]`` tells a signed-in request from an anonymous one.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException

ANONYMOUS = 16 * 1024  # a login or password form is well under 1 KB
SIGNED_IN = 256 * 1024  # forms of the console: a few short fields
UPLOAD = 21 * 1024 * 1024  # a 20 MB file plus the multipart envelope
UPLOAD_PATHS = ("/uploads/", "/admin/withholding")
MESSAGE = "요청이 너무 큽니다 (허용 크기를 넘었습니다)."


def limit_for(path: str, signed_in: bool) -> int:
    """The largest body accepted for ``path``."""
    if not signed_in:
        return ANONYMOUS
    if path.startswith(UPLOAD_PATHS):
        return UPLOAD
    return SIGNED_IN


class BodyLimit:
    """ASGI middleware: 413 for a body over :func:`limit_for`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = scope.get("session") or {}
        limit = limit_for(scope.get("path", ""), bool(session.get("uid")))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send)
            return
        seen = 0

        async def counted() -> dict[str, Any]:
            nonlocal seen
            event: dict[str, Any] = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, MESSAGE)
            return event

        await self.app(scope, counted, send)


def _content_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return None


async def _refuse(send: Any) -> None:
    body = MESSAGE.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
