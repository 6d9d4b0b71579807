"""A SQL expression for "the day in QUOTA_TIMEZONE" of a UTC timestamp column, on PostgreSQL and SQLite.

PostgreSQL converts with the zone itself. SQLite knows no zones, so the column is shifted by the
zone's UTC offset; where the offset changes inside the window (daylight saving), a CASE picks the
offset of each stretch. Grouping by this expression keeps every aggregation in the database.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement


def local_day(
    column: ColumnElement, zone: ZoneInfo, start: datetime, end: datetime, dialect: str
) -> ColumnElement:
    """The local calendar day of `column` for rows between `start` and `end` (aware datetimes)."""
    if dialect == 'postgresql':
        return func.date(func.timezone(zone.key, column))
    stretches = offset_stretches(zone, start, end)
    modifier = f'{stretches[-1][1]:+d} minutes'
    if len(stretches) == 1:
        return func.date(column, modifier)
    choices = [(column < until, f'{minutes:+d} minutes') for until, minutes in stretches[:-1]]
    return func.date(column, case(*choices, else_=modifier))


def as_date(value: date | str) -> date:
    """SQLite's date() answers text, PostgreSQL's a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


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
