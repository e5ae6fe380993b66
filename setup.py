"""Build hook: the wheel carries ``migrations/``, ``payslip_templates/`` and ``schedules/``.

They stay top-level folders of the repository (``alembic.ini`` and the developers use them
there); at build time they are copied into ``payroll/_assets/``, where
:func:`payroll.config.resources.asset_dir` finds them in an installed package. An editable
install reads the checkout's folders directly and copies nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ASSETS = ("migrations", "payslip_templates", "schedules")  # = payroll.config.resources.ASSETS


class BuildPyWithAssets(build_py):
    """``build_py`` that also copies the asset folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib, "payroll", "_assets")
        for name in ASSETS:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(
                name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )


setup(cmdclass={"build_py": BuildPyWithAssets})
