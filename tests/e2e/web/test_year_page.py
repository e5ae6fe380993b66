"""The city administrator's year page (연도별 기준): draft, edit, preview, publish, history."""

from __future__ import annotations

import html
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import Engine

from payroll.db.catalog_store import read_catalog
from payroll.db.engine import transaction
from payroll.domain.model import RateSource

pytestmark = pytest.mark.usefixtures("users")


class FormFields(HTMLParser):
    """The values the year form would post as shown (inputs, checked boxes, selections)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrftoken":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = "on"
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.values[name] = ""
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.values


def test_city_admin_previews_and_publishes_a_year(browser: Any, engine: Engine) -> None:
    b = browser()
    b.login("admin")
    page = b.get("/admin/years?year=2027")
    assert page.status_code == 200
    form = fields(page.text)
    assert form["rate.minimum_wage"] == "10700" and form["rate.living_wage"] == ""
    assert form["ins.national_pension"] == "0.05" and form["ins.long_term_care_share"] == ""

    form.update({"rate.living_wage": "12,500", "ins.long_term_care_share": "0.1314"})
    preview = b.post("/admin/years", step="preview", **form)
    assert preview.status_code == 200, preview.text
    assert "추가: 시급 living_wage 2027" in preview.text
    assert "long_term_care_share: (없음) → 0.1314" in preview.text
    # The effect of the new figures: today a 2027 매력 month cannot be paid (no living
    # wage); with them a full May pays W = 209 h × 12,500 = 2,612,500 before deductions.
    assert "2027년 서울시 생활임금(시급, living_wage)이 없습니다" in preview.text
    assert "2,612,500" in preview.text
    with transaction(engine) as session:  # a preview writes nothing
        assert (RateSource.LIVING_WAGE, 2027) not in read_catalog(session).rate_book.hourly_rates

    done = b.post("/admin/years", step="publish", **form)
    assert "2027년 기준 2건을 반영했습니다" in done.text
    with transaction(engine) as session:
        book = read_catalog(session).rate_book
        assert book.hourly_rates[(RateSource.LIVING_WAGE, 2027)] == 12_500
        assert str(book.insurance_rates(2027).long_term_care_share).startswith("0.1314")
    assert "콘솔 2027년 기준" in done.text and "admin" in done.text  # the history


def test_a_bad_value_is_named_and_nothing_is_written(browser: Any, engine: Engine) -> None:
    b = browser()
    b.login("admin")
    form = fields(b.get("/admin/years?year=2027").text)
    form.update({"rate.living_wage": "12500", "ins.long_term_care_share": "13.14"})
    refused = b.post("/admin/years", step="publish", **form)
    assert refused.status_code == 400
    assert "'long_term_care_share' 값 '13.14'" in html.unescape(refused.text)
    with transaction(engine) as session:
        assert (RateSource.LIVING_WAGE, 2027) not in read_catalog(session).rate_book.hourly_rates


def test_an_empty_year_starts_as_a_draft_of_the_previous_one(browser: Any) -> None:
    b = browser()
    b.login("admin")
    page = b.get("/admin/years?year=2028")
    assert "2027년 값을 초안으로 채웠습니다" in page.text
    form = fields(page.text)
    assert form["rate.minimum_wage"] == "10700"
    codes = {form[k] for k in form if k.startswith("term.") and k.endswith(".code")}
    assert {"2028-H1", "2028-H2", "2028"} <= codes


def test_only_the_city_administrator_sees_the_year_page(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    assert b.get("/admin/years?year=2027").status_code == 403
    assert b.post("/admin/years", year="2027", step="publish").status_code == 403


def test_the_withholding_upload_takes_its_effective_date(browser: Any, engine: Engine) -> None:
    from importlib import resources

    from payroll.db.catalog_store import withholding_table

    official = resources.files("payroll.data").joinpath("withholding_table_official.csv")
    b = browser()
    b.login("admin")
    sent = b.client.post(
        "/admin/withholding",
        data={"csrftoken": b.token(), "effective_from": "2027-01-01"},
        files={"file": ("nts-2027.csv", official.read_bytes(), "text/csv")},
    )
    assert "지급일 2027-01-01부터 적용합니다" in sent.text
    assert 'type="date" name="effective_from" required' in sent.text
    with transaction(engine) as session:
        assert withholding_table(session, date(2026, 12, 31)).source.endswith(
            "withholding_table_official.csv"
        )
        assert withholding_table(session, date(2027, 1, 10)).source == "nts-2027.csv"
