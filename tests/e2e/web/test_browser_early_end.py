"""The early-end form in a real headless Chromium: a refused form keeps its values; an end
inside a finalized month is recorded (a recovery) and shown. Screenshots go
to ``tmp_path`` (``PAYROLL_SCREENSHOTS=DIR`` keeps them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.e2e.web.conftest import OWN, make_user
from tests.e2e.web.test_browser import Screens, _login, _wait, chrome, server  # noqa: F401
from tests.support.factories import add_enrolled


def _end(driver: Any, day: str, reason: str, note: str = "") -> None:
    form = driver.find_element(By.CSS_SELECTOR, "form.end-form")
    day_input = form.find_element(By.NAME, "on")
    driver.execute_script("arguments[0].value = arguments[1]", day_input, day)
    Select(form.find_element(By.NAME, "reason")).select_by_value(reason)
    if note:
        form.find_element(By.NAME, "note").send_keys(note)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(ec.alert_is_present()).accept()  # 중도 종료할까요?


def test_clerk_ends_an_enrollment_early_in_the_browser(
    engine: Engine, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    add_enrolled(engine, "J-001", district=OWN, start=date(2025, 1, 10), end=date(2025, 6, 30))
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    approve_run(SqlUnitOfWork(engine), str(run.id), "팀장A")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "팀장B")
    make_user(engine, "clerk", "district_clerk", [OWN])
    base, driver = request.getfixturevalue("server"), request.getfixturevalue("chrome")
    screens = Screens(driver, tmp_path / "screens")
    _login(driver, base, "clerk")
    driver.get(f"{base}/participants/J-001")
    _wait(driver, "form.end-form")
    screens.shot("participant-early-end-form")
    _end(driver, "2025-03-14", "other")  # 기타 needs a note: refused, the form kept
    error = _wait(driver, "#end-error").text
    assert "other(기타)" in error
    form = driver.find_element(By.CSS_SELECTOR, "form.end-form")
    assert form.find_element(By.NAME, "on").get_attribute("value") == "2025-03-14"  # kept
    assert Select(form.find_element(By.NAME, "reason")).first_selected_option.text == "기타"
    screens.shot("participant-early-end-refused")
    # Inside finalized March: accepted now; the overpayment becomes a recovery (환수).
    _end(driver, "2025-03-14", "withdrew")
    _wait(driver, ".flash.ok")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "종료일 2025-06-30 → 2025-03-14 (중도 포기)" in body
    assert "2025-03-14 중도 포기 · 원래 종료 2025-06-30 · clerk" in body
    screens.shot("participant-early-end-done")
