"""A SQL expression for "the day in QUOTA_TIMEZONE" of a UTC timestamp column, on PostgreSQL and SQLite.

PostgreSQL converts with the zone itself. SQLite knows no zones: the UTC date plus a shift of -1, 0
or +1 day, from the zone's UTC offset; where the offset changes inside the window (daylight
saving), a CASE picks the offset of each stretch. Grouping by these keeps every aggregation in the
database (a local day may come in two groups, which the caller adds up).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True, slots=True)
class LocalDay:
    """GROUP BY these columns (and select them first); `date_of` turns their values into the local date."""

    columns: tuple[ColumnElement, ColumnElement]

    @staticmethod
    def date_of(day: date | str, shift: int) -> date:
        """SQLite answers text and a shift, PostgreSQL the date itself (shift 0)."""
        return (date.fromisoformat(day) if isinstance(day, str) else day) + timedelta(days=int(shift))


def local_day(
    column: ColumnElement, zone: ZoneInfo, start: datetime, end: datetime, dialect: str
) -> LocalDay:
    """How to GROUP BY the local calendar day of `column` for rows between `start` and `end` (aware)."""
    if dialect == 'postgresql':
        return LocalDay((func.date(func.timezone(zone.key, column)).label('day'), literal(0).label('shift')))
    # SQLite keeps UTC as text 'YYYY-MM-DD HH:MM:SS.ffffff'. Parsing it with date() costs microseconds a
    # row; comparing the time of day with the zone's midnight in UTC is plain text work: the UTC date,
    # and whether the local day is the next (+1) or the previous (-1) one.
    time_of_day = func.substr(column, 12, 8)
    stretches = offset_stretches(zone, start, end)
    shifts = [_shift(time_of_day, minutes) for _, minutes in stretches]
    shift = (
        shifts[-1]
        if len(stretches) == 1
        else case(
            *[
                (column < until, expression)
                for (until, _), expression in zip(stretches[:-1], shifts, strict=False)
            ],
            else_=shifts[-1],
        )
    )
    return LocalDay((func.substr(column, 1, 10).label('day'), shift.label('shift')))


def _shift(time_of_day: ColumnElement, minutes: int) -> ColumnElement:
    if minutes == 0:
        return literal(0)
    if minutes > 0:  # east of UTC: from (24 h - offset) UTC on, it is already the next day
        return case((time_of_day >= _clock(24 * 60 - minutes), 1), else_=0)
    return case((time_of_day < _clock(-minutes), -1), else_=0)  # west: before -offset UTC, still yesterday


def _clock(minutes: int) -> str:
    return f'{minutes // 60:02d}:{minutes % 60:02d}:00'


def offset_stretches(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """[(until, offset minutes), ...] covering start..end; the last `until` is `end`."""
    stretches: list[tuple[datetime, int]] = []
    moment, current = start, _minutes(zone, start)
    while moment < end:
        following = min(moment + timedelta(days=1), end)
        if _minutes(zone, following) != current:
            low, high = moment, following  # find the change to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _minutes(zone, middle) == current else (low, middle)
            whole = high.replace(microsecond=0)  # zones change on whole seconds
            high = whole if _minutes(zone, whole) != current else whole + timedelta(seconds=1)
            stretches.append((high, current))
            moment, current = high, _minutes(zone, high)
        else:
            moment = following
    stretches.append((end, current))
    return stretches


def _minutes(zone: ZoneInfo, moment: datetime) -> int:
    offset = moment.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0
