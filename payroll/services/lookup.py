"""Districts and programs by code or Korean name, and their names for screens and files.

Every command resolves ``--district``, ``--program`` and run references here (the
matching rules are :func:`payroll.inputs.match_district` and ``match_program``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.models import District, ProgramRow
from payroll.inputs import match_district, match_program


def district_names(session: Session) -> dict[str, str]:
    """District code -> Korean name (11110 -> 종로구)."""
    return {d.code: d.name for d in session.scalars(select(District).order_by(District.code))}


def program_names(session: Session) -> dict[str, str]:
    """Program code -> Korean name (dongheng -> 서울 동행일자리)."""
    return {p.code: p.name for p in session.scalars(select(ProgramRow).order_by(ProgramRow.code))}


def district_code(session: Session, text: str) -> str:
    """The district code for a code or Korean name; InputError otherwise."""
    return match_district(district_names(session), text)


def program_code(session: Session, text: str) -> str:
    """The program code for a code or Korean name; InputError otherwise."""
    return match_program(program_names(session), text)
