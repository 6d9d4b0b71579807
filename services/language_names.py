"""Names of the rooms' languages in the reader's language (Babel's CLDR names: 영어, 韓国語, English)."""

from babel import Locale

from i18n import PSEUDO_LANGUAGE, current_language
from services.rooms import LANGUAGES


def language_name(code: str) -> str:
    """The language `code` (ISO 639-1) named in the language being served; the English name otherwise."""
    reader = current_language()
    names = Locale.parse('en' if reader == PSEUDO_LANGUAGE else reader).languages
    return names.get(code) or LANGUAGES.get(code, code)
