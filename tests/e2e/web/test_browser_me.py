"""The participant's own page in headless Chromium at a phone's width (390 px): sign in
with ID, birth date and the texted code, see one's own payslip, nothing wider than the
screen. Skipped only when Chromium is missing outside CI."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from payroll.web.app import create_app
from tests.support.factories import add_enrolled

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HAVE_BROWSER = os.path.exists(CHROMIUM) and os.path.exists(DRIVER)
if not HAVE_BROWSER and not os.environ.get("CI"):
    pytest.skip("chromium/chromedriver not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PHONE_WIDTH = 390


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Path]]:
    outbox = tmp_path / "outbox.jsonl"
    monkeypatch.setenv("PAYROLL_SMS_PROVIDER", "recording")
    monkeypatch.setenv("PAYROLL_SMS_OUTBOX", str(outbox))
    app = create_app(engine, secret="browser-test-" + "z" * 20, out_dir=tmp_path / "out")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "console did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", outbox
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[Any]:
    if not HAVE_BROWSER:
        pytest.fail("CI must run the browser tests: chromium and chromium-driver are missing")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--lang=ko-KR", f"--user-data-dir={tmp_path / 'chrome-profile'}"):  # fmt: skip
        options.add_argument(arg)
    options.add_experimental_option(
        "mobileEmulation",
        {"deviceMetrics": {"width": PHONE_WIDTH, "height": 844, "pixelRatio": 3.0}},
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def fits(driver: Any) -> None:
    width = driver.execute_script("return window.innerWidth")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert width == PHONE_WIDTH and scroll <= PHONE_WIDTH, (width, scroll)


def shot(driver: Any, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    keep = os.environ.get("PAYROLL_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def test_a_participant_on_a_phone_sees_their_own_payslip(
    engine: Engine, server: tuple[str, Path], phone: Any, tmp_path: Path
) -> None:
    base, outbox = server
    uow = SqlUnitOfWork(engine)
    add_enrolled(engine, "J-001")
    add_enrolled(engine, "J-002", name="박하늘")
    with uow:
        person = uow.participants.get("J-001")
        assert person is not None
        uow.participants.update(person.id, {"phone": "01023456789"})
    [run] = calculate_runs(uow, "2025-03")
    approve_run(uow, str(run.id), "lee")
    finalize_run(uow, str(run.id), "park")

    wait = WebDriverWait(phone, 30)
    phone.get(f"{base}/me")
    fits(phone)
    shot(phone, tmp_path, "me-sign-in")
    phone.find_element(By.ID, "participant_id").send_keys("J-001")
    phone.find_element(By.ID, "birth_date").send_keys("700501")
    phone.find_element(By.ID, "send-code").click()
    code_box = wait.until(ec.presence_of_element_located((By.ID, "code")))
    [message] = [json.loads(x) for x in outbox.read_text().splitlines()]
    code = re.search(r"\d{6}", message["text"]).group(0)  # type: ignore[union-attr]
    code_box.send_keys(code)
    phone.find_element(By.ID, "sign-in").click()
    wait.until(ec.presence_of_element_located((By.ID, "who")))
    assert "김민지 님" in phone.page_source and "박하늘" not in phone.page_source
    fits(phone)
    shot(phone, tmp_path, "me-home")

    phone.find_element(By.CSS_SELECTOR, "#payslips a").click()
    net = wait.until(ec.presence_of_element_located((By.ID, "net"))).text
    assert net.endswith("원") and "2025-03 임금명세서" in phone.page_source
    fits(phone)
    shot(phone, tmp_path, "me-payslip")
    tap = phone.find_element(By.ID, "pdf").size
    assert tap["height"] >= 44 and tap["width"] >= PHONE_WIDTH * 0.8  # a thumb's target
