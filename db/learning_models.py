"""Tables of the learning features (feedback, help allowance, translations, saved words, hints)."""

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class HelpUsage(Base):
    """Helper calls (feedback, translation, look-ups, hints) per user per day; atomic like DailyUsage."""

    __tablename__ = 'help_usage'

    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(default=0)


class HelperRung(Base):
    """Which rung of the structured-output ladder worked for a task on a (server, model)."""

    __tablename__ = 'helper_rungs'

    server: Mapped[str] = mapped_column(String(300), primary_key=True)
    model: Mapped[str] = mapped_column(String(120), primary_key=True)
    task: Mapped[str] = mapped_column(String(40), primary_key=True)
    rung: Mapped[str] = mapped_column(
        String(1)
    )  # 'A' json_schema | 'B' schema in prompt | 'C' plain | 'D' off
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageFeedback(Base):
    """The corrections of one learner message (one row per message, whatever came of it)."""

    __tablename__ = 'message_feedback'
    __table_args__ = (Index('ix_message_feedback_user_id', 'user_id'),)

    message_id: Mapped[int] = mapped_column(ForeignKey('messages.id', ondelete='CASCADE'), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    status: Mapped[str] = mapped_column(String(12))  # 'pending' | 'ready' | 'unavailable' | 'off'
    mode: Mapped[str] = mapped_column(String(10))  # the room's feedback_mode when the line was sent
    corrected: Mapped[str | None] = mapped_column(Text)
    natural_alternative: Mapped[str | None] = mapped_column(Text)
    tier: Mapped[str | None] = mapped_column(String(1))  # the ladder rung that answered: A, B or C
    note: Mapped[str | None] = mapped_column(String(300))  # why it is unavailable, fit to show
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Correction(Base):
    """One edit of a learner message; offsets are computed by the app in the message text."""

    __tablename__ = 'corrections'
    __table_args__ = (Index('ix_corrections_message_id', 'message_id'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey('message_feedback.message_id', ondelete='CASCADE'))
    position: Mapped[int] = mapped_column()  # order shown (highest severity first)
    original: Mapped[str] = mapped_column(Text)
    replacement: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(6))
    explanation: Mapped[str] = mapped_column(Text, default='')
    start: Mapped[int] = mapped_column()
    end: Mapped[int] = mapped_column()
    dismissed: Mapped[bool] = mapped_column(default=False, server_default='0')
    # The longer explanation asked for with `Why?` (kept: asking again costs nothing).
    long_explanation: Mapped[str | None] = mapped_column(Text)
    # `Mark learned` in the mistake log: gone from the log, still in the reports made before.
    learned: Mapped[bool] = mapped_column(default=False, server_default='0')


class Translation(Base):
    """An AI reply translated into a learner's language, cached so a second look costs nothing."""

    __tablename__ = 'translations'

    message_id: Mapped[int] = mapped_column(ForeignKey('messages.id', ondelete='CASCADE'), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedWord(Base):
    """A word the learner saved from a reply: one entry per (learner, language, lemma)."""

    __tablename__ = 'saved_words'
    __table_args__ = (
        UniqueConstraint('user_id', 'language', 'lemma', name='uq_saved_words_user_language_lemma'),
        Index('ix_saved_words_user_id_id', 'user_id', 'id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    language: Mapped[str] = mapped_column(String(8))
    lemma: Mapped[str] = mapped_column(String(100))
    pos: Mapped[str] = mapped_column(String(40), default='')
    meaning: Mapped[str] = mapped_column(String(500), default='')
    level: Mapped[str | None] = mapped_column(String(2))  # CEFR, computed offline (English only)
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey('messages.id', ondelete='SET NULL'))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The notebook (issue 14): the word as it stood in its sentence, and that sentence, kept when the
    # message is deleted (source_message_id then turns NULL); where it came from.
    form: Mapped[str] = mapped_column(String(100), default='', server_default='')
    source_sentence: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(12), default='reply', server_default='reply')
    # The FSRS card (services/vocabulary_review.py computes it with `fsrs`; never the model).
    due: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    # fsrs.State: 1 learning, 2 review, 3 relearning
    state: Mapped[int] = mapped_column(default=1, server_default='1')
    step: Mapped[int | None] = mapped_column(default=0, server_default='0')
    last_review: Mapped[datetime | None] = mapped_column()


# Due counts and the next due cards of a learner (services/vocabulary_review.py).
Index('ix_saved_words_user_id_due', SavedWord.user_id, SavedWord.due)


class HintUse(Base):
    """One `Hint` asked for in a room (after `message_id`, the latest message then), for session figures."""

    __tablename__ = 'hint_uses'
    __table_args__ = (Index('ix_hint_uses_room_id', 'room_id'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    room_id: Mapped[int] = mapped_column(ForeignKey('rooms.id', ondelete='CASCADE'))
    message_id: Mapped[int | None] = mapped_column(ForeignKey('messages.id', ondelete='SET NULL'))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WordReview(Base):
    """One rating of a saved word in review (the FSRS review log); progress counts words learned from it."""

    __tablename__ = 'word_reviews'
    __table_args__ = (
        Index('ix_word_reviews_word_id', 'word_id'),
        Index('ix_word_reviews_user_id_reviewed_at', 'user_id', 'reviewed_at'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    word_id: Mapped[int] = mapped_column(ForeignKey('saved_words.id', ondelete='CASCADE'))
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    rating: Mapped[int] = mapped_column()  # fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column()
    review_duration_ms: Mapped[int | None] = mapped_column()


class PracticeSession(Base):
    """One ended practice session of a room (services/practice_sessions.py) and its report, made once.

    The session is the room's messages from `first_message_id` to `last_message_id`; the report's
    figures and coach note are stored as JSON when it is made, so reopening shows the same report.
    """

    __tablename__ = 'practice_sessions'
    __table_args__ = (
        Index('ix_practice_sessions_user_id_id', 'user_id', 'id'),
        Index('ix_practice_sessions_room_id_id', 'room_id', 'id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    room_id: Mapped[int] = mapped_column(ForeignKey('rooms.id', ondelete='CASCADE'))
    first_message_id: Mapped[int] = mapped_column()  # no foreign key: the report outlives deleted lines
    last_message_id: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime] = mapped_column(default=utcnow)
    report: Mapped[str] = mapped_column(Text)  # JSON: services/session_report.py writes and reads it


class RoomMission(Base):
    """One of a room's two to four missions (services/missions.py); `done_at` is set when a line achieves it.

    `evidence` is the words of the learner's line that achieved it, `message_id` that line (kept as a
    plain id: the tick stays when the line is deleted).
    """

    __tablename__ = 'room_missions'
    __table_args__ = (Index('ix_room_missions_room_id_position', 'room_id', 'position'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey('rooms.id', ondelete='CASCADE'))
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(String(120))
    done_at: Mapped[datetime | None] = mapped_column()
    evidence: Mapped[str | None] = mapped_column(String(300))
    message_id: Mapped[int | None] = mapped_column()


class WordLookup(Base):
    """A word the learner looked up in a reply (saved or not): the session report lists it as new."""

    __tablename__ = 'word_lookups'
    __table_args__ = (UniqueConstraint('message_id', 'lemma'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey('messages.id', ondelete='CASCADE'))
    lemma: Mapped[str] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
