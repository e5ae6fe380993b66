"""City-wide settings a city administrator changes; every change is in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from payroll.db.models import CitySetting
from payroll.domain.model import PayrollError
from payroll.services import audit

SELF_FINALIZE = "self_finalize"
KNOWN = {
    SELF_FINALIZE: "1인 사무소: 승인한 팀장이 같은 급여를 확정할 수 있음 (업무 분리 완화)",
}


def get(session: Session, key: str) -> str | None:
    row = session.get(CitySetting, key)
    return row.value if row else None


def self_finalize_allowed(session: Session) -> bool:
    """Whether the approver of a run may also finalize it (one-person offices)."""
    return get(session, SELF_FINALIZE) == "on"


def put(session: Session, key: str, value: str, by: str) -> None:
    """Change a setting; the old and new values go to the audit log."""
    if key not in KNOWN:
        raise PayrollError(f"알 수 없는 설정 {key!r} (설정: {', '.join(KNOWN)})")
    if value not in ("on", "off"):
        raise PayrollError(f"설정 {key}: 값은 on 또는 off입니다 ({value!r})")
    row = session.get(CitySetting, key)
    old = row.value if row else None
    now = datetime.now(UTC)
    if row is None:
        session.add(CitySetting(key=key, value=value, updated_by=by, updated_at=now))
    else:
        row.value, row.updated_by, row.updated_at = value, by, now
    audit.record(session, by, "setting.changed", "city_setting", key, old=old, new=value)
