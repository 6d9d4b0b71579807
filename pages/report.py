"""/rooms/{id}/report/{session_id}: a stored session report — figures by the app, a note by the coach."""

from fastapi import HTTPException
from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _, format_decimal, format_percent
from i18n.formats import format_language
from pages.session import current_user, to_login, user_frame
from services import notebook, practice_sessions
from services.corrections import category_label
from services.errors import ServiceError, SessionNotFound
from services.session_figures import Figures, NewWord
from services.session_report import markdown, shown_note, time_span
from ui.frame import page_heading, section_heading
from ui.report_chart import category_bars


@ui.page('/rooms/{room_id:int}/report/{session_id:int}')
async def report_page(room_id: int, session_id: int) -> RedirectResponse | None:
    """Read from the database as it was stored when the session ended: reopening shows the same."""
    user = await current_user()
    if user is None:
        return to_login(f'/rooms/{room_id}/report/{session_id}')
    try:
        report = await practice_sessions.get_report(user.id, session_id)
    except SessionNotFound:
        raise HTTPException(status_code=404, detail=_('Session not found')) from None
    if report.room_id != room_id:
        raise HTTPException(status_code=404, detail=_('Session not found'))
    figures = report.figures
    with user_frame(user, _('Session report')):
        with ui.row().classes('w-full items-center justify-between gap-2'):
            page_heading(_('Session report'))
            with ui.row().classes('gap-1'):
                ui.button(
                    _('Download Markdown'),
                    icon='download',
                    on_click=lambda: ui.download.content(markdown(report), f'session-{report.id}.md'),
                ).props('flat no-caps')
                ui.button(
                    _('Back to the room'), icon='forum', on_click=lambda: ui.navigate.to(f'/rooms/{room_id}')
                ).props('flat no-caps')
        ui.label(
            f'{report.room_title} · {format_language(report.language)} · {report.level} · {time_span(report)}'
        ).classes('text-caption text-grey-8')
        with ui.card().classes('w-full gap-1').props('flat bordered data-testid=coach-note'):
            ui.label(shown_note(report)).classes('text-body1')
            for point in report.focus_next:
                ui.label(_('Next time: {topic} — {why}', topic=point.topic, why=point.why)).classes(
                    'text-body2 text-grey-9'
                )
        _numbers(figures)
        _errors(figures)
        _better(figures)
        _words(figures, user.id)
    return None


def _numbers(figures: Figures) -> None:
    share = format_percent(figures.error_free_share) if figures.error_free_share is not None else '–'
    speed = format_decimal(figures.words_per_minute) if figures.words_per_minute is not None else '–'
    with ui.row().classes('w-full gap-3'):
        for key, label, value in (
            ('your-turns', _('Your turns'), format_decimal(figures.learner_turns)),
            ('words', _('Words'), format_decimal(figures.words)),
            ('words-per-turn', _('Words per turn'), format_decimal(figures.mean_words_per_turn)),
            ('different-words', _('Different words'), format_decimal(figures.distinct_words)),
            ('error-free', _('Error-free'), share),
            ('hints-used', _('Hints used'), format_decimal(figures.hints_used)),
            ('spoken-turns', _('Spoken turns'), format_decimal(figures.spoken_turns)),
            ('words-per-minute', _('Words per minute'), speed),
        ):
            with ui.card().classes('gap-0 items-center px-4 py-2'):
                name = f'figure-{key}'
                ui.label(value).classes('text-h5 text-primary').props(f'data-testid={name}').mark(name)
                ui.label(label).classes('text-caption text-grey-8')
    if figures.missions_total:  # services/missions.py
        ui.label(
            _('Missions: {done} of {total} done', done=figures.missions_done, total=figures.missions_total)
        ).classes('text-subtitle1')


def _errors(figures: Figures) -> None:
    with ui.card().classes('w-full gap-2'):
        section_heading(_('Errors by category')).classes('text-subtitle1')
        if not figures.errors:
            ui.label(
                _('No mistakes found in this session.')
                if figures.checked_turns
                else _('No line was checked.')
            )
            return
        category_bars(
            [category_label(item.category) for item in figures.errors],
            [item.count for item in figures.errors],
        )
        for item in figures.errors:
            ui.label(f'{category_label(item.category)}: {item.count}').classes('text-weight-medium')
            for example in item.examples:
                with ui.row().classes('gap-2 items-baseline text-body2'):
                    ui.html(
                        f'<del>{_escape(example.original)}</del> → <ins>{_escape(example.replacement)}</ins>',
                        sanitize=True,
                    )
                    ui.label(f'“{example.said}”').classes('text-grey-8')
                    if example.explanation:
                        ui.label(example.explanation).classes('text-grey-7 text-caption')


def _better(figures: Figures) -> None:
    if not figures.better:
        return
    with ui.card().classes('w-full gap-2'):
        section_heading(_('Say it better')).classes('text-subtitle1')
        for pair in figures.better:
            with ui.column().classes('gap-0'):
                ui.label(pair.said).classes('text-grey-8')
                ui.label(f'→ {pair.better}').classes('text-weight-medium')
                if pair.why:
                    ui.label(pair.why).classes('text-caption text-grey-7')


# Saved words carry a bookmark, looked-up ones a magnifier; the partner's new words none.
WORD_ICONS = {'saved': 'bookmark', 'looked_up': 'search'}


def _words(figures: Figures, user_id: int) -> None:
    async def save(word: NewWord, button: ui.button) -> None:
        assert word.message_id is not None
        try:
            await notebook.save_report_word(user_id, word.message_id, word.word)
        except ServiceError as refused:  # the reply was deleted since the report was made
            ui.notify(str(refused), type='warning')
            return
        button.props('icon=bookmark disable')
        ui.notify(_('"{word}" is in your vocabulary', word=word.word), type='positive')

    with ui.card().classes('w-full gap-2'):
        section_heading(_('New words')).classes('text-subtitle1')
        if figures.new_words:
            with ui.row().classes('gap-1'):
                for word in figures.new_words:
                    with ui.chip(
                        f'{word.word}' + (f' · {word.level}' if word.level else ''),
                        icon=WORD_ICONS.get(word.source),
                    ).props('outline'):
                        if word.source != 'saved' and word.message_id is not None:
                            saving = _('Save {word} to your vocabulary', word=word.word)
                            saver = ui.button(icon='bookmark_add').props(
                                f'flat round dense size=sm aria-label="{saving}"'
                            )
                            saver.on_click(lambda word=word, saver=saver: save(word, saver))
        else:
            ui.label(_('No new words above your level this time.')).classes('text-grey-7')
        if figures.hard_words:
            ui.label(_('Hard for the recogniser: {words}', words=', '.join(figures.hard_words))).classes(
                'text-body2'
            )


def _escape(text: str) -> str:
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
