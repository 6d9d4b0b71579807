"""Relative times: the English of today, and Korean and Japanese as those languages say them."""

from datetime import UTC, datetime, timedelta

import pytest

from i18n import using_language
from ui.time import relative_time

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
AGES = (
    timedelta(seconds=20),
    timedelta(minutes=5),
    timedelta(hours=3),
    timedelta(hours=30),
    timedelta(days=12),
)


@pytest.mark.parametrize(
    ('language', 'expected'),
    [
        ('en', ['just now', '5 min ago', '3 h ago', 'yesterday', '12 days ago']),
        ('ko', ['방금 전', '5분 전', '3시간 전', '어제', '12일 전']),
        ('ja', ['たった今', '5分前', '3時間前', '昨日', '12日前']),
    ],
)
def test_recent_moments_read_naturally(language: str, expected: list[str]) -> None:
    """Seconds, minutes, hours, yesterday and days ago, in the reader's language."""
    with using_language(language):
        assert [relative_time(NOW - age, NOW) for age in AGES] == expected


def test_older_moments_show_the_date_as_the_language_writes_it() -> None:
    """A month back and more: the date itself (Babel's medium date of the language)."""
    moment = NOW - timedelta(days=40)
    written = {}
    for language in ('en', 'ko', 'ja'):
        with using_language(language):
            written[language] = relative_time(moment, NOW)
    assert written == {'en': 'Oct 20, 2026', 'ko': '2026. 10. 20.', 'ja': '2026/10/20'}
