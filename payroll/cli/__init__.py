"""The ``payroll`` command line (Typer + Rich)."""
