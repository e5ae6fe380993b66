"""File formats: what comes in (rosters, attendance, calc cases, typed months and dates)
and what goes out (ledgers, filings, sheets)."""
