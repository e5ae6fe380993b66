"""Districts and programs by code or Korean name, and their names for screens and files.

Every command resolves ``--district``, ``--program`` and run references here (the
matching rules are :func:`payroll.formats.inputs.match_district` and ``match_program``).
"""

from __future__ import annotations

from payroll.formats.inputs import match_district, match_program
from payroll.services.unit_of_work import UnitOfWork


def district_names(uow: UnitOfWork) -> dict[str, str]:
    """District code -> Korean name (11110 -> 종로구)."""
    return uow.names.districts()


def program_names(uow: UnitOfWork) -> dict[str, str]:
    """Program code -> Korean name (dongheng -> 서울 동행일자리)."""
    return uow.names.programs()


def district_code(uow: UnitOfWork, text: str) -> str:
    """The district code for a code or Korean name; InputError otherwise."""
    return match_district(district_names(uow), text)


def program_code(uow: UnitOfWork, text: str) -> str:
    """The program code for a code or Korean name; InputError otherwise."""
    return match_program(program_names(uow), text)
