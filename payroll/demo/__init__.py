"""Demo data: synthetic districts, rosters and attendance for `payroll demo` and benchmarks."""
