"""Security headers on every response, and login throttling per client address."""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Mapping
from typing import Any

# No inline script or style anywhere: htmx and the stylesheet come from /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` (and ``no-store`` for pages) to responses."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")

        async def with_headers(event: dict[str, Any]) -> None:
            if event["type"] == "http.response.start":
                names = {k.lower() for k, _ in event.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                if not static and b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                event = {**event, "headers": [*event.get("headers", []), *extra]}
            await send(event)

        await self.app(scope, receive, with_headers)


class LoginThrottle:
    """At most ``limit`` failed logins per client address and ``account_limit`` per
    username in ``window`` seconds.

    The account lock (:mod:`payroll.services.admin.users`) stops guessing one user's password;
    this stops one address from trying many users, and many addresses from trying one.
    A successful login clears only that account's count: signing in to one's own account
    does not wipe the failures the same address made on others.
    """

    def __init__(self, limit: int = 10, window: float = 900.0, account_limit: int = 20) -> None:
        self.limit, self.window, self.account_limit = limit, window, account_limit
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    @staticmethod
    def _keys(client: str, username: str | None) -> tuple[str, str | None]:
        account = None if username is None else "user:" + username.strip().casefold()
        return "addr:" + client, account

    def blocked(self, client: str, username: str | None = None) -> bool:
        address, account = self._keys(client, username)
        with self._lock:
            now = time.monotonic()
            if len(self._recent(address, now)) >= self.limit:
                return True
            return account is not None and len(self._recent(account, now)) >= self.account_limit

    def failed(self, client: str, username: str | None = None) -> None:
        with self._lock:
            now = time.monotonic()
            for key in self._keys(client, username):
                if key is not None:
                    self._recent(key, now).append(now)

    def succeeded(self, client: str, username: str | None = None) -> None:
        _address, account = self._keys(client, username)
        with self._lock:
            if account is not None:
                self._failures.pop(account, None)


def trusted_proxies() -> frozenset[str]:
    """Addresses named in ``PAYROLL_WEB_TRUSTED_PROXIES`` (comma or space separated)."""
    given = os.environ.get("PAYROLL_WEB_TRUSTED_PROXIES", "")
    return frozenset(p for p in given.replace(",", " ").split() if p)


def client_address(peer: str | None, headers: Mapping[str, str], proxies: frozenset[str]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy.

    Behind a trusted proxy the right-most ``X-Forwarded-For`` entry that is not itself a
    trusted proxy is the client (entries further left are whatever the client wrote).
    """
    address = peer or "?"
    if address not in proxies:
        return address
    chain = [a.strip() for a in headers.get("x-forwarded-for", "").split(",") if a.strip()]
    for hop in reversed(chain):
        if hop not in proxies:
            return hop
    return address
