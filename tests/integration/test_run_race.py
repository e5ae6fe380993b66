"""Two managers finalizing (or approving) the same run at the same moment: one wins, the
other gets one Korean line (a RunError), never a database error."""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.domain.model import PayrollError
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.support.factories import add_enrolled


def race(engine: Engine, action, names: tuple[str, str]) -> list[object]:  # type: ignore[no-untyped-def]
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def one(name: str) -> None:
        start.wait()
        try:
            outcomes.append(action(SqlUnitOfWork(engine), name))
        except PayrollError as exc:
            outcomes.append(exc)
        except Exception as exc:  # noqa: BLE001 - what the test must never see
            outcomes.append(("unexpected", exc))

    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_a_lost_race_on_approve_or_finalize_is_a_korean_refusal(engine: Engine) -> None:
    add_enrolled(engine, "P-1")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="kim")
    ref = str(run.id)
    approved = race(engine, lambda u, by: approve_run(u, ref, by), ("lee", "choi"))
    finalized = race(engine, lambda u, by: finalize_run(u, ref, by), ("park", "jung"))
    for outcomes in (approved, finalized):
        errors = [o for o in outcomes if isinstance(o, PayrollError)]
        assert len(errors) == 1, outcomes  # one winner, one refusal, nothing else
        assert "상태" in str(errors[0])
