"""Browser sessions: whose a session is, when it ends, single-use log-in tickets and recent authentication.

A session is a small record in the server-side storage NiceGUI keys by the id in the signed cookie:
the account, the account's session generation when it began, when it began, when it was last used and
when its holder last proved who they are (password or provider round trip). It ends when the account
is disabled or its generation moves on (password change, "Log out everywhere", Disable), after
SESSION_IDLE_MINUTES without use and SESSION_MAX_HOURS after the log-in.

Logging in or out goes through a ticket: the page stores a single-use, short-lived ticket in the
*current* session and sends the browser to an HTTP route that redeems it there, gives the browser a
new session id and starts the new session in it (so a session id known before log-in opens nothing).
"""

import hashlib
import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from db.engine import sessionmaker
from db.models import utcnow
from services import accounts, session_ends
from services.accounts import UserInfo
from services.errors import UserNotFound
from services.settings import get_settings

TICKET_KEY = 'session_ticket'
# A visitor's `Language` menu choice: a preference of the browser, kept when the session id changes.
VISITOR_LANGUAGE_KEY = 'ui_language'
TICKET_SECONDS = 60
SESSION_KEYS = ('user_id', 'generation', 'started_at', 'seen_at', 'reauth_at')
# `seen_at` is written at most this often (every write of the storage is a file or Redis write).
SEEN_RESOLUTION_SECONDS = 30

Record = MutableMapping[str, Any]


@dataclass(frozen=True, slots=True)
class Ticket:
    user_id: int | None  # None: a log-out
    next_path: str
    reauthenticated: bool  # the log-in proved who it is (password, provider round trip)


async def signed_in_user(record: Record) -> UserInfo | None:
    """The account whose session this is, or None (and the record is emptied) when it has ended."""
    user_id = record.get('user_id')
    if user_id is None:
        return None
    try:
        user = await accounts.get_user(int(user_id))
    except UserNotFound:
        user = None
    return _still_signed_in(record, user, _now())


async def signed_in_users(records: list[Record]) -> list[UserInfo | None]:
    """`signed_in_user` for many sessions at once (the open pages of a process), with one query."""
    user_ids = {int(record['user_id']) for record in records if record.get('user_id') is not None}
    users = await accounts.get_users(user_ids) if user_ids else {}
    now = _now()
    return [
        None
        if record.get('user_id') is None
        else _still_signed_in(record, users.get(int(record['user_id'])), now)
        for record in records
    ]


def within_lifetime(record: Record, now: float | None = None) -> bool:
    """Neither idle for SESSION_IDLE_MINUTES nor older than SESSION_MAX_HOURS (no database needed)."""
    now = _now() if now is None else now
    settings = get_settings()
    started, seen = float(record.get('started_at', 0)), float(record.get('seen_at', 0))
    return (
        now - seen <= settings.session_idle_minutes * 60
        and now - started <= settings.session_max_hours * 3600
    )


def new_session(user: UserInfo, *, reauthenticated: bool) -> dict[str, Any]:
    """The record of a session that starts now for `user`."""
    now = _now()
    return {
        'user_id': user.id,
        'generation': user.session_generation,
        'started_at': now,
        'seen_at': now,
        'reauth_at': now if reauthenticated else None,
    }


def issue_ticket(record: Record, user_id: int | None, next_path: str, *, reauthenticated: bool) -> str:
    """A ticket for this session only (it replaces any earlier one), good once within TICKET_SECONDS."""
    token = secrets.token_urlsafe(32)
    record[TICKET_KEY] = {
        'hash': _hash(token),
        'user_id': user_id,
        'next': next_path,
        'reauthenticated': reauthenticated,
        'expires_at': _now() + TICKET_SECONDS,
    }
    return token


def redeem_ticket(record: Record, token: str) -> Ticket | None:
    """The ticket's log-in or log-out when `token` is this session's live ticket; it is gone either way."""
    stored = record.pop(TICKET_KEY, None)
    if not isinstance(stored, dict) or not token or len(token) > 100:
        return None
    if not secrets.compare_digest(stored.get('hash', ''), _hash(token)) or stored['expires_at'] < _now():
        return None
    return Ticket(stored['user_id'], stored['next'], bool(stored['reauthenticated']))


def mark_reauthenticated(record: Record) -> None:
    """The holder of this session just proved who they are."""
    record['reauth_at'] = _now()


def reauthenticated_at(record: Record) -> datetime | None:
    value = record.get('reauth_at')
    return datetime.fromtimestamp(float(value), UTC) if value else None


async def log_out_everywhere(user_id: int) -> None:
    """End every browser session and every API token family of the account, this browser's too."""
    async with sessionmaker().begin() as session:
        await session_ends.end_all_in(session, user_id)


def _still_signed_in(record: Record, user: UserInfo | None, now: float) -> UserInfo | None:
    if (
        user is None
        or not user.is_active
        or record.get('generation') != user.session_generation
        or not within_lifetime(record, now)
    ):
        record.clear()
        return None
    if now - float(record.get('seen_at', 0)) >= SEEN_RESOLUTION_SECONDS:
        record['seen_at'] = now
    return user


def _now() -> float:
    return utcnow().timestamp()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keep_session(record: Record, generation: int) -> None:
    """This session carries on in the account's new generation (after its own password change)."""
    if record.get('user_id') is not None:
        record['generation'] = generation
