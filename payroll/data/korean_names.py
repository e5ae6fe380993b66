"""Korean surnames and given-name syllables for the synthetic-data generator.

Surname weights are rounded shares (per mille) of the population after Statistics Korea's
2015 census (김 about 21.5 %, 이 14.7 %, 박 8.4 % …); 유 combines 柳 and 劉. Given names
are two syllables drawn from lists that differ by sex and by generation (names common
for people born before 1975 — 영자, 순자, 정희, 영수, 성호 — against names of later
decades — 서연, 지은, 민준, 현우). The lists are small on purpose: they only need to
look plausible on a payslip, not to be a name dictionary.
"""

from __future__ import annotations

SURNAMES: tuple[tuple[str, float], ...] = (
    ("김", 215.0),
    ("이", 147.0),
    ("박", 84.0),
    ("최", 47.0),
    ("정", 43.0),
    ("강", 24.0),
    ("조", 21.0),
    ("윤", 20.0),
    ("장", 20.0),
    ("임", 17.0),
    ("유", 19.0),
    ("한", 15.0),
    ("오", 15.0),
    ("서", 15.0),
    ("신", 15.0),
    ("권", 14.0),
    ("황", 14.0),
    ("안", 13.0),
    ("송", 13.0),
    ("전", 11.0),
    ("홍", 11.0),
    ("고", 9.0),
    ("문", 9.0),
    ("양", 9.0),
    ("손", 9.0),
    ("배", 8.0),
    ("백", 7.0),
    ("허", 6.0),
    ("남", 5.0),
    ("심", 5.0),
    ("노", 4.0),
    ("하", 5.0),
    ("곽", 4.0),
    ("성", 4.0),
    ("차", 4.0),
    ("주", 4.0),
    ("우", 4.0),
    ("구", 4.0),
    ("민", 3.0),
    ("류", 3.0),
    ("나", 3.0),
    ("진", 3.0),
    ("지", 3.0),
    ("엄", 3.0),
    ("채", 3.0),
    ("원", 3.0),
    ("천", 2.0),
    ("방", 2.0),
    ("공", 2.0),
    ("현", 2.0),
    ("함", 2.0),
    ("변", 2.0),
    ("염", 2.0),
    ("여", 2.0),
    ("추", 1.0),
    ("도", 1.0),
    ("소", 1.0),
    ("석", 1.0),
    ("선", 1.0),
    ("설", 1.0),
    ("마", 1.0),
    ("길", 1.0),
    ("연", 1.0),
    ("위", 1.0),
    ("표", 1.0),
    ("명", 1.0),
    ("기", 1.0),
    ("반", 1.0),
    ("왕", 0.5),
    ("금", 0.5),
    ("옥", 0.5),
    ("육", 0.5),
    ("인", 0.5),
    ("맹", 0.5),
    ("제", 0.5),
    ("모", 0.5),
    ("탁", 0.5),
    ("국", 0.5),
    ("남궁", 0.3),
    ("황보", 0.2),
    ("제갈", 0.1),
    ("선우", 0.1),
    ("독고", 0.05),
)
"""(surname, weight) pairs; weights need not sum to anything in particular."""

# Given-name syllables: [sex][generation] -> (first syllables, second syllables).
# sex "M" / "F"; generation "older" (born before 1975) / "younger".

MALE_OLDER = (
    ("영", "성", "정", "상", "재", "동", "광", "병", "종", "용", "창", "명", "기", "경", "진"),
    ("수", "호", "철", "식", "희", "석", "준", "남", "훈", "환", "길", "규", "일", "택", "섭"),
)
MALE_YOUNGER = (
    ("민", "준", "현", "지", "도", "서", "예", "시", "주", "승", "우", "건", "태", "동", "성"),
    ("준", "우", "호", "민", "훈", "혁", "현", "원", "진", "빈", "윤", "서", "규", "찬", "재"),
)
FEMALE_OLDER = (
    ("영", "순", "정", "미", "경", "옥", "명", "은", "혜", "춘", "말", "숙", "현", "선", "금"),
    ("자", "숙", "희", "순", "옥", "자", "미", "경", "영", "애", "란", "진", "정", "선", "녀"),
)
FEMALE_YOUNGER = (
    ("서", "지", "민", "수", "예", "하", "윤", "채", "다", "소", "유", "은", "세", "가", "나"),
    ("연", "윤", "은", "아", "현", "민", "원", "빈", "진", "영", "서", "희", "린", "인", "혜"),
)

GIVEN_SYLLABLES: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("M", "older"): MALE_OLDER,
    ("M", "younger"): MALE_YOUNGER,
    ("F", "older"): FEMALE_OLDER,
    ("F", "younger"): FEMALE_YOUNGER,
}
"""Given-name syllables by (sex, generation): (first syllables, second syllables)."""

GENERATION_SPLIT_YEAR = 1975
"""Born before this year: the "older" lists."""
