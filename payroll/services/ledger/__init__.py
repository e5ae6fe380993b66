"""The cost-sharing ledgers (분담 원장): build, cache, write, reconcile with payslips,
the daily integrity check."""
