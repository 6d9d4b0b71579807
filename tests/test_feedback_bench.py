"""The correction-quality benchmark's plumbing on a few sentences, against the fake server (no ERRANT)."""

import pytest

from bench import feedback_quality


async def test_the_benchmark_runs_the_app_feedback_path_on_a_few_sentences() -> None:
    """With the fake server answering each line's gold, the harness reports every line and no false alarm."""
    pairs = feedback_quality.read_pairs()
    assert len(pairs) >= 150  # the data set the issue asks for
    assert sum(line == gold for line, gold in pairs) >= len(pairs) // 5  # a share of correct lines
    row = await feedback_quality.main(limit=8, errant_python=None, fake=True)
    cells = [cell.strip() for cell in row.splitlines()[2].strip('|').split('|')]
    assert cells[1:4] == ['8', '0', 'C']  # 8 lines, none unavailable, the plain-rewrite rung
    correct = sum(line == gold for line, gold in pairs[:8])
    assert cells[-1] == f'0 of {correct}'


def test_false_alarms_count_changes_to_correct_lines_only() -> None:
    """A correct line the app changed is a false alarm; a fixed wrong line is not."""
    pairs = [('I went home.', 'I went home.'), ('I go home yesterday.', 'I went home yesterday.')]
    assert feedback_quality.false_alarms(pairs, ['I went to home.', 'I went home yesterday.']) == (1, 1)
    assert feedback_quality.false_alarms(pairs, ['I went home.', 'I go home yesterday.']) == (0, 1)


pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning')
