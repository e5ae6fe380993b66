"""An earlier migration module, loaded by a later one that reuses its definitions (the
row guards of 0005 are created again whenever SQLite rebuilds a guarded table)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def earlier_revision(beside: str, filename: str) -> ModuleType:
    """The migration ``filename`` in the same folder as the migration file ``beside``."""
    path = Path(beside).with_name(filename)
    spec = importlib.util.spec_from_file_location(f"payroll_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
