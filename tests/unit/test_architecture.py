"""The import rules of docs/architecture.md, read from the source (nothing is imported but
the pay-line registry, by the rule that every line code written in the domain is declared).

Every ``import`` statement counts, those inside functions and ``TYPE_CHECKING`` blocks
included: a late import still ties the modules together.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "payroll"

DOMAIN_MAY_NOT_IMPORT = frozenset(
    [
        "sqlalchemy",
        "alembic",
        "psycopg",
        "weasyprint",
        "pydyf",
        "pypdf",
        "jinja2",
        "openpyxl",
        "cryptography",
        "typer",
        "rich",
        "click",
        "apscheduler",
        "fastapi",
        "starlette",
        "uvicorn",
    ]
)
ABOVE_ADAPTERS = ("payroll.services", "payroll.cli", "payroll.scheduler", "payroll.web")
SERVICES_MAY_NOT_IMPORT = ("sqlalchemy", "payroll.db")

# Modules still on the way to the unit of work: each breaks the rule it is listed under.
# Remove a module once it keeps the rule (a listed module that keeps it fails the test).
NOT_YET_WITHOUT_MODELS: frozenset[str] = frozenset()
NOT_YET_WITHOUT_DATABASE: frozenset[str] = frozenset()
ENTRYPOINTS_SERVICES_MAY_NOT_USE = ("payroll.cli", "payroll.web")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, name: str | None = None) -> set[str]:
    """Every module ``path`` names in an import statement (``from a import b``: a and a.b)."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return found


@cache
def sources() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in path.parts and "_assets" not in path.parts
    }


@cache
def graph() -> dict[str, frozenset[str]]:
    """payroll module → the payroll modules it imports."""
    known = sources()
    return {
        name: frozenset(m for m in imported_names(path) if m in known and m != name)
        for name, path in known.items()
    }


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def under(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def offenders(importers: Iterable[str], forbidden: Iterable[str], *, external: bool) -> dict:
    """importer → the forbidden modules it imports (top-level package names if external)."""
    forbidden = tuple(forbidden)
    result = {}
    for name in importers:
        names = imported_names(sources()[name])
        if external:
            bad = sorted({m.split(".")[0] for m in names} & set(forbidden))
        else:
            bad = sorted(m for m in names if under(m, forbidden))
        if bad:
            result[name] = bad
    return result


def modules_under(*prefixes: str) -> list[str]:
    return [name for name in sources() if under(name, prefixes)]


def test_the_domain_imports_no_database_pdf_file_web_or_cli_library() -> None:
    assert modules_under("payroll.domain"), "no domain modules found"
    domain = modules_under("payroll.domain")
    assert offenders(domain, DOMAIN_MAY_NOT_IMPORT, external=True) == {}


def test_the_domain_imports_nothing_else_of_payroll() -> None:
    outside = [m for m in sources() if not under(m, ["payroll.domain"]) and m != "payroll"]
    assert offenders(modules_under("payroll.domain"), outside, external=False) == {}


def test_domain_db_and_payslips_never_import_services_or_entrypoints() -> None:
    lower = modules_under("payroll.domain", "payroll.db", "payroll.payslips")
    assert offenders(lower, ABOVE_ADAPTERS, external=False) == {}


def test_services_never_import_the_cli_or_the_web_console() -> None:
    services = modules_under("payroll.services")
    assert offenders(services, ENTRYPOINTS_SERVICES_MAY_NOT_USE, external=False) == {}


def _database_imports(name: str) -> list[str]:
    names = imported_names(sources()[name])
    return sorted(m for m in names if under(m, SERVICES_MAY_NOT_IMPORT))


def test_only_the_database_adapter_imports_the_orm_models() -> None:
    outside = [m for m in sources() if not under(m, ["payroll.db"])]
    found = offenders(outside, ["payroll.db.models"], external=False)
    assert set(found) - NOT_YET_WITHOUT_MODELS == set()
    assert NOT_YET_WITHOUT_MODELS - set(found) == set(), "keeps the rule now: unlist it"


def test_services_import_neither_sqlalchemy_nor_the_database_adapter() -> None:
    found = {m for m in modules_under("payroll.services") if _database_imports(m)}
    assert found - NOT_YET_WITHOUT_DATABASE == set(), {m: _database_imports(m) for m in found}
    assert NOT_YET_WITHOUT_DATABASE - found == set(), "keeps the rule now: unlist it"


def test_no_import_cycles_among_payroll_modules() -> None:
    assert len(graph()) > 50  # the whole package was read
    assert cycles(graph()) == []


def test_late_and_relative_imports_count_and_a_cycle_is_found(tmp_path: Path) -> None:
    late = tmp_path / "late.py"
    late.write_text("def f():\n    from payroll.b import g\n    from . import c\n", "utf-8")
    assert {"payroll.b", "payroll.b.g", "payroll.x.c"} <= imported_names(late, "payroll.x.late")
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def string_constants(paths: Iterable[Path]) -> dict[str, set[str]]:
    """Module-level ``NAME = "text"`` assignments of ``paths``: name → the texts it holds."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign):
                continue
            if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                continue
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, set()).add(node.value.value)
    return found


def produced_line_codes(paths: Iterable[Path]) -> dict[str, set[str]]:
    """Line codes written as ``Line(code, …)`` or ``Adjustment(code, …)`` in ``paths``, the
    code a string or a module-level string constant, and every module-level ``*_CODE``
    constant (a code a loop picks from them): code → the files that write it. A code taken
    from another line (``Line(line.code, …)``) is that line's, already counted."""
    paths = list(paths)
    constants = string_constants(paths)
    found: dict[str, set[str]] = {}
    for path in paths:
        for name, texts in string_constants([path]).items():
            if name.endswith("_CODE"):
                for code in texts:
                    found.setdefault(code, set()).add(path.name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Line", "Adjustment")
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes = {first.value}
            elif isinstance(first, ast.Name):
                codes = constants.get(first.id, set())
            else:
                codes = set()
            for code in codes:
                found.setdefault(code, set()).add(path.name)
    return found


def test_every_line_code_the_domain_writes_is_a_declared_pay_line() -> None:
    """A line the registry does not declare would be refused at run time: find it here."""
    from payroll.domain import pay_lines  # the one rule that reads the registry itself

    domain = [sources()[m] for m in modules_under("payroll.domain")]
    produced = produced_line_codes(domain)
    assert {"base_pay", "income_tax", "retro_adjustment", "industrial_accident"} <= set(produced)
    undeclared = {code: files for code, files in produced.items() if not pay_lines.find(code)}
    assert undeclared == {}


def test_line_codes_are_found_written_directly_or_through_a_constant(tmp_path: Path) -> None:
    rule = tmp_path / "rule.py"
    rule.write_text(
        'BONUS = "bonus_pay"\n'
        'LOOPED_CODE = "looped_pay"\n'
        'NOT_A_LINE = "weekday"\n'
        "def f(line):\n"
        '    return [Line(BONUS, 1, ""), Adjustment("fix", 2, ""), Line(line.code, 3, "")]\n',
        "utf-8",
    )
    assert produced_line_codes([rule]) == {
        "bonus_pay": {"rule.py"},
        "fix": {"rule.py"},
        "looped_pay": {"rule.py"},
    }


COMPOSITION_ROOT = "payroll.composition"
SERVICES_TOP_LEVEL = frozenset(["payroll.services", "payroll.services.unit_of_work"])


def _builds_a_sql_unit_of_work(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "SqlUnitOfWork":
                return True
    return False


def test_only_the_composition_root_and_the_database_adapter_build_a_unit_of_work() -> None:
    builders = {m for m, path in sources().items() if _builds_a_sql_unit_of_work(path)}
    assert COMPOSITION_ROOT in builders
    assert {m for m in builders if not under(m, [COMPOSITION_ROOT, "payroll.db"])} == set()


def test_a_unit_of_work_built_in_an_entrypoint_is_found(tmp_path: Path) -> None:
    late = tmp_path / "late.py"
    late.write_text("def f(engine):\n    return db.uow.SqlUnitOfWork(engine)\n", "utf-8")
    assert _builds_a_sql_unit_of_work(late)
    late.write_text("from payroll.db.uow import SqlUnitOfWork\nx: SqlUnitOfWork\n", "utf-8")
    assert not _builds_a_sql_unit_of_work(late)


def test_services_are_grouped_in_packages_not_flat() -> None:
    top = {m for m in modules_under("payroll.services") if m.count(".") == 2}
    packages = {m for m in top if sources()[m].name == "__init__.py"}
    assert top - packages - SERVICES_TOP_LEVEL == set(), "a use case belongs in a package"
    for package in packages:
        docstring = ast.get_docstring(ast.parse(sources()[package].read_text(encoding="utf-8")))
        assert docstring, f"{package}/__init__.py says what the package owns"
