"""The audit log: who did what, when, to which record."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from payroll.domain.audit import AuditEntry
from payroll.services.unit_of_work import UnitOfWork

# Who the actor of an entry is: "operator" (CLI ``--by``, scheduler) unless the console's
# service layer says "user" (an authenticated console user) for the work it does.
_actor_kind: ContextVar[str] = ContextVar("audit_actor_kind", default="operator")


@contextmanager
def acting_as(kind: str) -> Iterator[None]:
    """Record every audit entry written inside the block with actor kind ``kind``."""
    token = _actor_kind.set(kind)
    try:
        yield
    finally:
        _actor_kind.reset(token)


def actor_kind() -> str:
    """The actor kind entries are recorded with here (:func:`acting_as`), to hand on to
    work done elsewhere on the caller's behalf (a worker process)."""
    return _actor_kind.get()


def record(
    uow: UnitOfWork,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    **detail: Any,
) -> None:
    """Add one audit entry in the caller's transaction (it commits or rolls back with it).

    The actor (``--by``) must fit the column: a refusal rolls the whole action back.
    """
    uow.audit.add(entry(actor, action, entity, entity_id, **detail))


def entry(actor: str, action: str, entity: str, entity_id: object, **detail: Any) -> AuditEntry:
    """The entry :func:`record` adds, for :func:`record_many`."""
    return AuditEntry(
        at=datetime.now(UTC),
        actor=actor,
        actor_kind=_actor_kind.get(),
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail={k: _plain(v) for k, v in detail.items()},
    )


def record_many(uow: UnitOfWork, entries: Sequence[AuditEntry]) -> None:
    """Add many entries in one write (a bulk import's), in order, in the transaction."""
    uow.audit.add_many(entries)


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
