"""The kinds of file the console takes (roster, history, attendance, correction).

Each module of ``kinds/`` declares ``KIND``: its name in the URL and the upload history,
its Korean title, the columns it reads (aliases and required ones), whether its rows name
a district (roster) or a participant, whether the original file is kept, whether it is
previewed before it is saved, and the import service it runs. The console's upload
service and screens look a kind up here, once; a new upload kind is one module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from payroll.services.common.access import Actor
from payroll.services.common.discovery import declared_kinds
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class UploadKind:
    kind: str
    title: str  # Korean
    aliases: Mapping[str, str]  # header as written → canonical column
    required: tuple[str, ...] | frozenset[str]
    rows_name: Literal["district", "participant"]  # what the district scope check reads
    run: Callable[[UnitOfWork, Actor, Path], str]  # import; the Korean summary line
    keep_original: bool = True  # False: the file may hold resident numbers in the clear
    previewed: bool = False  # shown (and saved only when sent again confirmed)
    order: int = 0

    def column_label(self, column: str) -> str:
        """The Korean header a district writes for a canonical column (``participant_id``
        → ``참여자번호``); the column itself when it has none."""
        return next(
            (
                label
                for label, name in self.aliases.items()
                if name == column and not label.isascii()
            ),
            column,
        )


@cache
def _registry() -> dict[str, UploadKind]:
    from payroll.services.uploads import kinds as package

    return declared_kinds(package)


def kinds() -> list[UploadKind]:
    """Every upload kind, in the order the upload screen lists them."""
    return list(_registry().values())


def kind_of(name: str) -> UploadKind | None:
    return _registry().get(name)


def titles() -> dict[str, str]:
    """kind → Korean title, for the screens."""
    return {k.kind: k.title for k in kinds()}
