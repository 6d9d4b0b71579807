"""Progress figures on seeded history: days practised, weekly turns and minutes, error-free share, words learned."""

from datetime import UTC, date, datetime, timedelta

import pytest

from db.engine import sessionmaker
from db.models import Recording
from services import accounts, progress, vocabulary_review
from services.local_days import offset_stretches
from services.vocabulary_review import ReviewRating
from tests.vocabulary_seed import learner_line, room_with_reply, saved

pytestmark = pytest.mark.usefixtures('database')

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 1 December, 18:00 in Seoul


async def recording(user_id: int, room_id: int, seconds: float) -> int:
    async with sessionmaker().begin() as session:
        row = Recording(
            user_id=user_id, room_id=room_id, mime_type='audio/webm', data=b'', duration_seconds=seconds,
            transcript='', words='[]',
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return row.id


async def test_days_weeks_and_error_free_share_in_the_quota_timezone() -> None:
    """A line at 23:30 UTC counts for the next Seoul day; dismissed corrections do not count as errors."""
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    stranger = await accounts.register(
        'stranger', 'stranger@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room_id, _ = await room_with_reply(user.id, 'Hello!')
    spoken = await recording(user.id, room_id, 90)
    await learner_line(
        user.id, room_id, 'I want a coffee.', NOW - timedelta(hours=1), [], recording_id=spoken
    )
    await learner_line(
        user.id, room_id, 'I want coffee.', NOW - timedelta(hours=2), [('want', 'want a', 'article')]
    )
    await learner_line(
        user.id, room_id, 'Hi there.', datetime(2026, 11, 30, 23, 30, tzinfo=UTC), [('Hi', 'Hello', 'other')],
        dismissed=True,
    )  # fmt: skip
    await learner_line(user.id, room_id, 'See you.', datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    await learner_line(user.id, room_id, 'Old line.', datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    await learner_line(user.id, room_id, 'Too old.', NOW - timedelta(weeks=60))
    stranger_room, _ = await room_with_reply(stranger.id, 'Hi')
    await learner_line(stranger.id, stranger_room, 'Not mine.', NOW - timedelta(hours=1))

    figures = await progress.progress(user.id, NOW)

    assert figures.today == date(2026, 12, 1)
    assert figures.days_practised(7) == 2 and figures.days_practised(28) == 3
    assert len(figures.calendar) == 28 and figures.calendar[-1] == progress.DayMark(date(2026, 12, 1), 3)
    assert [(week.week_start, week.turns) for week in figures.weeks] == [
        (date(2026, 11, 16), 1), (date(2026, 11, 23), 1), (date(2026, 11, 30), 3),
    ]  # fmt: skip
    this_week = figures.weeks[-1]
    assert (this_week.checked_lines, this_week.error_free_lines, this_week.speaking_minutes) == (3, 2, 1.5)
    assert this_week.error_free_share == pytest.approx(2 / 3)
    assert this_week.categories == {'article': 1} and figures.top_categories == (('article', 1),)


async def test_words_learned_need_two_good_or_easy_ratings() -> None:
    """Good+Good and Easy+Good count as learned; Good+Again does not; saved and due are counted too."""
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    entries = [
        await saved(user.id, word, 'x', f'The {word} is here.') for word in ('ticket', 'gate', 'bag', 'seat')
    ]
    moment = datetime.now(UTC) + timedelta(seconds=1)
    ratings = ((ReviewRating.good, ReviewRating.good), (ReviewRating.easy, ReviewRating.good),
               (ReviewRating.good, ReviewRating.again))  # fmt: skip
    for entry, pair in zip(entries, ratings, strict=False):
        for rating in pair:
            await vocabulary_review.review(user.id, entry.id, rating, moment)
    figures = await progress.progress(user.id, moment)
    assert (figures.words_saved, figures.words_learned, figures.words_due) == (4, 2, 1)


def test_daylight_saving_changes_split_the_window() -> None:
    """Berlin's spring and autumn changes give three stretches with their offsets, to the second."""
    from zoneinfo import ZoneInfo

    stretches = offset_stretches(
        ZoneInfo('Europe/Berlin'), datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert stretches == [
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 60),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 120),
        (datetime(2026, 12, 1, tzinfo=UTC), 60),
    ]


async def test_days_west_of_utc_and_across_a_clock_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """New York: 03:00 UTC is the previous evening; the March clock change moves the day's start by an hour."""
    from services.settings import load_settings

    monkeypatch.setenv('QUOTA_TIMEZONE', 'America/New_York')
    load_settings()
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room_id, _ = await room_with_reply(user.id, 'Hello!')
    await learner_line(
        user.id, room_id, 'Late line.', datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    )  # 22:00 on 30 Nov
    await learner_line(
        user.id, room_id, 'Winter.', datetime(2026, 3, 8, 4, 30, tzinfo=UTC)
    )  # 23:30 EST, 7 Mar
    await learner_line(
        user.id, room_id, 'Summer.', datetime(2026, 3, 9, 4, 30, tzinfo=UTC)
    )  # 00:30 EDT, 9 Mar
    figures = await progress.progress(user.id, NOW)
    assert figures.calendar[-2] == progress.DayMark(date(2026, 11, 30), 1)
    days = {week.week_start: week.turns for week in figures.weeks}
    assert days[date(2026, 3, 2)] == 1 and days[date(2026, 3, 9)] == 1 and figures.calendar[-1].turns == 0
