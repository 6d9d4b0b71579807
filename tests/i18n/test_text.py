"""The translation functions: language choice, plurals, lazy texts, the pseudo-language, Babel formats."""

from datetime import UTC, datetime

from i18n import (
    PSEUDO_LANGUAGE,
    _,
    format_date,
    format_decimal,
    lazy_text,
    negotiate,
    ngettext,
    using_language,
)
from i18n.catalog import pseudo


def test_accept_language_picks_the_best_supported_language() -> None:
    """q-values rank the browser's languages; unknown ones are skipped; nothing supported gives None."""
    assert negotiate('ko-KR,ko;q=0.9,en-US;q=0.8') == 'ko'
    assert negotiate('fr-FR, ja;q=0.5, en;q=0.3') == 'ja'
    assert negotiate('en;q=0.2, ko;q=0.9') == 'ko'
    assert negotiate('de, fr') is None
    assert negotiate('ko;q=0, en') == 'en'
    assert negotiate('') is None
    assert negotiate('en-XA') == PSEUDO_LANGUAGE


def test_korean_and_english_of_one_text() -> None:
    """The same call speaks the language chosen for the block; English is the message itself."""
    with using_language('ko'):
        korean = _('Log in')
    with using_language('en'):
        english = _('Log in')
    assert english == 'Log in'
    assert korean == '로그인'


def test_placeholders_are_filled_after_translation() -> None:
    """`{name}` is filled in the translated sentence (never glued from pieces)."""
    with using_language('en'):
        assert _('Welcome, {name}!', name='Mina') == 'Welcome, Mina!'


def test_plural_forms_follow_the_count() -> None:
    """English has one and many; `{count}` is filled."""
    with using_language('en'):
        assert ngettext('{count} word', '{count} words', 1) == '1 word'
        assert ngettext('{count} word', '{count} words', 3) == '3 words'


def test_a_lazy_text_speaks_the_language_of_when_it_is_shown() -> None:
    """Made once (as a service error is), shown in each reader's language."""
    text = lazy_text('Log in')
    with using_language('ko'):
        assert str(text) == '로그인'
    with using_language('en'):
        assert str(text) == 'Log in'


def test_pseudo_language_marks_every_translated_text() -> None:
    """⟦…⟧ around accented letters; placeholders kept, so filled values stay readable."""
    assert pseudo('Save {word}') == '⟦Šàṽé {word}⟧'
    with using_language(PSEUDO_LANGUAGE):
        assert _('Save {word}', word='apple') == '⟦Šàṽé apple⟧'


def test_dates_and_numbers_follow_the_language() -> None:
    """Babel's CLDR formats: 2026년 11월 29일 in Korean, Nov 29, 2026 in English."""
    moment = datetime(2026, 11, 29, 9, 5, tzinfo=UTC)
    with using_language('ko'):
        assert format_date(moment, 'long') == '2026년 11월 29일'
    with using_language('ja'):
        assert format_date(moment, 'long') == '2026年11月29日'
    with using_language('en'):
        assert format_date(moment, 'long') == 'November 29, 2026'
        assert format_decimal(1234.5) == '1,234.5'


def test_the_page_walker_tells_marked_from_unmarked_text() -> None:
    """English outside ⟦…⟧ is reported; marked text, given data, names and Babel's dates are not."""
    from tests.pages.pseudo_language import unmarked

    texts = ['⟦Šàṽé⟧', 'Save', '⟦Ðéļéţé {x}⟧ Morning café', 'Monday, November 30, 2026 9:25 AM', 'SpeakRoom']
    assert unmarked(texts, {'Morning café'}) == ['Save']
