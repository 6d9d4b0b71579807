"""A session report: the app's figures, one coach note and up to two focus points, stored as JSON; Markdown.

The note comes from the `session_report` helper task (services/llm_tasks.py's ladder, one help unit);
when the model is off for it, refused, or fails, the report carries a plain note written by the app.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field, TypeAdapter

from i18n import _, catalogue_text, format_decimal, format_percent, format_time, lazy_text
from i18n.formats import format_language, format_skeleton
from services import help_quota, llm_tasks
from services.corrections import category_label
from services.errors import HelperUnavailable, HelpQuotaExceeded
from services.feedback_prompts import language_name
from services.session_figures import Figures

TASK = 'session_report'
MAX_TOKENS = 400
NOTE_MAX_LENGTH = 600
FOCUS_MAX = 2
# Stored in English (it is the report's data); shown in the reader's language (`shown_note`).
PLAIN_NOTE = lazy_text(
    'Well done on finishing this session. Look over your mistakes below and try those points again next time.'
).singular


class FocusModel(BaseModel):
    topic: str
    why: str


class SessionReportModel(BaseModel):
    """The `session_report` answer (LEARNING.md); also its JSON schema."""

    note: str
    focus_next: list[FocusModel] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FocusPoint:
    topic: str
    why: str


@dataclass(frozen=True, slots=True)
class SessionReport:
    """What the report page shows, exactly as it was stored when the session ended."""

    id: int
    room_id: int
    room_title: str
    language: str
    level: str
    started_at: datetime
    ended_at: datetime
    figures: Figures
    note: str
    note_from_model: bool  # False: the plain note (the model could not write one)
    focus_next: tuple[FocusPoint, ...]


@dataclass(frozen=True, slots=True)
class StoredReport:
    """The JSON column: everything but the ids and times, which are columns of their own."""

    room_title: str
    language: str
    level: str
    figures: Figures
    note: str
    note_from_model: bool
    focus_next: tuple[FocusPoint, ...]


STORED = TypeAdapter(StoredReport)


def dump(stored: StoredReport) -> str:
    return STORED.dump_json(stored).decode()


def load(text: str) -> StoredReport:
    return STORED.validate_json(text)


async def coach_note(
    user_id: int, figures: Figures, language: str, level: str, native: str
) -> tuple[str, bool, tuple[FocusPoint, ...]]:
    """(note, written by the model, focus points): one help unit, given back when the model cannot answer."""
    if not figures.learner_turns or await llm_tasks.unavailable_note(TASK):
        return PLAIN_NOTE, False, ()
    try:
        charged = await help_quota.consume(user_id)
    except HelpQuotaExceeded:
        return PLAIN_NOTE, False, ()
    try:
        answer = await llm_tasks.structured(
            TASK, SessionReportModel, *_prompt(figures, language, level, native), max_tokens=MAX_TOKENS
        )
    except HelperUnavailable:
        if not charged.unlimited:
            await help_quota.refund(user_id, charged.day)
        return PLAIN_NOTE, False, ()
    assert answer.data is not None
    note = answer.data.note.strip()[:NOTE_MAX_LENGTH] or PLAIN_NOTE
    focus = tuple(
        FocusPoint(item.topic.strip()[:120], item.why.strip()[:300])
        for item in answer.data.focus_next
        if item.topic.strip()
    )[:FOCUS_MAX]
    return note, True, focus


def _prompt(figures: Figures, language: str, level: str, native: str) -> tuple[str, str]:
    system = (
        f'You are a kind {language_name(language)} coach. A learner at level {level} finished a role-play '
        'practice session. From the figures and mistakes below (counted by the app; do not recount them), '
        f'write "note": one or two short, encouraging sentences in {language_name(native)}, and "focus_next": '
        'at most two points to practise next, each with "topic" and "why" (one sentence, '
        f'in {language_name(native)}).'
    )
    facts = {
        'turns': figures.learner_turns,
        'words_per_turn': figures.mean_words_per_turn,
        'error_free_share': figures.error_free_share,
        'errors_by_category': {item.category: item.count for item in figures.errors},
        'examples': [
            f'{example.original} -> {example.replacement}'
            for item in figures.errors
            for example in item.examples
        ][:10],
        'hints_used': figures.hints_used,
    }
    return system, json.dumps(facts, ensure_ascii=False)


def markdown(report: SessionReport) -> str:
    """The report as a Markdown file (the `Download Markdown` button and the API's format=markdown),
    in the reader's language; the learner's lines, the words and the coach's note stay as they are."""
    figures = report.figures
    share = (
        format_percent(figures.error_free_share) if figures.error_free_share is not None else _('not checked')
    )
    spoken = _('Spoken turns: {count}', count=figures.spoken_turns)
    if figures.words_per_minute:
        spoken = _(
            'Spoken turns: {count} ({speed} words per minute)',
            count=figures.spoken_turns,
            speed=format_decimal(figures.words_per_minute),
        )
    lines = [
        '# ' + _('Session report: {title}', title=report.room_title),
        '',
        f'{time_span(report)} · {format_language(report.language)} · {report.level}',
        '',
        f'> {shown_note(report)}',
        '',
        '## ' + _('Figures'),
        '- ' + _('Your turns: {count}', count=figures.learner_turns),
        '- '
        + _(
            'Words: {count} (mean {mean} per turn, {distinct} distinct)',
            count=figures.words,
            mean=format_decimal(figures.mean_words_per_turn),
            distinct=figures.distinct_words,
        ),
        '- ' + _('Error-free: {share}', share=share),
        '- ' + _('Hints used: {count}', count=figures.hints_used),
        *(
            [
                '- '
                + _(
                    'Missions: {done} of {total} done',
                    done=figures.missions_done,
                    total=figures.missions_total,
                )
            ]
            if figures.missions_total
            else []
        ),
        '- ' + spoken,
    ]
    if figures.errors:
        lines += ['', '## ' + _('Errors by category')]
        for item in figures.errors:
            lines.append(f'- {category_label(item.category)}: {item.count}')
            lines += [f'  - "{e.original}" → "{e.replacement}" ({e.said})' for e in item.examples]
    if figures.better:
        lines += ['', '## ' + _('Say it better')] + [
            f'- {p.said} → **{p.better}** {p.why}'.rstrip() for p in figures.better
        ]
    if figures.new_words:
        lines += ['', '## ' + _('New words')] + [
            f'- {w.word}' + (f' ({w.level})' if w.level else '') for w in figures.new_words
        ]
    if figures.hard_words:
        lines += ['', '## ' + _('Hard to recognise'), ', '.join(figures.hard_words)]
    if report.focus_next:
        lines += ['', '## ' + _('Next time')] + [
            f'- **{point.topic}**: {point.why}' for point in report.focus_next
        ]
    return '\n'.join(lines) + '\n'


def shown_note(report: SessionReport) -> str:
    """The coach's note; the app's plain note (stored in English) in the reader's language."""
    return report.note if report.note_from_model else catalogue_text(report.note)


def time_span(report: SessionReport) -> str:
    """When the session ran, in UTC, as the reader's language writes dates and times."""
    return _(
        '{day}, {start} – {end} UTC',
        day=format_skeleton(report.started_at, 'yMMMd'),
        start=format_time(report.started_at),
        end=format_time(report.ended_at),
    )
