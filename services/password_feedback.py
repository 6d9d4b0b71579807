"""zxcvbn's feedback sentences (it speaks English only) as catalogue messages, so a refused password's
reason reads in the learner's language. A sentence a newer zxcvbn adds stays English until listed here."""

from i18n import LazyText, lazy_text

# Every warning and suggestion of zxcvbn 4.x (zxcvbn/feedback.py), word for word.
KNOWN_SENTENCES: dict[str, LazyText] = {
    text.singular: text
    for text in (
        lazy_text('Use a few words, avoid common phrases.'),
        lazy_text('No need for symbols, digits, or uppercase letters.'),
        lazy_text('Add another word or two. Uncommon words are better.'),
        lazy_text('Straight rows of keys are easy to guess.'),
        lazy_text('Short keyboard patterns are easy to guess.'),
        lazy_text('Use a longer keyboard pattern with more turns.'),
        lazy_text('Repeats like "aaa" are easy to guess.'),
        lazy_text('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        lazy_text('Avoid repeated words and characters.'),
        lazy_text('Sequences like "abc" or "6543" are easy to guess.'),
        lazy_text('Avoid sequences.'),
        lazy_text('Recent years are easy to guess.'),
        lazy_text('Avoid recent years.'),
        lazy_text('Avoid years that are associated with you.'),
        lazy_text('Dates are often easy to guess.'),
        lazy_text('Avoid dates and years that are associated with you.'),
        lazy_text('This is a top-10 common password.'),
        lazy_text('This is a top-100 common password.'),
        lazy_text('This is a very common password.'),
        lazy_text('This is similar to a commonly used password.'),
        lazy_text('A word by itself is easy to guess.'),
        lazy_text('Names and surnames by themselves are easy to guess.'),
        lazy_text('Common names and surnames are easy to guess.'),
        lazy_text("Capitalization doesn't help very much."),
        lazy_text('All-uppercase is almost as easy to guess as all-lowercase.'),
        lazy_text("Reversed words aren't much harder to guess."),
        lazy_text("Predictable substitutions like '@' instead of 'a' don't help very much."),
    )
}


def translated(sentence: str) -> LazyText | str:
    """zxcvbn's `sentence` as a lazy catalogue text; one it does not know stays as it is (English)."""
    return KNOWN_SENTENCES.get(sentence, sentence)
