"""The progress page's pieces: a calendar row of the last four weeks and ECharts of weekly figures.

Plain values in (dates, numbers, labels): this module knows nothing of services. Each chart also
has an aria-label that says its numbers, so the page reads well without seeing the chart.
"""

from collections.abc import Sequence
from datetime import date

from nicegui import ui

COLOURS = ('#1976d2', '#26a69a', '#ef6c00', '#8e24aa', '#c62828')


def practice_calendar(days: Sequence[tuple[date, int]]) -> None:
    """Four rows of seven squares, oldest first: filled on days with at least one learner line."""
    with (
        ui.element('div')
        .classes('practice-calendar grid grid-cols-7 gap-1 w-fit')
        .props('role=list aria-label="Last four weeks"')
    ):
        for day, turns in days:
            text = (
                f'{day:%a %-d %b}: {turns} line{"s" if turns != 1 else ""}'
                if turns
                else f'{day:%a %-d %b}: no practice'
            )
            look = 'practised bg-primary' if turns else 'rest bg-grey-3'
            cell = ui.element('div').classes(f'calendar-day w-7 h-7 rounded-borders {look}')
            cell.props(f'role=listitem aria-label="{text}" title="{text}" data-day={day.isoformat()}')


def weekly_activity_chart(weeks: Sequence[date], turns: Sequence[int], minutes: Sequence[float]) -> ui.echart:
    """Bars of learner lines per week and a line of speaking minutes (second axis)."""
    labels = [f'{week:%-d %b}' for week in weeks]
    return _chart(
        {
            'tooltip': {'trigger': 'axis'},
            'legend': {'data': ['Your lines', 'Speaking minutes']},
            'xAxis': {'type': 'category', 'data': labels},
            'yAxis': [{'type': 'value', 'name': 'lines', 'minInterval': 1}, {'type': 'value', 'name': 'min'}],
            'series': [
                {'name': 'Your lines', 'type': 'bar', 'data': list(turns), 'itemStyle': {'color': COLOURS[0]}},
                {'name': 'Speaking minutes', 'type': 'line', 'yAxisIndex': 1, 'data': list(minutes),
                 'itemStyle': {'color': COLOURS[1]}},
            ],
        },
        'weekly-activity',
        f'Lines per week, latest {turns[-1] if turns else 0}; speaking minutes, latest {minutes[-1] if minutes else 0}',
    )  # fmt: skip


def error_free_chart(weeks: Sequence[date], shares: Sequence[float | None]) -> ui.echart:
    """The share of checked lines without a mistake, per week, in percent (gaps for unchecked weeks)."""
    percents = [None if share is None else round(share * 100) for share in shares]
    latest = next((value for value in reversed(percents) if value is not None), None)
    return _chart(
        {
            'tooltip': {'trigger': 'axis'},
            'xAxis': {'type': 'category', 'data': [f'{week:%-d %b}' for week in weeks]},
            'yAxis': {'type': 'value', 'min': 0, 'max': 100, 'name': '%'},
            'series': [
                {'name': 'Error-free lines', 'type': 'line', 'connectNulls': True, 'data': percents,
                 'itemStyle': {'color': COLOURS[0]}, 'areaStyle': {'opacity': 0.15}},
            ],
        },
        'error-free',
        'Error-free lines per week' + (f', latest {latest} percent' if latest is not None else ''),
    )  # fmt: skip


def error_categories_chart(
    weeks: Sequence[date], categories: Sequence[str], counts: Sequence[Sequence[int]]
) -> ui.echart:
    """Stacked bars: the top error categories per week (`counts[i]` is category i's weekly series)."""
    return _chart(
        {
            'tooltip': {'trigger': 'axis'},
            'legend': {'data': [_label(name) for name in categories]},
            'xAxis': {'type': 'category', 'data': [f'{week:%-d %b}' for week in weeks]},
            'yAxis': {'type': 'value', 'minInterval': 1},
            'series': [
                {'name': _label(name), 'type': 'bar', 'stack': 'errors', 'data': list(series),
                 'itemStyle': {'color': COLOURS[index % len(COLOURS)]}}
                for index, (name, series) in enumerate(zip(categories, counts, strict=True))
            ],
        },
        'error-categories',
        'Mistakes by kind per week: ' + ', '.join(f'{_label(name)} {sum(series)}' for name, series in zip(categories, counts, strict=True)),
    )  # fmt: skip


def _chart(options: dict, name: str, description: str) -> ui.echart:
    chart = ui.echart(options).classes('w-full h-64 progress-chart')
    return chart.props(f'role=img aria-label="{description}" data-testid=chart-{name}')


def _label(category: str) -> str:
    return category.replace('_', ' ').capitalize()
