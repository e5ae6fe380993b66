"""The fast path: payslips of one shape reuse a prototype's layout and drawing.

It works on WeasyPrint's private internals, so it is kept apart from the renderer and
used only on the releases it was verified with (:data:`VERIFIED_WEASYPRINT`, the range
``pyproject.toml`` pins). :func:`reusing_layout` gives the renderer an object with the
same one method as the full layout (:class:`payroll.payslips.render.DocumentLayout`:
``document(html) -> weasyprint.Document``), or ``None`` on any other release; the
submodules are imported only then, so a WeasyPrint whose internals moved still renders
every payslip in full.

The full render is the reference: ``tests/payslips/test_reuse.py`` and
``test_redraw.py`` compare the fast path's PDFs with it, text and bytes.

* :mod:`.reuse` — layout reuse: swap changed leaf texts into a laid-out prototype.
* :mod:`.redraw` — drawing reuse: replay the prototype's PDF operators, draw only
  the changed texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import weasyprint

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from payroll.payslips.fast.reuse import LayoutCache

VERIFIED_WEASYPRINT = ("70.",)
"""WeasyPrint releases the fast path was verified against (keep in step with pyproject)."""


def supported(version: str | None = None) -> bool:
    """Whether this WeasyPrint release (default: the installed one) was verified."""
    return (version or weasyprint.__version__).startswith(VERIFIED_WEASYPRINT)


def reusing_layout(
    base_url: str,
    stylesheets: list[CSS],
    font_config: FontConfiguration,
    *,
    reuse_drawing: bool = True,
) -> LayoutCache | None:
    """A layout that reuses prototypes of each shape, or ``None`` on an unverified release."""
    if not supported():
        return None
    from payroll.payslips.fast.reuse import LayoutCache, render_document

    def layout(html: str) -> tuple[weasyprint.Document, weasyprint.HTML, object]:
        parsed = weasyprint.HTML(string=html, base_url=base_url)
        document, context = render_document(parsed, stylesheets, font_config)
        return document, parsed, context

    return LayoutCache(layout, reuse_drawing=reuse_drawing)
