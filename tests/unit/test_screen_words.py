"""Words a district user reads: command hints become buttons, codes become names."""

from __future__ import annotations

from payroll.domain.labels import term_name
from payroll.services.common.display_names import Names, role_name
from payroll.web.hints import for_screen

NAMES = Names({"11110": "종로구"}, {"dongheng": "서울 동행일자리", "maeryeok": "서울 매력일자리"})


def test_command_hints_name_the_button() -> None:
    message = "확정한 뒤 다시 실행하세요 (payroll run finalize)"
    assert for_screen(message).endswith("(급여 실행 화면의 [확정] 단추)")
    moved = for_screen("`payroll run calculate --month 2026-03`로 이전 달부터 계산하세요")
    assert moved == "월별 현황 2026-03의 [계산] 단추로 이전 달부터 계산하세요"
    listed = for_screen(
        "저장하지 않았습니다; `payroll run list` 로 확인하세요 (another process did it first)"
    )
    assert listed == "저장하지 않았습니다; [월별 현황] 화면으로 확인하세요"  # 으로 after 면
    assert for_screen("예외가 있습니다") == "예외가 있습니다"  # nothing to rewrite


def test_names_instead_of_codes() -> None:
    assert NAMES.in_text("dongheng 연속 참여는 최대 3기까지입니다") == (
        "서울 동행일자리 연속 참여는 최대 3기까지입니다"
    )
    assert NAMES.in_text("dongheng-x, xdongheng") == "dongheng-x, xdongheng"  # whole codes only
    rule = {
        "programs": ["maeryeok"],
        "max": 18,
        "message": "{program} 누적 참여는 최대 {max}개월까지입니다",
    }
    assert NAMES.limit_sentence(rule) == "서울 매력일자리 누적 참여는 최대 18개월까지입니다"
    assert role_name("district_clerk") == "담당" and role_name("nobody") == "nobody"
    assert (term_name("2027-H2"), term_name("2026")) == ("2027년 하반기", "2026")
