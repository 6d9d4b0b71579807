"""The progress page's pieces: a calendar row of the last four weeks and ECharts of weekly figures.

Plain values in (dates, numbers, labels): this module knows nothing of services. Each chart also
has an aria-label that says its numbers, so the page reads well without seeing the chart. Dates and
numbers are written as the reader's language writes them (Babel).
"""

from collections.abc import Sequence
from datetime import date

from nicegui import ui

from i18n import _, format_decimal, format_percent, ngettext
from i18n.formats import format_skeleton

COLOURS = ('#1976d2', '#26a69a', '#ef6c00', '#8e24aa', '#c62828')


def practice_calendar(days: Sequence[tuple[date, int]]) -> None:
    """Four rows of seven squares, oldest first: filled on days with at least one learner line."""
    weeks_name = _('Last four weeks')
    with (
        ui.element('div')
        .classes('practice-calendar grid grid-cols-7 gap-1 w-fit')
        .props(f'role=list aria-label="{weeks_name}"')
    ):
        for day, turns in days:
            shown = format_skeleton(day, 'MMMEd')
            text = (
                ngettext('{day}: {count} line', '{day}: {count} lines', turns, day=shown)
                if turns
                else _('{day}: no practice', day=shown)
            )
            look = 'practised bg-primary' if turns else 'rest bg-grey-3'
            cell = ui.element('div').classes(f'calendar-day w-7 h-7 rounded-borders {look}')
            cell.props(f'role=listitem aria-label="{text}" title="{text}" data-day={day.isoformat()}')


def weekly_activity_chart(weeks: Sequence[date], turns: Sequence[int], minutes: Sequence[float]) -> ui.echart:
    """Bars of learner lines per week and a line of speaking minutes (second axis)."""
    lines, speaking = _('Your lines'), _('Speaking minutes')
    description = _(
        'Lines per week, latest {lines}; speaking minutes, latest {minutes}',
        lines=format_decimal(turns[-1] if turns else 0),
        minutes=format_decimal(minutes[-1] if minutes else 0),
    )
    return _chart(
        {
            'tooltip': {'trigger': 'axis'},
            'legend': {'data': [lines, speaking]},
            'xAxis': {'type': 'category', 'data': _week_labels(weeks)},
            'yAxis': [{'type': 'value', 'name': _('lines'), 'minInterval': 1}, {'type': 'value', 'name': _('min')}],
            'series': [
                {'name': lines, 'type': 'bar', 'data': list(turns), 'itemStyle': {'color': COLOURS[0]}},
                {'name': speaking, 'type': 'line', 'yAxisIndex': 1, 'data': list(minutes),
                 'itemStyle': {'color': COLOURS[1]}},
            ],
        },
        'weekly-activity',
        description,
    )  # fmt: skip


def error_free_chart(weeks: Sequence[date], shares: Sequence[float | None]) -> ui.echart:
    """The share of checked lines without a mistake, per week, in percent (gaps for unchecked weeks)."""
    percents = [None if share is None else round(share * 100) for share in shares]
    latest = next((value for value in reversed(percents) if value is not None), None)
    description = (
        _('Error-free lines per week')
        if latest is None
        else _('Error-free lines per week, latest {share}', share=format_percent(latest / 100))
    )
    return _chart(
        {
            'tooltip': {'trigger': 'axis'},
            'xAxis': {'type': 'category', 'data': _week_labels(weeks)},
            'yAxis': {'type': 'value', 'min': 0, 'max': 100, 'name': '%'},
            'series': [
                {'name': _('Error-free lines'), 'type': 'line', 'connectNulls': True, 'data': percents,
                 'itemStyle': {'color': COLOURS[0]}, 'areaStyle': {'opacity': 0.15}},
            ],
        },
        'error-free',
        description,
    )  # fmt: skip


def error_categories_chart(
    weeks: Sequence[date], labels: Sequence[str], counts: Sequence[Sequence[int]]
) -> ui.echart:
    """Stacked bars: the top error categories per week (`labels[i]` names them, `counts[i]` is the weekly series)."""
    totals = ', '.join(
        f'{label} {format_decimal(sum(series))}' for label, series in zip(labels, counts, strict=True)
    )
    return _chart(
        {
            'tooltip': {'trigger': 'axis'},
            'legend': {'data': list(labels)},
            'xAxis': {'type': 'category', 'data': _week_labels(weeks)},
            'yAxis': {'type': 'value', 'minInterval': 1},
            'series': [
                {'name': label, 'type': 'bar', 'stack': 'errors', 'data': list(series),
                 'itemStyle': {'color': COLOURS[index % len(COLOURS)]}}
                for index, (label, series) in enumerate(zip(labels, counts, strict=True))
            ],
        },
        'error-categories',
        _('Mistakes by kind per week: {counts}', counts=totals),
    )  # fmt: skip


def _chart(options: dict, name: str, description: str) -> ui.echart:
    chart = ui.echart(options).classes('w-full h-64 progress-chart')
    return chart.props(f'role=img aria-label="{description}" data-testid=chart-{name}')


def _week_labels(weeks: Sequence[date]) -> list[str]:
    """Each week by its Monday: Nov 30 / 11월 30일 / 11月30日."""
    return [format_skeleton(week, 'MMMd') for week in weeks]
