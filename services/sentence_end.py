"""Replies cut off at the token limit end at their last whole sentence."""

import re

# Where a sentence ends: . ! ? … before a space or the end (then closing quotes or brackets), or the
# full-width 。！？ of Japanese and Chinese, which need no space after them.
SENTENCE_END = re.compile(r'[.!?…]["”’)\]]*(?=\s|$)|[。！？][」』]*')


def end_at_sentence(text: str) -> str:
    """A reply cut off at the token limit, ended at its last complete sentence (or with '…' when
    that would drop most of it), so the learner never reads half a sentence."""
    text = text.rstrip()
    ends = [match.end() for match in SENTENCE_END.finditer(text)]
    if ends and ends[-1] >= len(text) * 0.4:
        return text[: ends[-1]].rstrip()
    return text + '…' if text else text
