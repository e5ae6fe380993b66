"""``import participants`` in its own process, pausing between its checks and its writes,
so that two imports of the same roster race every time (exit 0 imported, 1 refused)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from payroll.db.engine import make_engine
from payroll.db.uow import SqlUnitOfWork
from payroll.services.imports import rosters as roster_import

_run = roster_import._RosterPlanner.run


def _slow_run(self, rows):  # type: ignore[no-untyped-def]
    _run(self, rows)
    time.sleep(1.5)


if __name__ == "__main__":
    roster_import._RosterPlanner.run = _slow_run  # type: ignore[method-assign]
    engine = make_engine(sys.argv[1])
    try:
        roster_import.import_participants(SqlUnitOfWork(engine), Path(sys.argv[2]), by="김담당")
    except Exception as exc:
        print(type(exc).__name__, exc)
        sys.exit(1)
    finally:
        engine.dispose()
