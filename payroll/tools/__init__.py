"""Maintenance tools run as modules (``python -m payroll.tools.…``)."""
