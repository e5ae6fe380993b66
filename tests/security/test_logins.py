"""Login guessing: throttled per address and per account, no header games, no timing tell."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin import users
from payroll.services.admin.users import MAX_FAILED, LoginFailed, disable_user, login
from payroll.web.security import LoginThrottle, client_address

pytestmark = pytest.mark.usefixtures("users")


def attempt(b: Any, name: str, password: str, forwarded: str | None = None) -> Any:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    token = b.token()
    return b.client.post(
        "/login",
        data={"username": name, "password": password, "csrftoken": token},
        headers=headers,
    )


def test_rotating_x_forwarded_for_does_not_avoid_the_pause(browser: Any) -> None:
    b = browser()
    for i in range(3):  # the app under test allows 3 failures per address
        assert attempt(b, f"u{i}", "wrong", forwarded=f"10.0.0.{i}").status_code == 401
    assert attempt(b, "u9", "wrong", forwarded="10.0.0.99").status_code == 429


def test_own_successful_login_does_not_clear_the_addresses_failures(browser: Any) -> None:
    b = browser()
    assert attempt(b, "manager", "guess-1").status_code == 401
    assert attempt(b, "manager2", "guess-2").status_code == 401
    me = browser()
    assert me.login("clerk").url.path == "/board"  # the attacker's own account
    assert attempt(b, "finance", "guess-3").status_code == 401
    assert attempt(b, "admin", "guess-4").status_code == 429


def test_forwarded_header_is_read_only_from_a_named_proxy() -> None:
    headers = {"x-forwarded-for": "1.2.3.4, 10.9.9.9"}
    assert client_address("203.0.113.5", headers, frozenset()) == "203.0.113.5"
    proxies = frozenset({"10.0.0.1"})
    assert client_address("203.0.113.5", headers, proxies) == "203.0.113.5"
    # behind the proxy: the right-most hop it saw, not what the client wrote on the left
    assert client_address("10.0.0.1", headers, proxies) == "10.9.9.9"
    assert client_address("10.0.0.1", {}, proxies) == "10.0.0.1"


def test_one_account_is_paused_whatever_the_address() -> None:
    throttle = LoginThrottle(limit=100, account_limit=5)
    for i in range(5):
        throttle.failed(f"10.0.0.{i}", "Clerk ")
    assert throttle.blocked("10.1.1.1", "clerk")
    assert not throttle.blocked("10.1.1.1", "manager")
    throttle.succeeded("10.1.1.1", "manager")  # another's success clears nothing of clerk's
    assert throttle.blocked("10.2.2.2", "clerk")


def test_web_command_turns_off_uvicorns_own_proxy_trust(
    monkeypatch: pytest.MonkeyPatch, cli_env: str
) -> None:
    import uvicorn

    from payroll.cli import web

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    web.web(host="127.0.0.1", port=8123)
    assert seen["proxy_headers"] is False


@pytest.mark.parametrize("case", ["unknown", "wrong", "locked", "disabled"])
def test_every_refusal_costs_one_password_check(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """Unknown, locked and disabled accounts answer as slowly as a wrong password."""
    name = "nobody" if case == "unknown" else "clerk"
    if case == "locked":
        for _ in range(MAX_FAILED):
            with pytest.raises(LoginFailed):
                login(SqlUnitOfWork(engine), "clerk", "wrong")
    if case == "disabled":
        disable_user(SqlUnitOfWork(engine), "clerk", "admin")
    checks: list[str] = []
    real = users._verify
    monkeypatch.setattr(users, "_verify", lambda h, p: checks.append(h) or real(h, p))
    with pytest.raises(LoginFailed):
        login(SqlUnitOfWork(engine), name, "wrong")
    assert len(checks) == 1
