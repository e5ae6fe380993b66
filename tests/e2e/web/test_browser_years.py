"""The year page in a real headless Chromium: the city administrator enters the 2027
living wage and long-term-care rate, previews their effect and publishes them."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from sqlalchemy import Engine

from payroll.db.catalog_store import read_catalog
from payroll.db.engine import transaction
from payroll.domain.model import RateSource
from tests.e2e.web.conftest import make_user
from tests.e2e.web.test_browser import _login, _text, _until, _wait, chrome, server

__all__ = ["chrome", "server"]  # fixtures


def _type(driver: Any, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def test_city_admin_publishes_2027_in_the_browser(server: str, chrome: Any, engine: Engine) -> None:
    make_user(engine, "admin", "city_admin", [])
    _login(chrome, server, "admin")
    chrome.find_element(By.LINK_TEXT, "연도별 기준").click()
    _wait(chrome, "#year-form")
    chrome.get(f"{server}/admin/years?year=2027")
    _wait(chrome, "#year-form")
    _type(chrome, "rate.living_wage", "12,500")
    _type(chrome, "ins.long_term_care_share", "0.1314")
    chrome.find_element(By.ID, "preview-button").click()
    _wait(chrome, "#year-preview")
    changes = chrome.find_element(By.ID, "year-changes").text
    assert "추가: 시급 living_wage 2027" in changes
    effects = chrome.find_element(By.ID, "year-effects").text
    # 서울 매력일자리 at the new figures: W = 209 h × 12,500 = 2,612,500 for a full May.
    assert "2,612,500" in effects and "생활임금" in effects
    with transaction(engine) as session:
        assert (RateSource.LIVING_WAGE, 2027) not in read_catalog(session).rate_book.hourly_rates

    chrome.find_element(By.ID, "publish-button").click()
    _until(chrome, lambda d: "2027년 기준 2건을 반영했습니다" in _text(d))
    assert "콘솔 2027년 기준" in chrome.find_element(By.ID, "year-history").text
    with transaction(engine) as session:
        assert read_catalog(session).rate_book.hourly_rates[(RateSource.LIVING_WAGE, 2027)] == (
            12_500
        )
