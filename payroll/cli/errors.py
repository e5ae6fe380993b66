"""Every command ends with a one-line error and an exit code, never a traceback.

:class:`SafeGroup` is the ``payroll`` command group: an exception no command handled
becomes ``error: …`` on stderr (resident numbers masked, Rich markup escaped) with

* exit 1 for a refusal of the system (:class:`PayrollError`) or of the database (a
  trigger, a constraint, a value too long), and for a file that cannot be written;
* exit 70 for anything unexpected (set ``PAYROLL_DEBUG=1`` to see the traceback);
* exit 130 when interrupted;
* exit 2 for a command line it cannot parse (unknown command or option, missing or bad
  argument): Typer's usage errors, in one Korean line (:func:`usage_message`).

It also loads each command's module only when the command runs (:mod:`payroll.cli.lazy`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from typer import _click as click
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from payroll.cli import korean, lazy
from payroll.config.file_modes import private_files
from payroll.domain.model import PayrollError

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

korean.install()

REFUSED = 1
INTERNAL = 70
INTERRUPTED = 130
USAGE = 2

_USAGE_FORMS: tuple[tuple[str, str], ...] = (
    (r"No such option: (.+?)(?: Did you mean (.+)\?)?", "없는 옵션입니다: {0}"),
    (r"No such command '(.+?)'\.?(?: Did you mean (.+)\?)?", "없는 명령입니다: {0}"),
    (r"Missing argument '(.+?)'\.?", "빠진 인자가 있습니다: {0}"),
    (r"Missing option '(.+)'\.?", "빠진 옵션이 있습니다: {0}"),
    (r"Missing parameter: (.+)", "빠진 값이 있습니다: {0}"),
    (r"Option '(.+?)' requires an argument\.?", "옵션 {0}에는 값이 필요합니다"),
    (r"Option '(.+?)' does not take a value\.?", "옵션 {0}에는 값을 쓰지 않습니다"),
    (r"Got unexpected extra arguments? \((.+)\)", "필요 없는 인자가 있습니다: {0}"),
    (r"Invalid value for '?(.+?)'?: (.+)", "{0} 값이 올바르지 않습니다: {1}"),
    (r"Missing command\.?", "명령이 빠졌습니다"),
)


def usage_message(message: str) -> str:
    """Click's usage error in Korean (the option or value it names kept as written)."""
    text = message.strip()
    for pattern, words in _USAGE_FORMS:
        found = re.fullmatch(pattern, text, flags=re.DOTALL)
        if found:
            return words.format(*found.groups()).replace("' / '", " / ")
    return text


def database_message(exc: DBAPIError) -> str:
    """The database's own first line (a trigger's or a constraint's message)."""
    from sqlalchemy.exc import OperationalError

    text = str(exc.orig if exc.orig is not None else exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, OperationalError) and "locked" in first:
        return f"데이터베이스가 다른 작업에 잠겨 있습니다; 잠시 후 다시 실행하세요 ({first})"
    return f"데이터베이스가 거부했습니다: {first}"


def _error_line(message: str) -> None:
    from payroll.cli.common import err_console, plain

    err_console.print(f"[bold red]오류:[/] {plain(message)}", highlight=False, soft_wrap=True)


class SafeGroup(TyperGroup):
    """The root group: turns any exception a command leaks into a one-line error."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(n for n in lazy.COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in lazy.COMMANDS:
            return super().get_command(ctx, cmd_name)
        return lazy.Placeholder(cmd_name, lazy.COMMANDS[cmd_name])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, lazy.Placeholder) and name is not None:
            command = lazy.load(name, lazy.COMMANDS[name])
            self.commands[name] = command
        return name, command, rest

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Typer's own errors (usage, abort) as one Korean line, exit 2 or 1."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "payroll"
            _error_line(f"{usage_message(exc.format_message())} (도움말: {where} --help)")
            sys.exit(USAGE)
        except click.exceptions.ClickException as exc:
            _error_line(exc.format_message())
            sys.exit(exc.exit_code)
        except (Abort, EOFError, KeyboardInterrupt):
            _error_line("중단되었습니다")
            sys.exit(REFUSED)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        from sqlalchemy.exc import DBAPIError  # here: `payroll --help` needs no SQLAlchemy

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
