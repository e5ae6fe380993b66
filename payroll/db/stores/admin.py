"""The administrators' tables and the resident-number key behind
:mod:`payroll.services.ports.admin`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.models import HolidayOverride as HolidayOverrideRow
from payroll.db.models import Participant, RrnKeyCheck, WithholdingTableRow
from payroll.db.text_limits import check_text
from payroll.domain.admin import HolidayOverride, WithholdingTableInfo

_KEY_ROW = 1
_PERSON_KEY_ROW = 2  # the fingerprint of PAYROLL_PERSON_KEY (the person keys)


def check_holiday_name(name: str, action: str) -> str:
    """The override's name, refused if empty (for an addition) or too long for its column."""
    return check_text(
        name, HolidayOverrideRow.name, "holiday name (공휴일 이름)", required=action == "add"
    )


class SqlAdminStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def check_holiday_name(self, name: str, action: str) -> str:
        return check_holiday_name(name, action)

    def holiday_overrides(self) -> list[HolidayOverride]:
        rows = self.session.scalars(select(HolidayOverrideRow).order_by(HolidayOverrideRow.day))
        return [HolidayOverride(o.day, o.action, o.name) for o in rows]

    def set_holiday_override(self, override: HolidayOverride) -> None:
        row = self.session.get(HolidayOverrideRow, override.day)
        if row is None:
            self.session.add(
                HolidayOverrideRow(day=override.day, action=override.action, name=override.name)
            )
        else:
            row.action, row.name = override.action, override.name

    def withholding_info(self) -> WithholdingTableInfo | None:
        table = self.session.scalars(
            select(WithholdingTableRow).order_by(WithholdingTableRow.id.desc())
        ).first()
        if table is None:
            return None
        return WithholdingTableInfo(table.source, table.loaded_at, len(table.rows))


class SqlRrnKeyStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def fingerprint(self) -> str | None:
        stored = self.session.get(RrnKeyCheck, _KEY_ROW, with_for_update=True)
        return stored.fingerprint if stored else None

    def sample_number(self) -> bytes | None:
        return self.session.scalars(
            select(Participant.rrn_encrypted).where(Participant.rrn_encrypted.is_not(None))
        ).first()

    def person_fingerprint(self) -> str | None:
        stored = self.session.get(RrnKeyCheck, _PERSON_KEY_ROW, with_for_update=True)
        return stored.fingerprint if stored else None

    def put_person_fingerprint(self, fingerprint: str) -> None:
        self.put_fingerprint(fingerprint, _PERSON_KEY_ROW)

    def put_fingerprint(self, fingerprint: str, row: int = _KEY_ROW) -> None:
        stored = self.session.get(RrnKeyCheck, row)
        now = datetime.now(UTC)
        if stored is None:
            self.session.add(RrnKeyCheck(id=row, fingerprint=fingerprint, updated_at=now))
        else:
            stored.fingerprint, stored.updated_at = fingerprint, now
        self.session.flush()

    def encrypted_numbers(self) -> dict[int, bytes]:
        people = self.session.scalars(
            select(Participant).where(Participant.rrn_encrypted.is_not(None)).with_for_update()
        ).all()
        return {p.id: p.rrn_encrypted for p in people if p.rrn_encrypted is not None}

    def replace_numbers(self, numbers: dict[int, bytes]) -> None:
        for pk, encrypted in numbers.items():
            person = self.session.get(Participant, pk)
            assert person is not None
            person.rrn_encrypted = encrypted
