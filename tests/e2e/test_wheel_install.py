"""The package works installed from its wheel, far from the checkout.

A wheel is built from a copy of the sources, installed into a fresh virtualenv in a
temporary directory, and the installed ``payroll`` command runs a small month there:
init → roster → attendance → calculate → approve → finalize → payslips. The dependencies
are not downloaded again: a ``.pth`` file lends the virtualenv this interpreter's
site-packages, whose editable ``payroll`` is never activated (its ``.pth`` is not read),
and the test checks that ``payroll`` is imported from the new virtualenv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[2]
BUILD_INPUTS = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "payroll",
    "migrations",
    "payslip_templates",
    "schedules",
)
RRN_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMTIzNDU="

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a clean copy of the sources (no stale ``build/`` of the checkout)."""
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in BUILD_INPUTS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=ignore)
        else:
            shutil.copy2(REPO / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, src, cwd=src)
    [built] = dist.glob("payroll-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed (and this interpreter's dependencies)."""
    root = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", root, cwd=root)
    python = root / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=root)
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run(python, "-c", purelib, cwd=root).strip())
    lent = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_lent_dependencies.pth").write_text("\n".join(sorted(lent)) + "\n")
    return root


def test_the_wheel_carries_every_file_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"payroll/_assets/{folder}/{path.relative_to(REPO / folder).as_posix()}"
        for folder in ("migrations", "payslip_templates", "schedules")
        for path in (REPO / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    expected |= {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "payroll").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert expected - names == set()
    assert "payroll/_assets/migrations/versions/0001_core_records.py" in names


def test_a_month_with_the_installed_command(venv: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAYROLL_")} | {
        "PAYROLL_DATABASE_URL": f"sqlite:///{tmp_path / 'payroll.db'}",
        "PAYROLL_RRN_KEY": RRN_KEY,
        "PAYROLL_PERSON_KEY": "test-person-key-of-the-city-0123456789",
        "PAYROLL_OUTPUT_DIR": str(tmp_path / "out"),
        "COLUMNS": "200",
    }
    env.pop("PYTHONPATH", None)
    python = venv / "bin" / "python"
    where = run(python, "-c", "import payroll; print(payroll.__file__)", cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(venv), where
    payroll = venv / "bin" / "payroll"

    def cli(*args: str) -> str:
        return run(payroll, *args, cwd=tmp_path, env=env)

    assert "만들었습니다" in cli("init")  # every migration, from the installed package
    assert "최신입니다" in cli("init")
    assert "calculate-previous-month" in cli("scheduler", "list")  # shipped, found installed
    (tmp_path / "roster.csv").write_text(
        "참여자번호,성명,생년월일,자치구,은행,계좌번호,사업,기수,주민등록번호\n"
        "J-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2025-H1,"
        "700501-2000001\n",
        encoding="utf-8",
    )
    (tmp_path / "march.csv").write_text(
        "participant_id,date,status,hours\nJ-001,2025-03-12,absent,\n", encoding="utf-8"
    )
    cli("import", "participants", "roster.csv", "--by", "김담당")
    cli("import", "attendance", "march.csv")
    cli("run", "calculate", "--month", "2025-03")
    run_id = "2025-03/종로구/dongheng"
    cli("run", "approve", run_id, "--by", "이팀장")
    cli("run", "finalize", run_id, "--by", "박과장")
    cli("payslips", "--month", "2025-03")
    pdf = PdfReader(tmp_path / "out" / "2025-03" / "11110" / "dongheng" / "J-001.pdf")
    text = pdf.pages[0].extract_text()
    assert "김민지" in text and "2025" in text


def test_alembic_ini_still_works_from_the_checkout(tmp_path: Path) -> None:
    env = os.environ | {"PAYROLL_DATABASE_URL": f"sqlite:///{tmp_path / 'alembic.db'}"}
    run(sys.executable, "-m", "alembic", "-c", "alembic.ini", "upgrade", "head", cwd=REPO, env=env)
    current = run(
        sys.executable, "-m", "alembic", "-c", "alembic.ini", "current", cwd=REPO, env=env
    )
    assert "(head)" in current
