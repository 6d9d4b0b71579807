"""Every marked text has a Korean and a Japanese translation, and no text on a page escapes the catalogue."""

import pytest

from tests.i18n.catalogue import extracted, missing, placeholder_mismatches
from tests.i18n.scan import ROOT, scan


@pytest.mark.parametrize('language', ['ko', 'ja'])
def test_catalogue_is_complete(language: str) -> None:
    """No marked text lacks a translation (a missing entry shows English in the middle of Korean)."""
    gaps = missing(language)
    assert not gaps, f'{len(gaps)} texts without a {language} translation:\n' + '\n'.join(gaps)


@pytest.mark.parametrize('language', ['ko', 'ja'])
def test_translations_keep_their_placeholders(language: str) -> None:
    """A translation never names a placeholder the English does not fill (it would fail when shown)."""
    assert not placeholder_mismatches(language)


def test_sources_mark_their_texts() -> None:
    """The extraction finds the interface's texts (the scan below would pass on an empty catalogue too)."""
    assert len(extracted()) > 300


def test_no_visible_literal_bypasses_the_catalogue() -> None:
    """Pages and components pass every visible text through `_()` (or a lazy text)."""
    paths = sorted((ROOT / 'pages').rglob('*.py')) + sorted((ROOT / 'ui').rglob('*.py'))
    findings = scan(paths)
    assert not findings, f'{len(findings)} texts outside the catalogue:\n' + '\n'.join(map(str, findings))


def test_no_translation_hides_in_an_f_string() -> None:
    """Services and the API too: a `_()` inside an f-string is never extracted, so it would stay English."""
    paths = [path for folder in ('services', 'api') for path in sorted((ROOT / folder).rglob('*.py'))]
    hidden = [
        finding for finding in scan(paths) if finding.text.endswith('inside an f-string is not extracted')
    ]
    assert not hidden, '\n'.join(map(str, hidden))


def test_the_scan_sees_a_literal(tmp_path) -> None:
    """The scanner catches a bare label, a props label, an f-string label, a non-literal message id and a
    translation inside an f-string (Babel skips it, so it would stay English)."""
    module = ROOT / 'tests' / 'i18n' / '_scan_sample.py'
    module.write_text(
        'from nicegui import ui\n'
        "ui.label('Good morning')\n"
        "ui.button(icon='menu').props('flat aria-label=\"Open menu\"')\n"
        "ui.notify(f'Saved {name}.')\n"
        'ui.label(_(text))\n'
        "ui.label(_('Fine')).classes('text-h6 q-my-none')\n"
        'ui.button(icon=\'x\').props(f\'aria-label="{_("Close")}"\')\n'
    )
    try:
        texts = [finding.text for finding in scan([module])]
    finally:
        module.unlink()
    assert texts == [
        'Good morning',
        'Open menu',
        'Saved ',
        '_() of something that is not a string literal',
        '_() inside an f-string is not extracted',
    ]
