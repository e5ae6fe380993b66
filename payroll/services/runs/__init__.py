"""A payroll run's use cases: calculate → approve → finalize or cancel, what a run reads and pays,
its sheets and files, closing terms, carried-over pay and the §16 order of months."""
