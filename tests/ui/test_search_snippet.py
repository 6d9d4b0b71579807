"""Search snippets: the text around the match, escaped, with every match marked."""

from ui.search import snippet_html


def test_short_text_is_whole_with_every_match_marked() -> None:
    """Case-insensitive: each occurrence keeps its own spelling inside <mark>."""
    assert snippet_html('Latte or latte?', 'LATTE') == (
        '<mark class="search-match">Latte</mark> or <mark class="search-match">latte</mark>?'
    )


def test_long_text_is_cut_around_the_match() -> None:
    """A match deep in a long message is shown with context and ellipses on the cut sides."""
    text = ' '.join(f'word{number}' for number in range(200)) + ' coffee ' + 'tail ' * 100
    snippet = snippet_html(text, 'coffee', length=120)
    assert snippet.startswith('…') and snippet.endswith('…')
    assert '<mark class="search-match">coffee</mark>' in snippet
    assert len(snippet) < 200


def test_html_and_script_are_escaped() -> None:
    """Message text never becomes markup; the query's own characters are matched literally."""
    snippet = snippet_html('<script>alert(1)</script> a.b a*b', 'a*b')
    assert '<script>' not in snippet and '&lt;script&gt;' in snippet
    assert snippet.endswith('<mark class="search-match">a*b</mark>')


def test_korean_and_japanese() -> None:
    """CJK text has no case and no spaces between words; the match is still found and marked."""
    assert snippet_html('오늘 점심에 비빔밥을 먹었어요', '비빔밥') == (
        '오늘 점심에 <mark class="search-match">비빔밥</mark>을 먹었어요'
    )
    assert '<mark class="search-match">コーヒー</mark>' in snippet_html('コーヒーをください', 'コーヒー')
