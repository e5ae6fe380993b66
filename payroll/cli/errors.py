"""Every command ends with a one-line error and an exit code, never a traceback.

:class:`SafeGroup` is the ``payroll`` command group: an exception no command handled
becomes ``error: …`` on stderr (resident numbers masked, Rich markup escaped) with

* exit 1 for a refusal of the system (:class:`PayrollError`) or of the database (a
  trigger, a constraint, a value too long), and for a file that cannot be written;
* exit 70 for anything unexpected (set ``PAYROLL_DEBUG=1`` to see the traceback);
* exit 130 when interrupted.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from payroll.config.file_modes import private_files
from payroll.domain.model import PayrollError

REFUSED = 1
INTERNAL = 70
INTERRUPTED = 130


def database_message(exc: DBAPIError) -> str:
    """The database's own first line (a trigger's or a constraint's message)."""
    text = str(exc.orig if exc.orig is not None else exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, OperationalError) and "locked" in first:
        return f"데이터베이스가 다른 작업에 잠겨 있습니다; 잠시 후 다시 실행하세요 ({first})"
    return f"데이터베이스가 거부했습니다: {first}"


class SafeGroup(TyperGroup):
    """The root group: turns any exception a command leaks into a one-line error."""

    def invoke(self, ctx: Any) -> Any:
        from payroll.cli.common import fail

        private_files()  # every file a command writes is owner-only (0600, folders 0700)
        try:
            return super().invoke(ctx)
        except (Exit, Abort, TyperException):
            raise
        except PayrollError as exc:
            fail(str(exc), REFUSED)
        except DBAPIError as exc:
            fail(database_message(exc), REFUSED)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            fail(f"파일을 쓰거나 읽을 수 없습니다{where}: {exc.strerror or exc}", REFUSED)
        except KeyboardInterrupt:
            fail("중단되었습니다 (interrupted)", INTERRUPTED)
        except Exception as exc:
            if os.environ.get("PAYROLL_DEBUG"):
                raise
            fail(
                f"예기치 못한 오류 ({type(exc).__name__}: {exc}); "
                "PAYROLL_DEBUG=1 로 다시 실행하면 자세한 내용이 나옵니다",
                INTERNAL,
            )
