"""Korean bank codes (금융기관 코드) and account numbers, from ``payroll/data/banks.toml``.

:func:`find_bank` resolves what a roster calls a bank (``국민``, ``KB국민은행``, ``004``) to
its :class:`Bank`; :func:`account_digits` checks an account number's digits and length for
that bank. :func:`payee_problem` is the run's check of a stored participant's account.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from payroll.domain.model import PayrollError

DEFAULT_DIGITS = (10, 14)


class BankError(PayrollError):
    """An unknown bank or a malformed account number (the message is the reason)."""


@dataclass(frozen=True)
class Bank:
    """A bank: 3-digit code, the name files print, the account lengths it issues."""

    code: str
    name: str
    aliases: tuple[str, ...]
    digits: tuple[int, int] = DEFAULT_DIGITS


def _key(text: str) -> str:
    value = re.sub(r"\s+|\(주\)|㈜|주식회사", "", text).casefold()
    return value[:-2] if value.endswith("은행") and len(value) > 2 else value


@lru_cache(maxsize=1)
def banks() -> tuple[Bank, ...]:
    """Every bank of the shipped table, in code order."""
    text = resources.files("payroll.data").joinpath("banks.toml").read_text("utf-8")
    found = []
    for entry in tomllib.loads(text)["banks"]:
        low, high = entry.get("digits", DEFAULT_DIGITS)
        found.append(
            Bank(entry["code"], entry["name"], tuple(entry.get("aliases", ())), (low, high))
        )
    return tuple(sorted(found, key=lambda b: b.code))


@lru_cache(maxsize=1)
def _index() -> dict[str, Bank]:
    index: dict[str, Bank] = {}
    for bank in banks():
        for spelling in (bank.code, bank.name, *bank.aliases):
            index.setdefault(_key(spelling), bank)
    return index


def by_code(code: str) -> Bank | None:
    return next((b for b in banks() if b.code == code), None)


def find_bank(text: str) -> Bank:
    """The bank a roster cell names: code, name or alias (spaces, case, 은행 ignored)."""
    bank = _index().get(_key(text))
    if bank is None:
        raise BankError(
            f"알 수 없는 은행 {text!r}: 은행명(예: KB국민은행, 국민, 신한) 또는 "
            "3자리 은행코드(예: 004)를 쓰세요"
        )
    return bank


def account_digits(text: str, bank: Bank | None) -> str:
    """``"123456-78-901234"`` → ``"12345678901234"``: digits, dashes and spaces only, and
    as many digits as ``bank`` issues (10 to 14 when no bank is known)."""
    if not re.fullmatch(r"[0-9][0-9 \-]*", text.strip()):
        raise BankError("계좌번호는 숫자와 '-'만 쓸 수 있습니다")
    digits = re.sub(r"\D", "", text)
    low, high = bank.digits if bank else DEFAULT_DIGITS
    if not low <= len(digits) <= high:
        span = f"{low}자리" if low == high else f"{low}~{high}자리"
        who = bank.name if bank else "은행"
        raise BankError(f"{who} 계좌번호는 숫자 {span}입니다 (이 번호는 {len(digits)}자리)")
    return digits


def payee_problem(bank_code: str | None, account: str | None) -> str | None:
    """Why a participant cannot be paid by transfer, or None: the run's exception reason."""
    fix = (
        "명부에 은행과 계좌번호를 넣어 다시 가져오거나(payroll import participants) "
        "이번 급여에서 제외하세요(payroll run exclude)"
    )
    if not account:
        return f"계좌번호 없음: {fix}"
    bank = by_code(bank_code) if bank_code else None
    if bank is None:
        return f"은행 코드 없음 또는 알 수 없는 은행 코드 {bank_code or ''!r}: {fix}"
    try:
        if account_digits(account, bank) != account:
            raise BankError("계좌번호에 숫자 아닌 문자가 있습니다")
    except BankError as exc:
        return f"잘못된 계좌번호: {exc}: {fix}"
    return None
