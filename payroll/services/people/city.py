"""One person, one city: the person key, and a person's enrollments in every district.

The limits (§11) are the city's: they count every enrollment of the *person* — every
participant ID any district holds for the same resident number (same person key) — not
only the participant ID the asking district uses. :func:`person_history` gives the limit
checks that history; another district's enrollments are named by district, program,
term and dates only (:func:`payroll.domain.people.elsewhere_label`).

:func:`check_person_key` runs before a person key is computed: the fingerprint of
``PAYROLL_PERSON_KEY`` must be the one the database stored with its first key, so that
keys computed under two different city keys never silently fail to match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from payroll.domain.limits import PastEnrollment
from payroll.domain.people import elsewhere_label
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.privacy import person_key as keys
from payroll.privacy import rrn
from payroll.services.admin.rrn_keys import check_key
from payroll.services.common import audit
from payroll.services.unit_of_work import UnitOfWork


def check_person_key(uow: UnitOfWork) -> str:
    """The configured person key, once its fingerprint matches the stored one (stored if
    none). ``uow`` is an entered unit of work."""
    key = keys.configured_key()
    fingerprint = keys.key_fingerprint(key)
    stored = uow.rrn_keys.person_fingerprint()
    if stored is None:
        uow.rrn_keys.put_person_fingerprint(fingerprint)
    elif stored != fingerprint:
        raise rrn.RrnError(
            f"{keys.KEY_VARIABLE} 가 이 데이터베이스의 사람 키를 만든 키가 아닙니다 "
            f"(key fingerprint {fingerprint}, the database expects {stored}); "
            "맞는 키를 설정하거나 `payroll rrn rotate-person-key` 로 바꾸세요"
        )
    return key


class PersonKeys:
    """Person keys of normalised numbers under the checked city key (read once)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._key: str | None = None

    def of(self, number: str) -> str:
        if self._key is None:
            self._key = check_person_key(self._uow)
        return keys.person_key(number, self._key)


def past_elsewhere(
    ref: str, row: EnrollmentRecord, participant_id: str, household: str | None
) -> PastEnrollment:
    """Another district's enrollment, as the candidate's own history (own participant ID)."""
    return PastEnrollment(
        ref=ref,
        participant_id=participant_id,
        program=row.program_code,
        start=row.start,
        end=row.end,
        household=household,
    )


@dataclass(frozen=True)
class CityEnrollment:
    """One enrollment of a person anywhere in the city, as the limits see it."""

    district: str  # code
    district_name: str
    program: str
    program_name: str
    term: str | None
    start: str
    end: str
    source: str
    own: bool  # held under the participant ID being looked at

    @property
    def label(self) -> str:
        return elsewhere_label(
            self.district_name, self.program_name, self.term, self.start, self.end
        )


def taken_in(row: EnrollmentRecord, person: PersonRecord) -> str:
    """The district an enrollment was taken in (a history row may name another)."""
    return row.district_code or person.district_code


def others_of(
    uow: UnitOfWork, person_key: str | None, exclude: Iterable[int]
) -> list[PersonRecord]:
    """The person's participant records other than ``exclude`` (ids), any district."""
    if not person_key:
        return []
    skip = set(exclude)
    found = uow.participants.of_persons([person_key]).get(person_key, [])
    return [p for p in found if p.id not in skip]


@dataclass(frozen=True)
class KnownPersons:
    """Participant records by person key (every key asked, [] when none) and their
    enrollments by participant id: read in two queries for a whole file."""

    persons: Mapping[str, list[PersonRecord]]
    enrollments: Mapping[int, list[EnrollmentRecord]]


def known_persons(uow: UnitOfWork, person_keys: Iterable[str]) -> KnownPersons:
    """The records of every person in ``person_keys`` and all their enrollments."""
    wanted = set(person_keys)
    found = uow.participants.of_persons(wanted) if wanted else {}
    persons = {key: found.get(key, []) for key in wanted}
    ids = [p.id for records in persons.values() for p in records]
    return KnownPersons(persons, uow.enrollments.of_participants(ids) if ids else {})


@dataclass
class PersonHistory:
    """A person's enrollments under other participant IDs, ready for the checks."""

    past: list[PastEnrollment]
    labels: dict[str, str]
    rows: list[tuple[EnrollmentRecord, PersonRecord]]


def person_history(
    uow: UnitOfWork,
    person_key: str | None,
    participant_id: str,
    household: str | None,
    exclude: Iterable[int],
    districts: Mapping[str, str],
    programs: Mapping[str, str],
    known: KnownPersons | None = None,
) -> PersonHistory:
    """Every enrollment of the person under another participant record (any district),
    as history of ``participant_id``, each labelled by district, program, term and dates.

    ``known``: the participant records and enrollments of many persons read beforehand
    (a whole file's, :func:`known_persons`); a person it lacks is read here."""
    if known is not None and person_key in known.persons:
        skip = set(exclude)
        others = [p for p in known.persons[person_key] if p.id not in skip]
        rows = {p.id: known.enrollments.get(p.id, []) for p in others}
    else:
        others = others_of(uow, person_key, exclude)
        rows = uow.enrollments.of_participants([p.id for p in others]) if others else {}
    out = PersonHistory([], {}, [])
    for p in others:
        for r in rows.get(p.id, []):
            district = districts.get(taken_in(r, p), taken_in(r, p))
            ref = f"{district} {r.term_code or r.program_code}"
            n = 2
            while ref in out.labels:
                ref, n = f"{district} {r.term_code or r.program_code} ({n})", n + 1
            e = past_elsewhere(ref, r, participant_id, household)
            out.past.append(e)
            out.labels[e.ref] = elsewhere_label(
                district,
                programs.get(r.program_code, r.program_code),
                r.term_code,
                r.start.isoformat(),
                r.end.isoformat(),
            )
            out.rows.append((r, p))
    return out


@dataclass(frozen=True)
class BackfillReport:
    computed: int


def fill_person_keys(uow: UnitOfWork, actor: str) -> BackfillReport:
    """Compute the person key of every stored number that has none (``payroll rrn
    person-keys``); a number already held by another participant of the same district
    is refused, naming both participant IDs."""
    with uow:
        check_key(uow)  # the numbers open with the configured key
        person = check_person_key(uow)
        todo = uow.participants.without_person_key()
        for p in todo:
            assert p.rrn_encrypted is not None
            value = keys.person_key(rrn.decrypt(p.rrn_encrypted), person)
            _refuse_duplicate(uow, p, value)
            uow.participants.update(p.id, {"person_key": value})
        audit.record(uow, actor, "person_key.filled", "person_key", "all", participants=len(todo))
    return BackfillReport(len(todo))


def _refuse_duplicate(uow: UnitOfWork, p: PersonRecord, value: str) -> None:
    for other in uow.participants.of_persons([value]).get(value, []):
        if other.id != p.id and other.district_code == p.district_code:
            raise rrn.RrnError(
                f"자치구 {p.district_code}의 참여자 {other.participant_id}와 "
                f"{p.participant_id}의 주민등록번호가 같습니다; 한 사람에게 참여자번호는 "
                "자치구마다 하나입니다: 둘 중 하나를 정리한 뒤 다시 실행하세요"
            )


@dataclass(frozen=True)
class PersonKeyRotation:
    participants: int
    old_fingerprint: str
    new_fingerprint: str


def rotate_person_key(uow: UnitOfWork, actor: str) -> PersonKeyRotation:
    """Recompute every person key under ``PAYROLL_PERSON_NEW_KEY`` (one transaction)."""
    new_key = keys.configured_key(keys.NEW_KEY_VARIABLE)
    with uow:
        check_key(uow)
        old_key = check_person_key(uow)
        old, new = keys.key_fingerprint(old_key), keys.key_fingerprint(new_key)
        if old == new:
            raise rrn.RrnError(f"{keys.NEW_KEY_VARIABLE} 는 지금 쓰는 키와 같습니다")
        people = uow.participants.with_numbers()
        for p in people:
            assert p.rrn_encrypted is not None
            value = keys.person_key(rrn.decrypt(p.rrn_encrypted), new_key)
            uow.participants.update(p.id, {"person_key": value})
        uow.rrn_keys.put_person_fingerprint(new)
        audit.record(
            uow, actor, "person_key.rotated", "person_key", new, participants=len(people), old=old
        )
    return PersonKeyRotation(len(people), old, new)


def ensure_person_key(uow: UnitOfWork, person: PersonRecord) -> PersonRecord:
    """``person`` with its person key, computed and stored now if it has a number but no
    key yet (a participant stored before the key was configured)."""
    if person.person_key or person.rrn_encrypted is None:
        return person
    check_key(uow)
    value = keys.person_key(rrn.decrypt(person.rrn_encrypted), check_person_key(uow))
    _refuse_duplicate(uow, person, value)
    uow.participants.update(person.id, {"person_key": value})
    return replace(person, person_key=value)


def require_number(person: PersonRecord) -> None:
    """An enrollment needs the participant's resident number (the insurance filings use it,
    and it is what tells one person from another across the districts)."""
    if person.rrn_encrypted is None:
        raise rrn.RrnError(
            f"참여자 {person.participant_id}: 주민등록번호가 없어 참여를 등록할 수 없습니다 "
            "(4대보험 신고와 자치구 간 참여 제한 확인에 필요합니다); "
            "명부에 주민등록번호(rrn) 열을 채워 다시 가져오세요"
        )


def person_key_advice(uow: UnitOfWork) -> str | None:
    """What ``payroll init`` tells the operator about the person key (None: all in order)."""
    with uow:
        missing = len(uow.participants.without_person_key())
    if not keys.key_is_set():
        return (
            f"{keys.KEY_VARIABLE} 가 설정되지 않았습니다. 같은 사람이 여러 자치구에 등록되는 것을 "
            "막으려면(시 전체 참여 제한) 주민등록번호를 암호화하는 키와 다른, "
            f"{keys.MIN_KEY_LENGTH}자 이상의 비밀값을 정해 모든 자치구에 같은 값으로 설정하세요 "
            '(예: python -c "import secrets; print(secrets.token_urlsafe(48))"). '
            "그 전에는 주민등록번호가 있는 명부와 참여 등록이 거부됩니다."
            + (
                f" 이미 저장된 참여자 {missing}명의 사람 키는 설정 후 "
                "`payroll rrn person-keys --by 이름` 으로 계산합니다."
                if missing
                else ""
            )
        )
    if missing:
        return (
            f"참여자 {missing}명에게 사람 키가 아직 없습니다: "
            "`payroll rrn person-keys --by 이름` 을 실행하세요 (PAYROLL_RRN_KEY 도 필요합니다)."
        )
    return None
