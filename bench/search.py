"""History search latency on 100,000 messages, through services.history.search_messages.

Seeds 200 learners (one heavy learner with 20,000 messages, the rest 400 each) in English, Korean
and Japanese, then times the heavy learner's searches: a common word, a rare one, an absent one,
Korean and Japanese words, a one-syllable Korean word, the second page of the common word; and
a light learner's (400 messages) common and absent words.
On PostgreSQL the same queries also run with the trigram index dropped, in the same run, so the
ratio shows what the index buys. Prints a Markdown table for bench/RESULTS.md.

Run: `.venv/bin/python -m bench.search` (a temporary SQLite file), or on PostgreSQL:
`source .ci/postgres.sh && BENCH_DATABASE_URL=$TEST_POSTGRES_URL .venv/bin/python -m bench.search`.
"""

import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from db import engine
from db.engine import sessionmaker
from db.migrate import upgrade
from db.models import Message, Room, User
from services import history
from services.settings import load_settings

USERS = 200
HEAVY_MESSAGES = 20_000
OTHER_MESSAGES = 400  # 199 x 400 + 20,000 = 99,600, plus the planted rare lines: about 100,000
ROOMS_PER_USER = 5
RUNS = 40
QUERIES = {
    'common word': 'coffee',
    'rare word': 'zeppelin',
    'absent word': 'xylophone',
    'Korean word': '커피',
    'Korean, 1 syllable': '밥',
    'Japanese word': 'コーヒー',
    'absent 1 syllable (worst case)': '꿀',
}
LIGHT_QUERIES = {
    'light learner: common word': 'coffee',
    'light learner: absent word': 'xylophone',
    'light learner: absent 1 syllable': '꿀',
}
SENTENCES = [
    'Could I have a {w} coffee with oat milk, please?',
    'I usually take the {w} train to the office at eight.',
    'My flight to Osaka leaves from gate {n} this evening.',
    'Tell me about a time you solved a {w} problem at work.',
    '따뜻한 커피 한 잔 주세요, 그리고 {w} 케이크도요.',
    '오늘 점심에 비빔밥을 먹었어요. 정말 맛있었어요 {n}.',
    '회의는 {n}시에 시작합니다. 늦지 마세요.',
    'すみません、ホットコーヒーを一つお願いします {n}。',
    '駅までの道を教えてください。{w}',
    '明日の面接の準備はできていますか {n}?',
]
WORDS = ['small', 'large', 'tricky', 'quiet', 'crowded', 'new', 'old', 'simple', 'hard', 'late']


async def main(database: str | None) -> str:
    with tempfile.TemporaryDirectory() as workdir:
        database = database or f'sqlite:///{workdir}/bench.db'
        os.environ.update(DATABASE_URL=database, DATA_DIR=workdir, SECRET_KEY='bench')
        load_settings()
        await upgrade(database)
        await engine.connect(database)
        try:
            heavy_id, light_id = await _seed()
            timings = {name: await _time(heavy_id, query) for name, query in QUERIES.items()}
            timings['common word, page 2'] = await _time(heavy_id, 'coffee', second_page=True)
            for name, query in LIGHT_QUERIES.items():  # a learner with 400 of the 100,000 messages
                timings[name] = await _time(light_id, query)
            without_index = None
            if database.startswith('postgres'):
                without_index = await _without_trigram_index(heavy_id, light_id)
        finally:
            await engine.dispose()
    return _report(database.split(':', 1)[0], timings, without_index)


async def _seed() -> tuple[int, int]:
    """Users, rooms and ~100k messages by bulk insert; returns a heavy and a light learner's ids."""
    random.seed(20261122)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    async with sessionmaker().begin() as session:
        await session.execute(
            insert(User),
            [
                {'username': f'user{n}', 'email': f'user{n}@example.com', 'password_hash': None}
                for n in range(USERS)
            ],
        )
        user_ids = list((await session.execute(text('SELECT id FROM users ORDER BY id'))).scalars())
        await session.execute(
            insert(Room),
            [
                {'user_id': user_id, 'title': f'Room {r}', 'language': 'en', 'situation': 's', 'ai_role': 'a',
                 'my_role': 'm', 'level': 'B1'}
                for user_id in user_ids for r in range(ROOMS_PER_USER)
            ],
        )  # fmt: skip
        rooms = (await session.execute(text('SELECT id, user_id FROM rooms ORDER BY id'))).all()
    rooms_of: dict[int, list[int]] = {}
    for room_id, user_id in rooms:
        rooms_of.setdefault(user_id, []).append(room_id)
    heavy_id = user_ids[0]
    rows = []
    for user_id in user_ids:
        count = HEAVY_MESSAGES if user_id == heavy_id else OTHER_MESSAGES
        for number in range(count):
            sentence = random.choice(SENTENCES).format(w=random.choice(WORDS), n=number)
            rows.append(_message(user_id, random.choice(rooms_of[user_id]), sentence, start, number))
    for number in range(0, HEAVY_MESSAGES, HEAVY_MESSAGES // 5):  # five old lines with a rare word
        rows.append(_message(heavy_id, rooms_of[heavy_id][0], 'A zeppelin over the harbour!', start, number))
    random.shuffle(rows)  # ids in no particular relation to users, as in real traffic
    for batch in range(0, len(rows), 5000):
        async with sessionmaker().begin() as session:
            await session.execute(insert(Message), rows[batch : batch + 5000])
    async with sessionmaker().begin() as session:
        await session.execute(text('ANALYZE'))
    return heavy_id, user_ids[1]


def _message(user_id: int, room_id: int, content: str, start: datetime, number: int) -> dict:
    return {
        'room_id': room_id,
        'user_id': user_id,
        'role': 'user' if number % 2 == 0 else 'assistant',
        'content': content,
        'status': 'complete',
        'created_at': start + timedelta(minutes=number),
    }


async def _time(user_id: int, query: str, second_page: bool = False) -> list[float]:
    """Milliseconds per search, RUNS times (after one warm-up call)."""
    cursor = None
    if second_page:
        cursor = (await history.search_messages(user_id, query)).next_cursor
    await history.search_messages(user_id, query, cursor)
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        await history.search_messages(user_id, query, cursor)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


async def _without_trigram_index(heavy_id: int, light_id: int) -> dict[str, list[float]]:
    """The same searches with the trigram index dropped, then recreated."""
    async with sessionmaker().begin() as session:
        await session.execute(text('DROP INDEX ix_messages_content_trgm'))
    try:
        timings = {name: await _time(heavy_id, query) for name, query in QUERIES.items()}
        return timings | {name: await _time(light_id, query) for name, query in LIGHT_QUERIES.items()}
    finally:
        async with sessionmaker().begin() as session:
            await session.execute(
                text('CREATE INDEX ix_messages_content_trgm ON messages USING gin (content gin_trgm_ops)')
            )


def _report(
    backend: str, timings: dict[str, list[float]], without_index: dict[str, list[float]] | None
) -> str:
    header = f'| {backend}: query | p50 / p95 / max ms |'
    divider = '|---|---|'
    if without_index:
        header += ' without trigram index p50 / p95 ms | p95 ratio (index / none) |'
        divider += '---|---|'
    lines = [header, divider]
    for name, samples in timings.items():
        line = f'| {name} | {_p(samples, 50):.1f} / {_p(samples, 95):.1f} / {max(samples):.1f} |'
        if without_index and name in without_index:
            other = without_index[name]
            line += f' {_p(other, 50):.1f} / {_p(other, 95):.1f} | {_p(samples, 95) / _p(other, 95):.2f} |'
        elif without_index:
            line += ' | |'
        lines.append(line)
    return '\n'.join(lines)


def _p(samples: list[float], percentile: int) -> float:
    return statistics.quantiles(samples, n=100)[percentile - 1] if len(samples) > 1 else samples[0]


if __name__ == '__main__':
    print(asyncio.run(main(os.environ.get('BENCH_DATABASE_URL'))))
