"""The registries' one way to find their members: every module of a package declares
``KIND``; the declarations by their ``kind``, in their ``order``."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any


def declared_kinds(package: ModuleType) -> dict[str, Any]:
    """``KIND`` of every module of ``package`` by its ``kind``; a name declared twice is an
    error (two modules would otherwise silently shadow each other)."""
    found: dict[str, Any] = {}
    for module in pkgutil.iter_modules(package.__path__):
        declared = importlib.import_module(f"{package.__name__}.{module.name}").KIND
        if declared.kind in found:
            raise RuntimeError(f"{package.__name__}: {declared.kind!r} declared twice")
        found[declared.kind] = declared
    return dict(sorted(found.items(), key=lambda item: item[1].order))
