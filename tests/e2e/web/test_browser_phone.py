"""The console at phone width (390 px) in a real headless Chromium: the month board, the
run page and the participant page fit the screen (no sideways scrolling of the page), and
a manager approves from the phone. Screenshots: ``PAYROLL_SCREENSHOTS=DIR`` keeps them
(docs/screenshots/phone-*.png were made so)."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import calculate_runs
from tests.e2e.web.conftest import OWN, make_user
from tests.e2e.web.test_browser import _login, _wait, chrome, server  # noqa: F401
from tests.support.factories import add_enrolled

PHONE = (390, 844)


def _phone_shot(driver: Any, folder: Path, name: str) -> None:
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(PHONE[0], min(max(int(height) + 40, PHONE[1]), 3000))
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(*PHONE)
    keep = os.environ.get("PAYROLL_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def _fits(driver: Any) -> tuple[int, int]:
    """(page width, viewport width): equal when nothing sticks out sideways."""
    return driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")


def _narrowest_cell(driver: Any, css: str) -> int:
    """The narrowest cell width in px (a name wrapping one letter per line is ~15 px)."""
    return driver.execute_script(
        "return Math.min(...[...document.querySelectorAll(arguments[0])]"
        ".map(c => c.getBoundingClientRect().width))",
        css,
    )


def test_board_run_and_participant_at_phone_width(
    engine: Engine, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    for pid, name, program in (
        ("J-201", "남궁민수", "dongheng"),
        ("J-202", "황보서연", "maeryeok"),
    ):
        add_enrolled(
            engine, pid, name=name, district=OWN, program=program,
            start=date(2026, 3, 2), end=date(2026, 6, 30), term=None,
        )  # fmt: skip
    runs = calculate_runs(SqlUnitOfWork(engine), "2026-04", actor="clerk")
    make_user(engine, "manager", "district_manager", [OWN])
    base, driver = request.getfixturevalue("server"), request.getfixturevalue("chrome")
    folder = tmp_path / "phone"
    folder.mkdir()
    driver.set_window_size(*PHONE)
    _login(driver, base, "manager")
    assert driver.execute_script("return window.innerWidth") <= PHONE[0]

    driver.get(f"{base}/board?month=2026년 4월")
    _wait(driver, "#board")
    width, viewport = _fits(driver)
    assert width <= viewport, f"the board is {width}px wide on a {viewport}px screen"
    assert _narrowest_cell(driver, "#board td") > 200  # cards: full-width rows, not slivers
    assert "할 일 2건" in driver.find_element(By.ID, "waiting-count").text
    _phone_shot(driver, folder, "phone-board")

    driver.get(f"{base}/runs/{runs[0].id}")
    _wait(driver, "#rows")
    width, viewport = _fits(driver)
    assert width <= viewport, f"the run page is {width}px wide on a {viewport}px screen"
    _phone_shot(driver, folder, "phone-run")
    driver.find_element(By.ID, "approve").click()
    WebDriverWait(driver, 10).until(ec.alert_is_present()).accept()
    _wait(driver, ".flash.ok")
    assert driver.find_element(By.ID, "run-state").text == "승인됨"  # approved from a phone

    driver.get(f"{base}/participants/J-201")
    _wait(driver, "h1")
    width, viewport = _fits(driver)
    assert width <= viewport, f"the participant page is {width}px wide on a {viewport}px"
    _phone_shot(driver, folder, "phone-participant")

    driver.get(f"{base}/participants?sort=name")
    _wait(driver, "#found")
    assert _fits(driver)[0] <= _fits(driver)[1]
