"""Replies cut at the token limit end at their last whole sentence, in any script."""

import pytest

from services.sentence_end import end_at_sentence


@pytest.mark.parametrize(
    ('cut', 'ended'),
    [
        ('Hello there. I am fine! And you are going to the', 'Hello there. I am fine!'),
        ('He said "Sure." Then we', 'He said "Sure."'),
        ('短い文です。次の文は途中で', '短い文です。'),
        ('네, 알겠습니다. 그럼 다음에', '네, 알겠습니다.'),
        ('Hi. This is one very long sentence that goes on and on without an end and', None),
        ('No sentence end at all', 'No sentence end at all…'),
        ('', ''),
    ],
)
def test_end_at_sentence(cut: str, ended: str | None) -> None:
    """The last sentence end wins unless it would drop most of the reply (then an ellipsis)."""
    assert end_at_sentence(cut) == (ended if ended is not None else cut + '…')
