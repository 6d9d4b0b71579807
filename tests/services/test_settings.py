"""Settings: environment variables, and the secret key kept in the data folder."""

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.settings import Settings


def test_defaults_match_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing set, the documented defaults apply."""
    monkeypatch.delenv('DATABASE_URL')
    settings = Settings()
    assert (settings.host, settings.port, settings.daily_quota) == ('127.0.0.1', 8080, 5)
    assert settings.database_url == 'sqlite:///./data/speakroom.db'
    assert (settings.quota_timezone, settings.tts_engine) == ('Asia/Seoul', 'auto')


def test_secret_key_is_generated_once_and_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without SECRET_KEY a random key is stored (owner-only) and reused on the next start."""
    monkeypatch.delenv('SECRET_KEY')
    monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
    first = Settings().resolved_secret_key()
    second = Settings().resolved_secret_key()
    key_file = tmp_path / 'data' / 'secret_key'
    assert first == second
    assert len(first) >= 40
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert list((tmp_path / 'data').iterdir()) == [key_file]  # no temp file left behind


def test_explicit_secret_key_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """SECRET_KEY from the environment is used as given."""
    monkeypatch.setenv('SECRET_KEY', 'from-the-environment')
    assert Settings().resolved_secret_key() == 'from-the-environment'


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A .env file in the working directory configures the app."""
    (tmp_path / '.env').write_text('DAILY_QUOTA=7\nADMIN_USERNAMES=Teacher, boss\n')
    settings = Settings()
    assert settings.daily_quota == 7
    assert settings.admin_set == {'teacher', 'boss'}


@pytest.mark.parametrize(
    ('name', 'value'), [('QUOTA_TIMEZONE', 'Mars/Olympus'), ('TTS_ENGINE', 'loud'), ('PORT', '0')]
)
def test_bad_values_fail_at_start(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """A typo in the configuration is refused when the settings load, not later."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
