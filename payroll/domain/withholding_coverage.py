"""Is a withholding table complete? Checked before a table file is accepted.

:class:`~payroll.domain.withholding.WithholdingTable` already refuses bands that overlap
or leave gaps and rows without 11 tax columns. A table file must also cover the
published range, monthly pay from 770 to 10,000 thousand won, and its taxes must be
monotonic: never lower for a higher pay band (per dependants column), never higher for
more dependants (per band). A truncated or edited table (one band, a missing page, a
typo in one cell) is refused with the band named.
"""

from __future__ import annotations

from payroll.domain.withholding import MAX_DEPENDANTS, WithholdingTable, WithholdingTableError

FIRST_BAND_LOW = 770_000
LAST_BAND_HIGH = 10_000_000


def _band(low: int, high: int) -> str:
    return f"{low // 1000:,}–{high // 1000:,}천원"


def check_complete(table: WithholdingTable) -> WithholdingTable:
    """``table`` if it covers 770–10,000천원 with monotonic taxes; else the first problem."""
    rows, source = table.rows, table.source
    if rows[0].low > FIRST_BAND_LOW or rows[-1].high < LAST_BAND_HIGH:
        raise WithholdingTableError(
            f"{source}: 간이세액표가 {_band(rows[0].low, rows[-1].high)} 만 담고 있습니다; "
            f"{_band(FIRST_BAND_LOW, LAST_BAND_HIGH)} 전체가 필요합니다 (a truncated table)"
        )
    for row in rows:
        if len(row.taxes) != MAX_DEPENDANTS:
            raise WithholdingTableError(
                f"{source}: band {_band(row.low, row.high)} has {len(row.taxes)} tax columns"
            )
        for dependants in range(1, MAX_DEPENDANTS):
            if row.taxes[dependants] > row.taxes[dependants - 1]:
                raise WithholdingTableError(
                    f"{source}: band {_band(row.low, row.high)}: the tax for "
                    f"{dependants + 1} dependants ({row.taxes[dependants]:,}) is above the tax "
                    f"for {dependants} ({row.taxes[dependants - 1]:,})"
                )
    for before, after in zip(rows, rows[1:], strict=False):
        for column in range(MAX_DEPENDANTS):
            if after.taxes[column] < before.taxes[column]:
                raise WithholdingTableError(
                    f"{source}: band {_band(after.low, after.high)}: the tax for "
                    f"{column + 1} dependant(s) ({after.taxes[column]:,}) is below the band "
                    f"before ({before.taxes[column]:,})"
                )
    return table
