"""The check of a finalized run's payee snapshot against its payslips and frozen totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from payroll.domain.report_records import PayslipRecord


@dataclass(frozen=True)
class SnapshotFigures:
    """Counts and net totals of a run's snapshot and payslips."""

    payees: int  # snapshot rows of the run
    payee_net: int
    slips: int  # payslips of the run
    slip_net: int
    joined: int  # snapshot rows whose payslip is one of the run's


@dataclass(frozen=True)
class SnapshotPayee:
    """One payee as the snapshot taken at finalization holds them."""

    payslip_id: int
    participant_id: str
    name: str
    birth_date: date
    bank: str | None
    account: str | None
    net: int


@dataclass(frozen=True)
class FrozenPayee:
    """One payee of a finalized run, with the payslip it is paid from."""

    payee: SnapshotPayee
    payslip: PayslipRecord


def snapshot_problems(figures: SnapshotFigures, participant_count: int, net: int) -> list[str]:
    """What does not agree between the snapshot, the payslips and the run's totals (Korean)."""
    f = figures
    problems = []
    if not (f.payees == f.slips == participant_count == f.joined):
        problems.append(
            f"지급 대상 {f.payees}명, 명세서 {f.slips}건, 확정 시 인원 {participant_count}명"
        )
    if not (f.payee_net == f.slip_net == net):
        problems.append(
            f"지급 대상 합계 {f.payee_net:,}원, 명세서 실지급 합계 {f.slip_net:,}원, "
            f"확정 시 실지급 합계 {net:,}원"
        )
    return problems


def mismatch_message(run: str, problems: list[str]) -> str:
    """The refusal of files from a run (``run 12 (2025-03 11110 dongheng)``) whose
    snapshot does not agree."""
    return (
        f"{run}: 확정된 급여와 지급 대상 스냅숏이 다릅니다 (" + "; ".join(problems) + "). "
        "파일을 쓰지 않았습니다; 데이터베이스가 변경되었는지 확인하세요"
    )
