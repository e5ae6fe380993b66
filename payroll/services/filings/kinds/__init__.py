"""One module per filing kind, each declaring ``KIND``: a
:class:`~payroll.services.filings.registry.FilingKind`."""
