"""Reading the audit log: ``payroll audit`` and the console's audit page.

Filters: a run (its entries and every entry naming it), a participant (entries about the
participant or naming them), an actor, a start date. The console scopes a manager to the
districts they work for (an entry is theirs when its run, participant or district is);
finance and the city administrator read every district.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from payroll.domain.audit import AuditEntry
from payroll.domain.audit_labels import detail_name
from payroll.domain.labels import END_REASON_LABELS, RUN_STATE_NAMES, term_name
from payroll.services.common.access import Action, Actor, NotFound, require
from payroll.services.common.display_names import Names, role_name
from payroll.services.runs.lifecycle import find_run
from payroll.services.unit_of_work import UnitOfWork

LIMIT = 500
"""At most this many entries are shown, newest first."""


@dataclass(frozen=True)
class AuditFilter:
    """What the reader asked for (every field optional)."""

    run: str | None = None  # a run id or MONTH/DISTRICT/PROGRAM
    participant: str | None = None
    actor: str | None = None
    since: date | None = None


def read_audit(
    uow: UnitOfWork, wanted: AuditFilter, districts: Iterable[str] | None = None
) -> list[AuditEntry]:
    """Entries matching ``wanted``, newest first; ``districts``: only theirs (None: all)."""
    entity = entity_id = None
    if wanted.run:
        run = find_run(uow, wanted.run)
        entity, entity_id = "payroll_run", str(run.id)
    since = datetime.combine(wanted.since, time.min, UTC) if wanted.since else None
    scope = set(districts) if districts is not None else None
    with uow:
        found = uow.audit.search(
            since, (wanted.actor or "").strip() or None, entity, entity_id, LIMIT * 4
        )
        if wanted.participant:
            pid = wanted.participant.strip()
            found = [e for e in found if _names_participant(e, pid)]
        if scope is not None:
            found = [e for e in found if _district_of(uow, e) in scope]
    return found[:LIMIT]


def console_audit(uow: UnitOfWork, actor: Actor, wanted: AuditFilter) -> list[AuditEntry]:
    """The audit page: managers see their districts, finance and the city every one."""
    require(actor, Action.AUDIT)
    if wanted.run and not actor.city_wide:
        run = find_run(uow, wanted.run)
        if not actor.sees(run.district_code):
            raise NotFound(f"급여 실행 {wanted.run}: 찾을 수 없습니다")
    return read_audit(uow, wanted, None if actor.city_wide else actor.districts)


def _names_participant(entry: AuditEntry, pid: str) -> bool:
    if entry.entity == "participant" and entry.entity_id == pid:
        return True
    detail: dict[str, Any] = entry.detail or {}
    return pid in (detail.get("participant"), detail.get("participant_id"))


def _district_of(uow: UnitOfWork, entry: AuditEntry) -> str | None:
    detail: dict[str, Any] = entry.detail or {}
    if entry.entity == "payroll_run" and entry.entity_id.isdigit():
        run = uow.runs.get(int(entry.entity_id))
        return run.district_code if run else None
    if isinstance(detail.get("district"), str):
        return detail["district"]
    pid = entry.entity_id if entry.entity == "participant" else detail.get("participant")
    if isinstance(pid, str):
        person = uow.participants.get(pid)
        return person.district_code if person else None
    return None


def describe(entry: AuditEntry, known: Names | None = None) -> str:
    """The entry's details as one Korean line (``역할=팀장, 자치구=종로구``, long values cut).

    Keys get their Korean labels; roles, districts, programs, terms and run states their
    names (``known``: the catalog's district and program names; without it codes stay).
    """
    known = known or Names({}, {})
    parts = []
    for key, value in (entry.detail or {}).items():
        if key == "digests" or value is None:
            continue
        text = _value(key, value, known, entry.action)
        parts.append(f"{detail_name(key)}={text[:80] + '…' if len(text) > 80 else text}")
    return ", ".join(parts)


def _value(key: str, value: Any, known: Names, action: str = "") -> str:
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, list):
        return ", ".join(_value(key, v, known) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{detail_name(k)}: {_change(k, v, known)}" for k, v in value.items())
    text = str(value)
    if key == "role":
        return role_name(text)
    if key in ("district", "districts"):
        return known.district(text)
    if key == "program":
        return known.program(text)
    if key == "term":
        return term_name(text)
    if key == "previous_state":
        return RUN_STATE_NAMES.get(text, text)
    if key == "reason" and action == "enrollment.ended":
        return END_REASON_LABELS.get(text, text)
    return known.in_text(text)


def _change(key: str, value: Any, known: Names) -> str:
    """One field of a change: ``[old, new]`` → ``old → new``; ``changed`` → ``변경``."""
    if value == "changed":
        return "변경"
    if isinstance(value, list) and len(value) == 2:
        return f"{_value(key, value[0], known)} → {_value(key, value[1], known)}"
    return _value(key, value, known)
