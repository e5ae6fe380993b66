"""One person across the districts: what a participant ID means, and how another
district's enrollment is named to a district that may not see that district's record."""

from __future__ import annotations

from collections.abc import Sequence

from payroll.domain.model import PayrollError


class AmbiguousParticipant(PayrollError):
    """A participant ID held by several districts, asked for without a district."""

    def __init__(self, participant_id: str, districts: Sequence[str]) -> None:
        self.participant_id = participant_id
        self.districts = tuple(districts)
        super().__init__(
            f"참여자번호 {participant_id}: 여러 자치구({', '.join(self.districts)})에 같은 번호가 "
            "있습니다; 참여자번호는 자치구마다 따로 매기므로 --district 로 자치구를 지정하세요"
        )


def elsewhere_label(district: str, program: str, term: str | None, start: str, end: str) -> str:
    """``마포구 서울 동행일자리 2026-H1 2026-01-02~2026-06-30``: all a district is told of
    another district's enrollment (no participant ID, name or number)."""
    return f"{district} {program} {term or '-'} {start}~{end}"
