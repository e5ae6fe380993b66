"""The console over HTTP: login, sessions, CSRF, throttling, IDOR, buttons, uploads, jobs."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AttendanceRow, AuditLog, PayrollRun, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin.users import MAX_FAILED
from payroll.services.runs.lifecycle import calculate_runs
from tests.e2e.web.conftest import OTHER, OWN
from tests.support.factories import add_enrolled

pytestmark = pytest.mark.usefixtures("users")


@pytest.fixture
def runs(engine: Engine) -> dict[str, int]:
    """A calculated March run of 종로구 (own) and one of 중구 (other)."""
    add_enrolled(engine, "J-001", district=OWN)
    add_enrolled(engine, "C-001", name="박비밀", district=OTHER)
    calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    with transaction(engine) as session:
        found = {r.district_code: r.id for r in session.scalars(select(PayrollRun))}
        slips = {
            r.district_code: session.scalars(
                select(PayslipRow.id).where(PayslipRow.run_id == r.id)
            ).one()
            for r in session.scalars(select(PayrollRun))
        }
    return {
        "own": found[OWN],
        "other": found[OTHER],
        "own_slip": slips[OWN],
        "other_slip": slips[OTHER],
    }


def state(engine: Engine, run_id: int) -> str:
    with transaction(engine) as session:
        run = session.get(PayrollRun, run_id)
        assert run is not None
        return run.state


# --- login and sessions --------------------------------------------------------------


def test_login_then_logout(browser: Any) -> None:
    b = browser()
    assert b.get("/board").url.path == "/login"  # not signed in
    page = b.login("clerk")
    assert page.url.path == "/board" and "월별 현황" in page.text and "clerk 님 (담당" in page.text
    b.post("/logout")
    assert b.get("/board").url.path == "/login"


def test_wrong_password_is_refused_without_saying_which_part(browser: Any) -> None:
    b = browser()
    page = b.login("clerk", "틀린 비밀번호")
    assert page.status_code == 401 and "아이디 또는 비밀번호가 맞지 않거나" in page.text
    unknown = b.login("nobody", "틀린 비밀번호")
    assert unknown.status_code == 401 and "아이디 또는 비밀번호가 맞지 않거나" in unknown.text


def test_one_time_password_must_be_changed_first(browser: Any, engine: Engine) -> None:
    from payroll.services.admin.users import add_user

    first = add_user(SqlUnitOfWork(engine), "new", "신규", "district_clerk", [OWN], "admin")
    b = browser()
    assert b.login("new", first).url.path == "/password"
    assert b.get("/board").url.path == "/password"  # nothing else until it is changed
    short = b.post("/password", current=first, new="short", again="short")
    assert short.status_code == 400 and "10자 이상" in short.text
    done = b.post("/password", current=first, new="새-비밀번호-12345", again="새-비밀번호-12345")
    assert done.url.path == "/board" and "비밀번호를 바꿨습니다" in done.text


def test_session_cookie_is_signed_httponly_samesite_and_expires(browser: Any) -> None:
    b = browser()
    page = b.client.get("/login")
    response = b.client.post(
        "/login",
        data={"username": "clerk", "password": "비밀번호-clerk-2025", "csrftoken": csrf(page)},
        follow_redirects=False,
    )
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "payroll_session" in v
    )
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "max-age=28800" in cookie.lower()
    value = cookie.split(";")[0].split("=", 1)[1]
    b.client.cookies.set("payroll_session", value[:-4] + "AAAA")  # tampered signature
    assert b.get("/board").url.path == "/login"


def test_disabling_a_user_ends_their_session(browser: Any, engine: Engine) -> None:
    from payroll.services.admin.users import disable_user

    b = browser()
    b.login("clerk")
    disable_user(SqlUnitOfWork(engine), "clerk", "admin")
    assert b.get("/board").url.path == "/login"


def test_security_headers(browser: Any) -> None:
    headers = browser().get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script(browser: Any, runs: dict[str, int]) -> None:
    b = browser()
    b.login("manager")
    for url in ("/board?month=2025-03", f"/runs/{runs['own']}", "/participants/J-001"):
        html = b.get(url).text
        assert "<script>" not in html and "<script " not in html.replace(
            '<script src="/static/htmx.min.js" defer>', ""
        ).replace('<script src="/static/confirm.js" defer>', "")
        assert "style=" not in html and "onclick" not in html


def test_the_participant_page_names_programs_in_korean(browser: Any, runs: dict[str, int]) -> None:
    b = browser()
    b.login("manager")
    html = b.get("/participants/J-001").text
    enrolled = html.split("참여 이력", 1)[1].split("</table>", 1)[0]
    assert "서울 동행일자리" in enrolled and "<td>dongheng</td>" not in enrolled


# --- CSRF and throttling -------------------------------------------------------------


def csrf(page: Any) -> str:
    from tests.e2e.web.conftest import csrf_of

    return csrf_of(page.text)


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    b = browser()
    b.login("manager")
    url = f"/runs/{runs['own']}/approve"
    missing = b.client.post(url, data={})
    assert missing.status_code == 403 and "CSRF" in missing.text
    wrong = b.client.post(url, data={"csrftoken": "forged"})
    assert wrong.status_code == 403
    assert state(engine, runs["own"]) == "calculated"  # nothing happened
    assert b.post(url).status_code == 200 and state(engine, runs["own"]) == "approved"


def test_login_form_needs_the_csrf_token_even_without_cookies(browser: Any) -> None:
    b = browser()
    response = b.client.post(
        "/login", data={"username": "clerk", "password": "비밀번호-clerk-2025"}
    )
    assert response.status_code == 403


def test_repeated_failures_lock_the_account(browser: Any) -> None:
    for _ in range(MAX_FAILED):
        browser().login("clerk", "wrong")  # a fresh client each time: no shared cookie
    page = browser().login("clerk")  # the right password, but locked now
    assert page.status_code in (401, 429) and page.url.path == "/login"


def test_one_address_is_throttled_after_failures(browser: Any) -> None:
    b = browser()
    for name in ("a", "b", "c"):  # the app under test allows 3 failures per address
        assert b.login(name, "wrong").status_code == 401
    blocked = b.login("clerk")
    assert blocked.status_code == 429 and "15분 뒤에" in blocked.text


# --- another district's IDs ----------------------------------------------------------


def test_another_districts_ids_are_not_found(browser: Any, runs: dict[str, int]) -> None:
    b = browser()
    b.login("clerk")
    other, slip = runs["other"], runs["other_slip"]
    for url in (
        f"/runs/{other}",
        f"/runs/{other}/rows?q=박",
        "/participants/C-001",
        f"/payslips/{slip}.pdf",
        f"/runs/{other}/payslips.zip",
        f"/runs/{other}/print.pdf",
        f"/runs/{other}/payment.csv",
        f"/runs/{other}/register.xlsx",
        "/runs/99999",
        "/no-such-page",
    ):
        page = b.get(url)
        assert page.status_code == 404, url
        assert "박비밀" not in page.text  # the ID asked for is echoed, nothing more
    bad = b.get("/runs/abc")
    assert bad.status_code == 400 and "올바르지 않습니다" in bad.text
    approve = b.post(f"/runs/{other}/approve")
    assert approve.status_code == 404
    own = b.get(f"/runs/{runs['own']}")
    assert own.status_code == 200 and "J-001" in own.text


def test_participant_search_stays_in_the_district(browser: Any, runs: dict[str, int]) -> None:
    clerk = browser()
    clerk.login("clerk")
    assert "J-001" in clerk.get("/participants?q=-001").text
    assert "박비밀" not in clerk.get("/participants?q=박").text
    finance = browser()
    finance.login("finance")
    assert "박비밀" in finance.get("/participants?q=박").text


def test_finance_sees_every_district_read_only(browser: Any, runs: dict[str, int]) -> None:
    b = browser()
    b.login("finance")
    page = b.get(f"/runs/{runs['other']}")
    assert page.status_code == 200 and "박비밀" in page.text
    assert 'id="approve"' not in page.text and 'id="finalize"' not in page.text
    assert b.post(f"/runs/{runs['other']}/approve").status_code == 403
    assert b.get("/admin/users").status_code == 403


def test_city_admin_sees_totals_but_not_people(browser: Any, runs: dict[str, int]) -> None:
    b = browser()
    b.login("admin")
    board = b.get("/board?month=2025-03")
    assert board.status_code == 200 and "중구" in board.text and "종로구" in board.text
    assert b.get(f"/runs/{runs['own']}").status_code == 403
    assert b.get("/participants/J-001").status_code == 403
    for url in ("/admin/users", "/admin/scheduler", "/admin/catalog", "/admin/holidays?year=2025"):
        assert b.get(url).status_code == 200, url
    assert "삼일절" in b.get("/admin/holidays?year=2025").text


# --- buttons and separation of duties ------------------------------------------------


def test_buttons_follow_role_and_separation_of_duties(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    url = f"/runs/{runs['own']}"
    clerk = browser()
    clerk.login("clerk")
    page = clerk.get(url).text
    assert 'id="approve"' not in page and 'id="render-payslips"' in page
    m1 = browser()
    m1.login("manager")
    assert 'id="approve"' in m1.get(url).text
    m1.post(f"{url}/approve")
    page = m1.get(url).text
    assert 'id="finalize"' not in page and "직접 승인한 급여는 확정할 수 없습니다" in page
    forced = m1.post(f"{url}/finalize")  # pressing it anyway is refused by the service
    assert "확정할 수 없습니다" in forced.text and state(engine, runs["own"]) == "approved"
    m2 = browser()
    m2.login("manager2")
    assert 'id="finalize"' in m2.get(url).text
    done = m2.post(f"{url}/finalize")
    assert "확정했습니다" in done.text and state(engine, runs["own"]) == "finalized"
    assert m2.get(f"{url}/payment.csv").status_code == 200


def test_the_clerk_who_calculated_cannot_approve_even_as_manager(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    calculate_runs(SqlUnitOfWork(engine), "2025-03", OWN, "dongheng", actor="manager")
    m1 = browser()
    m1.login("manager")
    page = m1.get(f"/runs/{runs['own']}").text
    assert 'id="approve"' not in page and "직접 계산한 급여는 승인할 수 없습니다" in page


# --- uploads and background work -----------------------------------------------------


def upload(b: Any, kind: str, name: str, body: str) -> Any:
    return b.client.post(
        f"/uploads/{kind}",
        data={"csrftoken": b.token()},
        files={"file": (name, body.encode("utf-8"), "text/csv")},
    )


def test_upload_with_a_bad_row_shows_it_and_writes_nothing(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    b = browser()
    b.login("clerk")
    bad = upload(
        b,
        "attendance",
        "3월 근태.csv",
        "참여자번호,일자,상태,시간\nJ-001,2025-03-12,결근,\nJ-001,2025-03-13,놀이,\n",
    )
    assert bad.status_code == 422 and "아무것도 저장하지 않았습니다" in bad.text
    assert "놀이" in bad.text and '<td class="num">3</td>' in bad.text
    with transaction(engine) as session:
        assert session.scalars(select(AttendanceRow)).first() is None
    good = upload(b, "attendance", "3월 근태.csv", "참여자번호,일자,상태\nJ-001,2025-03-12,결근\n")
    assert good.status_code == 200 and "1건 추가" in good.text
    other = upload(b, "attendance", "x.csv", "참여자번호,일자,상태\nC-001,2025-03-12,결근\n")
    assert other.status_code == 422 and "참여자를 찾을 수 없습니다" in other.text
    odd = upload(b, "attendance", "x.exe", "a")
    assert odd.status_code == 400 and ".csv 또는 .xlsx 파일만" in odd.text


def test_upload_needs_the_csrf_token_first(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    response = b.client.post(
        "/uploads/attendance", files={"file": ("a.csv", b"participant_id,date,status\n")}
    )
    assert response.status_code == 403


def test_calculation_runs_in_the_background_with_progress(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    b = browser()
    b.login("clerk")
    page = b.post("/calculate", month="2025-03", district=OWN, program="dongheng")
    assert page.url.path.startswith("/jobs/") and "<progress" in page.text
    progress_url = page.url.path + "/progress"
    for _ in range(100):
        fragment = b.get(progress_url, headers={"HX-Request": "true"}).text
        if 'data-state="done"' in fragment:
            break
        assert 'hx-trigger="every 1s"' in fragment
        time.sleep(0.1)
    assert "끝났습니다" in fragment and "1명" in fragment
    other = browser()
    other.login("manager")
    assert other.get(progress_url).status_code == 404  # another user's job
    refused = b.post("/calculate", month="2025-03", district=OTHER, program="dongheng")
    assert refused.status_code == 404


# --- downloads, admin, expiry, the command ------------------------------------------


def test_payslips_rendered_in_the_background_then_zipped_and_printed(
    browser: Any, runs: dict[str, int]
) -> None:
    import io
    import zipfile

    b = browser()
    b.login("clerk")
    url = f"/runs/{runs['own']}"
    early = b.get(f"{url}/payslips.zip")
    assert early.url.path == url and "먼저 &#39;명세서 만들기&#39;" in early.text
    job = b.post(f"{url}/payslips")
    for _ in range(300):
        fragment = b.get(job.url.path + "/progress").text
        if 'data-state="running"' not in fragment:
            break
        time.sleep(0.1)
    assert "명세서 1건 생성" in fragment
    archive = b.get(f"{url}/payslips.zip")
    assert archive.headers["content-type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist() == ["J-001.pdf"]
    printed = b.get(f"{url}/print.pdf")
    assert printed.headers["content-type"] == "application/pdf"
    assert b.get(f"{url}/payment.csv").status_code == 403  # a clerk has no payment file


def test_finance_downloads_the_ledger_of_finalized_runs(
    browser: Any, engine: Engine, runs: dict[str, int]
) -> None:
    from payroll.services.runs.lifecycle import approve_run, finalize_run

    approve_run(SqlUnitOfWork(engine), str(runs["own"]), "manager")
    finalize_run(SqlUnitOfWork(engine), str(runs["own"]), "manager2")
    b = browser()
    b.login("finance")
    ledger = b.get("/ledger/2025-03.csv")
    assert ledger.status_code == 200
    wages = "2025-03,11110,종로구,dongheng,서울 동행일자리,wages,인건비(임금),1,"
    assert wages in ledger.content.decode("utf-8-sig")
    assert (
        b.get("/ledger/2025-03.xlsx")
        .headers["content-type"]
        .startswith("application/vnd.openxmlformats")
    )
    page = b.get("/ledger?month=2025-03")
    assert 'id="reconcile"' in page.text and "일치" in page.text and "불일치" not in page.text
    assert "중구 서울 동행일자리: 아직 확정되지 않아(계산됨)" in page.text  # not in the ledger
    assert "11140" not in page.text and "dongheng" not in page.text  # names, not codes
    split = page.text.split('id="split"')[1]
    assert "종로구" in split and "시 90% : 구 10%" in split  # the 9:1 split on the page
    empty = b.get("/ledger?month=2026년 4월")  # nothing finalized that month
    assert 'id="nothing-finalized"' in empty.text and "일치" not in empty.text
    assert "2026-04 대장 XLSX" in empty.text
    payment = b.get(f"/runs/{runs['own']}/payment.csv")
    assert payment.status_code == 200 and "J-001" in payment.content.decode("utf-8-sig")
    clerk = browser()
    clerk.login("clerk")
    assert clerk.get("/ledger/2025-03.csv").status_code == 403
    with transaction(engine) as session:
        entries = {
            (a.actor, a.actor_kind, a.action)
            for a in session.scalars(select(AuditLog).where(AuditLog.action.like("%downloaded")))
        }
    assert entries == {
        ("finance", "user", "ledger.downloaded"),
        ("finance", "user", "run_files.downloaded"),
    }


def test_city_admin_adds_a_user_in_the_console(browser: Any) -> None:
    b = browser()
    b.login("admin")
    page = b.post("/admin/users", username="park", name="박관리", role="city_admin")
    assert "park의 일회용 비밀번호" in page.text
    once = page.text.split("<code>")[1].split("</code>")[0]
    assert once not in b.get("/admin/users").text  # shown once only
    new = browser()
    assert new.login("park", once).url.path == "/password"
    refused = b.post("/admin/users", username="x", role="district_clerk", districts="종로구")
    assert refused.status_code == 403 and "서버 운영자에게 요청하십시오" in refused.text
    assert "자기 자신은 사용 중지할 수 없습니다" in b.post("/admin/users/admin/disable").text


def test_an_idle_session_expires(browser: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from payroll.web import deps

    b = browser()
    assert b.login("clerk").url.path == "/board"
    monkeypatch.setattr(deps, "IDLE_MINUTES", -1)  # every session is now idle too long
    assert b.get("/board").url.path == "/login"


def test_payroll_web_command_serves_the_console(cli_env: str, tmp_path: Any) -> None:
    import os
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "payroll.cli.main", "web", "--port", str(port)]
    server = subprocess.Popen(
        command, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(100):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert page.status_code == 200 and "로그인" in page.text
        assert page.headers["x-frame-options"] == "DENY"
        assert "server" not in page.headers
    finally:
        server.terminate()
        server.wait(10)


def test_an_exception_is_excluded_by_the_clerk_then_the_run_approved(
    browser: Any, engine: Engine
) -> None:
    from datetime import UTC, date, datetime

    add_enrolled(engine, "J-001", district=OWN)
    bad = add_enrolled(engine, "J-002", name="이서준", district=OWN)
    with transaction(engine) as session:  # two leave days where one has accrued (§8)
        for day in (5, 6):
            session.add(
                AttendanceRow(
                    enrollment_id=bad,
                    day=date(2025, 3, day),
                    status="annual_leave",
                    recorded_at=datetime.now(UTC),
                )
            )
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    url = f"/runs/{run.id}"
    m = browser()
    m.login("manager")
    page = m.get(url).text
    assert 'id="approve"' not in page and "처리되지 않은 예외 1건" in page
    c = browser()
    c.login("clerk")
    page = c.get(url).text
    assert "J-002 이서준" in page and "지급 보류" in page
    assert "지급 보류 사유를 적어 주세요" in c.post(f"{url}/exclude", participant_id="J-002").text
    done = c.post(f"{url}/exclude", participant_id="J-002", reason="연차 기록 확인 중")
    assert "지급 보류했습니다" in done.text and "지급 보류: 연차 기록 확인 중 (clerk)" in done.text
    assert "승인했습니다" in m.post(f"{url}/approve").text
    assert state(engine, run.id) == "approved"


def test_the_participant_table_is_paged(
    browser: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from payroll.services.console import runs as console_runs

    for pid, name in (("J-001", "가나다"), ("J-002", "나다라"), ("J-003", "다라마")):
        add_enrolled(engine, pid, name=name, district=OWN)
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    monkeypatch.setattr(console_runs, "PAGE_SIZE", 2)
    b = browser()
    b.login("clerk")
    first = b.get(f"/runs/{run.id}").text
    assert "가나다" in first and "나다라" in first and "다라마" not in first
    assert "3명 · 1 / 2쪽" in first and 'id="next-page"' in first
    second = b.get(f"/runs/{run.id}?p=2").text
    assert "다라마" in second and "가나다" not in second and 'id="prev-page"' in second
    found = b.get(f"/runs/{run.id}/rows?q=다라마").text
    assert "다라마" in found and "가나다" not in found and "1명" in found
