"""A hold in a real headless Chromium: the clerk holds a participant without an account,
the run is finalized, a manager releases the held month from the run page, and the audit
page shows who did it. Screenshots go to ``tmp_path`` (``PAYROLL_SCREENSHOTS=DIR``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, update

from payroll.db.engine import transaction
from payroll.db.models import Participant
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.e2e.web.conftest import OWN, make_user
from tests.e2e.web.test_browser import Screens, _login, _wait, chrome, server  # noqa: F401
from tests.support.factories import add_enrolled


def test_a_held_month_is_released_in_the_browser(
    engine: Engine, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    for pid in ("J-001", "J-002"):
        add_enrolled(
            engine, pid, district=OWN, term="2025-H2", start=date(2025, 7, 1),
            end=date(2025, 12, 20),
        )  # fmt: skip
    with transaction(engine) as session:
        session.execute(
            update(Participant).where(Participant.participant_id == "J-002").values(account=None)
        )
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-07", actor="clerk")
    make_user(engine, "clerk", "district_clerk", [OWN])
    make_user(engine, "manager", "district_manager", [OWN])
    base, driver = request.getfixturevalue("server"), request.getfixturevalue("chrome")
    screens = Screens(driver, tmp_path / "screens")

    _login(driver, base, "clerk")
    driver.get(f"{base}/runs/{run.id}")
    form = _wait(driver, "#exceptions form")
    form.find_element(By.NAME, "reason").send_keys("계좌 미제출")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(ec.alert_is_present()).accept()  # 지급 보류할까요?
    _wait(driver, ".flash.ok")
    held = driver.find_element(By.ID, "held").text
    assert "지급 보류 1건" in held and "계좌 미제출" in held and "보류 중" in held
    screens.shot("run-held")

    approve_run(SqlUnitOfWork(engine), str(run.id), "팀장A")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "팀장B")
    _login(driver, base, "manager")
    driver.get(f"{base}/runs/{run.id}")
    _wait(driver, "#release-J-002").click()
    WebDriverWait(driver, 10).until(ec.alert_is_present()).accept()  # 다음 급여에서 지급할까요?
    _wait(driver, ".flash.ok")
    assert "해제됨: 다음 급여에서 지급" in driver.find_element(By.ID, "held").text
    screens.shot("run-held-released")
    driver.get(f"{base}/audit?participant=J-002")
    rows = _wait(driver, "#audit-rows").text
    assert "보류분 해제" in rows and "manager" in rows and "지급 보류" in rows
    screens.shot("audit-page")
