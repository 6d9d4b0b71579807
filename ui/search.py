"""Search results: the matching part of a message, with the searched words marked."""

import html
import re

SNIPPET_LENGTH = 180


def snippet_html(text: str, query: str, length: int = SNIPPET_LENGTH) -> str:
    """Escaped HTML of the part of `text` around the first match, every match wrapped in <mark>.

    Case-insensitive like the search itself; an ellipsis shows where text was cut.
    """
    text = ' '.join(text.split())  # line breaks and runs of spaces read badly in a one-paragraph snippet
    pattern = re.compile(re.escape(query.strip()), re.IGNORECASE) if query.strip() else None
    first = pattern.search(text) if pattern else None
    start = 0
    if first is not None and len(text) > length:
        # Put the match about a third of the way in, so the words before it give some context.
        start = max(0, min(first.start() - length // 3, len(text) - length))
        if start:
            space = text.find(' ', start, first.start())
            start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    window = text[start:end]
    pieces = []
    position = 0
    for match in pattern.finditer(window) if pattern else ():
        pieces += [html.escape(window[position : match.start()]), _mark(match.group())]
        position = match.end()
    pieces.append(html.escape(window[position:]))
    return ('…' if start else '') + ''.join(pieces) + ('…' if end < len(text) else '')


def _mark(matched: str) -> str:
    return f'<mark class="search-match">{html.escape(matched)}</mark>'
