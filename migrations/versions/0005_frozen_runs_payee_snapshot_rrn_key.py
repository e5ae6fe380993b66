"""finalized runs guarded on old and new values, payee snapshot, RRN key fingerprint

Revision ID: 0005
Revises: 0007

The triggers of 0002 looked at a row's old values only: a payslip could be moved *into*
a finalized run, attendance moved into a finalized month, a participant's district
changed (which switched the attendance guard off), an enrollment deleted with SQLite's
foreign keys off, and PostgreSQL's TRUNCATE emptied everything. These triggers replace
them: every guard looks at the old and the new row, enrollments and participants under a
finalized month are guarded too, TRUNCATE is refused on PostgreSQL while a run is
finalized, and a run becomes finalized only from approved with its payee snapshot
(``finalized_payees``) matching its payslips in count and net total.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0007"
branch_labels = None
depends_on = None

RUN_MSG = "확정된 급여는 바뀌지 않습니다 (a finalized payroll run never changes)"
SLIP_MSG = "확정된 급여의 명세는 바뀌지 않습니다 (payslips of a finalized payroll run never change)"
DAY_MSG = (
    "확정된 달의 근태는 바뀌지 않습니다; --correction 으로 정정하세요 "
    "(attendance of a finalized month never changes; import it with --correction)"
)
PERSON_MSG = (
    "확정된 달에 걸친 참여자·참여 정보는 바뀌지 않습니다 "
    "(enrollments and participants under a finalized month never change)"
)
FINALIZE_MSG = (
    "급여는 승인된 상태에서 지급 대상 스냅숏과 함께만 확정됩니다 "
    "(a run is finalized only from approved, with a payee snapshot matching its payslips)"
)
TRUNCATE_MSG = "확정된 급여가 있어 TRUNCATE 할 수 없습니다 (TRUNCATE refused: finalized runs exist)"

OLD_TRIGGERS = [
    ("runs_frozen_update", "payroll_runs"),
    ("runs_frozen_delete", "payroll_runs"),
    ("payslips_frozen_insert", "payslips"),
    ("payslips_frozen_update", "payslips"),
    ("payslips_frozen_delete", "payslips"),
    ("lines_frozen_insert", "payslip_lines"),
    ("lines_frozen_update", "payslip_lines"),
    ("lines_frozen_delete", "payslip_lines"),
    ("attendance_frozen_insert", "attendance"),
    ("attendance_frozen_update", "attendance"),
    ("attendance_frozen_delete", "attendance"),
]
TRUNCATE_TABLES = (
    "payroll_runs",
    "payslips",
    "payslip_lines",
    "run_exceptions",
    "finalized_payees",
    "attendance",
    "enrollments",
    "participants",
)


class _Sql:
    """The few expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def month(self, expr: str) -> str:
        return f"to_char({expr}, 'YYYY-MM')" if self.pg else f"substr({expr}, 1, 7)"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.pg else f"min({a}, {b})"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.pg else f"max({a}, {b})"

    def differs(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.pg else f"{a} IS NOT {b}"


def _final_run(run: str) -> str:
    return f"EXISTS (SELECT 1 FROM payroll_runs fr WHERE fr.id = {run} AND fr.state = 'finalized')"


def _final_slip(slip: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM payslips fp JOIN payroll_runs fr ON fr.id = fp.run_id"
        f" WHERE fp.id = {slip} AND fr.state = 'finalized')"
    )


def _final_months(district: str, program: str, first: str, last: str) -> str:
    """A finalized run of ``district`` and ``program`` in a month from ``first`` to ``last``."""
    return (
        "EXISTS (SELECT 1 FROM payroll_runs fr WHERE fr.state = 'finalized'"
        f" AND fr.district_code = {district} AND fr.program_code = {program}"
        f" AND fr.month BETWEEN {first} AND {last})"
    )


def _district_of(participant_pk: str) -> str:
    return f"(SELECT fpp.district_code FROM participants fpp WHERE fpp.id = {participant_pk})"


def _enrollment_span(sql: _Sql, row: str) -> str:
    """A finalized month inside the enrollment ``row``'s dates (its district and program)."""
    return _final_months(
        _district_of(f"{row}.participant_pk"),
        f"{row}.program_code",
        sql.month(f'{row}."start"'),
        sql.month(f'{row}."end"'),
    )


def _moved(sql: _Sql, name: str) -> str:
    """Months between the old and the new value of a date column are finalized."""
    column = f'"{name}"'
    return (
        f"({sql.differs(f'OLD.{column}', f'NEW.{column}')} AND "
        + _final_months(
            _district_of("OLD.participant_pk"),
            "OLD.program_code",
            sql.month(sql.least(f"OLD.{column}", f"NEW.{column}")),
            sql.month(sql.greatest(f"OLD.{column}", f"NEW.{column}")),
        )
        + ")"
    )


def _final_day(sql: _Sql, row: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM enrollments fe"
        " JOIN participants fpp ON fpp.id = fe.participant_pk"
        " JOIN payroll_runs fr ON fr.program_code = fe.program_code"
        " AND fr.district_code = fpp.district_code"
        f" WHERE fe.id = {row}.enrollment_id AND fr.month = {sql.month(f'{row}.day')}"
        " AND fr.state = 'finalized')"
    )


_START, _END = 'fe."start"', 'fe."end"'


def _person_span(sql: _Sql, district: str) -> str:
    """A finalized month of ``district`` inside an enrollment of the participant ``OLD``."""
    return (
        "EXISTS (SELECT 1 FROM enrollments fe JOIN payroll_runs fr"
        " ON fr.program_code = fe.program_code"
        f" WHERE fe.participant_pk = OLD.id AND fr.district_code = {district}"
        " AND fr.state = 'finalized'"
        f" AND fr.month BETWEEN {sql.month(_START)} AND {sql.month(_END)})"
    )


def _snapshot_mismatch() -> str:
    payees = "(SELECT count(*) FROM finalized_payees s WHERE s.run_id = NEW.id)"
    slips = "(SELECT count(*) FROM payslips s WHERE s.run_id = NEW.id)"
    payee_net = "(SELECT coalesce(sum(s.net), 0) FROM finalized_payees s WHERE s.run_id = NEW.id)"
    slip_net = "(SELECT coalesce(sum(s.net), 0) FROM payslips s WHERE s.run_id = NEW.id)"
    return (
        f"(OLD.state <> 'approved' OR {payees} <> {slips} OR {payees} <> NEW.participant_count"
        f" OR {payee_net} <> NEW.net OR {slip_net} <> NEW.net)"
    )


def _guards(sql: _Sql) -> list[tuple[str, str, str, str, str]]:
    """(trigger name, table, event, condition, message) of every row guard."""
    guards = [
        ("runs_frozen_insert", "payroll_runs", "INSERT", "NEW.state = 'finalized'", FINALIZE_MSG),
        ("runs_frozen_update", "payroll_runs", "UPDATE", "OLD.state = 'finalized'", RUN_MSG),
        (
            "runs_finalize_check",
            "payroll_runs",
            "UPDATE",
            f"NEW.state = 'finalized' AND OLD.state <> 'finalized' AND {_snapshot_mismatch()}",
            FINALIZE_MSG,
        ),
        ("runs_frozen_delete", "payroll_runs", "DELETE", "OLD.state = 'finalized'", RUN_MSG),
    ]
    for table, column, check, msg in (
        ("payslips", "run_id", _final_run, SLIP_MSG),
        ("run_exceptions", "run_id", _final_run, SLIP_MSG),
        ("finalized_payees", "run_id", _final_run, SLIP_MSG),
        ("payslip_lines", "payslip_id", _final_slip, SLIP_MSG),
    ):
        guards += [
            (f"{table}_frozen_insert", table, "INSERT", check(f"NEW.{column}"), msg),
            (
                f"{table}_frozen_update",
                table,
                "UPDATE",
                f"{check(f'OLD.{column}')} OR {check(f'NEW.{column}')}",
                msg,
            ),
            (f"{table}_frozen_delete", table, "DELETE", check(f"OLD.{column}"), msg),
        ]
    guards += [
        ("attendance_frozen_insert", "attendance", "INSERT", _final_day(sql, "NEW"), DAY_MSG),
        (
            "attendance_frozen_update",
            "attendance",
            "UPDATE",
            f"{_final_day(sql, 'OLD')} OR {_final_day(sql, 'NEW')}",
            DAY_MSG,
        ),
        ("attendance_frozen_delete", "attendance", "DELETE", _final_day(sql, "OLD"), DAY_MSG),
    ]
    identity = " OR ".join(
        sql.differs(f"OLD.{c}", f"NEW.{c}")
        for c in (
            "id",
            "participant_pk",
            "program_code",
            "term_code",
            "daily_hours",
            "weekdays",
            "source",
            "pay_cut_percent",
        )
    )
    guards += [
        (
            "enrollments_frozen_update",
            "enrollments",
            "UPDATE",
            f"(({identity}) AND ({_enrollment_span(sql, 'OLD')} OR {_enrollment_span(sql, 'NEW')}))"
            f" OR {_moved(sql, 'start')} OR {_moved(sql, 'end')}",
            PERSON_MSG,
        ),
        (
            "enrollments_frozen_delete",
            "enrollments",
            "DELETE",
            _enrollment_span(sql, "OLD"),
            PERSON_MSG,
        ),
        (
            "participants_frozen_update",
            "participants",
            "UPDATE",
            "("
            + " OR ".join(
                sql.differs(f"OLD.{c}", f"NEW.{c}") for c in ("id", "district_code", "birth_date")
            )
            + f") AND ({_person_span(sql, 'OLD.district_code')}"
            f" OR {_person_span(sql, 'NEW.district_code')})",
            PERSON_MSG,
        ),
        (
            "participants_frozen_delete",
            "participants",
            "DELETE",
            _person_span(sql, "OLD.district_code"),
            PERSON_MSG,
        ),
    ]
    return guards


def _create(name: str, table: str, event: str, cond: str, msg: str, pg: bool) -> None:
    if pg:
        ret = "OLD" if event == "DELETE" else "NEW"
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF {cond} THEN RAISE EXCEPTION '{msg}' USING ERRCODE = 'check_violation'; "
            f"END IF; RETURN {ret}; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
            f"WHEN {cond} BEGIN SELECT RAISE(ABORT, '{msg}'); END"
        )


def _drop(name: str, table: str, pg: bool) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if pg else ""))
    if pg:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _create_truncate_guards() -> None:
    op.execute(
        "CREATE FUNCTION payroll_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF EXISTS (SELECT 1 FROM payroll_runs WHERE state = 'finalized') THEN "
        f"RAISE EXCEPTION '{TRUNCATE_MSG}' USING ERRCODE = 'check_violation'; "
        "END IF; RETURN NULL; END $$"
    )
    for table in TRUNCATE_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION payroll_no_truncate()"
        )


def _drop_truncate_guards() -> None:
    for table in TRUNCATE_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS payroll_no_truncate()")


def upgrade() -> None:
    op.create_table(
        "finalized_payees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("payslip_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("bank", sa.String(length=60), nullable=True),
        sa.Column("account", sa.String(length=60), nullable=True),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payslip_id"], ["payslips.id"], name=op.f("fk_finalized_payees_payslip_id_payslips")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["payroll_runs.id"], name=op.f("fk_finalized_payees_run_id_payroll_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finalized_payees")),
        sa.UniqueConstraint("payslip_id", name=op.f("uq_finalized_payees_payslip_id")),
    )
    with op.batch_alter_table("finalized_payees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finalized_payees_run_id"), ["run_id"], unique=False)
    op.create_table(
        "rrn_key_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rrn_key_check")),
    )
    # Runs finalized before this revision: their payees as the database holds them now.
    op.execute(
        "INSERT INTO finalized_payees (run_id, payslip_id, participant_id, name, birth_date,"
        " bank, account, net)"
        " SELECT s.run_id, s.id, p.participant_id, p.name, p.birth_date, p.bank, p.account, s.net"
        " FROM payslips s JOIN payroll_runs r ON r.id = s.run_id AND r.state = 'finalized'"
        " JOIN enrollments e ON e.id = s.enrollment_id"
        " JOIN participants p ON p.id = e.participant_pk"
    )
    pg = op.get_bind().dialect.name == "postgresql"
    for name, table in OLD_TRIGGERS:
        _drop(name, table, pg)
    for name, table, event, cond, msg in _guards(_Sql(op.get_bind().dialect.name)):
        _create(name, table, event, cond, msg, pg)
    if pg:
        _create_truncate_guards()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    pg = dialect == "postgresql"
    if pg:
        _drop_truncate_guards()
    for name, table, _event, _cond, _msg in _guards(_Sql(dialect)):
        _drop(name, table, pg)
    _revision_0002().create_freeze_triggers()
    with op.batch_alter_table("finalized_payees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finalized_payees_run_id"))
    op.drop_table("finalized_payees")
    op.drop_table("rrn_key_check")


def _revision_0002():  # type: ignore[no-untyped-def]
    """The 0002 migration module, whose triggers a downgrade puts back."""
    path = Path(__file__).with_name("0002_payroll_runs_and_payslips.py")
    spec = importlib.util.spec_from_file_location("payroll_migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
