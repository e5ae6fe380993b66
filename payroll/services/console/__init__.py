"""The web console's use cases, each for one acting user (checked with ``common.access`` first)."""
