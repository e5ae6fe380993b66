"""Finds what a Korean user should not read: English sentences and bare internal codes.

Reusable for any page or file: :func:`page_problems` takes HTML (visible text only: no
tags, attributes, scripts or styles), :func:`text_problems` plain text (a CSV, the cells
of an XLSX, a PDF's text). A new console page is checked by adding its URL to the walk in
``tests/e2e/web/test_korean_everywhere.py``.

Flagged:

* an English phrase: three or more English words in a row (``no enrolled participant``);
  short technical words (PDF, CSV, XLSX, ZIP, ID …) and a few names are allowed;
* a bare code: a district code (``11110``) or program code (``dongheng``) standing alone,
  a role, state or pay-line code (``district_clerk``, ``calculated``, ``base_pay``), a
  term code (``2025-H1``), an unfilled placeholder (``{program}``), an action code in
  parentheses (``(view_people)``).
"""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from importlib.resources import files

ALLOWED_WORDS = {
    "pdf", "csv", "xlsx", "zip", "id", "ok", "csrf", "utf", "cp949", "excel", "htmx",
    "won", "nts",
}  # fmt: skip
DISTRICT_CODES = tuple(
    tomllib.loads(files("payroll.data").joinpath("catalog.toml").read_text("utf-8"))["districts"]
)
CODES = re.compile(
    r"(?<![\w/.=-])("
    + "|".join(DISTRICT_CODES)  # a district code on its own
    + r"|dongheng|maeryeok"
    r"|district_clerk|district_manager|city_admin"  # (finance: also a test user's name)
    r"|calculated|approved|finalized|cancelled"
    r"|worked|absent|annual_leave|official_leave"
    r"|base_pay|weekly_allowance|expense_allowance\w*|income_tax|local_income_tax"
    r"|national_pension|health_insurance|long_term_care|employment_insurance"
    r"|participant_id|birth_date"
    r"|\d{4}-H[12]"
    r")(?![\w/-])"
)
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
ACTION_CODE = re.compile(r"\([a-z]+_[a-z_]+\)")
WORD = re.compile(r"[A-Za-z][A-Za-z']*")


class _Visible(HTMLParser):
    """The text a browser shows: no script, style or attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("br", "p", "div", "td", "th", "li", "h1", "h2", "option", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in ("td", "th", "p", "div", "li", "option", "tr"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "".join(parser.parts)


def _english_phrases(line: str) -> list[str]:
    found = []
    run: list[str] = []
    for token in re.split(r"(\s+)", line):
        if not token.strip():
            continue
        word = token.strip(".,;:()[]'\"!?")
        if WORD.fullmatch(word) and word.casefold() not in ALLOWED_WORDS:
            run.append(word)
            continue
        if len(run) >= 3:
            found.append(" ".join(run))
        run = []
    if len(run) >= 3:
        found.append(" ".join(run))
    return found


def text_problems(
    text: str, where: str, allow: tuple[str, ...] = (), codes: bool = True
) -> list[str]:
    """Each English phrase or bare code in ``text``, as ``where: line``.

    ``codes=False`` checks English only (a machine-readable file keyed by codes).
    """
    problems = []
    for line in text.splitlines():
        line = line.strip()
        if not line or any(a in line for a in allow):
            continue
        hits = _english_phrases(line)
        hits += [m.group(1) for m in CODES.finditer(line)] if codes else []
        hits += PLACEHOLDER.findall(line) + ACTION_CODE.findall(line)
        problems += [f"{where}: {hit!r} in {line[:120]!r}" for hit in hits]
    return problems


def page_problems(html: str, where: str, allow: tuple[str, ...] = ()) -> list[str]:
    """:func:`text_problems` of a page's visible text."""
    return text_problems(visible_text(html), where, allow)
