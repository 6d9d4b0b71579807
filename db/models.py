"""SQLAlchemy 2 typed models. Services turn rows into frozen dataclasses before returning them."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, MetaData, String, func
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, server_default=func.now())


class LoginFailure(Base):
    """One wrong password; recent rows for a key throttle further attempts (shared by all processes)."""

    __tablename__ = 'login_failures'
    __table_args__ = (Index('ix_login_failures_key_time', 'throttle_key', 'failed_at'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # 'user:<id>' for an existing account (so username and email share one budget), else 'login:<text>'.
    throttle_key: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
