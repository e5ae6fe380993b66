"""Attack: resident registration numbers (주민등록번호) leaking into output, a wrong key
accepted silently, and rotation of the key."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import Participant, RrnKeyCheck
from payroll.privacy import rrn
from tests.support.attack import cli, ok, write

HEADER = "참여자번호,성명,생년월일,자치구,주민등록번호"
FULL = "700101-1234567"


def test_a_number_issued_since_2020_with_random_digits_is_accepted() -> None:
    # The last digit is not a check digit any more (rulebook §11): every ending passes.
    assert {rrn.normalise(f"200315-4{n:06d}") for n in range(10)} == {
        f"200315-4{n:06d}" for n in range(10)
    }


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("700101-1234567", "700101-1******"),
        ("7001011234567", "700101-1******"),
        ("700101-123456", "700101-1*****"),  # malformed: still no more than 7 digits shown
        ("70010112345678", "7001011*******"),
    ],
)
def test_mask(typed: str, shown: str) -> None:
    assert rrn.mask(typed) == shown


def test_redact_masks_numbers_inside_any_text() -> None:
    assert rrn.redact(f"row 2: {FULL} differs, 7001011234567 too") == (
        "row 2: 700101-1****** differs, 700101-1****** too"
    )
    assert rrn.redact("account 110-123-456789, 20250310") == "account 110-123-456789, 20250310"


def test_rejected_rows_never_show_the_full_number(cli_env: str, tmp_path: Path) -> None:
    roster = write(
        tmp_path / "roster.csv",
        HEADER,
        f"J-1,김민지,1970-05-02,종로구,{FULL}",  # birth date differs from the number
        "J-2,이서준,1970-01-01,종로구,700101-123456",  # too short
        f"J-3,{FULL},1970-01-01,종로구,",  # pasted into the name column
        "J-4,박하늘,1970-01-01,99999,",
    )
    result = cli("import", "participants", roster)
    assert result.exit_code != 0
    error_file = (tmp_path / "roster.errors.csv").read_text(encoding="utf-8-sig")
    for shown in (result.output, error_file):
        assert "1234567" not in shown and "123456," not in shown
    rows = list(csv.DictReader(error_file.splitlines()))
    assert {r["value"] for r in rows if r["column"] == "rrn"} == {"700101-1******", "700101-1*****"}


def test_log_records_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("payroll.test_rrn")
    logger.addFilter(rrn.RedactingFilter())
    with caplog.at_level(logging.INFO, logger="payroll.test_rrn"):
        logger.info("failed on %s", FULL)
    assert "700101-1******" in caplog.text and FULL not in caplog.text


def _import(tmp_path: Path, pid: str, number: str) -> object:
    roster = write(tmp_path / f"{pid}.csv", HEADER, f"{pid},김민지,1970-01-01,종로구,{number}")
    return cli("import", "participants", roster)


def test_a_wrong_key_is_refused_and_stores_nothing(
    engine: Engine, cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _import(tmp_path, "J-1", FULL).exit_code == 0  # type: ignore[attr-defined]
    monkeypatch.setenv("PAYROLL_RRN_KEY", Fernet.generate_key().decode())
    result = _import(tmp_path, "J-2", "700101-2000000")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "key fingerprint" in result.output and "rotate-key" in result.output  # type: ignore[attr-defined]
    with transaction(engine) as session:
        assert session.scalars(select(Participant.participant_id)).all() == ["J-1"]


def test_a_database_from_before_the_fingerprint_checks_the_key_on_its_numbers(
    engine: Engine, cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _import(tmp_path, "J-1", FULL).exit_code == 0  # type: ignore[attr-defined]
    with transaction(engine) as session:
        session.delete(session.get(RrnKeyCheck, 1))
    monkeypatch.setenv("PAYROLL_RRN_KEY", Fernet.generate_key().decode())
    result = _import(tmp_path, "J-2", "700101-2000000")
    assert result.exit_code == 1 and "cannot decrypt" in result.output  # type: ignore[attr-defined]


def test_rotate_key_reencrypts_every_number_in_one_go(
    engine: Engine, cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = rrn.configured_key()
    _import(tmp_path, "J-1", FULL)
    _import(tmp_path, "J-2", "700101-2000001")
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("PAYROLL_RRN_NEW_KEY", new)
    assert "2개의 주민등록번호" in ok("rrn", "rotate-key", "--by", "보안담당")
    with transaction(engine) as session:
        tokens = session.scalars(select(Participant.rrn_encrypted).order_by(Participant.id)).all()
        fingerprint = session.get(RrnKeyCheck, 1).fingerprint  # type: ignore[union-attr]
    assert [Fernet(new.encode()).decrypt(t).decode() for t in tokens] == [FULL, "700101-2000001"]
    assert fingerprint == rrn.key_fingerprint(new) != rrn.key_fingerprint(old)
    # the old key is now refused; the new one works
    assert _import(tmp_path, "J-3", "700101-1000002").exit_code == 1  # type: ignore[attr-defined]
    monkeypatch.setenv("PAYROLL_RRN_KEY", new)
    assert _import(tmp_path, "J-3", "700101-1000002").exit_code == 0  # type: ignore[attr-defined]


def test_redact_leaves_numbers_that_cannot_be_resident_numbers() -> None:
    assert rrn.redact("account 3021234567890") == "account 3021234567890"  # month 21
    assert rrn.redact("7001011234567") == "700101-1******"
