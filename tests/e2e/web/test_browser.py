"""End to end in a real headless Chromium (Debian's chromium + chromedriver, Selenium).

A clerk logs in, uploads a roster and an attendance file with one bad row (sees the error,
nothing is written), fixes it and calculates (background job, progress polled by htmx);
a manager approves; another manager finalizes; a payslip is downloaded and its text read.
Screenshots of the main screens go to ``tmp_path`` (``PAYROLL_SCREENSHOTS=DIR`` keeps
them). Skipped only when Chromium is missing outside CI; in CI a missing browser fails.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pypdf import PdfReader
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AttendanceRow, PayrollRun
from payroll.web.app import create_app
from tests.e2e.web.conftest import OWN, make_user, password_of

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HAVE_BROWSER = os.path.exists(CHROMIUM) and os.path.exists(DRIVER)
if not HAVE_BROWSER and not os.environ.get("CI"):
    pytest.skip(
        "chromium/chromedriver not installed (make setup installs them)", allow_module_level=True
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ROSTER = (
    "참여자번호,성명,생년월일,자치구,은행,계좌번호,사업,기수,주민등록번호\n"
    "J-101,김하늘,1968-04-02,종로구,국민은행,123-45-678901,dongheng,2025-H1,680402-2000001\n"
    "J-102,이바다,1975-09-17,종로구,신한은행,987-65-432109,dongheng,2025-H1,750917-1000002\n"
)
ATTENDANCE_BAD = "참여자번호,일자,상태,시간\nJ-101,2025-03-12,결근,\nJ-102,2025-03-32,결근,\n"
ATTENDANCE_GOOD = "참여자번호,일자,상태,시간\nJ-101,2025-03-12,결근,\nJ-102,2025-03-13,근무,4\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """The console on a loopback port, served by uvicorn in a thread."""
    app = create_app(engine, secret="browser-test-" + "y" * 20, out_dir=tmp_path / "out")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "console did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def chrome(tmp_path: Path) -> Iterator[Any]:
    if not HAVE_BROWSER:
        pytest.fail("CI must run the browser tests: chromium and chromium-driver are missing")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--lang=ko-KR",
        f"--user-data-dir={tmp_path / 'chrome-profile'}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


class Screens:
    """Screenshots by name; kept in ``PAYROLL_SCREENSHOTS`` when it is set."""

    def __init__(self, driver: Any, folder: Path) -> None:
        self.driver, self.folder = driver, folder
        folder.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> Path:
        path = self.folder / f"{name}.png"
        height = self.driver.execute_script("return document.body.scrollHeight")
        self.driver.set_window_size(1400, min(max(int(height) + 40, 700), 2400))
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(1400, 1000)
        keep = os.environ.get("PAYROLL_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
        return path


def _until(driver: Any, condition: Any, timeout: float = 10) -> Any:
    """Wait for ``condition``; an element htmx swapped out meanwhile is looked up again."""
    return WebDriverWait(
        driver, timeout, ignored_exceptions=(StaleElementReferenceException,)
    ).until(condition)


def _only(driver: Any, shown: str, hidden: str) -> bool:
    """The search result table lists ``shown`` and no longer ``hidden``."""
    rows = str(driver.find_element(By.ID, "rows").text)
    return shown in rows and hidden not in rows


def _wait(driver: Any, css: str, timeout: float = 30) -> Any:
    return WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def _login(driver: Any, base: str, username: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password_of(username))
    driver.find_element(By.ID, "login").click()
    _wait(driver, "#board")


def _upload(driver: Any, base: str, kind: str, path: Path) -> None:
    driver.get(f"{base}/uploads")
    driver.find_element(By.ID, f"file-{kind}").send_keys(str(path))
    driver.find_element(By.ID, f"upload-{kind}").click()
    _wait(driver, "#upload-ok, #upload-errors, #upload-message")


def _text(driver: Any) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").text)


def test_a_month_in_the_browser(server: str, chrome: Any, engine: Engine, tmp_path: Path) -> None:
    for name, role in (
        ("clerk", "district_clerk"),
        ("manager", "district_manager"),
        ("manager2", "district_manager"),
    ):
        make_user(engine, name, role, [OWN])
    screens = Screens(chrome, tmp_path / "screens")
    files = tmp_path / "files"
    files.mkdir()
    roster, bad, good = (files / "명부.csv", files / "근태-오류.csv", files / "근태.csv")
    roster.write_text(ROSTER, encoding="utf-8")
    bad.write_text(ATTENDANCE_BAD, encoding="utf-8")
    good.write_text(ATTENDANCE_GOOD, encoding="utf-8")

    # The clerk: login, roster, attendance with one bad row, then the fixed file.
    chrome.get(f"{server}/login")
    screens.shot("01-login")
    _login(chrome, server, "clerk")
    _upload(chrome, server, "roster", roster)
    assert "참여자 2명 추가" in _text(chrome)
    _upload(chrome, server, "attendance", bad)
    errors = chrome.find_element(By.ID, "upload-errors").text
    assert "아무것도 저장하지 않았습니다" in errors and "2025-03-32" in errors
    screens.shot("02-upload-error")
    with transaction(engine) as session:
        assert session.scalars(select(AttendanceRow)).first() is None  # nothing written
    _upload(chrome, server, "attendance", good)
    assert "2건 추가" in chrome.find_element(By.ID, "upload-ok").text

    # Calculate March in the background; htmx polls the progress until it ends.
    chrome.get(f"{server}/board?month=2025-03")
    Select(chrome.find_element(By.ID, "calc-program")).select_by_value("dongheng")
    chrome.find_element(By.ID, "calculate").click()
    _wait(chrome, "#job-status[data-state='done']", timeout=60)
    assert "끝났습니다" in _text(chrome) and "2명" in _text(chrome)
    chrome.find_element(By.ID, "job-next").click()
    _wait(chrome, "#board")
    screens.shot("03-board")
    chrome.find_element(By.LINK_TEXT, "팀장: 검토 후 승인").click()
    _wait(chrome, "#rows")
    assert "approve" not in {
        b.get_attribute("id") for b in chrome.find_elements(By.TAG_NAME, "button")
    }
    chrome.find_element(By.ID, "search").send_keys("이바다")
    _until(chrome, lambda d: _only(d, shown="이바다", hidden="김하늘"))
    run_url = chrome.current_url.split("?")[0]

    # The manager approves; the same manager may not finalize.
    _login(chrome, server, "manager")
    chrome.get(run_url)
    screens.shot("04-run-manager")
    chrome.find_element(By.ID, "approve").click()  # asks first; "no" changes nothing
    question = WebDriverWait(chrome, 10).until(ec.alert_is_present())
    assert question.text == "2025-03 종로구 서울 동행일자리 급여를 승인할까요?"
    question.dismiss()
    assert chrome.find_element(By.ID, "run-state").text == "계산됨"
    chrome.find_element(By.ID, "approve").click()
    WebDriverWait(chrome, 10).until(ec.alert_is_present()).accept()
    _wait(chrome, "#why-finalize")
    assert "승인했습니다" in _text(chrome) and not chrome.find_elements(By.ID, "finalize")

    # Another manager finalizes.
    _login(chrome, server, "manager2")
    chrome.get(run_url)
    chrome.find_element(By.ID, "finalize").click()
    WebDriverWait(chrome, 10).until(ec.alert_is_present()).accept()
    _until(chrome, lambda d: d.find_element(By.ID, "run-state").text == "확정됨")
    screens.shot("05-run-finalized")
    run_id = int(run_url.rsplit("/", 1)[1])
    with transaction(engine) as session:
        run = session.get(PayrollRun, run_id)
        assert run is not None
        assert (run.state, run.calculated_by, run.approved_by, run.finalized_by) == (
            "finalized",
            "clerk",
            "manager",
            "manager2",
        )

    # A payslip, downloaded with the browser's session, says what the run page says.
    chrome.find_element(By.ID, "search").send_keys("김하늘")
    _until(chrome, lambda d: _only(d, shown="김하늘", hidden="이바다"))
    link, net_line = _until(
        chrome,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#rows a.pdf").get_attribute("href"),
            d.find_element(By.CSS_SELECTOR, "#rows tr.person").text,
        ),
    )
    cookies = {c["name"]: c["value"] for c in chrome.get_cookies()}
    response = httpx.get(link, cookies=cookies, timeout=60)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "김하늘" in text and "임금명세서" in text and "2025년 3월분" in text
    assert "검토용" not in text  # the run is finalized: no draft mark
    net = net_line.split("실지급 ")[1].split("원")[0]
    assert net in text
    chrome.get(f"{server}/participants/J-101")
    assert "J-101 김하늘" in _text(chrome)
    screens.shot("06-participant")
