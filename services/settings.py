"""The one place configuration comes from: environment variables and `.env` (see SPEC's table)."""

import os
import secrets
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from i18n import SUPPORTED_LANGUAGES, set_default_language

SECRET_KEY_FILE = 'secret_key'  # noqa: S105 (a file name, not a secret)


class Settings(BaseSettings):
    """Every setting of SpeakRoom; names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file='.env', env_file_encoding='utf-8', extra='ignore')

    host: str = '127.0.0.1'
    port: int = Field(default=8080, ge=1, le=65535)
    data_dir: Path = Path('./data')
    database_url: str = 'sqlite:///./data/speakroom.db'
    secret_key: SecretStr | None = None

    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    openai_api_key: SecretStr | None = None
    # Prompt plus reply budget of the configured server's model, and how long one reply may take.
    llm_context_tokens: int = Field(default=8192, ge=512)
    llm_timeout_seconds: float = Field(default=60.0, gt=0)

    daily_quota: int = Field(default=5, ge=0, le=10_000)
    quota_timezone: str = 'Asia/Seoul'
    tts_engine: str = 'auto'
    # Size cap of the shared audio cache; the least recently played clips go first.
    tts_cache_megabytes: int = Field(default=200, ge=1)

    github_client_id: str | None = None
    github_client_secret: SecretStr | None = None
    github_authorize_url: str = 'https://github.com/login/oauth/authorize'
    github_token_url: str = 'https://github.com/login/oauth/access_token'  # noqa: S105 (a URL)
    github_api_base_url: str = 'https://api.github.com/'
    kakao_client_id: str | None = None
    kakao_client_secret: SecretStr | None = None
    kakao_authorize_url: str = 'https://kauth.kakao.com/oauth/authorize'
    kakao_token_url: str = 'https://kauth.kakao.com/oauth/token'  # noqa: S105 (a URL)
    kakao_api_base_url: str = 'https://kapi.kakao.com/'
    # The address users reach the app at (e.g. https://speak.example.com), for OAuth callback URLs behind
    # a proxy; unset: taken from each request.
    public_base_url: str | None = None

    admin_usernames: str = ''
    stt_model_path: Path | None = None
    stt_base_url: str | None = None
    stt_api_key: SecretStr | None = None
    stt_model: str | None = None  # the model name on an STT_BASE_URL server (default whisper-1)

    # Wrong passwords allowed per account from one client address within the window before further
    # attempts must wait (30 s, doubling up to the window; services/throttle.py).
    login_max_failures: int = Field(default=5, ge=1)
    login_failure_window_seconds: int = Field(default=15 * 60, ge=1)
    # bcrypt work factor; tests lower it, production keeps the default.
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    # Secure cookies need HTTPS; turn on behind a TLS-terminating proxy.
    https_only_cookies: bool = False
    # REST API (/api): lifetimes of its JWTs, and the browser origins (a comma list, e.g.
    # https://app.example.com) allowed to call it from other sites; empty keeps CORS off.
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=7, ge=1, le=365)
    cors_origins: str = ''
    # Addresses (comma list; CIDR ranges allowed) of reverse proxies whose X-Forwarded-For/-Proto are
    # believed; empty trusts none, so request.client.host is the connecting address.
    trusted_proxies: str = ''
    # The learner's stored recordings: how many per account (the oldest go first) and for how many days.
    max_recordings_per_account: int = Field(default=100, ge=1)
    recording_retention_days: int = Field(default=30, ge=1)
    # Wrong passwords allowed from one client address (any accounts, against password spraying) within
    # LOGIN_FAILURE_WINDOW_SECONDS, and sign-ups per address per window; then growing waits. Raise them
    # when a classroom shares one public address (and set TRUSTED_PROXIES behind a proxy).
    login_address_max_failures: int = Field(default=30, ge=1)
    signup_address_max: int = Field(default=10, ge=1)
    signup_window_seconds: int = Field(default=60 * 60, ge=1)
    # Browser sessions end after this long without a request or an open tab, and this long after the
    # log-in whatever happens; account changes need an authentication at most REAUTH_MINUTES old.
    session_idle_minutes: int = Field(default=120, ge=1, le=30 * 24 * 60)
    session_max_hours: int = Field(default=24, ge=1, le=365 * 24)
    reauth_minutes: int = Field(default=5, ge=1, le=24 * 60)
    # Learning helpers (feedback, translation, word look-up, hints) per user per day, apart from replies.
    daily_help_quota: int = Field(default=50, ge=0, le=100_000)
    # Rooms one account may keep (creation beyond it is refused until one is deleted).
    max_rooms_per_user: int = Field(default=200, ge=1)
    # The interface's language when neither the account, the visitor's menu nor the browser says.
    default_ui_language: str = 'en'
    # Each process's PostgreSQL pool (kept, plus opened at peaks): every process may hold up to their sum,
    # so processes × (both) must stay under PostgreSQL's max_connections (100 by default).
    database_pool_size: int = Field(default=20, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    # On SIGTERM (a deploy, a drain), replies being written get this long to finish before they are stopped.
    drain_seconds: float = Field(default=30.0, ge=0)

    @field_validator('quota_timezone')
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:  # a typo fails at start-up, not at midnight
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'unknown time zone {value!r}, e.g. Asia/Seoul or UTC') from None
        return value

    @field_validator('default_ui_language')
    @classmethod
    def _known_ui_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f'DEFAULT_UI_LANGUAGE must be one of {", ".join(SUPPORTED_LANGUAGES)}')
        return value

    @field_validator('tts_engine')
    @classmethod
    def _known_engine(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in {'auto', 'gtts', 'piper', 'espeak'}:
            raise ValueError('TTS_ENGINE must be one of auto, gtts, piper, espeak')
        return value

    @cached_property
    def admin_set(self) -> frozenset[str]:
        return frozenset(name.strip().lower() for name in self.admin_usernames.split(',') if name.strip())

    @cached_property
    def trusted_proxy_list(self) -> list[str]:
        return [address.strip() for address in self.trusted_proxies.split(',') if address.strip()]

    def resolved_secret_key(self) -> str:
        """SECRET_KEY when set, otherwise the key generated once and kept in the data folder."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        return _stored_secret_key(self.data_dir)


_current: Settings | None = None


def load_settings() -> Settings:
    """Read the environment afresh and make the result the settings every service sees."""
    global _current
    _current = Settings()
    set_default_language(_current.default_ui_language)
    return _current


def get_settings() -> Settings:
    """The settings loaded at start-up (loaded on first use when nothing loaded them yet)."""
    return _current if _current is not None else load_settings()


def _stored_secret_key(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        # Write a private temp file, then hard-link it into place: the link either appears with the
        # whole key or fails because another process won the race, so nobody ever reads half a key.
        temp = data_dir / f'.{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}'
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'w', encoding='utf-8') as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    key = path.read_text(encoding='utf-8').strip()
    if not key:
        raise RuntimeError(f'{path} is empty: delete it or set SECRET_KEY')
    return key
