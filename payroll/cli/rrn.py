"""``payroll rrn``: the key of the stored resident registration numbers."""

from __future__ import annotations

from typing import Annotated

import typer

from payroll.cli.common import console, fail_on, open_root
from payroll.domain.model import PayrollError
from payroll.services.admin.rrn_keys import rotate_key
from payroll.services.common.identity import operator
from payroll.services.people.city import fill_person_keys, rotate_person_key

rrn_app = typer.Typer(
    help="The key that encrypts resident registration numbers (PAYROLL_RRN_KEY).",
    no_args_is_help=True,
)


@rrn_app.command("rotate-key")
def rotate_key_command(
    by: Annotated[str, typer.Option("--by", help="Your name, for the audit log.")],
) -> None:
    """Re-encrypt every stored number from PAYROLL_RRN_KEY to PAYROLL_RRN_NEW_KEY.

    Both keys are read from the environment (never the command line, so they stay out
    of the shell history). Everything happens in one transaction: afterwards set
    PAYROLL_RRN_KEY to the new key; the old one no longer opens anything.
    """
    uow = open_root().uow()
    report = rotate_key(uow, operator(uow, by))
    console.print(
        f"{report.numbers}개의 주민등록번호를 새 키로 다시 암호화했습니다 "
        f"(key fingerprint {report.old_fingerprint} → {report.new_fingerprint}). "
        "이제 PAYROLL_RRN_KEY 를 새 키로 바꾸세요."
    )


@rrn_app.command("person-keys")
def person_keys_command(
    by: Annotated[str, typer.Option("--by", help="Your name, for the audit log.")],
) -> None:
    """Compute the city-wide person key (PAYROLL_PERSON_KEY) of every stored participant
    that has a resident number but no key yet (after upgrading, or after setting the key)."""
    try:
        uow = open_root().uow()
        report = fill_person_keys(uow, operator(uow, by))
    except PayrollError as exc:
        fail_on(exc)
    console.print(f"참여자 {report.computed}명의 사람 키를 계산했습니다.")


@rrn_app.command("rotate-person-key")
def rotate_person_key_command(
    by: Annotated[str, typer.Option("--by", help="Your name, for the audit log.")],
) -> None:
    """Recompute every person key from PAYROLL_PERSON_KEY to PAYROLL_PERSON_NEW_KEY.

    The keys are read from the environment. One transaction: afterwards set
    PAYROLL_PERSON_KEY to the new key everywhere the system runs.
    """
    try:
        uow = open_root().uow()
        report = rotate_person_key(uow, operator(uow, by))
    except PayrollError as exc:
        fail_on(exc)
    console.print(
        f"참여자 {report.participants}명의 사람 키를 새 키로 다시 계산했습니다 "
        f"(key fingerprint {report.old_fingerprint} → {report.new_fingerprint}). "
        "이제 PAYROLL_PERSON_KEY 를 새 키로 바꾸세요."
    )
