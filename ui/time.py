"""Human-friendly times, in the reader's language."""

from datetime import UTC, datetime

from i18n import _, format_date, ngettext


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', '12 days ago', or the date for older ones
    (as the reader's language writes a date: 'Nov 29, 2026', '2026. 11. 29.', '2026/11/29')."""
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    if seconds < 60:
        return _('just now')
    if seconds < 3600:
        return ngettext('{count} min ago', '{count} min ago', int(seconds // 60))
    if seconds < 86400:
        return ngettext('{count} h ago', '{count} h ago', int(seconds // 3600))
    if seconds < 2 * 86400:
        return _('yesterday')
    if seconds < 30 * 86400:
        return ngettext('{count} day ago', '{count} days ago', int(seconds // 86400))
    return format_date(moment, 'medium')
