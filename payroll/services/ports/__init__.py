"""What the services need from storage, one module per area: ``Protocol`` classes whose
methods take and return domain records (never ORM rows). ``payroll/db/stores/`` holds the
SQL implementations; ``tests/support/fake_uow.py`` in-memory ones."""
