"""A district's console as a new administrator uses it: months as typed, names instead of
codes, what waits for a manager, a month approved at once, confirmations, the ledger split."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import PayrollRun
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import calculate_runs
from tests.e2e.web.conftest import OWN
from tests.support.factories import add_enrolled

pytestmark = pytest.mark.usefixtures("users")


@pytest.fixture
def april(engine: Engine) -> list[int]:
    """April 2026 of 종로구: a 동행일자리 run and a 매력일자리 run, calculated by the clerk."""
    for pid, program in (("J-101", "dongheng"), ("J-102", "maeryeok")):
        add_enrolled(
            engine,
            pid,
            district=OWN,
            program=program,
            start=date(2026, 3, 2),
            end=date(2026, 6, 30),
            term=None,
        )
    done = calculate_runs(SqlUnitOfWork(engine), "2026-04", actor="clerk")
    return [r.id for r in done]


def test_the_month_box_takes_the_forms_the_readme_names(browser: Any, april: list[int]) -> None:
    b = browser()
    b.login("clerk")
    for typed in ("2026년 4월", "2026.4", "2026-4", "202604"):
        page = b.get("/board", params={"month": typed}).text
        assert "2026-04 월별 현황" in page and "서울 동행일자리" in page, typed
    bad = b.get("/board", params={"month": "abc"}).text
    assert "월을 알 수 없습니다" in bad
    assert 'id="calculate"' not in bad and "abc 계산" not in bad  # no button for a bad month


def test_header_names_the_district_and_counts_what_waits(
    browser: Any, engine: Engine, april: list[int]
) -> None:
    clerk = browser()
    clerk.login("clerk")
    page = clerk.get("/board?month=2026-04").text
    assert "(담당 · 종로구)" in page and OWN not in page.split("<main>")[0]
    assert 'id="waiting-count"' not in page  # a clerk approves nothing
    manager = browser()
    manager.login("manager")
    page = manager.get("/board?month=2026-04").text
    assert "할 일 2건" in page
    waiting = manager.get("/waiting").text
    assert waiting.count(">승인</a>") == 2 and "서울 매력일자리" in waiting
    assert 'data-confirm="2026-04 급여 중 승인할 수 있는 것을 모두 승인할까요?"' in waiting


def test_a_manager_approves_the_month_at_once(
    browser: Any, engine: Engine, april: list[int]
) -> None:
    m = browser()
    m.login("manager")
    done = m.post("/waiting/approve", month="2026년 4월")
    assert "2026-04 급여 2건을 승인했습니다" in done.text
    with transaction(engine) as session:
        states = set(session.scalars(select(PayrollRun.state).where(PayrollRun.id.in_(april))))
    assert states == {"approved"}
    # now both wait for the other manager's finalization, not for this one's
    assert 'id="waiting-count"' not in m.get("/board?month=2026-04").text
    other = browser()
    other.login("manager2")
    assert "할 일 2건" in other.get("/board?month=2026-04").text
    clerk = browser()
    clerk.login("clerk")
    refused = clerk.post("/waiting/approve", month="2026-04")
    assert refused.status_code == 403 and "(승인)" in refused.text  # the action, in Korean


def test_a_manager_does_not_approve_what_they_calculated(
    browser: Any, engine: Engine, april: list[int]
) -> None:
    calculate_runs(SqlUnitOfWork(engine), "2026-04", actor="manager")  # recalculated by them
    m = browser()
    m.login("manager")
    assert 'id="waiting-count"' not in m.get("/board?month=2026-04").text
    done = m.post("/waiting/approve", month="2026-04").text
    assert "승인하지 않음" in done and "직접 계산한 급여는 다른 팀장이 승인합니다" in done


def test_state_changes_ask_first(browser: Any, april: list[int]) -> None:
    m = browser()
    m.login("manager")
    page = m.get(f"/runs/{april[0]}").text
    assert 'data-confirm="2026-04 종로구 서울 동행일자리 급여를 승인할까요?"' in page
    assert '<script src="/static/confirm.js" defer></script>' in page
    assert "window.confirm" in m.get("/static/confirm.js").text
    c = browser()
    c.login("clerk")
    assert "다시 계산할까요?" in c.get(f"/runs/{april[0]}").text


def test_a_calculation_job_is_titled_with_names(browser: Any, april: list[int]) -> None:
    c = browser()
    c.login("clerk")
    job = c.post("/calculate", month="2026년 4월", district=OWN, program="dongheng")
    assert "2026-04 종로구 서울 동행일자리 급여 계산" in job.text
    assert "dongheng" not in job.text.split("<main>")[1]


def test_participant_list_filters_sorts_and_pages(
    browser: Any, engine: Engine, april: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from payroll.services.console import runs as console_runs
    from tests.e2e.web.conftest import OTHER

    add_enrolled(engine, "J-103", name="가나다", district=OWN, start=date(2026, 3, 2),
                 end=date(2026, 6, 30), term=None, birth_date=date(1958, 2, 1))  # fmt: skip
    add_enrolled(engine, "C-001", name="박비밀", district=OTHER, term=None,
                 start=date(2026, 3, 2), end=date(2026, 6, 30))  # fmt: skip
    monkeypatch.setattr(console_runs, "PAGE_SIZE", 2)
    b = browser()
    b.login("clerk")
    first = b.get("/participants").text
    assert "3명 · 1 / 2쪽" in first and "박비밀" not in first  # own district only
    assert first.index("J-101") < first.index("J-102") and "J-103" not in first
    assert "서울 동행일자리" in first and "2026-06-30" in first
    second = b.get("/participants?p=2").text
    assert "J-103" in second and 'id="prev-page"' in second
    by_name = b.get("/participants?sort=name").text
    assert by_name.index("가나다") < by_name.index("김민지")
    by_birth = b.get("/participants?sort=birth").text
    assert by_birth.index("1958-02-01") < by_birth.index("1970-05-01")
    maeryeok = b.get("/participants?program=maeryeok").text
    assert "1명" in maeryeok and "J-102" in maeryeok and "J-101" not in maeryeok
    found = b.get("/participants?q=가나").text
    assert "J-103" in found and "J-101" not in found
    finance = browser()
    finance.login("finance")
    assert "박비밀" in finance.get("/participants?q=박").text  # city-wide roles see all


def test_runs_of_a_year(browser: Any, engine: Engine, april: list[int]) -> None:
    from tests.e2e.web.conftest import OTHER

    add_enrolled(engine, "C-001", name="박비밀", district=OTHER, term=None,
                 start=date(2026, 3, 2), end=date(2026, 6, 30))  # fmt: skip
    calculate_runs(SqlUnitOfWork(engine), "2026-03", actor="clerk")
    b = browser()
    b.login("clerk")
    page = b.get("/runs?year=2026").text
    assert page.count('href="/runs/') == 4  # March and April, two programs, own district
    assert "중구" not in page and "계산됨" in page and "서울 매력일자리" in page
    assert page.index("2026-03") < page.index("2026-04")
    assert "2027년에 급여 실행이 없습니다" in b.get("/runs?year=2027").text


def test_upload_history_keeps_who_what_and_the_original(
    browser: Any, engine: Engine, april: list[int]
) -> None:
    c = browser()
    c.login("clerk")
    text = "2026년 4월 근태\n참여자번호,일자,상태\nJ-101,2026-04-07,결근\n"

    def send(name: str, body: str) -> Any:
        return c.client.post(
            "/uploads/attendance",
            data={"csrftoken": c.token()},
            files={"file": (name, body.encode("utf-8"))},
        )

    assert send("4월 근태.csv", text).status_code == 200
    assert send("빈 파일.csv", "참여자번호,일자,상태\n").status_code == 400  # no data rows
    page = c.get("/uploads/history").text
    assert page.index("빈 파일.csv") < page.index("4월 근태.csv")  # newest first
    assert "데이터 행이 없습니다" in page and "1건 추가" in page and ">clerk<" in page
    link = page.split('href="/uploads/history/')[-1].split('"')[0]  # the older: 4월 근태
    got = c.get(f"/uploads/history/{link}")
    assert got.status_code == 200 and got.content.decode("utf-8") == text  # the original
    other = browser()
    other.login("clerk2")  # 중구: not their district
    assert "4월 근태.csv" not in other.get("/uploads/history").text
    assert other.get(f"/uploads/history/{link}").status_code == 404


def test_excel_as_a_district_writes_it_uploads_in_the_console(
    browser: Any, engine: Engine, april: list[int]
) -> None:
    import io

    from openpyxl import Workbook

    from payroll.db.models import AttendanceRow

    book = Workbook()
    book.active.title = "작성 요령"
    book.active.append(["결근·연차만 적습니다"])
    sheet = book.create_sheet("4월")
    for row in (
        ["2026년 4월 근태 예외 (종로구)"],
        ["참여자번호", "근무", None, "근태"],
        [None, "일자", "시간", None],
        ["J-101", "2026. 4. 7.", None, "결근"],
        ["J-101", "2026년 4월 8일", 3, "근무"],
    ):
        sheet.append(row)
    for cells in ("A2:A3", "B2:C2", "D2:D3"):
        sheet.merge_cells(cells)
    data = io.BytesIO()
    book.save(data)
    c = browser()
    c.login("clerk")
    done = c.client.post(
        "/uploads/attendance",
        data={"csrftoken": c.token()},
        files={"file": ("4월 근태.xlsx", data.getvalue())},
    )
    assert done.status_code == 200 and "근태 2행: 2건 추가" in done.text
    with transaction(engine) as session:
        days = sorted((r.day, r.status) for r in session.scalars(select(AttendanceRow)))
    assert days == [(date(2026, 4, 7), "absent"), (date(2026, 4, 8), "worked")]
    unknown = Workbook()
    unknown.active.append(["이름", "메모"])
    unknown.active.append(["김민지", "?"])
    data = io.BytesIO()
    unknown.save(data)
    refused = c.client.post(
        "/uploads/attendance",
        data={"csrftoken": c.token()},
        files={"file": ("메모.xlsx", data.getvalue())},
    )
    assert refused.status_code == 400 and "머리글을 찾을 수 없습니다" in refused.text
    assert "참여자번호, 일자, 상태" in refused.text and "0행" not in refused.text
