"""The scheduled batch service (예약 일괄 작업): APScheduler 3 with a database lease.

``definitions`` reads ``schedules/*.toml``; ``service`` runs the scheduler; ``jobs`` holds
the job functions (they call services with ``ctx.uow()``); ``lease``, ``locks`` and
``history`` keep it to one scheduler, one worker per unit of work, and a record of every
execution, through ``uow.scheduler`` (:mod:`payroll.db.stores.scheduler`).
"""
