"""The figures of a session report, computed by the app (never by the model) from one room's message range.

Counts come from aggregated SQL over the session's messages, message_feedback, corrections, hint_uses,
recordings and saved words; words are counted from the learner's lines, and the partner's words above
the room's CEFR level are found offline with `cefrpy` (English only), in a worker thread.
"""

import asyncio
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Correction, HintUse, Message, MessageFeedback, Recording, SavedWord
from services import word_lookups
from services.missions import session_missions
from services.rooms import LEVELS

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ENGLISH_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
LEVEL_ORDER = tuple(LEVELS)  # A1 … C2
EXAMPLES_PER_CATEGORY = 3
BETTER_PAIRS = 5
NEW_WORDS = 15
HARD_WORDS = 10
EXAMPLE_ROWS = 300  # corrections read for examples (the counts come from SQL, over all of them)


@dataclass(frozen=True, slots=True)
class Example:
    """One of the learner's own mistakes and its fix."""

    message_id: int
    said: str
    original: str
    replacement: str
    explanation: str


@dataclass(frozen=True, slots=True)
class CategoryErrors:
    category: str
    count: int
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class BetterPair:
    """ "Say it better": what the learner said, a better way, and why."""

    said: str
    better: str
    why: str


@dataclass(frozen=True, slots=True)
class NewWord:
    word: str
    level: str | None
    source: str  # 'partner' (above the room's level) | 'looked_up' (in a reply) | 'saved'
    message_id: int | None = None  # the partner's reply it came from (to save it to the notebook)


@dataclass(frozen=True, slots=True)
class Figures:
    learner_turns: int
    words: int
    mean_words_per_turn: float
    distinct_words: int
    checked_turns: int  # lines whose feedback is ready (the error-free share is of these)
    error_free_turns: int
    error_free_share: float | None
    errors: tuple[CategoryErrors, ...]  # most frequent first
    better: tuple[BetterPair, ...]
    new_words: tuple[NewWord, ...]
    hints_used: int
    spoken_turns: int
    words_per_minute: float | None
    hard_words: tuple[str, ...]
    # The room's missions (services/missions.py): done and in all when the session ended, and done in it.
    missions_done: int = 0
    missions_total: int = 0
    missions_this_session: tuple[str, ...] = ()


async def session_figures(
    session: AsyncSession,
    room_id: int,
    level: str,
    language: str,
    first_id: int,
    last_id: int,
    since: datetime,
) -> Figures:
    """Every figure of the room's messages `first_id`…`last_id`; hints counted from `since` on."""
    in_range = and_(Message.room_id == room_id, Message.id >= first_id, Message.id <= last_id)
    lines = (
        await session.execute(
            select(Message.id, Message.content, Message.recording_id, Message.hard_words)
            .where(in_range, Message.role == 'user')
            .order_by(Message.id)
        )
    ).all()
    texts = {line.id: line.content for line in lines}
    learner_words = [WORD.findall(line.content.lower()) for line in lines]
    words = sum(len(found) for found in learner_words)
    checked, with_errors = await _checked(session, in_range)
    spoken_words = sum(
        len(found) for line, found in zip(lines, learner_words, strict=True) if line.recording_id
    )
    spoken_turns, seconds = await _speaking(session, in_range)
    missions_done, missions_total, missions_now = await session_missions(session, room_id, first_id, last_id)
    return Figures(
        learner_turns=len(lines),
        words=words,
        mean_words_per_turn=round(words / len(lines), 1) if lines else 0.0,
        distinct_words=len({word for found in learner_words for word in found}),
        checked_turns=checked,
        error_free_turns=checked - with_errors,
        error_free_share=round((checked - with_errors) / checked, 3) if checked else None,
        errors=await _errors(session, in_range, texts),
        better=await _better(session, in_range, texts),
        new_words=await _new_words(session, in_range, level, language, learner_words),
        hints_used=await session.scalar(
            select(func.count())
            .select_from(HintUse)
            .where(HintUse.room_id == room_id, HintUse.created_at >= since)
        )
        or 0,
        spoken_turns=spoken_turns,
        words_per_minute=round(spoken_words / (seconds / 60), 1) if seconds else None,
        hard_words=_hard_words(line.hard_words for line in lines),
        missions_done=missions_done, missions_total=missions_total, missions_this_session=missions_now,
    )  # fmt: skip


async def _checked(session: AsyncSession, in_range) -> tuple[int, int]:
    """(lines checked, of them with at least one correction not dismissed)."""
    has_error = (
        select(Correction.id)
        .where(Correction.message_id == MessageFeedback.message_id, Correction.dismissed.is_(False))
        .exists()
    )
    row = (
        await session.execute(
            select(func.count(), func.count().filter(has_error))
            .select_from(MessageFeedback)
            .join(Message, Message.id == MessageFeedback.message_id)
            .where(in_range, MessageFeedback.status == 'ready')
        )
    ).one()
    return row[0] or 0, row[1] or 0


async def _errors(session: AsyncSession, in_range, texts: dict[int, str]) -> tuple[CategoryErrors, ...]:
    live = and_(in_range, Correction.dismissed.is_(False))
    counts = (
        await session.execute(
            select(Correction.category, func.count())
            .join(Message, Message.id == Correction.message_id)
            .where(live)
            .group_by(Correction.category)
            .order_by(func.count().desc(), Correction.category)
        )
    ).all()
    rows = (
        await session.execute(
            select(Correction)
            .join(Message, Message.id == Correction.message_id)
            .where(live)
            .order_by(Correction.message_id, Correction.position)
            .limit(EXAMPLE_ROWS)
        )
    ).scalars()
    examples: dict[str, list[Example]] = {}
    for row in rows:
        found = examples.setdefault(row.category, [])
        if len(found) < EXAMPLES_PER_CATEGORY:
            found.append(
                Example(
                    row.message_id,
                    texts.get(row.message_id, ''),
                    row.original,
                    row.replacement,
                    row.explanation,
                )
            )
    return tuple(
        CategoryErrors(category, count, tuple(examples.get(category, ()))) for category, count in counts
    )


async def _better(session: AsyncSession, in_range, texts: dict[int, str]) -> tuple[BetterPair, ...]:
    """Up to five lines with a better way to say them (the natural alternative, else the corrected line)."""
    why = (
        select(Correction.explanation)
        .where(Correction.message_id == MessageFeedback.message_id, Correction.dismissed.is_(False))
        .order_by(Correction.position)
        .limit(1)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(
                MessageFeedback.message_id,
                MessageFeedback.natural_alternative,
                MessageFeedback.corrected,
                why,
            )
            .join(Message, Message.id == MessageFeedback.message_id)
            .where(in_range, MessageFeedback.status == 'ready')
            .where(
                (MessageFeedback.natural_alternative.is_not(None)) | (MessageFeedback.corrected.is_not(None))
            )
            .order_by(MessageFeedback.message_id)
        )
    ).all()
    pairs: list[BetterPair] = []
    for message_id, alternative, corrected, explanation in rows:
        said = texts.get(message_id, '')
        better = (alternative or corrected or '').strip()
        if better and ' '.join(better.lower().split()) != ' '.join(said.lower().split()):
            pairs.append(BetterPair(said, better, explanation or ''))
        if len(pairs) == BETTER_PAIRS:
            break
    return tuple(pairs)


async def _new_words(
    session: AsyncSession, in_range, level: str, language: str, learner_words: list[list[str]]
) -> tuple[NewWord, ...]:
    saved = (
        await session.execute(
            select(SavedWord.lemma, SavedWord.level)
            .join(Message, Message.id == SavedWord.source_message_id)
            .where(in_range)
            .order_by(SavedWord.id)
        )
    ).all()
    found: list[NewWord] = [NewWord(lemma, word_level, 'saved') for lemma, word_level in saved]
    looked_up = await word_lookups.looked_up(session, in_range, {lemma.lower() for lemma, _ in saved})
    found += [
        NewWord(lemma, word_level, 'looked_up', message_id) for lemma, word_level, message_id in looked_up
    ]
    if language == 'en':
        partner = (
            await session.execute(
                select(Message.id, Message.content).where(
                    in_range, Message.role == 'assistant', Message.status == 'complete'
                )
            )
        ).all()
        known = {word for words in learner_words for word in words} | {lemma.lower() for lemma, _ in saved}
        known |= {lemma.lower() for lemma, _level, _id in looked_up}
        above = await asyncio.to_thread(_above_level, partner, level, known)
        found += [NewWord(word, word_level, 'partner', message_id) for word, word_level, message_id in above]
    return tuple(found[:NEW_WORDS])


def _above_level(replies: Sequence[Row], level: str, known: set[str]) -> list[tuple[str, str, int]]:
    """The partner's distinct words above `level` (hardest first), leaving out words the learner used:
    (word, level, id of the first reply that has it)."""
    from services.vocabulary import _analyzer  # cefrpy's word list, loaded once

    analyzer = _analyzer()
    room_rank = LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)
    seen: dict[str, tuple[str, int]] = {}
    for reply_id, reply in replies:
        for word in ENGLISH_WORD.findall(reply.lower()):
            if word in seen or word in known or len(word) < 3:
                continue
            found = analyzer.get_average_word_level_CEFR(word)
            if found is not None and LEVEL_ORDER.index(str(found)) > room_rank:
                seen[word] = (str(found), reply_id)
    # Hardest first; sorted() is stable, so words of one level keep the order they were said in.
    ranked = sorted(seen.items(), key=lambda item: -LEVEL_ORDER.index(item[1][0]))
    return [(word, word_level, reply_id) for word, (word_level, reply_id) in ranked[:NEW_WORDS]]


async def _speaking(session: AsyncSession, in_range) -> tuple[int, float]:
    row = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Recording.duration_seconds), 0.0))
            .select_from(Message)
            .join(Recording, Recording.id == Message.recording_id)
            .where(in_range, Message.role == 'user')
        )
    ).one()
    return row[0] or 0, float(row[1] or 0.0)


def _hard_words(stored: object) -> tuple[str, ...]:
    words: dict[str, None] = {}
    for value in stored:  # type: ignore[attr-defined]
        try:
            listed = json.loads(value) if value else []
        except ValueError:
            continue
        for word in listed if isinstance(listed, list) else []:
            if isinstance(word, str) and word.strip():
                words.setdefault(word.strip().lower(), None)
    return tuple(words)[:HARD_WORDS]
