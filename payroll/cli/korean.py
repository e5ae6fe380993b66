"""Typer's and Click's own words in Korean: panel titles, the usage line, ``--help``.

Installed once by :mod:`payroll.cli.errors` (the root group); the usage errors themselves
are translated there, one line each.
"""

from __future__ import annotations

from typing import Any

from typer import _click as click
from typer import rich_utils

HELP_TEXT = "이 도움말을 보이고 끝냅니다."
USAGE_PREFIX = "사용법: "


def install() -> None:
    """Put the Korean words in place (idempotent)."""
    rich_utils.OPTIONS_PANEL_TITLE = "옵션"
    rich_utils.ARGUMENTS_PANEL_TITLE = "인자"
    rich_utils.COMMANDS_PANEL_TITLE = "명령"
    rich_utils.ERRORS_PANEL_TITLE = "오류"
    rich_utils.REQUIRED_LONG_STRING = "[필수]"
    rich_utils.DEFAULT_STRING = "[기본값: {}]"
    rich_utils.ENVVAR_STRING = "[환경 변수: {}]"
    rich_utils.DEPRECATED_STRING = "(더 이상 쓰지 않음) "
    rich_utils.ABORTED_TEXT = "중단되었습니다."
    command = click.core.Command
    if getattr(command.get_help_option, "_korean", False):
        return
    original_option = command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_option(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    get_help_option._korean = True  # type: ignore[attr-defined]
    command.get_help_option = get_help_option  # type: ignore[method-assign]
    formatter = click.formatting.HelpFormatter
    original_usage = formatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    formatter.write_usage = write_usage  # type: ignore[method-assign]
