"""The month's filings (신고·지급 자료) built from finalized payroll data: pure builders.

Each module turns plain facts (read by the kinds in ``payroll.services.filings.kinds``) into
:class:`Sheet` tables with Korean headers in the order of the form they fill;
``payroll.formats.reports.sheet`` writes them as XLSX or CSV.
"""
