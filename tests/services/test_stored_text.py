"""Texts written by background tasks are stored in English and shown in the reader's language."""

from i18n import using_language
from services import chat
from services.llm.base import LLMRateLimited, LLMUnavailable
from services.stored_text import english


def test_an_error_is_stored_in_english_whoever_is_served() -> None:
    """A reply's error made while Korean is served is still stored as the English message."""
    with using_language('ko'):
        stored = english(LLMUnavailable('the connection broke'))
        assert str(LLMRateLimited()).startswith('AI 서비스가 혼잡해요')
    assert stored == 'The AI partner cannot be reached right now. (the connection broke)'


def test_a_stored_error_is_shown_in_the_readers_language() -> None:
    """Exact messages and messages made from a template (their values kept) are translated when shown."""
    with using_language('ja'):
        assert chat.error_text(english(LLMRateLimited())).startswith('AIサービスが混み合っています')
        assert (
            chat.error_text(english(LLMUnavailable('HTTP 502')))
            == '現在、AIパートナーに接続できません。（HTTP 502）'
        )
        assert chat.error_text('Something nobody marked.') == 'Something nobody marked.'
    with using_language('en'):
        assert chat.error_text(english(LLMUnavailable('HTTP 502'))).endswith('right now. (HTTP 502)')
