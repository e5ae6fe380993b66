"""Output paths that cannot leave their folder.

Every file the system writes under an output folder (payslips, print files, payment
files, registers, ledgers, password lists) is named through :func:`output_path`: each
part must be one plain path component (no separator, no ``..``, not absolute, no control
character), and the resolved result must stay inside the resolved folder, so that a
hostile participant ID or run key stored in the database cannot write elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from payroll.domain.model import PayrollError


class UnsafePathError(PayrollError):
    """A file name part that would leave the output folder."""


def _check_part(part: str) -> None:
    bad = (
        not part
        or part in (".", "..")
        or "/" in part
        or "\\" in part
        or (os.altsep is not None and os.altsep in part)
        or any(ord(c) < 32 or ord(c) == 127 for c in part)
        or Path(part).is_absolute()
    )
    if bad:
        raise UnsafePathError(
            f"파일 이름에 쓸 수 없는 값입니다: {part!r} "
            "(출력 폴더 밖을 가리키거나 경로 구분자를 포함)"
        )


def output_path(root: Path | str, *parts: str) -> Path:
    """``root/part/…/part``, refusing any part that is not a plain name or that escapes ``root``."""
    for part in parts:
        _check_part(str(part))
    base = Path(root)
    path = base.joinpath(*parts)
    resolved_root = base.resolve()
    resolved = path.resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise UnsafePathError(f"{path} 는 출력 폴더 {base} 밖에 있습니다")
    return path
