"""One person, one city (#22): the limits count a person's enrollments in every district.

Driven through the ``payroll`` CLI on both databases. The same resident number (RRN) is
one person whichever district enrolls them; a participant ID is a district's own number.
No message ever shows an RRN.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner, Result

from payroll.cli import common, roster
from payroll.db.engine import transaction
from payroll.db.models import EnrollmentRow, Participant

ROOT = Path(__file__).resolve().parents[2]
HEADER = "참여자번호,성명,생년월일,자치구,주민등록번호,사업,기수,시작일,종료일,예외사유"
RRN_A = "700501-2123456"  # one person (no check digit: numbers since 2020 have none)
RRN_B = "811224-1987654"  # another
RRN_SHAPE = re.compile(r"\d{6}-?\d{7}")


@pytest.fixture
def cli(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setattr(common.console, "_width", 250)
    monkeypatch.setattr(common.err_console, "_width", 400)
    app = typer.Typer()
    imports = typer.Typer()
    imports.command("participants")(roster.import_participants)
    imports.command("history")(roster.import_history)
    app.add_typer(imports, name="import")
    app.command("enroll")(roster.enroll)
    app.add_typer(roster.participant_app, name="participant")
    return app


def run(app: typer.Typer, *args: str | Path) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    text = result.output + (result.stderr if result.stderr_bytes else "")
    assert not RRN_SHAPE.search(text.replace("******", "")), text  # no number, only masked
    for number in (RRN_A, RRN_B, RRN_A.replace("-", ""), RRN_B.replace("-", "")):
        assert number not in text
    return result


def line(
    pid: str,
    district: str,
    rrn: str,
    term: str = "",
    *,
    start: str = "",
    override: str = "",
    name: str = "김민지",
    born: str = "1970-05-01",
) -> str:
    """One roster row (a 동행일자리 enrollment when ``term`` is given)."""
    program = "동행일자리" if term else ""
    return f"{pid},{name},{born},{district},{rrn},{program},{term},{start},,{override}"


def roster_file(path: Path, *rows: str) -> Path:
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def enrollments(engine: Engine, district: str | None = None) -> list[tuple[str, str, str]]:
    with transaction(engine) as s:
        query = select(
            Participant.district_code, Participant.participant_id, EnrollmentRow.term_code
        )
        query = query.join(EnrollmentRow, EnrollmentRow.participant_pk == Participant.id)
        if district:
            query = query.where(Participant.district_code == district)
        return sorted((d, p, t or "") for d, p, t in s.execute(query))


def test_the_same_rrn_in_two_districts_for_overlapping_months_is_refused(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    jongno = roster_file(tmp_path / "jongno.csv", line("J-001", "종로구", RRN_A, "2026-H1"))
    assert run(cli, "import", "participants", jongno).exit_code == 0
    mapo = roster_file(
        tmp_path / "mapo.csv", line("M-777", "마포구", RRN_A, "2026-H1", start="2026-03-02")
    )
    refused = run(cli, "import", "participants", mapo)
    assert refused.exit_code != 0
    out = refused.output
    assert "no_overlap" in out and "종로구" in out and "2026-H1" in out
    assert "2026-01-10~2026-06-30" in out  # the other enrollment's dates (the shipped term)
    assert "J-001" not in out  # nothing else of 종로구's record: not its participant ID
    assert "예외 사유로도 등록할 수 없습니다" in out  # what the district can (not) do
    assert enrollments(engine, "11440") == []  # 마포구: nothing written

    # An override does not lift it: one person is paid by one district at a time.
    overridden = roster_file(
        tmp_path / "mapo2.csv",
        line("M-777", "마포구", RRN_A, "2026-H1", start="2026-03-02", override="구청장 지시"),
    )
    assert run(cli, "import", "participants", overridden, "--by", "박과장").exit_code != 0
    assert enrollments(engine, "11440") == []

    # After the 종로구 term, 마포구 may enroll the person in the next term.
    after = roster_file(tmp_path / "mapo3.csv", line("M-777", "마포구", RRN_A, "2026-H2"))
    assert run(cli, "import", "participants", after).exit_code == 0
    assert enrollments(engine) == [("11110", "J-001", "2026-H1"), ("11440", "M-777", "2026-H2")]


def test_enroll_command_refuses_the_overlap_and_names_only_district_program_term_dates(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    jongno = roster_file(tmp_path / "j.csv", line("J-001", "종로구", RRN_A, "2025-H1"))
    mapo = roster_file(tmp_path / "m.csv", f"M-777,김민지,1970-05-01,마포구,{RRN_A},,,,,")
    assert run(cli, "import", "participants", jongno).exit_code == 0
    assert run(cli, "import", "participants", mapo).exit_code == 0  # the person, no enrollment
    refused = run(cli, "enroll", "M-777", "--program", "dongheng", "--term", "2025-H1")
    assert refused.exit_code != 0
    assert "종로구 서울 동행일자리 2025-H1 2025-01-10~2025-06-30" in refused.output
    assert "J-001" not in refused.output
    assert enrollments(engine, "11440") == []


def test_a_fourth_consecutive_term_taken_in_another_district_is_refused(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    # 2024-H1, 2024-H2 (history, 종로구), 2025-H1 (종로구 roster): three in a row.
    jongno = roster_file(tmp_path / "j.csv", line("J-001", "종로구", RRN_A, "2025-H1"))
    assert run(cli, "import", "participants", jongno).exit_code == 0
    history = tmp_path / "history.csv"
    history.write_text(
        "주민등록번호,사업,시작일,종료일\n"
        f"{RRN_A},dongheng,2024-01-08,2024-06-28\n"
        f"{RRN_A},dongheng,2024-07-01,2024-12-20\n",
        encoding="utf-8",
    )
    assert run(cli, "import", "history", history).exit_code == 0
    # The fourth, 2025-H2, moved to 마포구: refused there.
    mapo = roster_file(tmp_path / "m.csv", line("M-1", "마포구", RRN_A, "2025-H2"))
    refused = run(cli, "import", "participants", mapo)
    assert refused.exit_code != 0
    assert "max_consecutive_terms" in refused.output and "4기 연속" in refused.output
    assert "종로구" in refused.output and "예외사유" in refused.output  # may be overridden
    assert enrollments(engine, "11440") == []
    # The rule allows an override with a written reason.
    override = roster_file(
        tmp_path / "m2.csv",
        line("M-1", "마포구", RRN_A, "2025-H2", override="취업 취약계층 심사 통과"),
    )
    assert run(cli, "import", "participants", override, "--by", "박과장").exit_code == 0
    assert enrollments(engine, "11440") == [("11440", "M-1", "2025-H2")]


def test_history_taken_elsewhere_counts_through_the_rrn(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    # A person known to 마포구 only; their past terms were taken in 강남구 before the system.
    mapo = roster_file(tmp_path / "m.csv", f"M-1,김민지,1970-05-01,마포구,{RRN_A},,,,,")
    assert run(cli, "import", "participants", mapo).exit_code == 0
    history = tmp_path / "history.csv"
    history.write_text(
        "주민등록번호,자치구,사업,시작일,종료일\n"
        f"{RRN_A},강남구,dongheng,2024-01-08,2024-06-28\n"
        f"{RRN_A},강남구,dongheng,2024-07-01,2024-12-20\n"
        f"{RRN_A},강남구,dongheng,2025-01-10,2025-06-30\n",
        encoding="utf-8",
    )
    assert (
        run(
            cli,
            "import",
            "history",
            history,
        ).exit_code
        == 0
    )
    refused = run(cli, "enroll", "M-1", "--program", "dongheng", "--term", "2025-H2")
    assert refused.exit_code != 0 and "max_consecutive_terms" in refused.output
    shown = run(cli, "participant", "show", "M-1", "--json")
    assert shown.exit_code == 0
    report = json.loads(shown.output)
    assert [(c["district_name"], c["term"]) for c in report["city"]] == [
        ("강남구", "2024-H1"),
        ("강남구", "2024-H2"),
        ("강남구", "2025-H1"),
    ]
    assert report["participant"]["rrn"] == "700501-2******"
    # A number nobody holds is refused, masked.
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(
        f"주민등록번호,사업,시작일,종료일\n{RRN_B},dongheng,2024-01-08,2024-06-28\n",
        encoding="utf-8",
    )
    rejected = run(cli, "import", "history", unknown)
    assert rejected.exit_code != 0 and "811224-1******" in rejected.output


def test_the_same_participant_id_in_two_districts_is_two_people(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    jongno = roster_file(tmp_path / "j.csv", line("P-100", "종로구", RRN_A, "2025-H1"))
    mapo = roster_file(
        tmp_path / "m.csv",
        line("P-100", "마포구", RRN_B, "2025-H1", name="이서준", born="1981-12-24"),
    )
    assert run(cli, "import", "participants", jongno).exit_code == 0
    assert run(cli, "import", "participants", mapo).exit_code == 0
    assert enrollments(engine) == [("11110", "P-100", "2025-H1"), ("11440", "P-100", "2025-H1")]
    with transaction(engine) as s:
        keys = s.scalars(select(Participant.person_key).order_by(Participant.district_code)).all()
    assert len(set(keys)) == 2 and all(k and len(k) == 64 for k in keys)
    # Asking for P-100 without a district is ambiguous; with one, it is that district's.
    assert "--district" in run(cli, "participant", "show", "P-100").output
    mapo_show = json.loads(
        run(cli, "participant", "show", "P-100", "--district", "마포구", "--json").output
    )
    assert mapo_show["participant"]["name"] == "이서준"
    assert [c["district_name"] for c in mapo_show["city"]] == ["마포구"]


def test_same_rrn_twice_in_a_roster_or_twice_in_a_district_is_refused_naming_rows(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    twice = roster_file(
        tmp_path / "twice.csv",
        f"J-1,김민지,1970-05-01,종로구,{RRN_A},,,,,",
        f"J-2,김민지,1970-05-01,종로구,{RRN_A},,,,,",
    )
    refused = run(cli, "import", "participants", twice)
    assert refused.exit_code != 0 and "2행(참여자 J-1)과 같은 주민등록번호" in refused.output
    assert "700501-2******" in refused.output
    assert (
        run(
            cli,
            "import",
            "participants",
            roster_file(tmp_path / "a.csv", f"J-1,김민지,1970-05-01,종로구,{RRN_A},,,,,"),
        ).exit_code
        == 0
    )
    again = run(
        cli,
        "import",
        "participants",
        roster_file(tmp_path / "b.csv", f"J-9,김민지,1970-05-01,종로구,{RRN_A},,,,,"),
    )
    assert again.exit_code != 0 and "다른 참여자번호 J-1" in again.output
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Participant)) == 1


def test_an_enrollment_needs_an_rrn(cli: typer.Typer, engine: Engine, tmp_path: Path) -> None:
    no_number = roster_file(
        tmp_path / "n.csv", "J-1,김민지,1970-05-01,종로구,,동행일자리,2025-H1,,,"
    )
    refused = run(cli, "import", "participants", no_number)
    assert refused.exit_code != 0 and "주민등록번호가 필요합니다" in refused.output
    with transaction(engine) as s:
        s.add(
            Participant(
                participant_id="J-2",
                name="홍길동",
                birth_date=date(1970, 5, 1),
                district_code="11110",
                created_at=datetime.now(UTC),
            )
        )
    enroll = run(cli, "enroll", "J-2", "--program", "dongheng", "--term", "2025-H1")
    assert enroll.exit_code != 0 and "주민등록번호가 없어" in enroll.output
    assert enrollments(engine) == []


def test_two_districts_importing_the_same_person_at_once_exactly_one_succeeds(
    engine: Engine, db_url: str, cli_env: str, tmp_path: Path
) -> None:
    files = [
        roster_file(tmp_path / "jongno.csv", line("J-1", "종로구", RRN_A, "2025-H1")),
        roster_file(tmp_path / "mapo.csv", line("M-1", "마포구", RRN_A, "2025-H1")),
    ]
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.roster_child", db_url, str(f)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outcomes = [(c.wait(timeout=120), *c.communicate()) for c in children]
    assert sorted(code for code, _, _ in outcomes) == [0, 1], outcomes
    [(_, loser, _)] = [o for o in outcomes if o[0] == 1]
    [errors_path] = re.findall(r"(/\S+\.errors\.csv)", loser)  # the refusal names its list
    errors_csv = Path(errors_path).read_text(encoding="utf-8-sig")
    assert "no_overlap" in errors_csv and RRN_A not in errors_csv and RRN_A not in loser
    assert len(enrollments(engine)) == 1


def test_init_says_what_to_do_without_the_person_key_and_keys_are_filled_later(
    cli_env: str, engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from payroll.cli.main import app as payroll_app
    from payroll.privacy import person_key, rrn

    with transaction(engine) as s:  # stored before the key was configured
        s.add(Participant(participant_id="J-1", name="김민지", birth_date=date(1970, 5, 1),
                          district_code="11110", rrn_encrypted=rrn.encrypt(RRN_A),
                          rrn_masked="700501-2******", created_at=datetime.now(UTC)))  # fmt: skip
    monkeypatch.delenv("PAYROLL_PERSON_KEY")
    said = CliRunner().invoke(payroll_app, ["init"])
    assert said.exit_code == 0 and "PAYROLL_PERSON_KEY" in said.output
    assert "payroll rrn person-keys" in said.output and "1명" in said.output

    monkeypatch.setenv("PAYROLL_PERSON_KEY", "a-city-secret-of-forty-characters-000001")
    filled = CliRunner().invoke(payroll_app, ["rrn", "person-keys", "--by", "보안담당"])
    assert filled.exit_code == 0 and "1명" in filled.output, filled.output
    with transaction(engine) as s:
        stored = s.scalars(select(Participant.person_key)).one()
    assert stored == person_key.person_key(RRN_A, "a-city-secret-of-forty-characters-000001")
    assert "PAYROLL_PERSON_KEY" not in CliRunner().invoke(payroll_app, ["init"]).output

    # Rotation: every key recomputed under the new secret; the old one is then refused.
    new = "a-new-city-secret-of-forty-characters-02"
    monkeypatch.setenv("PAYROLL_PERSON_NEW_KEY", new)
    rotated = CliRunner().invoke(payroll_app, ["rrn", "rotate-person-key", "--by", "보안담당"])
    assert rotated.exit_code == 0, rotated.output
    with transaction(engine) as s:
        assert s.scalars(select(Participant.person_key)).one() == person_key.person_key(RRN_A, new)
    # A new number under the old secret is refused (its key would never match)...
    newcomer = roster_file(tmp_path / "new.csv", line("J-2", "종로구", RRN_B, name="이서준",
                                                      born="1981-12-24"))  # fmt: skip
    refused = CliRunner().invoke(payroll_app, ["import", "participants", str(newcomer)])
    assert refused.exit_code != 0 and "rotate-person-key" in refused.output
    # ... and accepted under the new one, where the stored person is found again.
    monkeypatch.setenv("PAYROLL_PERSON_KEY", new)
    assert CliRunner().invoke(payroll_app, ["import", "participants", str(newcomer)]).exit_code == 0
    same = roster_file(tmp_path / "same.csv", line("J-9", "종로구", RRN_A))
    again = CliRunner().invoke(payroll_app, ["import", "participants", str(same)])
    assert again.exit_code != 0 and "다른 참여자번호 J-1" in again.output


def test_after_an_early_end_elsewhere_the_person_may_start_the_next_day(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    from payroll.cli.enrollment import enrollment_app

    cli.add_typer(enrollment_app, name="enrollment")
    jongno = roster_file(tmp_path / "j.csv", line("J-001", "종로구", RRN_A, "2025-H1"))
    assert run(cli, "import", "participants", jongno).exit_code == 0
    early = roster_file(
        tmp_path / "m.csv", line("M-1", "마포구", RRN_A, "2025-H1", start="2025-04-01")
    )
    assert run(cli, "import", "participants", early).exit_code != 0  # 종로구 runs to 30 June
    ended = run(cli, "enrollment", "end", "J-001", "--on", "2025-03-31", "--reason", "withdrew",
                "--by", "김담당", "--district", "종로구")  # fmt: skip
    assert ended.exit_code == 0, ended.output
    assert run(cli, "import", "participants", early).exit_code == 0  # the same term, in turn
    assert enrollments(engine) == [("11110", "J-001", "2025-H1"), ("11440", "M-1", "2025-H1")]


def test_history_that_would_make_another_districts_enrollment_break_a_limit_is_refused(
    cli: typer.Typer, engine: Engine, tmp_path: Path
) -> None:
    # 마포구 enrolled the person for 2025-H1; 종로구 holds them too, with nothing yet.
    assert run(cli, "import", "participants",
               roster_file(tmp_path / "m.csv", line("M-1", "마포구", RRN_A, "2025-H1"))
               ).exit_code == 0  # fmt: skip
    assert (
        run(
            cli,
            "import",
            "participants",
            roster_file(tmp_path / "j.csv", line("J-1", "종로구", RRN_A)),
        ).exit_code
        == 0
    )
    # 종로구's history: three terms right before 마포구's, which would become the fourth.
    history = tmp_path / "h.csv"
    history.write_text(
        "참여자번호,자치구,사업,시작일,종료일\n"
        "J-1,종로구,dongheng,2023-07-03,2023-12-20\n"
        "J-1,종로구,dongheng,2024-01-08,2024-06-28\n"
        "J-1,종로구,dongheng,2024-07-01,2024-12-20\n",
        encoding="utf-8",
    )
    refused = run(cli, "import", "history", history)
    assert refused.exit_code != 0
    reasons = (tmp_path / "h.errors.csv").read_text(encoding="utf-8-sig")
    assert "max_consecutive_terms" in reasons and "마포구" in reasons and "M-1" not in reasons
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(EnrollmentRow)) == 1
