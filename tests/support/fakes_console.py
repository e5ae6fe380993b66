"""In-memory stores of the console area: users, administrators' tables, RRN key, screens."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date, datetime

from payroll.domain.admin import HolidayOverride, WithholdingTableInfo
from payroll.domain.console import (
    ExceptionItem,
    ParticipantListRow,
    ParticipantPayslip,
    ParticipantRef,
    PayslipOwner,
    PayslipTotals,
    UploadRecord,
)
from payroll.domain.users import UserAccount


class FakeUserStore:
    def __init__(self) -> None:
        self.accounts: dict[str, UserAccount] = {}

    def get(self, username: str) -> UserAccount | None:
        return self.accounts.get(username)

    def by_id(self, user_id: int) -> UserAccount | None:
        return next((a for a in self.accounts.values() if a.id == user_id), None)

    def all(self) -> list[UserAccount]:
        return [self.accounts[k] for k in sorted(self.accounts)]

    def add(self, account: UserAccount) -> int:
        new_id = len(self.accounts) + 1
        self.accounts[account.username] = dataclasses.replace(account, id=new_id)
        return new_id

    def _change(self, username: str, **changes: object) -> None:
        self.accounts[username] = dataclasses.replace(self.accounts[username], **changes)  # type: ignore[arg-type]

    def set_password(
        self, username: str, password_hash: str, *, must_change: bool, changed_at: datetime
    ) -> None:
        self._change(
            username,
            password_hash=password_hash,
            must_change_password=must_change,
            password_changed_at=changed_at,
        )

    def set_disabled(self, username: str) -> None:
        self._change(username, disabled=True)

    def end_sessions(self, username: str) -> None:
        self._change(username, session_version=self.accounts[username].session_version + 1)

    def set_failures(
        self, username: str, failed_logins: int, locked_until: datetime | None
    ) -> None:
        self._change(username, failed_logins=failed_logins, locked_until=locked_until)


class FakeAdminStore:
    NAME_LIMIT = 100

    def __init__(self) -> None:
        self.overrides: dict[date, HolidayOverride] = {}
        self.withholding: WithholdingTableInfo | None = None

    def check_holiday_name(self, name: str, action: str) -> str:
        from payroll.db.text_limits import TextTooLong

        text = name.strip()
        if action == "add" and not text:
            raise TextTooLong("holiday name (공휴일 이름): 비어 있을 수 없습니다")
        if len(text) > self.NAME_LIMIT:
            raise TextTooLong(f"holiday name (공휴일 이름): {self.NAME_LIMIT}자 이하여야 합니다")
        return text

    def holiday_overrides(self) -> list[HolidayOverride]:
        return [self.overrides[d] for d in sorted(self.overrides)]

    def set_holiday_override(self, override: HolidayOverride) -> None:
        self.overrides[override.day] = override

    def withholding_info(self) -> WithholdingTableInfo | None:
        return self.withholding


class FakeRrnKeyStore:
    def __init__(self) -> None:
        self.stored: str | None = None
        self.person_stored: str | None = None
        self.numbers: dict[int, bytes] = {}

    def person_fingerprint(self) -> str | None:
        return self.person_stored

    def put_person_fingerprint(self, fingerprint: str) -> None:
        self.person_stored = fingerprint

    def fingerprint(self) -> str | None:
        return self.stored

    def sample_number(self) -> bytes | None:
        return next(iter(self.numbers.values()), None)

    def put_fingerprint(self, fingerprint: str) -> None:
        self.stored = fingerprint

    def encrypted_numbers(self) -> dict[int, bytes]:
        return dict(self.numbers)

    def replace_numbers(self, numbers: dict[int, bytes]) -> None:
        self.numbers.update(numbers)


class FakeConsoleStore:
    """Runs' exceptions and payslips, and participants, as the screens read them (the runs
    themselves are in the fake runs store: ``month_of`` gives their month)."""

    def __init__(self) -> None:
        self.month_of: dict[int, str] = {}  # run id → month
        self.owners: dict[int, PayslipOwner] = {}  # payslip id → its run and participant
        self.exceptions: dict[int, list[ExceptionItem]] = {}
        self.slips: dict[int, list[PayslipTotals]] = {}  # run id → payslips
        self.people: dict[str, ParticipantRef] = {}
        self.enrolled: dict[tuple[str, str], int] = {}
        self.programs_of: dict[str, tuple[str, ...]] = {}  # participant id → programs
        self.upload_log: list[tuple[UploadRecord, bytes | None]] = []

    def enrolled_counts(self, first: date, last: date) -> dict[tuple[str, str], int]:
        return dict(self.enrolled)

    def open_exception_counts(self, month: str) -> dict[int, int]:
        return {
            run_id: sum(1 for x in items if not x.excluded)
            for run_id, items in self.exceptions.items()
            if self.month_of.get(run_id) == month and any(not x.excluded for x in items)
        }

    def run_exceptions(self, run_id: int) -> list[ExceptionItem]:
        return sorted(self.exceptions.get(run_id, []), key=lambda x: x.participant_id)

    def _matching(self, run_id: int, query: str) -> list[PayslipTotals]:
        slips = self.slips.get(run_id, [])
        found = [s for s in slips if query in s.name or query in s.participant_id]
        return sorted(found, key=lambda s: (s.name, s.participant_id))

    def count_payslips(self, run_id: int, query: str) -> int:
        return len(self._matching(run_id, query))

    def payslips(self, run_id: int, query: str, limit: int, offset: int) -> list[PayslipTotals]:
        return self._matching(run_id, query)[offset : offset + limit]

    def run_participant_ids(self, run_id: int) -> list[str]:
        return sorted(s.participant_id for s in self.slips.get(run_id, []))

    def find_participants(
        self, query: str, districts: Collection[str] | None, limit: int
    ) -> list[tuple[str, str, str]]:
        found = [
            (p.participant_id, p.name, p.district_code)
            for p in sorted(self.people.values(), key=lambda p: p.participant_id)
            if (query in p.name or query in p.participant_id)
            and (districts is None or p.district_code in districts)
        ]
        return found[:limit]

    def participant(
        self, participant_id: str, districts: Collection[str] | None = None
    ) -> ParticipantRef | None:
        found = self.people.get(participant_id)
        if found is not None and districts is not None and found.district_code not in districts:
            return None
        return found

    def participant_districts(self, participant_ids: Sequence[str]) -> dict[str, set[str]]:
        return {
            pid: {self.people[pid].district_code} for pid in participant_ids if pid in self.people
        }

    def participant_payslips(self, participant_pk: int) -> list[ParticipantPayslip]:
        return []

    def payslip_owner(self, payslip_id: int) -> PayslipOwner | None:
        return self.owners.get(payslip_id)

    def add_upload(self, record: UploadRecord, content: bytes | None) -> int:
        stored = dataclasses.replace(
            record, id=len(self.upload_log) + 1, has_file=content is not None
        )
        self.upload_log.append((stored, content))
        return stored.id

    def uploads(self, districts: Collection[str] | None, limit: int) -> list[UploadRecord]:
        found = [
            u
            for u, _ in reversed(self.upload_log)
            if districts is None or set(u.districts) & set(districts)
        ]
        return found[:limit]

    def upload_file(self, upload_id: int) -> tuple[UploadRecord, bytes | None] | None:
        return next(((u, c) for u, c in self.upload_log if u.id == upload_id), None)

    def participant_list(
        self,
        districts: Collection[str] | None,
        query: str,
        program: str,
        sort: str,
        limit: int,
        offset: int,
    ) -> tuple[list[ParticipantListRow], int]:
        found = [
            p
            for p in self.people.values()
            if (query in p.name or query in p.participant_id)
            and (districts is None or p.district_code in districts)
            and (not program or program in self.programs_of.get(p.participant_id, ()))
        ]
        found.sort(key=lambda p: (p.name, p.participant_id) if sort == "name" else p.participant_id)
        rows = [
            ParticipantListRow(
                p.participant_id,
                p.name,
                p.district_code,
                "",
                self.programs_of.get(p.participant_id, ()),
            )
            for p in found[offset : offset + limit]
        ]
        return rows, len(found)
