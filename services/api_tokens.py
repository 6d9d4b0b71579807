"""REST API tokens: short-lived JWT access tokens and single-use, rotating refresh tokens.

Both are HS256 JWTs signed with a key derived from SECRET_KEY; exp, iat, iss, aud, sub, type and
jti are all required and checked. A log-in starts a *family* (its id travels in every token as
`sid`); a refresh marks the presented refresh token used and returns a new pair of the same family.
A refresh token presented again after it was used has leaked (someone else used it first, or is
using it now), so the whole family is revoked. Access tokens are checked on every request against
the account (still active?) and their family (logged out? compromised?), so a log-out or a
disabled account ends API access at once rather than when the last access token expires.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import RefreshToken, User, utcnow
from i18n import lazy_text
from services.accounts import UserInfo, user_info
from services.errors import AccountDisabled, ServiceError
from services.settings import get_settings

ISSUER = 'speakroom'
AUDIENCE = 'speakroom-api'
ALGORITHM = 'HS256'
ACCESS, REFRESH = 'access', 'refresh'
# Clock skew tolerated between app replicas (for iat and exp).
LEEWAY_SECONDS = 5
# Ours are about 400 characters; anything far longer is not worth parsing.
MAX_TOKEN_LENGTH = 2048


class InvalidToken(ServiceError):
    """Malformed, tampered with, expired, of the wrong type, revoked or reused (never told apart)."""

    def __init__(self) -> None:
        super().__init__(lazy_text('The token is invalid or has expired. Log in again or refresh it.'))


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_in: int  # seconds
    refresh_expires_in: int


async def issue_tokens(user_id: int, now: datetime | None = None) -> TokenPair:
    """A new family for an account that just proved who it is (the caller checked the password)."""
    now = now or utcnow()
    async with sessionmaker().begin() as session:
        user = await session.get(User, user_id)
        if user is None or not user.is_active:
            raise AccountDisabled
        # This user's expired rows cannot be used any more (their JWTs fail on exp): tidy them up here.
        await session.execute(
            delete(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.expires_at < now)
        )
        return _new_pair(session, user_id, secrets.token_hex(16), now)


async def rotate(refresh_token: str, now: datetime | None = None) -> TokenPair:
    """Exchange a refresh token for a new pair; a reused one revokes its family and raises InvalidToken."""
    claims = _decode(refresh_token, REFRESH)
    now = now or utcnow()
    async with sessionmaker().begin() as session:
        # One atomic statement claims the token, so of two refreshes racing with it exactly one wins.
        claimed = (
            await session.execute(
                update(RefreshToken)
                .where(
                    RefreshToken.jti == claims['jti'],
                    RefreshToken.user_id == int(claims['sub']),
                    RefreshToken.used_at.is_(None),
                    RefreshToken.revoked_at.is_(None),
                    RefreshToken.expires_at > now,
                )
                .values(used_at=now)
                .returning(RefreshToken.family_id)
            )
        ).first()
        user = await session.get(User, int(claims['sub']))
        if claimed is None or user is None or not user.is_active:
            # Reuse (or a disabled account): end the whole family. Committed, then refused below.
            await _revoke_family(session, claims['sid'], now)
            pair, disabled = None, user is not None and not user.is_active
        else:
            pair, disabled = _new_pair(session, user.id, claimed.family_id, now), False
    if disabled:
        raise AccountDisabled
    if pair is None:
        raise InvalidToken
    return pair


async def revoke(refresh_token: str) -> None:
    """Log out: the refresh token's family ends, with every access token issued from it."""
    claims = _decode(refresh_token, REFRESH)
    async with sessionmaker().begin() as session:
        await _revoke_family(session, claims['sid'], utcnow())


async def authenticate(access_token: str) -> UserInfo:
    """The account an access token stands for; InvalidToken, or AccountDisabled when it was disabled."""
    claims = _decode(access_token, ACCESS)
    async with sessionmaker().begin() as session:
        user = await session.get(User, int(claims['sub']))
        family_alive = await session.scalar(
            select(
                exists().where(
                    RefreshToken.family_id == claims['sid'],
                    RefreshToken.user_id == int(claims['sub']),
                    RefreshToken.revoked_at.is_(None),
                )
            )
        )
        if user is None or not family_alive:
            raise InvalidToken
        if not user.is_active:
            raise AccountDisabled
        return user_info(user)


def _new_pair(session: AsyncSession, user_id: int, family_id: str, now: datetime) -> TokenPair:
    settings = get_settings()
    access_ttl = timedelta(minutes=settings.access_token_minutes)
    refresh_ttl = timedelta(days=settings.refresh_token_days)
    refresh_jti = secrets.token_hex(16)
    session.add(
        RefreshToken(
            jti=refresh_jti,
            user_id=user_id,
            family_id=family_id,
            created_at=now,
            expires_at=now + refresh_ttl,
        )
    )
    return TokenPair(
        access_token=_encode(user_id, family_id, ACCESS, secrets.token_hex(16), now, access_ttl),
        refresh_token=_encode(user_id, family_id, REFRESH, refresh_jti, now, refresh_ttl),
        access_expires_in=int(access_ttl.total_seconds()),
        refresh_expires_in=int(refresh_ttl.total_seconds()),
    )


async def _revoke_family(session: AsyncSession, family_id: str, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def _encode(user_id: int, family_id: str, token_type: str, jti: str, now: datetime, ttl: timedelta) -> str:
    issued = int(now.timestamp())
    claims = {
        'iss': ISSUER,
        'aud': AUDIENCE,
        'sub': str(user_id),
        'type': token_type,
        'jti': jti,
        'sid': family_id,
        'iat': issued,
        'exp': issued + int(ttl.total_seconds()),
    }
    return jwt.encode(
        {'alg': ALGORITHM, 'typ': 'JWT'}, claims, _signing_key(get_settings().resolved_secret_key())
    )


def _decode(token: str, token_type: str) -> dict[str, Any]:
    """The checked claims of one of our tokens of `token_type`; InvalidToken for anything else."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken
    required = {'essential': True}
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={'essential': True, 'value': ISSUER},
        aud={'essential': True, 'value': AUDIENCE},
        type={'essential': True, 'value': token_type},
        sub=required,
        jti=required,
        sid=required,
        iat=required,
        exp=required,
    )
    try:
        claims = jwt.decode(
            token, _signing_key(get_settings().resolved_secret_key()), algorithms=[ALGORITHM]
        ).claims
        registry.validate(claims)
    except (JoseError, ValueError, TypeError, AttributeError):  # whatever a forged token trips over
        raise InvalidToken from None
    if not (isinstance(claims['sub'], str) and claims['sub'].isdigit() and isinstance(claims['sid'], str)):
        raise InvalidToken
    return claims


@cache
def _signing_key(secret: str) -> OctKey:
    # A key of its own, derived from SECRET_KEY: a JWT signature can never double as a session cookie's.
    return OctKey.import_key(hmac.new(secret.encode(), b'speakroom/api-jwt/v1', hashlib.sha256).digest())
