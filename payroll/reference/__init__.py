"""Shipped reference data read from ``payroll/data``: catalog, withholding table, banks."""
