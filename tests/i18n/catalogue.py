"""The marked texts of the sources (Babel's extraction) against the Korean and Japanese catalogues."""

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from i18n.catalog import load

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ('pages', 'ui', 'services', 'api')
KEYWORDS = {'_': None, 'ngettext': (1, 2), 'lazy_text': None, 'lazy_plural': (1, 2)}
PLACEHOLDER = re.compile(r'\{[^{}]*\}')


def extracted() -> dict[str | tuple[str, str], str]:
    """Every marked message id → where it was first found."""
    found: dict[str | tuple[str, str], str] = {}
    for directory in SOURCE_DIRS:
        for filename, line, message, _comments, _context in extract_from_dir(
            ROOT / directory, method_map=[('**.py', 'python')], keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else tuple(message[:2])
            found.setdefault(key, f'{directory}/{filename}:{line}')
    return found


def missing(language: str) -> list[str]:
    """Marked messages without a usable translation (absent, empty or fuzzy) in `language`."""
    catalog = load(language) or Catalog(locale=language)
    gaps = []
    for key, where in extracted().items():
        message = catalog.get(key)
        strings = message.string if message is not None else None
        forms = strings if isinstance(strings, tuple | list) else (strings,)
        if message is None or message.fuzzy or not all(forms):
            gaps.append(f'{where}: {key!r}')
    return gaps


def placeholder_mismatches(language: str) -> list[str]:
    catalog = load(language)
    wrong = []
    for message in catalog or ():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) - expected:
                wrong.append(f'{ids[0]!r} → {string!r}')
    return wrong
