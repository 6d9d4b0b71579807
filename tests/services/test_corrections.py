"""The guards on corrections, without a model: whole-word placement, diffs of rewrites, caps."""

from services.corrections import (
    ProposedCorrection,
    TurnFeedback,
    apply_edits,
    edits_from_rewrite,
    guarded_edits,
)


def proposal(corrected: str, *edits: tuple[str, str]) -> TurnFeedback:
    corrections = [ProposedCorrection(original=original, replacement=new) for original, new in edits]
    return TurnFeedback(has_errors=True, corrected=corrected, corrections=corrections)


def test_an_edit_is_placed_on_whole_words_only() -> None:
    """'a' → 'an' edits the article, never the 'a' inside 'want'; each edit takes the next free place."""
    text = 'I want to buy a apple and a orange.'
    edits = guarded_edits(text, proposal('', ('a', 'an'), ('a', 'an')), mode='full', spoken=False)
    assert [(edit.start, edit.end) for edit in edits] == [(14, 15), (26, 27)]
    assert apply_edits(text, edits) == 'I want to buy an apple and an orange.'


def test_a_rewrite_edits_the_word_that_changed_even_when_it_repeats() -> None:
    """Rung C: the second 'will' is the one removed, and a moved phrase keeps the sentence readable."""
    cases = {
        'I will call you when I will arrive.': 'I will call you when I arrive.',
        'My sister is older than me two years.': 'My sister is two years older than me.',
        'Yesterday I go to the school with my friend.': 'Yesterday I went to school with my friend.',
    }
    for text, rewrite in cases.items():
        edits = edits_from_rewrite(text, rewrite, mode='full', spoken=False)
        assert apply_edits(text, edits) == rewrite
        assert all(edit.category == 'other' for edit in edits)


def test_a_rewrite_that_only_changes_case_means_no_errors() -> None:
    """Equal ignoring case and spacing: nothing to show (the guard's rule)."""
    assert edits_from_rewrite('my english is good.', 'My English is good.', mode='full', spoken=False) == []
