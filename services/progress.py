"""The progress page's figures, all computed by the app in SQL (GROUP BY local day), never by the model.

Bounded: only the last 52 weeks are read, each query answers at most one row per day (per category),
and days are QUOTA_TIMEZONE's. Weeks start on Monday.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Correction, Message, MessageFeedback, Recording, SavedWord, WordReview, utcnow
from services.local_days import LocalDay, local_day
from services.quota import day_zone

WEEKS = 52
CALENDAR_DAYS = 28
TOP_CATEGORIES = 5
LEARNED_AFTER = 2  # Good/Easy ratings that make a word "learned"


@dataclass(frozen=True, slots=True)
class DayMark:
    day: date
    turns: int  # learner lines that day

    @property
    def practised(self) -> bool:
        return self.turns > 0


@dataclass(frozen=True, slots=True)
class WeekFigures:
    week_start: date  # a Monday
    turns: int
    speaking_minutes: float
    checked_lines: int  # learner lines whose feedback came back
    error_free_lines: int
    categories: dict[str, int]  # errors by category (dismissed corrections excluded)

    @property
    def error_free_share(self) -> float | None:
        return self.error_free_lines / self.checked_lines if self.checked_lines else None


@dataclass(frozen=True, slots=True)
class Progress:
    today: date
    calendar: tuple[DayMark, ...]  # the last 28 days, oldest first, today last
    weeks: tuple[WeekFigures, ...]  # from the first active week (at most 52 ago) to this one
    top_categories: tuple[tuple[str, int], ...]  # the most frequent error categories of the window
    words_saved: int
    words_due: int
    words_learned: int  # entries rated Good or Easy at least twice

    def days_practised(self, last_days: int) -> int:
        return sum(mark.practised for mark in self.calendar[-last_days:])


async def progress(user_id: int, now: datetime | None = None) -> Progress:
    """Days practised, weekly turns and speaking minutes, error-free share and categories, words learned."""
    now = now or utcnow()
    zone = day_zone()
    today = now.astimezone(zone).date()
    first_week = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)
    start = datetime.combine(first_week, time(), zone).astimezone(UTC)
    async with sessionmaker().begin() as session:
        dialect = session.bind.dialect.name

        def day_of(column):
            return local_day(column, zone, start, now, dialect)

        turns = await _turns_by_day(session, user_id, start, now, day_of)
        checked = await _checked_by_day(session, user_id, start, now, day_of)
        categories = await _categories_by_day(session, user_id, start, now, day_of)
        words_saved, words_due, words_learned = await _word_figures(session, user_id, now)
    calendar = tuple(
        DayMark(day, turns.get(day, (0, 0.0))[0])
        for day in (today - timedelta(days=back) for back in range(CALENDAR_DAYS - 1, -1, -1))
    )
    weeks = _weeks(today, turns, checked, categories)
    totals = Counter[str]()
    for week in weeks:
        totals.update(week.categories)
    return Progress(
        today=today, calendar=calendar, weeks=weeks, top_categories=tuple(totals.most_common(TOP_CATEGORIES)),
        words_saved=words_saved, words_due=words_due, words_learned=words_learned,
    )  # fmt: skip


async def _turns_by_day(session: AsyncSession, user_id: int, start: datetime, end: datetime, day_of):
    day: LocalDay = day_of(Message.created_at)
    query = (
        select(*day.columns, func.count(Message.id), func.coalesce(func.sum(Recording.duration_seconds), 0.0))
        .outerjoin(Recording, Recording.id == Message.recording_id)
        .where(
            Message.user_id == user_id,
            Message.role == 'user',
            Message.created_at >= start,
            Message.created_at <= end,
        )
        .group_by(*day.columns)
    )
    found: dict[date, tuple[int, float]] = {}
    for local, shift, turns, seconds in await session.execute(query):
        key = day.date_of(local, shift)
        before = found.get(key, (0, 0.0))
        found[key] = (before[0] + int(turns), before[1] + float(seconds))
    return found


async def _checked_by_day(session: AsyncSession, user_id: int, start: datetime, end: datetime, day_of):
    day: LocalDay = day_of(MessageFeedback.created_at)
    has_errors = exists().where(
        Correction.message_id == MessageFeedback.message_id, Correction.dismissed.is_(False)
    )
    query = (
        select(*day.columns, func.count(), func.sum(case((has_errors, 0), else_=1)))
        .where(*_ready_feedback(user_id, start, end))
        .group_by(*day.columns)
    )
    found: dict[date, tuple[int, int]] = {}
    for local, shift, checked, clean in await session.execute(query):
        key = day.date_of(local, shift)
        before = found.get(key, (0, 0))
        found[key] = (before[0] + int(checked), before[1] + int(clean or 0))
    return found


async def _categories_by_day(session: AsyncSession, user_id: int, start: datetime, end: datetime, day_of):
    day: LocalDay = day_of(MessageFeedback.created_at)
    query = (
        select(*day.columns, Correction.category, func.count())
        .join(MessageFeedback, MessageFeedback.message_id == Correction.message_id)
        .where(*_ready_feedback(user_id, start, end), Correction.dismissed.is_(False))
        .group_by(*day.columns, Correction.category)
    )
    found: dict[date, Counter[str]] = {}
    for local, shift, category, count in await session.execute(query):
        found.setdefault(day.date_of(local, shift), Counter())[category] += int(count)
    return found


async def _word_figures(session: AsyncSession, user_id: int, now: datetime) -> tuple[int, int, int]:
    saved, due = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(case((SavedWord.due <= now, 1), else_=0)), 0)).where(
                SavedWord.user_id == user_id
            )
        )
    ).one()
    learned = (
        select(WordReview.word_id)
        .where(WordReview.user_id == user_id, WordReview.rating >= 3)
        .group_by(WordReview.word_id)
        .having(func.count() >= LEARNED_AFTER)
    ).subquery()
    words_learned = await session.scalar(select(func.count()).select_from(learned))
    return int(saved), int(due), int(words_learned or 0)


def _ready_feedback(user_id: int, start: datetime, end: datetime):
    return (
        MessageFeedback.user_id == user_id,
        MessageFeedback.status == 'ready',
        and_(MessageFeedback.created_at >= start, MessageFeedback.created_at <= end),
    )


def _weeks(today: date, turns, checked, categories) -> tuple[WeekFigures, ...]:
    active = [*turns, *checked, *categories]
    if not active:
        return ()
    monday = min(active) - timedelta(days=min(active).weekday())
    weeks = []
    while monday <= today:
        days = [monday + timedelta(days=offset) for offset in range(7)]
        counted = Counter[str]()
        for day in days:
            counted.update(categories.get(day, {}))
        weeks.append(
            WeekFigures(
                week_start=monday,
                turns=sum(turns.get(day, (0, 0.0))[0] for day in days),
                speaking_minutes=round(sum(turns.get(day, (0, 0.0))[1] for day in days) / 60, 1),
                checked_lines=sum(checked.get(day, (0, 0))[0] for day in days),
                error_free_lines=sum(checked.get(day, (0, 0))[1] for day in days),
                categories=dict(counted),
            )
        )
        monday += timedelta(weeks=1)
    return tuple(weeks)
