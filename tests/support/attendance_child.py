"""A second process importing attendance, with a pause between validation and write.

Run as ``python -m tests.support.attendance_child DB_URL FILE``: exit 0 when imported,
3 when refused. The pause (after the import has read and validated, before it writes)
makes the race of two simultaneous imports happen every time, not one time in four.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from payroll.db.engine import make_engine
from payroll.db.uow import SqlUnitOfWork
from payroll.formats.tabular import ImportRejected
from payroll.services.imports import attendance as attendance_import

_plan = attendance_import._plan


def _slow_plan(*args, **kwargs):  # type: ignore[no-untyped-def]
    plan = _plan(*args, **kwargs)
    time.sleep(1.5)
    return plan


def main() -> int:
    attendance_import._plan = _slow_plan  # type: ignore[assignment]
    engine = make_engine(sys.argv[1])
    try:
        attendance_import.import_attendance(SqlUnitOfWork(engine), Path(sys.argv[2]))
    except ImportRejected as exc:
        print(exc.errors[0].reason)
        return 3
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
