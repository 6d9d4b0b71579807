"""Corrections of a learner's line: the `turn_feedback` contract and the guards that check the model.

Pure functions, no database: what the model proposed goes in, the edits the app believes come out.
LLMs over-correct, so every edit is checked against what the learner actually wrote (LEARNING.md):
an edit whose `original` is not in the text is dropped, offsets and the word-level diff are computed
here, a `corrected` equal to the input (ignoring case and spacing) means no errors, Gentle keeps at
most 2 edits and Full 5 (highest severity first), and on spoken turns punctuation, casing and
spelling edits are dropped (they are the recogniser's, not the learner's).
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from i18n import LazyText, lazy_text

Category = Literal[
    'article', 'preposition', 'verb_tense', 'agreement', 'verb_form', 'noun_number', 'pronoun', 'word_order',
    'word_choice', 'missing_word', 'extra_word', 'spelling', 'punctuation_casing', 'other',
]  # fmt: skip
Severity = Literal['high', 'medium', 'low']
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
# The categories as a learner reads them: the feedback card's chips, the report, /mistakes, /progress.
CATEGORY_LABELS: dict[str, LazyText] = {
    'article': lazy_text('Article'), 'preposition': lazy_text('Preposition'),
    'verb_tense': lazy_text('Verb tense'), 'agreement': lazy_text('Agreement'),
    'verb_form': lazy_text('Verb form'), 'noun_number': lazy_text('Singular/plural'),
    'pronoun': lazy_text('Pronoun'), 'word_order': lazy_text('Word order'),
    'word_choice': lazy_text('Word choice'), 'missing_word': lazy_text('Missing word'),
    'extra_word': lazy_text('Extra word'), 'spelling': lazy_text('Spelling'),
    'punctuation_casing': lazy_text('Punctuation'), 'other': lazy_text('Other'),
}  # fmt: skip


def category_label(category: str) -> str:
    """The category's name in the reader's language (an unknown one reads as 'Other')."""
    return str(CATEGORY_LABELS.get(category, CATEGORY_LABELS['other']))


SEVERITY_RANK = {'high': 0, 'medium': 1, 'low': 2}
EDIT_CAPS = {'gentle': 2, 'full': 5}
SPOKEN_DROPPED = frozenset({'punctuation_casing', 'spelling'})
WORD = re.compile(r'\S+')
NOT_LETTERS = re.compile(r'[^\w]+')


class ProposedCorrection(BaseModel):
    original: str
    replacement: str
    category: Category = 'other'
    severity: Severity = 'medium'
    explanation: str = ''

    @field_validator('category', mode='before')
    @classmethod
    def _known_category(cls, value: object) -> object:
        return value if value in CATEGORIES else 'other'  # a category of its own invention is still an edit

    @field_validator('severity', mode='before')
    @classmethod
    def _known_severity(cls, value: object) -> object:
        return value if value in SEVERITY_RANK else 'medium'


class MissionDone(BaseModel):
    id: str
    evidence: str


class TurnFeedback(BaseModel):
    """The `turn_feedback` answer (LEARNING.md); also its JSON schema, sent as `response_format`."""

    has_errors: bool
    corrected: str
    natural_alternative: str = ''
    corrections: list[ProposedCorrection] = Field(default_factory=list)
    missions_done: list[MissionDone] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A piece of a word-level diff: kept, removed or added words (with their spacing)."""

    kind: Literal['same', 'removed', 'added']
    text: str


@dataclass(frozen=True, slots=True)
class Edit:
    """An edit the app accepted, located in the learner's text by the app (never by the model)."""

    original: str
    replacement: str
    category: str
    severity: str
    explanation: str
    start: int
    end: int


def guarded_edits(text: str, proposed: TurnFeedback, *, mode: str, spoken: bool) -> list[Edit]:
    """The edits to show for the learner's `text`, highest severity first, capped for `mode`."""
    if same_sentence(proposed.corrected, text):
        return []
    taken: list[tuple[int, int]] = []
    edits: list[Edit] = []
    for item in sorted(proposed.corrections, key=lambda item: SEVERITY_RANK[item.severity]):
        original, replacement = item.original.strip(), item.replacement.strip()
        if not original or original == replacement:
            continue
        span = _free_span(text, original, taken)
        if span is None:  # not what the learner wrote: an invented or misquoted edit
            continue
        taken.append(span)
        edits.append(
            Edit(original, replacement, item.category, item.severity, item.explanation.strip(), *span)
        )
    return _shown(edits, mode=mode, spoken=spoken)


def edits_from_rewrite(text: str, rewrite: str, *, mode: str, spoken: bool) -> list[Edit]:
    """Rung C: the word-level differences between the text and a plain rewrite, as edits of category 'other'.

    The spans come from the diff itself (no search), so a repeated word is never edited in the wrong place.
    """
    if same_sentence(rewrite, text):
        return []
    edits = [
        Edit(text[start:end], replacement, 'other', 'medium', '', start, end)
        for start, end, replacement in _changed_spans(text, rewrite)
    ]
    return _shown(edits, mode=mode, spoken=spoken)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """The learner's text with the accepted edits applied (what `Better:` shows)."""
    result = text
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        start, end = edit.start, edit.end
        if not edit.replacement:  # a deleted word takes one of its spaces along: 'to  school' reads wrong
            if end < len(result) and result[end] == ' ' and (start == 0 or result[start - 1] == ' '):
                end += 1
            elif start > 0 and result[start - 1] == ' ':
                start -= 1
        result = result[:start] + edit.replacement + result[end:]
    return result


def word_diff(before: str, after: str) -> tuple[DiffPart, ...]:
    """Removed and added words between two texts, for the UI to render (spacing kept with each word)."""
    old, new = re.findall(r'\S+\s*', before), re.findall(r'\S+\s*', after)
    parts: list[DiffPart] = []
    matcher = SequenceMatcher(
        a=[word.strip() for word in old], b=[word.strip() for word in new], autojunk=False
    )
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == 'equal':
            parts.append(DiffPart('same', ''.join(new[b_start:b_end])))
            continue
        if a_end > a_start:
            parts.append(DiffPart('removed', ''.join(old[a_start:a_end])))
        if b_end > b_start:
            parts.append(DiffPart('added', ''.join(new[b_start:b_end])))
    return tuple(parts)


def same_sentence(first: str, second: str) -> bool:
    """Equal ignoring case and spacing (the guard's 'no errors')."""
    return ' '.join(first.lower().split()) == ' '.join(second.lower().split())


def plausible_rewrite(text: str, rewrite: str) -> bool:
    """A rung-C answer is usable when it is one line that keeps most of the learner's words."""
    rewrite = rewrite.strip().strip('"“”')
    if not rewrite or '\n' in rewrite or '{' in rewrite or len(rewrite) > 2 * len(text) + 20:
        return False
    words = SequenceMatcher(a=text.lower().split(), b=rewrite.lower().split(), autojunk=False)
    return words.ratio() >= 0.5


def _changed_spans(text: str, rewrite: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) per changed run of words; an insertion takes the word before it along."""
    old = [(match.group(), match.start(), match.end()) for match in WORD.finditer(text)]
    new = [match.group() for match in WORD.finditer(rewrite.strip().strip('"“”'))]
    matcher = SequenceMatcher(a=[word for word, _, _ in old], b=new, autojunk=False)
    spans: list[tuple[int, int, str]] = []
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == 'equal':
            continue
        if a_start == a_end:  # pure insertion: anchor it on the previous (or next) word
            if a_start > 0:
                a_start, b_start = a_start - 1, b_start - 1
            elif a_end < len(old):
                a_end, b_end = a_end + 1, b_end + 1
            else:
                continue
        spans.append((old[a_start][1], old[a_end - 1][2], ' '.join(new[b_start:b_end])))
    return spans


def _shown(edits: list[Edit], *, mode: str, spoken: bool) -> list[Edit]:
    """Spoken lines lose the recogniser's edits (punctuation, casing, spelling); then the mode's cap."""
    if spoken:
        edits = [
            edit
            for edit in edits
            if edit.category not in SPOKEN_DROPPED and _letters(edit.original) != _letters(edit.replacement)
        ]
    ranked = sorted(edits, key=lambda edit: SEVERITY_RANK.get(edit.severity, 1))  # stable: text order kept
    return ranked[: EDIT_CAPS.get(mode, EDIT_CAPS['gentle'])]


def _free_span(text: str, original: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where `original` occurs in `text` as whole words, not overlapping an edit already placed.

    Whole words: 'a' is found as the article, never inside 'want'. Exact case first, then any case.
    """
    pattern = (r'(?<!\w)' if original[0].isalnum() else '') + re.escape(original)
    pattern += r'(?!\w)' if original[-1].isalnum() else ''
    for flags in (0, re.IGNORECASE):
        for match in re.finditer(pattern, text, flags):
            start, end = match.span()
            if all(end <= other_start or start >= other_end for other_start, other_end in taken):
                return start, end
    return None


def _letters(value: str) -> str:
    return NOT_LETTERS.sub('', value).lower()
