"""SQLAlchemy 2 typed models. Services turn rows into frozen dataclasses before returning them."""

from datetime import UTC, date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_name)s',
    'ck': 'ck_%(table_name)s_%(constraint_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Always an aware UTC datetime in Python, whether or not the backend keeps the zone (SQLite doesn't)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError('naive datetimes are ambiguous; pass an aware one')
        value = value.astimezone(UTC)
        # SQLite stores text: keep one zone-less UTC format so stored values compare correctly.
        return value.replace(tzinfo=None) if dialect.name == 'sqlite' else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class User(Base):
    __tablename__ = 'users'

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # NULL for accounts that only ever signed in through an OAuth provider.
    password_hash: Mapped[str | None] = mapped_column(String(100))
    nickname: Mapped[str] = mapped_column(String(40), default='')
    bio: Mapped[str] = mapped_column(String(300), default='')
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Replies per day for this account; NULL means the DAILY_QUOTA setting.
    daily_limit: Mapped[int | None] = mapped_column()
    # The learner's own language ('My language'): explanations, glosses and translations come in it.
    native_language: Mapped[str] = mapped_column(String(8), default='ko', server_default='ko')
    # The interface's language ('Interface language'); NULL follows the browser's Accept-Language.
    ui_language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, server_default=func.now())
    # Browser sessions remember the generation they began in; raising it (password change, "Log out
    # everywhere", Disable) ends every session that began before.
    session_generation: Mapped[int] = mapped_column(default=0, server_default='0')


class Room(Base):
    """A role-play: language, situation, who the AI and the learner are, and the level."""

    __tablename__ = 'rooms'
    __table_args__ = (Index('ix_rooms_user_activity', 'user_id', 'last_activity_at'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    title: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(8))
    situation: Mapped[str] = mapped_column(String(500))
    ai_role: Mapped[str] = mapped_column(String(120))
    my_role: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(2))
    instructions: Mapped[str] = mapped_column(String(1000), default='')
    # The gallery preset the room came from ('recipe' changes how replies are asked for and shown).
    scenario: Mapped[str | None] = mapped_column(String(40))
    # Listening practice, remembered per room: replies play by themselves with text hidden; slower voice.
    listening_mode: Mapped[bool] = mapped_column(default=False, server_default='0')
    slow_speech: Mapped[bool] = mapped_column(default=False, server_default='0')
    # Corrections of the learner's lines: 'off' | 'gentle' | 'full' | 'end_only' (see services/feedback.py).
    feedback_mode: Mapped[str] = mapped_column(String(10), default='gentle', server_default='gentle')
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    # `Use my due words`: the partner weaves up to three due notebook words into its replies.
    use_due_words: Mapped[bool] = mapped_column(default=False, server_default='0')


class Message(Base):
    """One turn. The learner's is stored before the model is called; the reply when it is done."""

    __tablename__ = 'messages'
    __table_args__ = (
        Index('ix_messages_room_id_id', 'room_id', 'id'),
        Index('ix_messages_user_id_id', 'user_id', 'id'),
        Index('ix_messages_status', 'status'),
        # History search (ILIKE '%word%') on PostgreSQL: trigrams find rare words without reading every
        # message. SQLite has no such index type; there the search reads the user's own messages.
        Index(
            'ix_messages_content_trgm',
            'content',
            postgresql_using='gin',
            postgresql_ops={'content': 'gin_trgm_ops'},
            info={'only_on': 'postgresql'},
        ).ddl_if(dialect='postgresql'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey('rooms.id', ondelete='CASCADE'))
    # Denormalised owner: history search and ownership checks need no join.
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    role: Mapped[str] = mapped_column(String(10))  # 'user' | 'assistant'
    content: Mapped[str] = mapped_column(Text, default='')
    # 'complete' | 'pending' (being generated) | 'failed' | 'stopped'
    status: Mapped[str] = mapped_column(String(10), default='complete')
    error: Mapped[str | None] = mapped_column(String(300))
    model: Mapped[str | None] = mapped_column(String(120))
    # The quota day this reply was charged to (NULL: not charged), so a refund goes to the right day.
    charged_day: Mapped[date | None] = mapped_column(Date)
    # A spoken message: the learner's recording, the recogniser's mean word confidence (0-1) and the
    # words it found hard to recognise (a JSON list) — a recognisability signal, not a grade.
    recording_id: Mapped[int | None] = mapped_column(ForeignKey('recordings.id', ondelete='SET NULL'))
    speech_score: Mapped[float | None] = mapped_column(Float)
    hard_words: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # How many times the reply was started (Retry/Regenerate add one), so a late writer of an earlier
    # attempt cannot overwrite it (services/generation.finish compares it).
    attempt: Mapped[int] = mapped_column(default=0, server_default='0')


class DailyUsage(Base):
    """AI replies used per user per day (in QUOTA_TIMEZONE); changed only by single atomic statements."""

    __tablename__ = 'daily_usage'

    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(default=0)
    # Extra replies an admin granted for this day only.
    bonus: Mapped[int] = mapped_column(default=0)


class AudioClip(Base):
    """Synthesized speech, cached by what produced it, shared by every app process (it lives in the DB)."""

    __tablename__ = 'audio_clips'
    __table_args__ = (Index('ix_audio_clips_last_used_at', 'last_used_at'),)

    # sha256 of engine, voice, language, speed and text: one clip per distinct rendering.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    engine: Mapped[str] = mapped_column(String(20))
    mime_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)


class Recording(Base):
    """The learner's recorded answer and what the recogniser heard (kept to be replayed)."""

    __tablename__ = 'recordings'
    __table_args__ = (Index('ix_recordings_user_id', 'user_id'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    room_id: Mapped[int] = mapped_column(ForeignKey('rooms.id', ondelete='CASCADE'))
    mime_type: Mapped[str] = mapped_column(String(60))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    duration_seconds: Mapped[float] = mapped_column(Float)
    transcript: Mapped[str] = mapped_column(Text)
    # [{"text", "probability"}, ...] for every recognised word.
    words: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OAuthAccount(Base):
    """A login at GitHub or Kakao linked to a user; (provider, subject) identifies it for good."""

    __tablename__ = 'oauth_accounts'
    __table_args__ = (UniqueConstraint('provider', 'subject', name='uq_oauth_accounts_provider_subject'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(100))  # the provider's stable user id
    email: Mapped[str | None] = mapped_column(String(254))
    login: Mapped[str] = mapped_column(String(100), default='')  # the name shown at the provider
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefreshToken(Base):
    """A REST API refresh token, by its JWT id: good for one refresh; a reused one revokes its family.

    A family is one log-in's chain of rotated tokens; access tokens carry its id, so revoking the
    family (log-out, reuse detected) also ends the access tokens issued from it.
    """

    __tablename__ = 'refresh_tokens'
    __table_args__ = (
        Index('ix_refresh_tokens_family_id', 'family_id'),
        Index('ix_refresh_tokens_user_id', 'user_id'),
    )

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    family_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()  # rotated: exchanged for a new pair
    revoked_at: Mapped[datetime | None] = mapped_column()  # logged out, or its family was compromised


class ThrottleAttempt(Base):
    """One attempt counted by a throttle (a wrong password, a sign-up), shared by all processes.

    `key` names what is throttled, e.g. 'login-account:user:7@198.51.100.7' or 'signup:198.51.100.7';
    rows past `expires_at` no longer count and are purged (services/throttle.py).
    """

    __tablename__ = 'throttle_attempts'
    __table_args__ = (
        Index('ix_throttle_attempts_key_time', 'key', 'attempted_at'),
        Index('ix_throttle_attempts_expires_at', 'expires_at'),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class ConfiguredAdmin(Base):
    """A name from ADMIN_USERNAMES that has been applied (the account promoted, or found missing).

    Applied once per name: an account registered later under that name, or still there after a
    `demote`, is never made an admin by the setting on a later start.
    """

    __tablename__ = 'configured_admins'

    username: Mapped[str] = mapped_column(String(30), primary_key=True)
    promoted: Mapped[bool] = mapped_column()
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReplyLease(Base):
    """A reply being written: which process writes it, when it last said so, and its text so far.

    One row per pending reply, written about once a second by its owner (heartbeat on the database's
    clock, so app hosts need no synchronised clocks); other processes read the text from here and set
    `cancel` to stop it. UNLOGGED on PostgreSQL (the migration says so): progress is disposable, and a
    row lost in a database crash only makes its reply look interrupted. Kept apart from
    `messages.content`, whose trigram index would be rewritten on every heartbeat.
    """

    __tablename__ = 'reply_leases'

    reply_id: Mapped[int] = mapped_column(ForeignKey('messages.id', ondelete='CASCADE'), primary_key=True)
    attempt: Mapped[int] = mapped_column()
    # The writing process: hostname, pid and a random part (a restarted process is a new owner).
    owner: Mapped[str] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime] = mapped_column(server_default=func.now())
    text: Mapped[str] = mapped_column(Text, default='', server_default='')
    cancel: Mapped[bool] = mapped_column(default=False, server_default='0')


class RoomCreation(Base):
    """When an account made a room; recent rows rate-limit making more (kept when the room is deleted)."""

    __tablename__ = 'room_creations'
    __table_args__ = (Index('ix_room_creations_user_time', 'user_id', 'created_at'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The learning tables (their own module): re-exported so `from db.models import …` and metadata see them.
from db.learning_models import (  # noqa: E402, F401 (re-exported)
    Correction,
    HelperRung,
    HelpUsage,
    HintUse,
    MessageFeedback,
    PracticeSession,
    RoomMission,
    SavedWord,
    Translation,
    WordLookup,
    WordReview,
)
