"""Spaced review of the notebook, scheduled by the `fsrs` package (never by the model).

Each entry carries its FSRS card (due, stability, difficulty, state, step, last review); a rating
runs `Scheduler.review_card` and stores the new card plus a review-log row. Every function takes
`now` so tests (and the API) can move the clock.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from fsrs import Card, Rating, Scheduler, State
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, SavedWord, WordReview, utcnow
from i18n import _
from services import word_entries
from services.errors import WordNotFound
from services.word_entries import NotebookEntry

# Fuzzing off: the same history always gives the same schedule (the tests compare with `fsrs` itself).
SCHEDULER = Scheduler(enable_fuzzing=False)
BLANK = '_____'
PROMPT_DUE_WORDS = 3


class ReviewRating(IntEnum):
    """The buttons of a review card, as fsrs.Rating values."""

    again = 1
    hard = 2
    good = 3
    easy = 4


@dataclass(frozen=True, slots=True)
class ReviewCard:
    entry: NotebookEntry
    answer: str  # what fills the blank: the form as it stood in the sentence, else the lemma
    cloze: str | None  # the source sentence with the answer blanked; None without a sentence
    cue: str  # the meaning (or, without one, the part of speech and level)


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    word_id: int
    rating: ReviewRating
    due: datetime
    stability: float
    difficulty: float
    state: int


async def due_count(user_id: int, now: datetime | None = None) -> int:
    """How many entries are due at `now`."""
    now = now or utcnow()
    async with sessionmaker().begin() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(SavedWord)
            .where(SavedWord.user_id == user_id, SavedWord.due <= now)
        )
    return int(count or 0)


async def due_cards(user_id: int, now: datetime | None = None, limit: int = 20) -> list[ReviewCard]:
    """The entries due at `now`, most overdue first (ties: oldest saved first)."""
    now, limit = now or utcnow(), max(1, min(limit, 100))
    query = (
        select(SavedWord, Message.room_id)
        .outerjoin(Message, Message.id == SavedWord.source_message_id)
        .where(SavedWord.user_id == user_id, SavedWord.due <= now)
        .order_by(SavedWord.due, SavedWord.id)
        .limit(limit)
    )
    async with sessionmaker().begin() as session:
        rows = (await session.execute(query)).all()
    return [review_card(word_entries.entry_of(row, room_id)) for row, room_id in rows]


async def next_card(user_id: int, now: datetime | None = None) -> ReviewCard | None:
    cards = await due_cards(user_id, now, limit=1)
    return cards[0] if cards else None


async def review(
    user_id: int,
    word_id: int,
    rating: ReviewRating,
    now: datetime | None = None,
    duration_ms: int | None = None,
) -> ReviewOutcome:
    """Rate one entry: FSRS computes its next due date; the rating is logged. Raises WordNotFound."""
    now = now or utcnow()
    async with sessionmaker().begin() as session:
        row = await _locked_entry(session, user_id, word_id)
        card, _ = SCHEDULER.review_card(card_of(row), Rating(int(rating)), review_datetime=now)
        row.due, row.stability, row.difficulty = card.due, card.stability, card.difficulty
        row.state, row.step, row.last_review = int(card.state), card.step, card.last_review
        session.add(
            WordReview(
                word_id=row.id,
                user_id=user_id,
                rating=int(rating),
                reviewed_at=now,
                review_duration_ms=duration_ms,
            )
        )
        await session.flush()
        assert card.stability is not None and card.difficulty is not None
        return ReviewOutcome(word_id, rating, card.due, card.stability, card.difficulty, int(card.state))


def review_card(entry: NotebookEntry) -> ReviewCard:
    answer = entry.form or entry.lemma
    cloze = None
    if entry.source_sentence:
        blanked, count = _blank(entry.source_sentence, answer)
        if not count and entry.form:
            answer = entry.lemma
            blanked, count = _blank(entry.source_sentence, answer)
        # A sentence that does not hold the word (an inflected form) still gives context, unblanked.
        cloze = blanked if count else entry.source_sentence
    cue = (
        entry.meaning
        or ' · '.join(part for part in (entry.pos, entry.level or '') if part)
        or _('A saved word')
    )
    return ReviewCard(entry=entry, answer=answer, cloze=cloze, cue=cue)


def suggested_rating(typed: str, card: ReviewCard) -> ReviewRating | None:
    """`Good` for an exact typed answer (case and spacing ignored), else no suggestion."""
    said = _normal(typed)
    return ReviewRating.good if said and said in {_normal(card.answer), _normal(card.entry.lemma)} else None


async def due_lemmas(
    session: AsyncSession,
    user_id: int,
    language: str,
    now: datetime | None = None,
    limit: int = PROMPT_DUE_WORDS,
) -> list[str]:
    """Up to `limit` due words of one language (most overdue first), for the partner's prompt."""
    query = (
        select(SavedWord.lemma)
        .where(
            SavedWord.user_id == user_id, SavedWord.language == language, SavedWord.due <= (now or utcnow())
        )
        .order_by(SavedWord.due, SavedWord.id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


def card_of(row: SavedWord) -> Card:
    """The entry's FSRS card as the `fsrs` package models it."""
    return Card(
        card_id=row.id, state=State(row.state), step=row.step, stability=row.stability,
        difficulty=row.difficulty, due=row.due, last_review=row.last_review,
    )  # fmt: skip


async def _locked_entry(session: AsyncSession, user_id: int, word_id: int) -> SavedWord:
    # FOR UPDATE on PostgreSQL: two tabs rating the same card at once apply one after the other.
    row = await session.scalar(select(SavedWord).where(SavedWord.id == word_id).with_for_update())
    if row is None or row.user_id != user_id:
        raise WordNotFound
    return row


def _blank(sentence: str, answer: str) -> tuple[str, int]:
    # Whole words in alphabetic scripts; Korean and Japanese attach particles, so there a plain match.
    edges = ('(?<!\\w)', '(?!\\w)') if answer.isascii() else ('', '')
    pattern = re.compile(edges[0] + re.escape(answer) + edges[1], re.IGNORECASE)
    return pattern.subn(BLANK, sentence, count=1)


def _normal(text: str) -> str:
    return ' '.join(text.split()).casefold()
