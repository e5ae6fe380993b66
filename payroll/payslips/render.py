"""HTML → PDF rendering of one payslip with WeasyPrint.

:class:`Renderer` parses the stylesheet and the Jinja2 template once and reuses them (and
one ``FontConfiguration``) for every payslip; :func:`naive_render` is the no-reuse
baseline the benchmark compares against. Both produce the same page.

Every PDF carries ``/PayrollFingerprint`` in its document information: the SHA-256 of the
view's canonical JSON and of the template version (:func:`template_version`), so the
pipeline can skip a payslip whose file is already up to date.
"""

from __future__ import annotations

import functools
import hashlib
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import jinja2
import pydyf
import weasyprint
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from payroll.payslips.reuse import LayoutCache, render_document
from payroll.payslips.view import PayslipView, canonical_json, decimal_str
from payroll.settings import templates_dir

RENDER_FORMAT = "payslip-pdf-1"
"""Bump when filters or rendering code change the output without a template change."""

FINGERPRINT_KEY = "/PayrollFingerprint"
TEMPLATE_NAME = "payslip.html.j2"
CSS_NAME = "payslip.css"
TEMPLATE_DIR_ENV = "PAYROLL_TEMPLATE_DIR"


class PayslipLayoutError(RuntimeError):
    """The payslip did not fit on exactly one A4 page."""


def default_template_dir() -> Path:
    """``$PAYROLL_TEMPLATE_DIR``, else the shipped ``payslip_templates/``."""
    env = os.environ.get(TEMPLATE_DIR_ENV)
    return Path(env) if env else templates_dir()


# -- Jinja2 filters -------------------------------------------------------------------------


def won(amount: int) -> str:
    """``1203600`` → ``1,203,600원``; ``-5000`` → ``-5,000원``."""
    return f"{amount:,}원"


def ymd(day: date) -> str:
    """``2025.04.10``."""
    return day.strftime("%Y.%m.%d")


def hours(value: Decimal) -> str:
    """``Decimal('120.0')`` → ``120``; ``Decimal('1234.5')`` → ``1,234.5``."""
    text = decimal_str(Decimal(value))
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}" if whole.lstrip("-").isdigit() else whole
    return f"{whole}.{frac}" if frac else whole


def template_env(template_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment over the payslip templates, with the money/date filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir or default_template_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(won=won, ymd=ymd, hours=hours)
    return env


@functools.lru_cache(maxsize=8)
def _template_version(template_dir: str, stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    digest.update(RENDER_FORMAT.encode())
    digest.update(weasyprint.__version__.encode())
    for name, _, _ in stamp:
        digest.update(name.encode())
        digest.update((Path(template_dir) / name).read_bytes())
    return digest.hexdigest()


def template_version(template_dir: Path | None = None) -> str:
    """SHA-256 over the payslip template, its CSS, the render format and WeasyPrint's version."""
    root = Path(template_dir or default_template_dir())
    stamp = []
    for name in (TEMPLATE_NAME, CSS_NAME):
        st = (root / name).stat()
        stamp.append((name, st.st_mtime_ns, st.st_size))
    return _template_version(str(root), tuple(stamp))


def fingerprint(view: PayslipView, version: str) -> str:
    """SHA-256 of the view's canonical JSON together with the template version."""
    digest = hashlib.sha256()
    digest.update(version.encode())
    digest.update(b"\0")
    digest.update(canonical_json(view).encode())
    return digest.hexdigest()


def _write_pdf(document: weasyprint.Document, view: PayslipView, fp: str) -> bytes:
    """The one-page document as PDF bytes, ``/PayrollFingerprint`` set in ``/Info``."""
    if len(document.pages) != 1:
        raise PayslipLayoutError(
            f"payslip {view.participant_id} {view.month} needs {len(document.pages)} pages"
        )

    def finisher(_document: weasyprint.Document, pdf: pydyf.PDF) -> None:
        pdf.info[FINGERPRINT_KEY.lstrip("/")] = pydyf.String(fp)

    return document.write_pdf(finisher=finisher)


REUSE_TESTED_WEASYPRINT = ("70.",)
"""WeasyPrint releases layout and drawing reuse were verified against (they use its
internals); with any other release every payslip gets the straightforward full render."""


def reuse_supported(version: str | None = None) -> bool:
    return (version or weasyprint.__version__).startswith(REUSE_TESTED_WEASYPRINT)


class Renderer:
    """Renders payslip views to one-page PDFs, reusing parsed CSS, template and fonts.

    ``reuse_layout``: payslips of one shape reuse its layout (:mod:`.reuse`);
    ``reuse_drawing`` (with it): they also replay its recorded drawing (:mod:`.redraw`).

    One instance per process (it is not thread-safe: WeasyPrint's font configuration is
    shared between renders).
    """

    def __init__(
        self,
        template_dir: Path | None = None,
        *,
        reuse_layout: bool = True,
        reuse_drawing: bool = True,
    ) -> None:
        self.template_dir = Path(template_dir or default_template_dir())
        self.version = template_version(self.template_dir)
        self._base_url = str(self.template_dir) + os.sep
        self._font_config = FontConfiguration()
        self._css = CSS(
            string=(self.template_dir / CSS_NAME).read_text(encoding="utf-8"),
            base_url=self._base_url,
            font_config=self._font_config,
        )
        self._template = template_env(self.template_dir).get_template(TEMPLATE_NAME)
        self.layouts = (
            LayoutCache(self._layout, reuse_drawing=reuse_drawing)
            if reuse_layout and reuse_supported()
            else None
        )

    def _layout(self, html: str) -> tuple[weasyprint.Document, HTML, object]:
        parsed = HTML(string=html, base_url=self._base_url)
        document, context = render_document(parsed, [self._css], self._font_config)
        return document, parsed, context

    def fingerprint(self, view: PayslipView) -> str:
        return fingerprint(view, self.version)

    def html(self, view: PayslipView) -> str:
        return self._template.render(v=view, inline_css="")

    def render(self, view: PayslipView) -> bytes:
        """The payslip as PDF bytes (one A4 page, fingerprint in the metadata)."""
        html = self.html(view)
        if self.layouts is not None:
            document = self.layouts.document(html)
        else:
            document = HTML(string=html, base_url=self._base_url).render(
                stylesheets=[self._css], font_config=self._font_config
            )
        return _write_pdf(document, view, self.fingerprint(view))


def naive_render(view: PayslipView, template_dir: Path | None = None) -> bytes:
    """Baseline: fresh template, CSS inlined in ``<style>``, fresh WeasyPrint state."""
    root = Path(template_dir or default_template_dir())
    css_text = (root / CSS_NAME).read_text(encoding="utf-8")
    template = template_env(root).get_template(TEMPLATE_NAME)
    html = template.render(v=view, inline_css=css_text)
    document = HTML(string=html, base_url=str(root) + os.sep).render()
    return _write_pdf(document, view, fingerprint(view, template_version(root)))
