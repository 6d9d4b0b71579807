"""/progress: days practised, weekly lines and speaking minutes, error-free share, mistakes by kind, words."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _, format_decimal
from pages.session import current_user, to_login, user_frame
from services import progress
from services.corrections import category_label
from ui.progress_charts import (
    error_categories_chart,
    error_free_chart,
    practice_calendar,
    weekly_activity_chart,
)


@ui.page('/progress')
async def progress_page() -> RedirectResponse | None:
    """Figures the app computed (never the model), in QUOTA_TIMEZONE days; a missed day is only shown."""
    user = await current_user()
    if user is None:
        return to_login('/progress')
    figures = await progress.progress(user.id)
    weeks = figures.weeks
    starts = [week.week_start for week in weeks]
    with user_frame(user, _('Progress')):
        ui.label(_('Progress')).classes('text-h5').props('role=heading aria-level=1')
        with ui.card().classes('w-full gap-2'):
            ui.label(_('Days practised')).classes('text-subtitle1')
            ui.label(
                _(
                    'Practised {week} of the last 7 days · {month} of the last 28',
                    week=format_decimal(figures.days_practised(7)),
                    month=format_decimal(figures.days_practised(28)),
                )
            ).classes('text-body1').props('data-testid=days-practised')
            practice_calendar([(mark.day, mark.turns) for mark in figures.calendar])
        with ui.row().classes('w-full gap-4'):
            _figure('words-saved', _('Words saved'), figures.words_saved)
            _figure('words-learned', _('Words learned'), figures.words_learned)
            _figure('due-for-review', _('Due for review'), figures.words_due)
        if not weeks:
            ui.label(_('Talk in a room and your weekly figures appear here.')).classes('text-grey-7')
            return None
        with ui.card().classes('w-full gap-1'):
            ui.label(_('Your lines and speaking time per week')).classes('text-subtitle1')
            weekly_activity_chart(
                starts, [week.turns for week in weeks], [week.speaking_minutes for week in weeks]
            )
        with ui.card().classes('w-full gap-1'):
            ui.label(_('Lines without a mistake')).classes('text-subtitle1')
            error_free_chart(starts, [week.error_free_share for week in weeks])
        if figures.top_categories:
            names = [name for name, _count in figures.top_categories]
            with ui.card().classes('w-full gap-1'):
                ui.label(_('Most frequent mistakes')).classes('text-subtitle1')
                error_categories_chart(
                    starts,
                    [category_label(name) for name in names],
                    [[week.categories.get(name, 0) for week in weeks] for name in names],
                )
    return None


def _figure(name: str, label: str, value: int) -> None:
    with ui.card().classes('gap-0 items-center px-6'):
        ui.label(format_decimal(value)).classes('text-h4 text-primary').props(f'data-testid="figure-{name}"')
        ui.label(label).classes('text-caption text-grey-8')
