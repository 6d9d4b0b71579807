"""Human-friendly times."""

from datetime import UTC, datetime


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', '12 days ago', or the date for older ones."""
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    if seconds < 60:
        return 'just now'
    if seconds < 3600:
        return f'{int(seconds // 60)} min ago'
    if seconds < 86400:
        return f'{int(seconds // 3600)} h ago'
    if seconds < 2 * 86400:
        return 'yesterday'
    if seconds < 30 * 86400:
        return f'{int(seconds // 86400)} days ago'
    return f'{moment:%Y-%m-%d}'
