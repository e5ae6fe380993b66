"""Districts and programs by code or Korean name, and their names for screens and files.

Every command resolves ``--district``, ``--program`` and run references here (the
matching rules are :func:`payroll.formats.inputs.match_district` and ``match_program``).
"""

from __future__ import annotations

from typing import Any

from payroll.formats.inputs import match_district, match_program
from payroll.services.ports.catalog import NameStore
from payroll.services.unit_of_work import UnitOfWork


def district_names(uow: UnitOfWork) -> dict[str, str]:
    """District code -> Korean name (11110 -> 종로구)."""
    return _names(uow).districts()


def program_names(uow: UnitOfWork) -> dict[str, str]:
    """Program code -> Korean name (dongheng -> 서울 동행일자리)."""
    return _names(uow).programs()


def district_code(uow: UnitOfWork, text: str) -> str:
    """The district code for a code or Korean name; InputError otherwise."""
    return match_district(district_names(uow), text)


def program_code(uow: UnitOfWork, text: str) -> str:
    """The program code for a code or Korean name; InputError otherwise."""
    return match_program(program_names(uow), text)


def _names(uow: Any) -> NameStore:
    """The name store of ``uow``; a bare session is wrapped while callers move to the unit
    of work (transition only)."""
    if hasattr(uow, "names"):
        return uow.names
    from payroll.db.stores.catalog import SqlNameStore

    return SqlNameStore(uow)
