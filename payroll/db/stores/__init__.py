"""SQL implementations of the stores in :mod:`payroll.services.ports`, one module per
area. Each takes the unit of work's session, reads ORM rows and returns domain records."""
