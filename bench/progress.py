"""Progress figures for a learner with a year of history, through services.progress.progress.

Seeds one heavy learner (20,000 messages over 365 days: 10,000 own lines and 10,000 replies; 2,000
spoken lines with recordings; feedback on every own line, 40% with one or two corrections, some
dismissed; 2,000 saved words with 6,000 reviews) and 20 other learners (1,000 messages each), then
times the figures of the progress page (every query it makes) for the heavy and a light learner, and
the figures of a session report over the heavy learner's latest 200 turns. The database is ANALYZEd
after seeding, as autovacuum would have done (without statistics PostgreSQL's plans were ~2× slower).
Prints a Markdown table for bench/RESULTS.md.

Run: `.venv/bin/python -m bench.progress` (a temporary SQLite file), or on PostgreSQL:
`source .ci/postgres.sh && BENCH_DATABASE_URL=$TEST_POSTGRES_URL .venv/bin/python -m bench.progress`.
"""

import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from db import engine
from db.engine import sessionmaker
from db.migrate import upgrade
from db.models import Correction, Message, MessageFeedback, Recording, Room, SavedWord, User, WordReview
from services import progress
from services.corrections import CATEGORIES
from services.session_figures import session_figures
from services.settings import load_settings

HEAVY_MESSAGES = 20_000
OTHERS, OTHER_MESSAGES = 20, 1_000
WORDS, REVIEWS_PER_WORD = 2_000, 3
RUNS = 30
NOW = datetime.now(UTC)


async def seed() -> tuple[int, int]:
    """(heavy learner id, a light learner id)."""
    rng = random.Random(14)
    next_id = {'message': 1}
    async with sessionmaker().begin() as session:
        for number in range(OTHERS + 1):
            session.add(User(id=number + 1, username=f'learner{number}', email=f'l{number}@example.com'))
        await session.flush()
        for number in range(OTHERS + 1):
            session.add(Room(id=number + 1, user_id=number + 1, title='Café', language='en', situation='s',
                             ai_role='a', my_role='m', level='B1'))  # fmt: skip
        await session.flush()
        await _messages(session, rng, 1, HEAVY_MESSAGES, next_id, spoken_every=5)
        for user_id in range(2, OTHERS + 2):
            await _messages(session, rng, user_id, OTHER_MESSAGES, next_id, spoken_every=0)
        await _words(session, rng, 1)
    return 1, 2


async def _messages(
    session, rng: random.Random, user_id: int, count: int, next_id: dict, spoken_every: int
) -> None:
    messages, feedback, corrections, recordings = [], [], [], []
    for index in range(count):
        at = NOW - timedelta(days=rng.uniform(0, 365))
        message_id = next_id['message']
        next_id['message'] += 1
        learner = index % 2 == 0
        recording_id = None
        if learner and spoken_every and index % (2 * spoken_every) == 0:
            recording_id = len(recordings) + 1 + 100_000 * user_id
            recordings.append(dict(id=recording_id, user_id=user_id, room_id=user_id, mime_type='audio/webm',
                                   data=b'', duration_seconds=rng.uniform(2, 20), transcript='', words='[]',
                                   created_at=at))  # fmt: skip
        messages.append(dict(id=message_id, room_id=user_id, user_id=user_id, role='user' if learner else 'assistant',
                             content='I would like a coffee with oat milk, please.', created_at=at,
                             recording_id=recording_id))  # fmt: skip
        if learner:
            feedback.append(dict(message_id=message_id, user_id=user_id, status='ready', mode='gentle',
                                 created_at=at, updated_at=at))  # fmt: skip
            if rng.random() < 0.4:
                for position in range(rng.choice((1, 2))):
                    corrections.append(dict(message_id=message_id, position=position, original='a', replacement='an',
                                            category=rng.choice(CATEGORIES), severity='high', explanation='',
                                            start=0, end=1, dismissed=rng.random() < 0.1))  # fmt: skip
    for table, rows in ((Recording, recordings), (Message, messages), (MessageFeedback, feedback),
                        (Correction, corrections)):  # fmt: skip
        for start in range(0, len(rows), 2_000):
            await session.execute(insert(table), rows[start : start + 2_000])


async def _words(session, rng: random.Random, user_id: int) -> None:
    words, reviews = [], []
    for number in range(WORDS):
        saved_at = NOW - timedelta(days=rng.uniform(0, 365))
        words.append(dict(id=number + 1, user_id=user_id, language='en', lemma=f'word{number}', pos='', meaning='m',
                          created_at=saved_at, due=saved_at + timedelta(days=rng.uniform(0, 60))))  # fmt: skip
        for _ in range(REVIEWS_PER_WORD):
            reviews.append(dict(word_id=number + 1, user_id=user_id, rating=rng.choice((1, 2, 3, 3, 4)),
                                reviewed_at=saved_at + timedelta(days=rng.uniform(0, 30))))  # fmt: skip
    await session.execute(insert(SavedWord), words)
    for start in range(0, len(reviews), 2_000):
        await session.execute(insert(WordReview), reviews[start : start + 2_000])


async def timed(user_id: int) -> list[float]:
    await progress.progress(user_id)  # warm the connection and the statement cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await progress.progress(user_id)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def timed_report(user_id: int) -> list[float]:
    """The figures of a session report over the heavy learner's latest 400 messages (200 turns, with their
    feedback, corrections and recordings): what `End session` computes before the coach note."""
    async with sessionmaker().begin() as session:
        ids = (
            (
                await session.execute(
                    select(Message.id)
                    .where(Message.room_id == user_id)
                    .order_by(Message.id.desc())
                    .limit(400)
                )
            )
            .scalars()
            .all()
        )
    first, last = min(ids), max(ids)
    times = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        async with sessionmaker().begin() as session:
            await session_figures(session, user_id, 'B1', 'en', first, last, NOW - timedelta(days=365))
        times.append((time.perf_counter() - started) * 1000)
    return times[1:]  # the first run warms the connection and the word list


async def main() -> None:
    url = os.environ.get('BENCH_DATABASE_URL') or f'sqlite:///{tempfile.mkdtemp()}/bench.db'
    os.environ['DATABASE_URL'] = url
    load_settings()
    await upgrade(url)
    await engine.connect(url)
    try:
        heavy, light = await seed()
        async with sessionmaker().begin() as session:
            await session.execute(text('ANALYZE'))  # as autovacuum (PostgreSQL) would have done by now
        print(f'{url.split(":", 1)[0]}: progress figures, ms (median / p95 / max of {RUNS})')
        print('| learner | median / p95 / max |\n|---|---|')
        for label, user_id in (('a year, 20,000 messages, 2,000 words', heavy), ('1,000 messages', light)):
            times = sorted(await timed(user_id))
            p95 = times[int(len(times) * 0.95) - 1]
            print(f'| {label} | {statistics.median(times):.1f} / {p95:.1f} / {times[-1]:.1f} |')
        times = sorted(await timed_report(heavy))
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f'| session report of 200 turns (its figures) | {statistics.median(times):.1f} / {p95:.1f} / {times[-1]:.1f} |'
        )
    finally:
        await engine.dispose()


if __name__ == '__main__':
    asyncio.run(main())
