"""Service layer: the units of work the CLI and the scheduler call."""
