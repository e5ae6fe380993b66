"""The administrators' work: users and passwords, city settings, the catalog by year, holiday and
withholding tables, the resident-number key, reading the audit log."""
