"""`make bench`: how fast a whole city's month runs on this machine (not a test).

Phases, each in its own process so that peak memory is the phase's own:
1. calculation: participant-months/s of calculate + store + approve + finalize for a month
   of about 16,000 participant-months, on SQLite and PostgreSQL, and 100,000 on PostgreSQL,
   with the runs in PAYROLL_WORKERS processes as the product runs them (default: the CPU
   count on PostgreSQL, 1 on SQLite);
2. imports: roster, history and attendance files imported into PostgreSQL at two sizes
   (BENCH_IMPORT_ROWS roster rows before scaling, default 28000,175000), rows/s of each
   file at each size, to show whether they scale linearly;
3. whole month: the city's month on PostgreSQL end to end, phase by phase: attendance
   import, calculate, approve+finalize, payslips (the pipeline), ledger, filings;
4. payslips: the rendering pipeline against the naive baseline (one process, one
   ``HTML(string=...).write_pdf()`` per payslip with the CSS inline) on the same payslips;
5. ledger and reconciliation of the 16,000 month (with the calculation).
Prints a table and writes BENCHMARKS.md. Set PAYROLL_BENCH_PG_URL to use an existing
PostgreSQL server (its user must create databases); otherwise a throwaway one is started.
Set BENCH_SCALE (default 1.0) to shrink everything for a quick look, and BENCH_ONLY to
``calculation``, ``imports``, ``month`` or ``payslips`` to run one part (the other parts'
rows are kept from the last BENCHMARKS.md). BENCH_BIG (default 100000, 0 to skip) sets the
large PostgreSQL month before scaling. Each calculation row puts calculate+store beside the
pay arithmetic alone on the same inputs in the same run, the limit a loaded machine cannot
blur.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MONTH = "2025-03"
PAYSLIP_SAMPLE = 800


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- phases (run in a child process) --------------------------------------------------


def participants_for(months: int, seed: int) -> int:
    """How many synthetic participants give about ``months`` participant-months in MONTH."""
    from payroll.demo.synthetic import generate_city

    sample = generate_city(4000, 25, seed, MONTH)
    enrolled = sum(1 for r in sample.roster if _in_month(r))
    return max(10, round(months * len(sample.roster) / enrolled * 4000 / len(sample.roster)))


def _in_month(row: dict[str, str]) -> bool:
    return row["term"] in ("2025-H1", "2025") and (row["start"] or "2025-03-01") <= "2025-03-31"


def phase_setup(
    url: str, months: int, seed: int, folder: str, attendance: str = "yes"
) -> dict[str, float]:
    """A city of about ``months`` participant-months imported with the real import
    commands, each file timed (``attendance`` "no": the attendance file is left for the
    month phase)."""
    from payroll.db import migrate
    from payroll.db.catalog_store import load_catalog
    from payroll.db.engine import make_engine, transaction
    from payroll.reference.catalog import shipped_catalog_data

    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        load_catalog(session, shipped_catalog_data())
    engine.dispose()
    return _import_city(url, participants_for(months, seed), seed, folder, attendance == "yes")


def _import_city(
    url: str, participants: int, seed: int, folder: str, attendance: bool
) -> dict[str, float]:
    from payroll.db.engine import make_engine
    from payroll.db.uow import SqlUnitOfWork
    from payroll.demo.synthetic import generate_city, write_city
    from payroll.services.imports.attendance import import_attendance
    from payroll.services.imports.history import import_history
    from payroll.services.imports.rosters import import_participants

    engine = make_engine(url)
    city = generate_city(participants, 25, seed, MONTH)
    paths = write_city(city, Path(folder))
    figures: dict[str, float] = {
        "participants": len(city.roster),
        "roster_rows": len(city.roster),
        "history_rows": len(city.history),
        "attendance_rows": len(city.attendance),
    }
    started = time.perf_counter()
    import_participants(SqlUnitOfWork(engine), paths["roster"], by="bench")
    figures["roster_s"] = time.perf_counter() - started
    import_history(SqlUnitOfWork(engine), paths["history"], actor="bench")
    figures["history_s"] = time.perf_counter() - started - figures["roster_s"]
    if attendance:
        import_attendance(SqlUnitOfWork(engine), paths["attendance"], actor="bench")
    figures["import_s"] = time.perf_counter() - started
    figures["attendance_s"] = figures["import_s"] - figures["roster_s"] - figures["history_s"]
    figures["attendance_file"] = str(paths["attendance"])  # type: ignore[assignment]
    figures["peak_mb"] = peak_mb()
    return figures


def phase_imports(url: str, roster_rows: int, seed: int, folder: str) -> dict[str, float]:
    """Roster, history and attendance imports of a city of ``roster_rows`` participants
    into an empty (migrated, catalog loaded) database, each timed."""
    from payroll.db import migrate
    from payroll.db.catalog_store import load_catalog
    from payroll.db.engine import make_engine, transaction
    from payroll.reference.catalog import shipped_catalog_data

    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        load_catalog(session, shipped_catalog_data())
    engine.dispose()
    return _import_city(url, roster_rows, seed, folder, True)


def phase_calculate(url: str, workers: int = 1) -> dict[str, float]:
    from payroll.db.uow import unit_of_work, uow_factory
    from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run

    uow = unit_of_work(url)
    started = time.perf_counter()
    runs = calculate_runs(
        uow, MONTH, actor="bench", workers=workers, uow_factory=uow_factory(uow.engine)
    )
    calculated = time.perf_counter() - started
    for run in runs:
        approve_run(uow, str(run.id), "bench-approver")
        finalize_run(uow, str(run.id), "bench-finalizer")
    total = time.perf_counter() - started
    count = sum(r.participants for r in runs)
    return {
        "participant_months": count,
        "exceptions": sum(r.exceptions for r in runs),
        "calculate_s": calculated,
        "total_s": total,
        "per_s": count / total,
        "peak_mb": peak_mb(),
    }


def phase_arithmetic(url: str) -> dict[str, float]:
    """The pay arithmetic alone on the month's loaded inputs: the limit of calculate."""
    from payroll.db.uow import unit_of_work
    from payroll.domain.model import PayrollError
    from payroll.domain.run_member import month_payslip
    from payroll.services.runs.inputs import load_inputs, run_sizes

    uow = unit_of_work(url)
    with uow:
        catalog = uow.catalog.read()
        calendar, withholding = uow.catalog.holidays(), uow.catalog.withholding_table()
        people = [
            person
            for district, program in run_sizes(uow, MONTH, None, None)
            for person in load_inputs(uow, MONTH, uow.run_inputs.members(MONTH, district, program))
        ]
    started = time.perf_counter()
    count = 0
    for person in people:
        try:
            month_payslip(person, MONTH, catalog.rate_book, calendar, withholding)
            count += 1
        except PayrollError:
            pass
    seconds = time.perf_counter() - started
    return {"participant_months": count, "seconds": seconds, "per_s": count / seconds}


def phase_ledger(url: str, folder: str) -> dict[str, float]:
    from payroll.db.engine import make_engine
    from payroll.db.uow import SqlUnitOfWork
    from payroll.services.ledger.cache import month_ledger_bytes
    from payroll.services.ledger.output import write_month_ledgers
    from payroll.services.ledger.reconcile import reconcile_month

    engine = make_engine(url)
    started = time.perf_counter()
    write_month_ledgers(SqlUnitOfWork(engine), MONTH, Path(folder))
    ledger_s = time.perf_counter() - started
    started = time.perf_counter()
    report = reconcile_month(SqlUnitOfWork(engine), MONTH)
    reconcile_s = time.perf_counter() - started
    kept = Path(folder) / "kept"
    started = time.perf_counter()
    month_ledger_bytes(SqlUnitOfWork(engine), MONTH, "xlsx", kept)  # a download, built
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(10):  # ten more downloads of the unchanged month, from the kept file
        month_ledger_bytes(SqlUnitOfWork(engine), MONTH, "xlsx", kept)
    kept_s = (time.perf_counter() - started) / 10
    together = _concurrent_downloads(engine, Path(folder) / "kept-together", 10)
    return {
        "download_first_s": first_s,
        "download_kept_s": kept_s,
        "together_max_s": max(together),
        "together_median_s": sorted(together)[len(together) // 2],
        "ledger_s": ledger_s,
        "reconcile_s": reconcile_s,
        "reconciled": float(report.ok),
        "peak_mb": peak_mb(),
    }


def _concurrent_downloads(engine: object, kept: Path, users: int) -> list[float]:
    """Seconds each of ``users`` simultaneous downloads of a month not built yet took (one
    builds the file, the others wait for it and read it)."""
    from concurrent.futures import ThreadPoolExecutor

    from payroll.db.uow import SqlUnitOfWork
    from payroll.services.ledger.cache import month_ledger_bytes

    def download(_: int) -> float:
        started = time.perf_counter()
        month_ledger_bytes(SqlUnitOfWork(engine), MONTH, "xlsx", kept)  # type: ignore[arg-type]
        return time.perf_counter() - started

    with ThreadPoolExecutor(users) as pool:
        return list(pool.map(download, range(users)))


def phase_month(url: str, attendance_file: str, folder: str, workers: int) -> dict[str, float]:
    """A whole month end to end, phase by phase: attendance import, calculate, approve and
    finalize every run, payslips (the pipeline), the month's ledgers, the city's filings."""
    from payroll.db.uow import unit_of_work, uow_factory
    from payroll.services.filings.jobs import write_month_filings
    from payroll.services.imports.attendance import import_attendance
    from payroll.services.ledger.output import write_month_ledgers
    from payroll.services.payslips.output import write_payslips
    from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run

    uow = unit_of_work(url)
    out = Path(folder)
    times: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        times[f"{name}_s"] = now - started
        started = now

    import_attendance(uow, Path(attendance_file), actor="bench")
    lap("attendance")
    runs = calculate_runs(
        uow, MONTH, actor="bench", workers=workers, uow_factory=uow_factory(uow.engine)
    )
    lap("calculate")
    for run in runs:
        approve_run(uow, str(run.id), "bench-approver")
        finalize_run(uow, str(run.id), "bench-finalizer")
    lap("finalize")
    report = write_payslips(uow, MONTH, out / "payslips", only_finalized=True, processes=workers)
    lap("payslips")
    write_month_ledgers(uow, MONTH, out / "ledgers")
    lap("ledger")
    write_month_filings(uow, MONTH, _mkdir(out / "filings"))
    lap("filings")
    return {
        **times,
        "participant_months": sum(r.participants for r in runs),
        "payslips": report.rendered,
        "total_s": sum(times.values()),
        "peak_mb": peak_mb(),
    }


def _sample_views(url: str, count: int) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from payroll.db.engine import make_engine, transaction
    from payroll.db.models import PayrollRun
    from payroll.db.stores.records import run_record
    from payroll.db.uow import SqlUnitOfWork
    from payroll.services.payslips.output import run_views

    engine = make_engine(url)
    uow = SqlUnitOfWork(engine)
    views = []
    with transaction(engine) as session:
        runs = session.scalars(
            select(PayrollRun).where(PayrollRun.month == MONTH).order_by(PayrollRun.id)
        )
        for run in [run_record(r) for r in runs]:
            views += run_views(uow, run)
            if len(views) >= count:
                break
    return views[:count]


def phase_naive(url: str, folder: str) -> dict[str, float]:
    from payroll.payslips.render import naive_render

    views = _sample_views(url, PAYSLIP_SAMPLE)
    started, cpu_started = time.perf_counter(), time.process_time()
    sizes = []
    for view in views:
        data = naive_render(view)
        path = Path(folder) / f"{view.participant_id}.pdf"
        path.write_bytes(data)
        sizes.append(len(data))
    seconds = time.perf_counter() - started
    return {
        "payslips": len(views),
        "seconds": seconds,
        "per_s": len(views) / seconds,
        "cpu_ms": (time.process_time() - cpu_started) * 1000 / len(views),
        "mean_kb": sum(sizes) / len(sizes) / 1024,
        "peak_mb": peak_mb(),
    }


def phase_pipeline(url: str, folder: str) -> dict[str, float]:
    from payroll.payslips.pipeline import RenderJob, render_payslips
    from payroll.payslips.workers import start_early

    start_early()  # as `payroll payslips` does: the workers' imports overlap reading views
    views = _sample_views(url, PAYSLIP_SAMPLE)
    jobs = [RenderJob(v, Path(folder) / f"{v.participant_id}.pdf", None) for v in views]
    started = time.perf_counter()
    report = render_payslips(jobs)
    seconds = time.perf_counter() - started
    sizes = [j.out_path.stat().st_size for j in jobs]
    return {
        "payslips": report.rendered,
        "seconds": seconds,
        "per_s": len(views) / seconds,
        "mean_kb": sum(sizes) / len(sizes) / 1024,
        "peak_mb": peak_mb(),
        "worker_peak_mb": report.render_peak_mb,  # each worker's own ru_maxrss
        "cpu_ms": report.render_cpu_s * 1000 / len(views),  # the workers' own CPU time
    }


PHASES = {
    "setup": phase_setup,
    "arithmetic": phase_arithmetic,
    "calculate": phase_calculate,
    "imports": phase_imports,
    "month": phase_month,
    "ledger": phase_ledger,
    "naive": phase_naive,
    "pipeline": phase_pipeline,
}


def child(phase: str, *args: object) -> dict[str, float]:
    """Run one phase in a fresh Python process and return its JSON figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        sys.exit(f"benchmark phase {phase} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- orchestration ---------------------------------------------------------------------


def pg_server() -> tuple[str, object | None]:
    given = os.environ.get("PAYROLL_BENCH_PG_URL")
    if given:
        return given, None
    from tests.support.pg_server import ThrowawayPostgres

    server = ThrowawayPostgres(durable=True)  # fsync and full-page writes on, as in production
    return server.start(), server


def new_pg_database(admin_url: str, name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    only = os.environ.get("BENCH_ONLY", "")
    if not os.environ.get("PAYROLL_RRN_KEY"):  # the synthetic roster carries RRNs
        from cryptography.fernet import Fernet

        os.environ["PAYROLL_RRN_KEY"] = Fernet.generate_key().decode()
    if not os.environ.get("PAYROLL_PERSON_KEY"):  # every enrollment's person (#22)
        os.environ["PAYROLL_PERSON_KEY"] = "bench-person-key-" + "0" * 32
    work = Path(tempfile.mkdtemp(prefix="payroll-bench-"))
    rows: list[tuple[str, str]] = []
    parts: list[tuple[str, Callable[[], list[tuple[str, str]]], tuple[str, ...]]] = [
        ("calculation", lambda: calculation_rows(work, scale), ("calculation", "ledger")),
        ("imports", lambda: import_rows(work, scale), ("imports",)),
        ("month", lambda: month_rows(work, scale), ("whole month",)),
        ("payslips", lambda: payslip_rows(work), ("payslips",)),
    ]
    for part, measure, prefixes in parts:
        if not only or only == part:
            rows += measure()
        else:
            rows += previous_rows(lambda name, p=prefixes: name.startswith(p))
    report(rows, scale)


def previous_rows(keep: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Rows of the last BENCHMARKS.md, for the part not run this time."""
    path = ROOT / "BENCHMARKS.md"
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        header = cells[0] in ("what", "---")
        if line.startswith("| ") and len(cells) == 2 and not header and keep(cells[0]):
            found.append(
                (
                    cells[0],
                    cells[1] + " (earlier run)" if "(earlier run)" not in cells[1] else cells[1],
                )
            )
    return found


def workers_for(label: str) -> int:
    """PAYROLL_WORKERS as the product reads it (SQLite: 1 unless set)."""
    from payroll.config.settings import calculation_workers

    return calculation_workers("sqlite" if label == "SQLite" else "postgresql")


def import_rows(work: Path, scale: float) -> list[tuple[str, str]]:
    """Roster, history and attendance imports on PostgreSQL at two sizes (BENCH_IMPORT_ROWS,
    roster rows before scaling, default 28000,175000): rows/s at each, to see the scaling."""
    sizes = os.environ.get("BENCH_IMPORT_ROWS", "28000,175000")
    admin_url, server = pg_server()
    rows: list[tuple[str, str]] = []
    try:
        for size in [max(50, round(int(n) * scale)) for n in sizes.split(",") if n.strip()]:
            print(f"[imports {size:,}] generating and importing …", flush=True)
            url = new_pg_database(admin_url, f"bench_imports_{size}")
            got = child("imports", url, size, 13, work / f"imports-{size}")
            rate = {k: got[f"{k}_rows"] / max(got[f"{k}_s"], 1e-9) for k in KINDS}
            rows.append(
                (
                    f"imports, PostgreSQL, {got['roster_rows']:,.0f} roster rows",
                    "; ".join(
                        f"{k} {got[f'{k}_rows']:,.0f} rows in {got[f'{k}_s']:.1f} s "
                        f"= {rate[k]:,.0f} rows/s"
                        for k in KINDS
                    )
                    + f"; peak {got['peak_mb']:.0f} MB",
                )
            )
    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
    return rows


KINDS = ("roster", "history", "attendance")


def month_rows(work: Path, scale: float) -> list[tuple[str, str]]:
    """A whole month of the city end to end on PostgreSQL, phase by phase."""
    city = round(16000 * scale)
    workers = workers_for("PostgreSQL")
    admin_url, server = pg_server()
    try:
        url = new_pg_database(admin_url, "bench_month")
        print(f"[whole month {city:,}] generating and importing roster and history …", flush=True)
        setup = child("setup", url, city, 11, work / "in-month", "no")
        print(f"[whole month {city:,}] attendance … filings …", flush=True)
        got = child("month", url, setup["attendance_file"], _mkdir(work / "month"), workers)
        pure = child("arithmetic", url)  # the same month's inputs, the limit of calculate
    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
    phases = ("attendance", "calculate", "finalize", "payslips", "ledger", "filings")
    names = {
        "attendance": "attendance import",
        "calculate": "calculate",
        "finalize": "approve+finalize",
        "payslips": f"payslips ({got['payslips']:,.0f})",
        "ledger": "ledger",
        "filings": "filings",
    }
    return [
        (
            f"whole month, PostgreSQL, {got['participant_months']:,.0f} participant-months",
            f"{got['total_s']:.0f} s end to end with {workers} workers (target ≤ 180 s): "
            + ", ".join(f"{names[p]} {got[f'{p}_s']:.1f} s" for p in phases)
            + f"; calculate+store {got['participant_months'] / got['calculate_s']:,.0f} "
            f"participant-months/s against the arithmetic alone {pure['per_s']:,.0f}/s on one "
            f"core (same run); peak {got['peak_mb']:.0f} MB main",
        )
    ]


def calculation_rows(work: Path, scale: float) -> list[tuple[str, str]]:
    """Calculation on SQLite and PostgreSQL, then the ledger of the SQLite month."""
    city = round(16000 * scale)
    big = round(int(os.environ.get("BENCH_BIG", "100000")) * scale)
    admin_url, server = pg_server()
    rows: list[tuple[str, str]] = []
    try:
        targets = [
            ("SQLite", f"sqlite:///{work / 'city.db'}", city),
            ("PostgreSQL", new_pg_database(admin_url, "bench_city"), city),
        ]
        if big:
            targets.append(("PostgreSQL", new_pg_database(admin_url, "bench_big"), big))
        for label, url, months in targets:
            key = f"{label} {months:,}"
            print(f"[{key}] generating and importing …", flush=True)
            setup = child("setup", url, months, 11, work / f"in-{label}-{months}")
            print(f"[{key}] pay arithmetic alone …", flush=True)
            pure = child("arithmetic", url)
            print(f"[{key}] calculating …", flush=True)
            workers = workers_for(label)
            calc = child("calculate", url, workers)
            stored = calc["participant_months"] / calc["calculate_s"]
            rows.append(
                (
                    f"calculation, {label}, {calc['participant_months']:,.0f} participant-months",
                    f"calculate+store {stored:,.0f} participant-months/s with {workers} "
                    f"worker{'s' if workers > 1 else ''} = "
                    f"{stored / pure['per_s']:.0%} of the arithmetic alone "
                    f"({pure['per_s']:,.0f}/s, same run); with approve+finalize "
                    f"{calc['per_s']:,.0f}/s ({calc['calculate_s']:.1f} s + "
                    f"{calc['total_s'] - calc['calculate_s']:.1f} s); "
                    f"peak {calc['peak_mb']:.0f} MB main; import of "
                    f"{setup['participants']:,.0f} roster rows {setup['import_s']:.1f} s",
                )
            )
        print("[ledger] …", flush=True)
        ledger = child("ledger", targets[0][1], work / "ledgers")
        rows.append(
            (
                f"ledger (CSV + XLSX) of the SQLite month ({city:,})",
                f"{ledger['ledger_s']:.1f} s; reconcile {ledger['reconcile_s']:.1f} s "
                f"({'reconciles' if ledger['reconciled'] else 'DIFFERENCES'}); "
                f"peak {ledger['peak_mb']:.0f} MB",
            )
        )
        rows.append(
            (
                f"ledger XLSX download of the SQLite month ({city:,})",
                f"first {ledger['download_first_s']:.2f} s (built and kept); then "
                f"{ledger['download_kept_s'] * 1000:.0f} ms each from the kept file "
                "(until a run of the month changes); ten users at once on a month not "
                f"built yet: median {ledger['together_median_s']:.2f} s, slowest "
                f"{ledger['together_max_s']:.2f} s",
            )
        )
    finally:
        if server is not None:
            server.stop()  # type: ignore[attr-defined]
    return rows


def payslip_rows(work: Path) -> list[tuple[str, str]]:
    """The naive baseline and the pipeline on the same finalized payslips."""
    url = f"sqlite:///{work / 'payslips.db'}"
    print("[payslips] a small city …", flush=True)
    child("setup", url, PAYSLIP_SAMPLE * 2, 5, work / "in-payslips")
    child("calculate", url)
    print("[payslips] naive baseline …", flush=True)
    naive = child("naive", url, _mkdir(work / "naive"))
    print("[payslips] pipeline …", flush=True)
    fast = child("pipeline", url, _mkdir(work / "pipeline"))
    ratio = fast["per_s"] / naive["per_s"]
    cpu_ratio = naive["cpu_ms"] / fast["cpu_ms"]
    return [
        (
            f"payslips, naive baseline ({naive['payslips']:.0f})",
            f"{naive['per_s']:.1f} payslips/s; CPU {naive['cpu_ms']:.0f} ms each; "
            f"peak {naive['peak_mb']:.0f} MB; mean file {naive['mean_kb']:.0f} KB",
        ),
        (
            f"payslips, pipeline ({fast['payslips']:.0f})",
            f"{fast['per_s']:.1f} payslips/s = {ratio:.1f}× naive (target ≥ 20×); "
            f"CPU {fast['cpu_ms']:.1f} ms each in the workers = {cpu_ratio:.1f}× less than naive; "
            f"peak {fast['peak_mb']:.0f} MB main, {fast['worker_peak_mb']:.0f} MB per worker "
            f"(each worker's own peak); mean file {fast['mean_kb']:.0f} KB",
        ),
    ]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def report(rows: list[tuple[str, str]], scale: float) -> None:
    width = max(len(a) for a, _ in rows)
    print()
    for name, figure in rows:
        print(f"{name.ljust(width)}  {figure}")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(
        f"{p} {version(p)}" for p in ("sqlalchemy", "weasyprint", "pypdf", "psycopg", "holidays")
    )
    pg = subprocess.run(
        ["bash", "-c", "ls /usr/lib/postgresql 2>/dev/null | tail -1"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (`.venv/bin/python scripts/bench.py`, BENCH_SCALE={scale}) "
        f"on {time.strftime('%Y-%m-%d')}.",
        "",
        f"Machine: {os.cpu_count()} cores, {mem:.0f} GiB, {platform.platform()}, "
        f"Python {platform.python_version()}, PostgreSQL {pg or '?'}; {versions}. "
        + (
            "PostgreSQL: the one at PAYROLL_BENCH_PG_URL."
            if os.environ.get("PAYROLL_BENCH_PG_URL")
            else "PostgreSQL: a throwaway server with its default, durable settings (fsync, "
            "synchronous commit and full-page writes on), its files on the machine's disk."
        ),
        "",
        "Targets (goals, not test assertions): calculate+store ≥ 5,000 participant-months/s "
        "on PostgreSQL on 2 cores (runs in PAYROLL_WORKERS processes); roster import ≥ 2,000 "
        "rows/s on PostgreSQL, rows/s about the same at both sizes (rosters, history and "
        "attendance); the whole month ≤ 3 min on 2 cores; payslips ≥ 20× the naive baseline.",
        "",
        "| what | figure |",
        "|---|---|",
        *(f"| {name} | {figure} |" for name, figure in rows),
        "",
        "Data: `payroll demo`'s synthetic city (seed 11, 25 districts), imported with the "
        "real import commands; the month is March 2025 (동행 H1 and 매력). Payslips: the "
        f"first {PAYSLIP_SAMPLE} payslips of the month, same data and template for both. "
        "Imports: a city of that many roster rows (seed 13) imported into an empty "
        "PostgreSQL database, each file timed. Whole month: the city (seed 11) with its "
        "roster and history imported beforehand; then attendance import, calculate, "
        "approve+finalize of every run, every payslip of the month (the pipeline), the "
        "month's ledgers and the city's filings, one after another.",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\nWrote BENCHMARKS.md")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        name, args = sys.argv[2], sys.argv[3:]
        fn = PHASES[name]
        typed = [int(a) if a.isdigit() else a for a in args]
        print(json.dumps(fn(*typed)))  # type: ignore[operator]
    else:
        main()
