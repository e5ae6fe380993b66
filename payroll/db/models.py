"""SQLAlchemy 2 models of every stored record.

Money columns are whole won (``BigInteger``); rates, ratios and hours are ``Numeric`` with
an explicit scale so that both SQLite and PostgreSQL give back exact ``Decimal`` values.
Every schema change is an Alembic migration in ``migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Rate = Numeric(12, 6)
Hours = Numeric(6, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


# --- catalog -------------------------------------------------------------------------


class District(Base):
    """A 자치구 (autonomous district) of Seoul: the employer of its participants."""

    __tablename__ = "districts"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)  # 행정표준코드, e.g. 11110
    name: Mapped[str] = mapped_column(String(40), unique=True)  # 종로구


class ProgramRow(Base):
    """A public-job program (동행일자리, 매력일자리)."""

    __tablename__ = "programs"
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    pay_basis: Mapped[str] = mapped_column(String(10))
    rate_source: Mapped[str] = mapped_column(String(20))
    daily_hours: Mapped[Decimal] = mapped_column(Hours)
    weekdays: Mapped[str] = mapped_column(String(40))  # "mon,tue,wed,thu,fri"
    min_age: Mapped[int] = mapped_column(Integer, default=18)
    max_age: Mapped[int | None] = mapped_column(Integer)


class ProgramYearRow(Base):
    """Year data of a program: expense allowance, cost-share ratio, accident rate."""

    __tablename__ = "program_years"
    __table_args__ = (UniqueConstraint("program_code", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    program_code: Mapped[str] = mapped_column(ForeignKey("programs.code"))
    year: Mapped[int] = mapped_column(Integer)
    daily_expense_allowance: Mapped[int] = mapped_column(BigInteger)
    city_ratio: Mapped[Decimal] = mapped_column(Rate)
    industrial_accident_rate: Mapped[Decimal] = mapped_column(Rate)


class HourlyRateRow(Base):
    """최저임금 / 생활임금 per year."""

    __tablename__ = "hourly_rates"
    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    won: Mapped[int] = mapped_column(BigInteger)


class InsuranceRateRow(Base):
    """Employee social-insurance rates per year."""

    __tablename__ = "insurance_rates"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    national_pension: Mapped[Decimal | None] = mapped_column(Rate)  # None: not entered yet
    health_insurance: Mapped[Decimal | None] = mapped_column(Rate)  # None: not entered yet
    long_term_care_share: Mapped[Decimal | None] = mapped_column(Rate)  # None: not entered yet
    employment_insurance: Mapped[Decimal | None] = mapped_column(Rate)  # None: not entered yet
    job_stability: Mapped[Decimal | None] = mapped_column(Rate)  # None: not entered yet


class PensionBoundsRow(Base):
    """National-pension 기준소득월액 floor and ceiling for a period of months."""

    __tablename__ = "pension_bounds"
    from_month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2025-07"
    to_month: Mapped[str] = mapped_column(String(7))
    floor: Mapped[int] = mapped_column(BigInteger)
    ceiling: Mapped[int] = mapped_column(BigInteger)


class TermRow(Base):
    """A program's term (e.g. dongheng 2025-H1)."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("program_code", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    program_code: Mapped[str] = mapped_column(ForeignKey("programs.code"))
    code: Mapped[str] = mapped_column(String(20))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)


class TermClosure(Base):
    """A closed term (migration 0009): every enrollment's final month is paid (§8)."""

    __tablename__ = "term_closures"
    __table_args__ = (
        ForeignKeyConstraint(["program_code", "term_code"], ["terms.program_code", "terms.code"]),
    )
    program_code: Mapped[str] = mapped_column(String(30), primary_key=True)
    term_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str] = mapped_column(String(100))


class LimitRuleRow(Base):
    """A participation-limit rule (§11): code, programs, settings, message."""

    __tablename__ = "limit_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50))
    programs: Mapped[str] = mapped_column(String(200))  # comma-separated program codes
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text)
    # migration 0010: set when the city changed the rule (catalog import, console);
    # `payroll init` then never overwrites it with the shipped rule.
    edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class TaxYearRow(Base):
    """Income-tax year data (migration 0004): meal-allowance cap and §13 settlement figures."""

    __tablename__ = "tax_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    meal_allowance_cap: Mapped[int] = mapped_column(BigInteger)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)  # brackets, credits (catalog shape)


class ChildReductionRow(Base):
    """Monthly withholding's child reduction for pay dates from ``pay_date_from`` (0004)."""

    __tablename__ = "child_reductions"
    pay_date_from: Mapped[date] = mapped_column(Date, primary_key=True)
    one_child: Mapped[int] = mapped_column(BigInteger)
    two_children: Mapped[int] = mapped_column(BigInteger)
    each_further: Mapped[int] = mapped_column(BigInteger)


class HolidayOverride(Base):
    """An administrator's change to the public-holiday calendar: add or remove a day."""

    __tablename__ = "holiday_overrides"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    action: Mapped[str] = mapped_column(String(10))  # "add" | "remove"
    name: Mapped[str] = mapped_column(String(100), default="")


class WithholdingTableRow(Base):
    """An imported withholding table (근로소득 간이세액표) and its 시행일.

    A month uses the newest table in force on its pay date (migration 0010); a table
    imported before 0010 has no date and counts as in force from the start.
    """

    __tablename__ = "withholding_tables"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(300))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[list[Any]] = mapped_column(JSON)
    effective_from: Mapped[date | None] = mapped_column(Date)


class RecalculationMark(Base):
    """A run whose catalog figures changed after it was calculated (migration 0010).

    Set by a catalog change that touches the run's month and program; removed when the
    run is calculated again.
    """

    __tablename__ = "recalculation_marks"
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_runs.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    marked_by: Mapped[str] = mapped_column(String(100))


# --- people --------------------------------------------------------------------------


class Participant(Base):
    """A person in a public-job program (참여자)."""

    __tablename__ = "participants"
    # A participant ID is a district's own number; one person (``person_key``) may hold IDs
    # in several districts, but only one in each (migration 0011).
    __table_args__ = (
        UniqueConstraint(
            "district_code", "participant_id", name="uq_participants_district_participant_id"
        ),
        UniqueConstraint("district_code", "person_key", name="uq_participants_district_person"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[str] = mapped_column(String(40))  # the district's id
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    household: Mapped[str | None] = mapped_column(String(60), index=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    bank: Mapped[str | None] = mapped_column(String(60))  # the bank table's name
    account: Mapped[str | None] = mapped_column(String(60))  # digits only
    bank_code: Mapped[str | None] = mapped_column(String(3))  # 004 (payroll/data/banks.toml)
    account_holder: Mapped[str | None] = mapped_column(String(100))  # 예금주; None: the name
    dependents: Mapped[int] = mapped_column(Integer, default=1)
    children: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # aged 8–20
    rrn_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)  # Fernet token
    rrn_masked: Mapped[str | None] = mapped_column(String(20))  # 700501-2******
    # HMAC-SHA-256 of the resident number under PAYROLL_PERSON_KEY: the city-wide person
    person_key: Mapped[str | None] = mapped_column(String(64), index=True)
    phone: Mapped[str | None] = mapped_column(String(11))  # 휴대전화, digits only
    email: Mapped[str | None] = mapped_column(String(254))  # 이메일
    delivery: Mapped[str] = mapped_column(
        String(10), default="paper", server_default="paper"
    )  # 수령방법: paper / email / alimtalk
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    enrollments: Mapped[list[EnrollmentRow]] = relationship(back_populates="participant")


class EnrollmentRow(Base):
    """An enrollment of a participant in a program for a term (or a past one, from history)."""

    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("participant_pk", "program_code", "start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_pk: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    program_code: Mapped[str] = mapped_column(ForeignKey("programs.code"))
    term_code: Mapped[str | None] = mapped_column(String(20))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    daily_hours: Mapped[Decimal | None] = mapped_column(Hours)
    weekdays: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20), default="roster")  # roster | history
    # A history enrollment taken in another district than the participant's (0011)
    district_code: Mapped[str | None] = mapped_column(String(10))
    pay_cut_percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    declared_monthly_pay: Mapped[int | None] = mapped_column(BigInteger)  # None: §9 default
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[str | None] = mapped_column(String(100))
    override_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    override_rules: Mapped[str | None] = mapped_column(Text)  # the rules it overrode
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Early end (§14): ``end`` is then E', ``planned_end`` the original E.
    end_reason: Mapped[str | None] = mapped_column(String(20))  # employed | withdrew | …
    end_note: Mapped[str | None] = mapped_column(Text)
    ended_by: Mapped[str | None] = mapped_column(String(100))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    planned_end: Mapped[date | None] = mapped_column(Date)

    participant: Mapped[Participant] = relationship(back_populates="enrollments")


class DayRecord:
    """Columns of a day's attendance record: enrollment, day, status, hours, source."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:
        return (UniqueConstraint("enrollment_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    hours: Mapped[Decimal | None] = mapped_column(Hours)
    source: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AttendanceRow(DayRecord, Base):
    """An attendance exception for a scheduled day (§4)."""

    __tablename__ = "attendance"


class AuditLog(Base):
    """Who did what, when: every state change and override."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    # "user" (signed in to the console), "operator" (CLI --by) or "system" (migration 0007)
    actor_kind: Mapped[str] = mapped_column(String(20), server_default="operator")
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- payroll runs (migration 0002) ---------------------------------------------------


class PayrollRun(Base):
    """A monthly run for one (month, district, program): calculated → approved → finalized."""

    __tablename__ = "payroll_runs"
    __table_args__ = (UniqueConstraint("month", "district_code", "program_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    program_code: Mapped[str] = mapped_column(ForeignKey("programs.code"))
    state: Mapped[str] = mapped_column(String(20))
    participant_count: Mapped[int] = mapped_column(Integer, default=0)
    exception_count: Mapped[int] = mapped_column(Integer, default=0)
    gross: Mapped[int] = mapped_column(BigInteger, default=0)
    total_deductions: Mapped[int] = mapped_column(BigInteger, default=0)
    net: Mapped[int] = mapped_column(BigInteger, default=0)
    employer_total: Mapped[int] = mapped_column(BigInteger, default=0)
    calculated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    calculated_by: Mapped[str | None] = mapped_column(String(100))  # migration 0007
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finalized_by: Mapped[str | None] = mapped_column(String(100))
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # migration 0012: what the approver saw (payslip lines and payees), and why reopened
    approved_fingerprint: Mapped[str | None] = mapped_column(String(64))
    reopened_note: Mapped[str | None] = mapped_column(Text)


class PayslipRow(Base):
    """One participant-month of a run; a month pays an enrollment at most once."""

    __tablename__ = "payslips"
    __table_args__ = (
        UniqueConstraint("run_id", "enrollment_id"),
        UniqueConstraint("month", "enrollment_id", name="uq_payslips_month_enrollment"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique (run_id, enrollment_id) leads with it (migration 0016)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_runs.id"))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    gross: Mapped[int] = mapped_column(BigInteger)
    insurable: Mapped[int] = mapped_column(BigInteger)
    taxable: Mapped[int] = mapped_column(BigInteger)
    non_taxable: Mapped[int] = mapped_column(BigInteger)
    total_deductions: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    employer_total: Mapped[int] = mapped_column(BigInteger)
    hourly_rate: Mapped[int] = mapped_column(BigInteger)
    leave_accrued: Mapped[int] = mapped_column(Integer)
    leave_used: Mapped[int] = mapped_column(Integer)
    leave_balance: Mapped[int] = mapped_column(Integer)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)

    lines: Mapped[list[PayslipLineRow]] = relationship(
        back_populates="payslip", order_by="PayslipLineRow.position"
    )


class PayslipLineRow(Base):
    """A line of a payslip: earning, deduction or employer contribution."""

    __tablename__ = "payslip_lines"
    # keyed by its place on the payslip (0017): payslip, kind, position. On PostgreSQL the
    # reference to the payslip is checked once per statement by triggers (0018), not by
    # the per-row foreign key SQLite keeps.
    payslip_id: Mapped[int] = mapped_column(ForeignKey("payslips.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # earning | deduction | …
    code: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(BigInteger)
    explanation: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref_month: Mapped[str | None] = mapped_column(String(7))  # month a retro line corrects

    payslip: Mapped[PayslipRow] = relationship(back_populates="lines")


class RunException(Base):
    """A participant a run could not pay, with the reason; fixed or excluded before approval."""

    __tablename__ = "run_exceptions"
    __table_args__ = (UniqueConstraint("run_id", "enrollment_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_runs.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"))
    reason: Mapped[str] = mapped_column(Text)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded_reason: Mapped[str | None] = mapped_column(Text)
    excluded_by: Mapped[str | None] = mapped_column(String(100))


class PayCarryover(Base):
    """Pay of one month of an enrollment settled in a later run (migration 0012).

    ``kind``: ``held`` (지급 보류, released by a manager or paid at the final settlement),
    ``returned`` (a transfer the bank returned) or ``recovery`` (환수, negative). ``settled``
    adds up what finalized runs paid (or recovered) of ``taxable + non_taxable``.
    """

    __tablename__ = "pay_carryovers"
    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    source_run_id: Mapped[int | None] = mapped_column(ForeignKey("payroll_runs.id"))
    kind: Mapped[str] = mapped_column(String(20))
    ref_month: Mapped[str] = mapped_column(String(7))
    taxable: Mapped[int] = mapped_column(BigInteger)
    non_taxable: Mapped[int] = mapped_column(BigInteger)
    settled: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[str | None] = mapped_column(String(100))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    written_off_by: Mapped[str | None] = mapped_column(String(100))
    written_off_reason: Mapped[str | None] = mapped_column(Text)
    written_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AttendanceCorrection(DayRecord, Base):
    """A late attendance correction for a finalized month, paid as a retro adjustment."""

    __tablename__ = "attendance_corrections"


# --- scheduler (migration 0003) ------------------------------------------------------


class ApschedulerJob(Base):
    """APScheduler 3's SQLAlchemyJobStore table, created here so the app never calls create_all."""

    __tablename__ = "apscheduler_jobs"
    id: Mapped[str] = mapped_column(String(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)


class SchedulerLease(Base):
    """The one scheduler allowed to run against this database; lost after ``expires_at``."""

    __tablename__ = "scheduler_lease"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WorkLock(Base):
    """A lock on one unit of batch work (e.g. ``calculate:2025-03``)."""

    __tablename__ = "work_locks"
    work_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobExecution(Base):
    """One execution (or missed firing) of a scheduled job."""

    __tablename__ = "job_executions"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(100), index=True)
    scheduled_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(20))  # running|success|failed|missed|skipped
    message: Mapped[str] = mapped_column(Text, default="")
    trigger: Mapped[str] = mapped_column(String(20), default="schedule")  # schedule | manual


# --- console users (migration 0007) --------------------------------------------------


class UserRow(Base):
    """A console user: Argon2 password hash, one role, the districts they work for."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    districts: Mapped[str] = mapped_column(String(400), default="")  # comma-separated codes
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Migration 0013: a console session is valid only while it carries this version.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CitySetting(Base):
    """A city-wide setting changed by a city administrator (e.g. one-person offices)."""

    __tablename__ = "city_settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- hardening (migration 0005) ------------------------------------------------------


class FinalizedPayee(Base):
    """Who a finalized run pays, as they were at finalization (name, bank, account, amount).

    Written in the finalization's transaction and frozen by the database's triggers: the
    payment file and the register of a finalized run are written from these rows, never
    from the participant's current details.
    """

    __tablename__ = "finalized_payees"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_runs.id"), index=True)
    payslip_id: Mapped[int] = mapped_column(ForeignKey("payslips.id"), unique=True)
    participant_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    bank: Mapped[str | None] = mapped_column(String(60))
    account: Mapped[str | None] = mapped_column(String(60))
    net: Mapped[int] = mapped_column(BigInteger)


class RrnKeyCheck(Base):
    """The fingerprint of the key the stored resident numbers are encrypted with (one row)."""

    __tablename__ = "rrn_key_check"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- payslip delivery (migration 0015) -------------------------------------------------


class PayslipDelivery(Base):
    """One payslip's delivery to its participant by e-mail or 알림톡, and how it went.

    The state is written before the message leaves (``sending``) and after (``sent``,
    ``bounced``, ``failed``), each in its own transaction, so a resumed job never sends a
    payslip twice.
    """

    __tablename__ = "payslip_deliveries"
    __table_args__ = (UniqueConstraint("payslip_id", "channel"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_runs.id"), index=True)
    payslip_id: Mapped[int] = mapped_column(ForeignKey("payslips.id"))
    participant_id: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))  # email / alimtalk
    address: Mapped[str] = mapped_column(String(254))  # where it was sent
    state: Mapped[str] = mapped_column(String(10))  # queued/sending/sent/bounced/failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ParticipantSignInCode(Base):
    """The one-time code last sent to a participant signing in to their own page (/me)."""

    __tablename__ = "participant_sign_in_codes"
    participant_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))  # sha256 of participant id and code
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # wrong codes so far


# --- console upload history (migration 0014) -------------------------------------------


class UploadHistoryRow(Base):
    """One file uploaded in the console: who, when, what, how many rows, the result.

    ``content`` keeps the original of attendance and history files for the districts in
    ``districts`` (comma-separated codes); a roster's original is not kept, since it may
    hold resident registration numbers in the clear.
    """

    __tablename__ = "upload_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    result: Mapped[str] = mapped_column(Text)
    districts: Mapped[str] = mapped_column(String(400))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
