"""HTML → PDF rendering of one payslip with WeasyPrint.

:class:`Renderer` parses the stylesheet and the Jinja2 template once and reuses them (and
one ``FontConfiguration``) for every payslip; it lays pages out through a
:class:`DocumentLayout`: :class:`FullLayout` (the reference) or the fast path of
:mod:`payroll.payslips.fast`. :func:`naive_render` is the no-reuse baseline the benchmark
compares against. All produce the same page.

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
from typing import Protocol

import jinja2
import pydyf
import weasyprint
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from payroll.config.settings import templates_dir
from payroll.domain.money import won
from payroll.payslips import fast
from payroll.payslips.streams import StreamWriter
from payroll.payslips.view import PayslipView, canonical_json, decimal_str

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


class DocumentLayout(Protocol):
    """What the renderer needs: the laid-out WeasyPrint document of one payslip's HTML."""

    def document(self, html: str) -> weasyprint.Document: ...


class FullLayout:
    """The reference layout: WeasyPrint parses, lays out and draws every payslip afresh."""

    def __init__(self, base_url: str, stylesheets: list[CSS], font_config: FontConfiguration):
        self._base_url = base_url
        self._stylesheets = stylesheets
        self._font_config = font_config

    def document(self, html: str) -> weasyprint.Document:
        return HTML(string=html, base_url=self._base_url).render(
            stylesheets=self._stylesheets, font_config=self._font_config
        )


class Renderer:
    """Renders payslip views to one-page PDFs, reusing parsed CSS, template and fonts.

    ``reuse_layout``: payslips of one shape reuse its layout, and with ``reuse_drawing``
    its recorded drawing (the fast path, :mod:`payroll.payslips.fast`, on the WeasyPrint
    releases it was verified with); otherwise, and as the reference, :class:`FullLayout`.

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
        base_url = str(self.template_dir) + os.sep
        font_config = FontConfiguration()
        css = CSS(
            string=(self.template_dir / CSS_NAME).read_text(encoding="utf-8"),
            base_url=base_url,
            font_config=font_config,
        )
        self._template = template_env(self.template_dir).get_template(TEMPLATE_NAME)
        self._streams = StreamWriter()
        """Deflates the PDF's streams (level 4, font files kept), fast path or not."""
        self.layouts = (
            fast.reusing_layout(base_url, [css], font_config, reuse_drawing=reuse_drawing)
            if reuse_layout
            else None
        )
        """The fast path's cache (hits, drawing counts), ``None`` when it is off."""
        self.layout: DocumentLayout = (
            FullLayout(base_url, [css], font_config) if self.layouts is None else self.layouts
        )

    def fingerprint(self, view: PayslipView) -> str:
        return fingerprint(view, self.version)

    def html(self, view: PayslipView) -> str:
        return self._template.render(v=view, inline_css="")

    def render(self, view: PayslipView) -> bytes:
        """The payslip as PDF bytes (one A4 page, fingerprint in the metadata)."""
        document = self.layout.document(self.html(view))
        with self._streams.installed():
            return _write_pdf(document, view, self.fingerprint(view))


def naive_render(view: PayslipView, template_dir: Path | None = None) -> bytes:
    """Baseline: fresh template, CSS inlined in ``<style>``, fresh WeasyPrint state."""
    root = Path(template_dir or default_template_dir())
    css_text = (root / CSS_NAME).read_text(encoding="utf-8")
    template = template_env(root).get_template(TEMPLATE_NAME)
    html = template.render(v=view, inline_css=css_text)
    document = HTML(string=html, base_url=str(root) + os.sep).render()
    return _write_pdf(document, view, fingerprint(view, template_version(root)))
