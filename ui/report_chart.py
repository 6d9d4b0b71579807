"""The bar chart of a session report: the learner's mistakes by category (counts computed by the app)."""

from collections.abc import Sequence

from nicegui import ui

from i18n import _, format_decimal


def category_bars(labels: Sequence[str], counts: Sequence[int]) -> ui.echart:
    """Horizontal bars, most frequent first (top of the chart)."""
    description = _(
        'Mistakes by category: {counts}',
        counts=', '.join(
            f'{label} {format_decimal(count)}' for label, count in zip(labels, counts, strict=True)
        ),
    )
    chart = ui.echart(
        {
            'tooltip': {'trigger': 'axis'},
            'grid': {'containLabel': True, 'left': 8, 'right': 16, 'top': 8, 'bottom': 8},
            'xAxis': {'type': 'value', 'minInterval': 1},
            'yAxis': {'type': 'category', 'data': list(reversed(labels))},
            'series': [{'type': 'bar', 'data': list(reversed(counts)), 'itemStyle': {'color': '#ef6c00'}}],
        }
    ).classes('w-full')
    chart.style(f'height: {max(120, 36 * len(labels) + 40)}px')
    return chart.props(f'role=img aria-label="{description}" data-testid=chart-report-errors')
