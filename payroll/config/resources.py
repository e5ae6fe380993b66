"""Where the package's assets are: the Alembic migrations, payslip templates and schedules.

In the repository they are the top-level folders ``migrations/``, ``payslip_templates/``
and ``schedules/``; a wheel carries copies of them in ``payroll/_assets/`` (``setup.py``
copies them at build time). :func:`asset_dir` finds the installed copy first, else the
checkout's folder, through :mod:`importlib.resources`. The data files of ``payroll/data/``
are read with ``importlib.resources`` directly.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ASSETS = ("migrations", "payslip_templates", "schedules")
"""Top-level repository folders the wheel carries inside the package."""

INSTALLED_DIR = "_assets"


class MissingAssetError(RuntimeError):
    """The installed package has neither its own copy of an asset nor a checkout beside it."""


def package_root() -> Path:
    """The ``payroll`` package folder (installed or in the checkout)."""
    root = resources.files("payroll")
    if not isinstance(root, Path):  # e.g. imported from a zip file
        raise MissingAssetError(f"payroll must be installed as files, not from {root}")
    return root


def asset_dir(name: str) -> Path:
    """The folder of asset ``name`` (one of :data:`ASSETS`)."""
    if name not in ASSETS:
        raise ValueError(f"unknown asset {name!r}; one of {', '.join(ASSETS)}")
    root = package_root()
    for candidate in (root / INSTALLED_DIR / name, root.parent / name):
        if candidate.is_dir():
            return candidate
    raise MissingAssetError(
        f"{name}/ is missing: neither {root / INSTALLED_DIR / name} nor {root.parent / name} "
        "exists (reinstall the payroll package)"
    )
