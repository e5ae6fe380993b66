"""PDF payslips (임금명세서): view model, renderer, parallel pipeline, encryption, print file.

Modules:

* :mod:`~payroll.payslips.view` — :class:`PayslipView`, the renderer's only input.
* :mod:`~payroll.payslips.render` — :class:`Renderer` (parsed CSS/template reused) and the
  :func:`naive_render` baseline; :class:`~payroll.payslips.render.FullLayout` the reference.
* :mod:`~payroll.payslips.fast` — the fast path (layout and drawing reuse on WeasyPrint's
  internals), behind the same ``document(html)`` interface, on verified releases only.
* :mod:`~payroll.payslips.pipeline` — :func:`render_payslips`: processes, atomic writes,
  fingerprint-based skipping.
* :mod:`~payroll.payslips.encrypt` — AES-256 with the birth date (YYMMDD) as password.
* :mod:`~payroll.payslips.print_file` — cover + all pages for the administrator's printer.
* :mod:`~payroll.formats.atomic` — temp file, fsync, ``os.replace``.

Importing this package does not import WeasyPrint; import the submodules you need.
"""

from payroll.payslips.view import LeaveView, PayLine, PayslipView, WorkFacts, sample_view

__all__ = ["LeaveView", "PayLine", "PayslipView", "WorkFacts", "sample_view"]
