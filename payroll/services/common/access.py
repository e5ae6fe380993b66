"""Who may do what: roles, the acting user (:class:`Actor`) and the checks every service makes.

A clerk (담당) or manager (팀장) works for their own district(s) only: a record of another
district is *not found* to them (the web console answers 404, so a guessed ID tells
nothing). Finance (재무) and the city administrator see every district. An action a role
may never take is *forbidden* (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from payroll.domain.model import PayrollError


class Role(StrEnum):
    CLERK = "district_clerk"
    MANAGER = "district_manager"
    FINANCE = "finance"
    CITY_ADMIN = "city_admin"


ROLE_LABELS = {
    Role.CLERK: "담당",
    Role.MANAGER: "팀장",
    Role.FINANCE: "재무",
    Role.CITY_ADMIN: "시 관리자",
}


class Action(StrEnum):
    BOARD = "board"  # month board: states and totals
    VIEW_PEOPLE = "view_people"  # run participant table, participant page, payslips
    UPLOAD = "upload"
    CALCULATE = "calculate"
    EXCLUDE = "exclude"
    DRAFT_PAYSLIPS = "draft_payslips"
    REVIEW = "review"
    END_ENROLLMENT = "end_enrollment"  # early end of an enrollment (§14)
    APPROVE = "approve"
    FINALIZE = "finalize"
    CANCEL = "cancel"
    PAYMENT_FILE = "payment_file"  # payment file and payroll register of a finalized run
    LEDGER = "ledger"
    RECONCILE = "reconcile"
    CATALOG = "catalog"
    HOLIDAYS = "holidays"
    WITHHOLDING = "withholding"
    USERS = "users"
    SCHEDULER = "scheduler"
    SETTINGS = "settings"
    DISTRICT_USERS = "district_users"  # a manager sees and disables their district's accounts
    AUDIT = "audit"  # read the audit log (managers: their districts)
    RELEASE = "release"  # release a held month, write off an outstanding amount
    RETURNED = "returned"  # record a transfer the bank returned


ACTION_LABELS: dict[Action, str] = {
    Action.BOARD: "월별 현황 보기",
    Action.VIEW_PEOPLE: "참여자·명세서 보기",
    Action.UPLOAD: "파일 올리기",
    Action.CALCULATE: "급여 계산",
    Action.EXCLUDE: "예외 제외",
    Action.DRAFT_PAYSLIPS: "명세서 만들기",
    Action.REVIEW: "검토",
    Action.END_ENROLLMENT: "중도 종료",
    Action.APPROVE: "승인",
    Action.FINALIZE: "확정",
    Action.CANCEL: "취소",
    Action.PAYMENT_FILE: "지급 파일 받기",
    Action.LEDGER: "분담금 대장",
    Action.RECONCILE: "대사",
    Action.CATALOG: "카탈로그 관리",
    Action.HOLIDAYS: "공휴일 관리",
    Action.WITHHOLDING: "간이세액표 관리",
    Action.USERS: "사용자 관리",
    Action.SCHEDULER: "예약 작업 보기",
    Action.SETTINGS: "시 설정",
}
"""What each action is called where a user reads it (error pages, refusals)."""

A = Action
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset(
        {
            A.BOARD,
            A.VIEW_PEOPLE,
            A.UPLOAD,
            A.CALCULATE,
            A.EXCLUDE,
            A.DRAFT_PAYSLIPS,
            A.REVIEW,
            A.END_ENROLLMENT,
            A.RETURNED,
        }
    ),
    Role.MANAGER: frozenset(
        {
            A.BOARD,
            A.VIEW_PEOPLE,
            A.REVIEW,
            A.APPROVE,
            A.FINALIZE,
            A.CANCEL,
            A.PAYMENT_FILE,
            A.DISTRICT_USERS,
            A.AUDIT,
            A.RELEASE,
            A.RETURNED,
        }
    ),
    Role.FINANCE: frozenset(
        # read-only: finance renders nothing into the runs' folders (payslips are the
        # district's), it downloads, reconciles, reads the audit log and writes its own
        # ledgers and filings
        {A.BOARD, A.VIEW_PEOPLE, A.LEDGER, A.RECONCILE, A.PAYMENT_FILE, A.AUDIT}
    ),
    Role.CITY_ADMIN: frozenset(
        {
            A.BOARD,
            A.CATALOG,
            A.HOLIDAYS,
            A.WITHHOLDING,
            A.USERS,
            A.SCHEDULER,
            A.SETTINGS,
            A.AUDIT,
        }
    ),
}
CITY_WIDE = frozenset({Role.FINANCE, Role.CITY_ADMIN})


class NotFound(PayrollError):
    """The record does not exist, or belongs to a district the actor does not work for."""


class Forbidden(PayrollError):
    """The actor's role may not take this action."""


@dataclass(frozen=True)
class Actor:
    """The user a service works for: name (as audited), role and districts.

    ``kind`` is "user" for an authenticated console user, "operator" for a CLI ``--by``.
    """

    name: str
    role: Role
    districts: frozenset[str] = frozenset()
    display_name: str = ""
    kind: str = "user"

    @property
    def city_wide(self) -> bool:
        return self.role in CITY_WIDE

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def sees(self, district: str) -> bool:
        return self.city_wide or district in self.districts

    def visible(self, districts: Iterable[str]) -> list[str]:
        return [d for d in districts if self.sees(d)]


def require(actor: Actor, action: Action) -> None:
    """Refuse (:class:`Forbidden`) an action the actor's role may not take."""
    if not actor.may(action):
        what = ACTION_LABELS.get(action, action.value)
        raise Forbidden(f"{actor.role_label} 권한으로는 할 수 없는 작업입니다 ({what})")


def require_district(actor: Actor, district: str, what: str) -> None:
    """A record of a district the actor does not work for is not found (:class:`NotFound`)."""
    if not actor.sees(district):
        raise NotFound(f"{what}: 찾을 수 없습니다")


def check(actor: Actor, action: Action, district: str, what: str) -> None:
    """The district check first (404 tells nothing), then the role check."""
    require_district(actor, district, what)
    require(actor, action)
