"""One person, one identity: the name a CLI ``--by`` gives, resolved to a console user.

Separation of duties compares who calculated, approved and finalized a run. The console
records its users by username; the CLI records ``--by``. So that ``"clerk.b "``, the NFD
form of a Korean name or a display name in place of the username are not "someone else",
``--by`` is resolved here: NFC-normalised, trimmed and compared ignoring case with every
registered user's username and display name, and the user's username is what is recorded.
On a database that has no console users yet (a CLI-only installation) the normalised,
trimmed name itself is the identity.
"""

from __future__ import annotations

import unicodedata

from payroll.services.admin.users import UserError
from payroll.services.unit_of_work import UnitOfWork


def normal(name: str) -> str:
    """``name`` in NFC without surrounding white space (as recorded)."""
    return unicodedata.normalize("NFC", name).strip()


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two recorded names are one identity (NFC, trimmed, ignoring case)."""
    if a is None or b is None:
        return False
    return normal(a).casefold() == normal(b).casefold()


def operator(uow: UnitOfWork, by: str) -> str:
    """The identity ``--by`` names: a registered user's username (see the module doc)."""
    name = normal(by)
    if not name:
        raise UserError("--by: 이름이 비어 있습니다 (등록된 사용자 이름을 씁니다)")
    with uow:
        accounts = uow.users.all()
    if not accounts:
        return name
    key = name.casefold()
    found = {
        a.username
        for a in accounts
        if normal(a.username).casefold() == key or normal(a.display_name).casefold() == key
    }
    if not found:
        raise UserError(
            f"--by {name!r}: 등록된 사용자가 아닙니다 (아이디 또는 표시 이름, `payroll user list`)"
        )
    if len(found) > 1:
        raise UserError(
            f"--by {name!r}: 여러 사용자({', '.join(sorted(found))})의 이름입니다; 아이디를 쓰세요"
        )
    [username] = found
    if any(a.username == username and a.disabled for a in accounts):
        raise UserError(f"--by {name!r}: 사용 중지된 사용자입니다")
    return username
