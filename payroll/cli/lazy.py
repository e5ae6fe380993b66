"""The ``payroll`` group loads a command's module only when that command runs.

``payroll --help`` lists every command from :data:`COMMANDS` (name, module, attribute,
Korean one-line help) without importing any command module, so it never loads WeasyPrint,
Alembic or FastAPI; ``payroll calc`` imports only ``payroll.cli.calc``.
:func:`load` turns the module's Typer app or function into the Click command.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import typer
from typer import _click as click
from typer.core import TyperCommand


class Entry(NamedTuple):
    """Where a command lives and what ``payroll --help`` says of it."""

    module: str
    attribute: str
    help: str


# In the order a month runs; the help shows them in this order.
COMMANDS: dict[str, Entry] = {
    "import": Entry(
        "payroll.cli.imports", "import_app", "명부·과거 이력·근태 파일 가져오기 (CSV, XLSX)"
    ),
    "enroll": Entry("payroll.cli.roster", "enroll", "참여자 한 명 등록 (명부 없이)"),
    "enrollment": Entry("payroll.cli.enrollment", "enrollment_app", "참여 관리: 중도 종료"),
    "participant": Entry("payroll.cli.roster", "participant_app", "참여자 보기"),
    "calc": Entry("payroll.cli.calc", "calc", "한 사람의 급여를 계산식과 함께 (데이터베이스 없이)"),
    "run": Entry(
        "payroll.cli.runs", "run_app", "급여 실행: 계산, 검토, 승인, 확정, 지급 보류·해제, 취소"
    ),
    "payment": Entry(
        "payroll.cli.payments", "payment_app", "이월·반환·환수: 반환된 이체, 정리, 미정산 목록"
    ),
    "payslips": Entry(
        "payroll.cli.payslips", "payslips_app", "급여명세서 PDF 만들기, 이메일·알림톡 보내기"
    ),
    "ledger": Entry("payroll.cli.ledger", "ledger", "시·구 분담금 대장 (확정된 급여)"),
    "reconcile": Entry("payroll.cli.ledger", "reconcile", "대사: 대장 = 명세서 = 이체 합계"),
    "report": Entry("payroll.cli.report", "report_app", "신고·이체 파일, 퇴직금 검토"),
    "scheduler": Entry(
        "payroll.cli.scheduler", "scheduler_app", "예약 작업: 시작, 목록, 실행, 기록"
    ),
    "holiday": Entry("payroll.cli.admin", "holiday_app", "공휴일 목록·추가·삭제"),
    "withholding": Entry("payroll.cli.admin", "withholding_app", "간이세액표 가져오기·보기"),
    "catalog": Entry(
        "payroll.cli.catalog",
        "catalog_app",
        "연도별 기준(임금·보험료율·기수·제한) 보기·내보내기·가져오기",
    ),
    "template": Entry("payroll.cli.template", "template", "가져오기 빈 양식 (XLSX)"),
    "rrn": Entry("payroll.cli.rrn", "rrn_app", "주민등록번호 암호화 키와 사람 키 관리"),
    "demo": Entry("payroll.cli.demo", "demo", "연습용 가상 자치구 데이터 만들기"),
    "user": Entry("payroll.cli.users", "user_app", "웹 화면 사용자 관리"),
    "setting": Entry("payroll.cli.users", "setting_app", "시 설정 (감사 기록 남김)"),
    "web": Entry("payroll.cli.web", "web", "웹 화면(콘솔) 실행"),
    "audit": Entry(
        "payroll.cli.audit", "audit", "감사 기록 보기 (실행·참여자·사용자·날짜로 거르기)"
    ),
}


SUBCOMMANDS: dict[str, str] = {
    "import participants": "참여자 명부 가져오기",
    "import history": "과거 참여 이력 가져오기 (참여 제한 계산용)",
    "import attendance": "근태 예외 가져오기 (결근·연차·공가·시간)",
    "holiday list": "한 해의 공휴일 보기",
    "holiday add": "공휴일 추가 (임시공휴일 등)",
    "holiday remove": "추가한 공휴일 삭제",
    "withholding import": "국세청 간이세액표 가져오기",
    "withholding show": "월 과세 급여의 원천징수 세액 보기",
    "enrollment end": "참여 중도 종료 (취업, 중도 포기 …)",
    "report severance": "퇴직금 검토 (1년 이상 계속 근무)",
    "participant show": "참여자 한 명의 참여와 급여 보기",
    "rrn rotate-key": "주민등록번호를 새 키로 다시 암호화",
    "rrn person-keys": "사람 키가 없는 참여자의 사람 키 계산 (PAYROLL_PERSON_KEY)",
    "rrn rotate-person-key": "사람 키를 새 키로 다시 계산",
    "catalog show": "한 해의 기준 값과 빠진 값 보기",
    "catalog export": "한 해의 기준을 catalog.toml 형식으로 내보내기",
    "catalog import": "연도 파일 가져오기 (차이 보기, --dry-run)",
    "payment returned": "은행이 돌려보낸 이체 기록 (다음 급여에서 다시 지급)",
    "payment write-off": "미정산 금액을 사유와 함께 정리 (팀장)",
    "payment notice": "환수 안내문 PDF",
    "payment open": "미정산 금액 목록 (보류·반환·환수)",
    "payslips send": "확정된 급여명세서를 이메일·알림톡으로 보내기",
    "payslips status": "급여명세서 전달 상태와 인쇄할 명단",
    "run calculate": "한 달 급여 계산 (자치구·사업별 급여 실행)",
    "run approve": "계산된 급여 실행 승인 (예외를 모두 처리한 뒤)",
    "run finalize": "승인된 급여 실행 확정 (이후 바뀌지 않음)",
    "run cancel": "확정 전 급여 실행 취소",
    "run exclude": "예외 참여자의 이번 달 지급 보류 (run hold와 같음)",
    "run hold": "예외 참여자의 이번 달 지급 보류 (계산해 보관, 해제하면 다음 달 지급)",
    "run release": "확정된 달의 보류분 해제 (다음 급여에서 미지급분으로 지급)",
    "run files": "급여 실행의 지급 파일·급여대장",
    "run list": "급여 실행 목록",
    "run show": "급여 실행 한 건 보기",
    "run review": "검토할 예외 목록",
    "scheduler start": "예약 작업 실행기 시작",
    "scheduler list": "예약 작업 목록",
    "scheduler run": "예약 작업 하나를 지금 실행",
    "scheduler history": "예약 작업 실행 기록",
    "user add": "웹 화면 사용자 추가",
    "user list": "웹 화면 사용자 목록",
    "user disable": "사용자 사용 중지",
    "user reset-password": "일회용 비밀번호 발급",
    "setting self-finalize": "승인자 본인의 확정 허용 여부 (시 설정)",
}
"""Korean first lines of the sub-commands' help (their docstrings follow)."""


def _korean_first(command: click.Command, korean: str) -> None:
    own = (command.help or "").strip()
    if not own.startswith(korean):
        command.help = f"{korean}\n\n{own}" if own else korean
    command.short_help = korean


class Placeholder(TyperCommand):
    """What the help lists for a command not loaded yet: its name and one line."""

    def __init__(self, name: str, entry: Entry) -> None:
        super().__init__(name, help=entry.help, short_help=entry.help)


def load(name: str, entry: Entry) -> click.Command:
    """The real Click command of ``name`` (its module imported now)."""
    # __import__ rather than importlib: ``python -X importtime`` reports it then.
    target: Any = getattr(__import__(entry.module, fromlist=[entry.attribute]), entry.attribute)
    if isinstance(target, typer.Typer):
        command: click.Command = typer.main.get_group(target)
        command.name = name
    else:
        holder = typer.Typer()
        holder.command(name)(target)
        holder.command("_unused", hidden=True)(lambda: None)  # a group: take the command
        command = typer.main.get_group(holder).commands[name]
    _korean_first(command, entry.help)
    for sub_name, sub in getattr(command, "commands", {}).items():
        if f"{name} {sub_name}" in SUBCOMMANDS:
            _korean_first(sub, SUBCOMMANDS[f"{name} {sub_name}"])
    return command
