"""What the room services say to a person, in the reader's language: validation messages, level and
language names (issue 16). The English tables of services/rooms.py stay as they are: prompts read them."""

from babel import Locale

from i18n import PSEUDO_LANGUAGE, LazyText, current_language, lazy_text

# What the editor's `Level` select shows beside each code (rooms.LEVELS is the English the prompts use).
LEVEL_LABELS: dict[str, LazyText] = {
    'A1': lazy_text('beginner'), 'A2': lazy_text('elementary'), 'B1': lazy_text('intermediate'),
    'B2': lazy_text('upper intermediate'), 'C1': lazy_text('advanced'), 'C2': lazy_text('proficient'),
}  # fmt: skip
# One whole sentence per field: a field's name glued into a sentence reads wrong in Korean and Japanese.
REQUIRED: dict[str, LazyText] = {
    'title': lazy_text('Title is required.'),
    'situation': lazy_text('Situation is required.'),
    'ai_role': lazy_text('AI role is required.'),
    'my_role': lazy_text('My role is required.'),
}


def too_long(field: str, limit: int) -> LazyText:
    """`<Field> must be at most <limit> characters.` for one of the room's text fields."""
    if field == 'title':
        return lazy_text('Title must be at most {limit} characters.', limit=limit)
    if field == 'situation':
        return lazy_text('Situation must be at most {limit} characters.', limit=limit)
    if field == 'ai_role':
        return lazy_text('AI role must be at most {limit} characters.', limit=limit)
    if field == 'my_role':
        return lazy_text('My role must be at most {limit} characters.', limit=limit)
    return lazy_text('Extra instructions must be at most {limit} characters.', limit=limit)


def language_name(code: str, english: str) -> str:
    """The name of the language `code` (`english` in English) as the reader's language writes it
    (Babel's CLDR names: '영어' for a Korean reader); English and the pseudo-language keep `english`."""
    reader = current_language()
    if reader in ('en', PSEUDO_LANGUAGE):
        return english
    return Locale.parse(reader).languages.get(code, english)
