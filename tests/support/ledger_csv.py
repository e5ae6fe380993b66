"""Reading the ledger CSV in tests by the field names of the ledger's lines.

The file's header is Korean (``월,자치구코드,…``); these keys are the
:class:`payroll.domain.ledger.LedgerLine` fields the tests compare with.
"""

from __future__ import annotations

import csv
import io

KEYS = {
    "월": "month",
    "자치구코드": "district",
    "자치구": "district_name",
    "사업코드": "program",
    "사업": "program_name",
    "비용항목코드": "cost_item",
    "비용항목": "cost_item_name",
    "인원": "participants",
    "금액": "amount",
    "시 부담": "city_share",
    "구 부담": "district_share",
}


def ledger_rows(text: str) -> list[dict[str, str]]:
    """The CSV's rows keyed by field name (every header must be a known one)."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [KEYS[h] for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]
