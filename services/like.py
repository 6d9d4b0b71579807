"""Literal substring search with SQL LIKE: the user's `%`, `_` and `\\` find themselves, not patterns."""

LIKE_ESCAPE = '\\'


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere; use it with `escape=LIKE_ESCAPE`."""
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace('%', f'{LIKE_ESCAPE}%')
        .replace('_', f'{LIKE_ESCAPE}_')
    )
    return f'%{escaped}%'
