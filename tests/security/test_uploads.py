"""Hostile uploads and oversized bodies are refused before they cost memory or time."""
# ruff: noqa: E501  (the XML parts of a workbook are long single lines)

from __future__ import annotations

import io
import threading
import time
import zipfile
from typing import Any

import httpx
import pytest
import uvicorn
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from payroll.formats import xlsx_guard
from payroll.services.console import imports as console_imports
from payroll.web import body_limit
from tests.e2e.web.conftest import csrf_of, password_of

pytestmark = pytest.mark.usefixtures("users")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_BOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def workbook(sheet_data: str, dimension: str | None = "A1:B2", padding: int = 0) -> bytes:
    """A minimal XLSX whose first sheet has ``sheet_data`` (and ``padding`` spaces)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{sheet_data}</sheetData>{' ' * padding}</worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>참여자번호</t></is></c></row>'


def upload(b: Any, data: bytes, name: str = "roster.xlsx") -> Any:
    return b.client.post(
        "/uploads/attendance",
        data={"csrftoken": b.token()},
        files={"file": (name, data, "application/octet-stream")},
    )


def test_declared_dimension_of_a_whole_sheet_is_refused(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    small = workbook(HEADER_ROW, dimension="A1:XFD1600")
    assert len(small) < 3000
    page = upload(b, small)
    assert page.status_code == 400 and "1,600행 × 16,384열을 선언합니다" in page.text


def test_a_million_declared_rows_are_refused(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    page = upload(b, workbook(HEADER_ROW, dimension="A1:C1048576"))
    assert page.status_code == 400 and "너무 큽니다" in page.text


def test_zip_bomb_inflating_to_60mb_is_refused_by_its_inflated_size(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    bomb = workbook(HEADER_ROW, dimension=None, padding=60 * 1024 * 1024)
    assert len(bomb) < 100 * 1024  # the 20 MB cap on the file itself lets it through
    started = time.monotonic()
    page = upload(b, bomb)
    assert page.status_code == 400 and "압축을 풀면 60MB" in page.text
    assert time.monotonic() - started < 30  # refused from the zip directory, not parsed


def test_cells_actually_present_are_counted_when_no_dimension_is_declared(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    wide = "".join(f'<c r="{col}2" t="inlineStr"><is><t>x</t></is></c>' for col in ("A", "XFD"))
    page = upload(b, workbook(HEADER_ROW + f'<row r="2">{wide}</row>', dimension=None))
    assert page.status_code == 400 and "읽은 칸이" in page.text


def test_a_sound_workbook_still_imports(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    page = upload(b, workbook(HEADER_ROW, dimension="A1"))
    assert "너무 큽니다" not in page.text


def test_the_file_is_parsed_once(browser: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from payroll.formats import tabular

    calls: list[str] = []
    real = tabular._parse_sheets

    def counting(path: Any) -> Any:
        calls.append(path.name)
        return real(path)

    monkeypatch.setattr(tabular, "_parse_sheets", counting)
    b = browser()
    b.login("clerk")
    upload(b, b"participant_id,date,status,hours\nJ-404,2025-03-03,absent,\n", "a.csv")
    assert calls == ["a.csv"]


# --- request bodies ------------------------------------------------------------------


def test_anonymous_big_body_is_refused_before_it_is_read(browser: Any) -> None:
    b = browser()
    b.client.get("/login")
    page = b.client.post("/login", content=b"x" * (2 * 1024 * 1024))
    assert page.status_code == 413 and "요청이 너무 큽니다" in page.text


def test_anonymous_many_fields_are_refused(browser: Any) -> None:
    b = browser()
    fields = {f"f{i}": "y" * 100_000 for i in range(20)}
    page = b.client.post("/logout", data=fields)
    assert page.status_code == 413


def test_streamed_body_without_length_is_cut_off(browser: Any) -> None:
    b = browser()
    token = b.token()

    def chunks() -> Any:
        yield f"csrftoken={token}&username=clerk&password=".encode()
        for _ in range(100):
            yield b"a" * 10_000

    page = b.client.post(
        "/login",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 413


def test_signed_in_form_has_its_own_small_limit(browser: Any) -> None:
    b = browser()
    b.login("clerk")
    page = b.client.post("/logout", data={"csrftoken": b.token(), "x": "y" * 400_000})
    assert page.status_code == 413
    assert body_limit.limit_for("/logout", True) < body_limit.limit_for("/uploads/roster", True)
    assert body_limit.limit_for("/login", False) < body_limit.limit_for("/logout", True)


def test_anonymous_post_without_session_token_is_refused_without_parsing(browser: Any) -> None:
    b = browser()
    page = b.client.post("/logout", data={"csrftoken": "guess"})
    assert page.status_code == 403


# --- another user is served while an upload is parsed ----------------------------------


def test_other_users_page_answers_while_an_upload_is_parsed(
    app: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsing, release = threading.Event(), threading.Event()
    real = console_imports.upload

    def slow(*args: Any, **kw: Any) -> Any:
        parsing.set()
        release.wait(20)
        return real(*args, **kw)

    monkeypatch.setattr(console_imports, "upload", slow)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        clerk = httpx.Client(base_url=base, follow_redirects=True, timeout=30)
        token = csrf_of(clerk.get("/login").text)
        clerk.post(
            "/login",
            data={"username": "clerk", "password": password_of("clerk"), "csrftoken": token},
        )
        token = csrf_of(clerk.get("/uploads").text)
        sent = threading.Thread(
            target=lambda: clerk.post(
                "/uploads/roster",
                data={"csrftoken": token},
                files={"file": ("r.csv", b"participant_id\n", "text/csv")},
            )
        )
        sent.start()
        assert parsing.wait(10)
        started = time.monotonic()
        other = httpx.get(base + "/login", timeout=5)
        assert other.status_code == 200 and time.monotonic() - started < 5
        release.set()
        sent.join(20)
    finally:
        release.set()
        server.should_exit = True
        thread.join(10)


# --- the declared size, however the sheet spells it ---------------------------------


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


@given(rows=st.integers(1, 1_048_576), cols=st.integers(1, 16_384), quote=st.sampled_from("'\""))
def test_declared_size_reads_any_spelling_of_the_dimension(
    rows: int, cols: int, quote: str
) -> None:
    ref = f"A1:{_letters(cols)}{rows}"
    head = f"<x:dimension  ref={quote}{ref}{quote}/>".encode()
    assert xlsx_guard.declared_size(head) == (rows, cols)
