"""``payroll --help`` and ``payroll calc`` start light: the heavy libraries (WeasyPrint,
Alembic, FastAPI) and the other commands' modules load only when their command runs;
Typer's own errors are one Korean line with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

START = "import sys; from payroll.cli.main import app; sys.argv[0] = 'payroll'; app()"
HEAVY = ("weasyprint", "alembic", "fastapi", "uvicorn", "argon2")


def _imported(*args: str, cwd: Path) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules ``python -X importtime -m payroll.cli.main ARGS`` imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", START, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return modules, done


def _roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_imports_no_command_module_and_no_heavy_library(tmp_path: Path) -> None:
    modules, done = _imported("--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "payroll.cli.main" in modules  # the measurement itself works
    assert not _roots(modules) & {*HEAVY, "sqlalchemy"}  # not even the database layer
    assert not {m for m in modules if m.startswith("payroll.cli.")} - {
        "payroll.cli.main", "payroll.cli.errors", "payroll.cli.lazy", "payroll.cli.korean",
    }  # fmt: skip
    assert "payroll.services.admin.users" not in modules  # no Argon2 hash computed at start
    assert "사용법: payroll" in done.stdout and "급여명세서 PDF" in done.stdout


def test_calc_imports_only_its_own_module(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "program": "dongheng",
                "birth_date": "1960-05-01",
                "start": "2026-03-03",
                "end": "2026-06-30",
                "months": ["2026-03"],
            }
        ),
        encoding="utf-8",
    )
    modules, done = _imported("calc", str(case), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "payroll.cli.calc" in modules
    assert not _roots(modules) & set(HEAVY)
    assert "payroll.cli.runs" not in modules and "payroll.db.migrate" not in modules


def _payroll(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "payroll.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_usage_errors_are_one_korean_line_with_exit_2(tmp_path: Path) -> None:
    for args, words in (
        (("calc", "--bogus"), "없는 옵션입니다: --bogus"),
        (("bogus",), "없는 명령입니다: bogus"),
        (("run", "calculate"), "빠진 옵션이 있습니다: --month"),
        (("holiday", "list", "x"), "값이 올바르지 않습니다"),
    ):
        done = _payroll(*args, cwd=tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("오류: ") and words in line, line
        assert "Usage" not in done.stderr and "╭" not in done.stderr


def test_a_missing_file_is_one_korean_line_with_exit_2(tmp_path: Path) -> None:
    env_db = tmp_path / "payroll.db"
    assert _payroll("init", cwd=tmp_path).returncode == 0 and env_db.exists()
    done = _payroll("import", "attendance", "없는파일.csv", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("오류: ") and "없는파일.csv" in line and "읽을 수 없습니다" in line
