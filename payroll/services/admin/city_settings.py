"""City-wide settings a city administrator changes; every change is in the audit log."""

from __future__ import annotations

from payroll.domain.model import PayrollError
from payroll.services.common import audit
from payroll.services.unit_of_work import UnitOfWork

SELF_FINALIZE = "self_finalize"
KNOWN = {
    SELF_FINALIZE: "1인 사무소: 승인한 팀장이 같은 급여를 확정할 수 있음 (업무 분리 완화)",
}


def get(uow: UnitOfWork, key: str) -> str | None:
    return uow.settings.get(key)


def self_finalize_allowed(uow: UnitOfWork) -> bool:
    """Whether the approver of a run may also finalize it (one-person offices)."""
    return get(uow, SELF_FINALIZE) == "on"


def put(uow: UnitOfWork, key: str, value: str, by: str) -> None:
    """Change a setting; the old and new values go to the audit log."""
    if key not in KNOWN:
        raise PayrollError(f"알 수 없는 설정 {key!r} (설정: {', '.join(KNOWN)})")
    if value not in ("on", "off"):
        raise PayrollError(f"설정 {key}: 값은 on 또는 off입니다 ({value!r})")
    old = uow.settings.put(key, value, by)
    audit.record(uow, by, "setting.changed", "city_setting", key, old=old, new=value)
