"""Dates, times and numbers as the language being served writes them (Babel's CLDR data)."""

from datetime import date, datetime, time

from babel import Locale, dates, numbers

from i18n.language import PSEUDO_LANGUAGE, current_language


def format_datetime(value: datetime, format: str = 'medium') -> str:
    return dates.format_datetime(value, format=format, tzinfo=value.tzinfo, locale=_locale())


def format_date(value: date | datetime, format: str = 'medium') -> str:
    return dates.format_date(value, format=format, locale=_locale())


def format_time(value: time | datetime, format: str = 'short') -> str:
    tzinfo = value.tzinfo if isinstance(value, datetime) else None
    return dates.format_time(value, format=format, tzinfo=tzinfo, locale=_locale())


def format_decimal(value: float, format: str | None = None) -> str:
    return numbers.format_decimal(value, format=format, locale=_locale())


def format_percent(value: float, format: str | None = None) -> str:
    return numbers.format_percent(value, format=format, locale=_locale())


def _locale() -> str:
    language = current_language()
    return 'en' if language == PSEUDO_LANGUAGE else language


def format_skeleton(value: date | datetime, skeleton: str) -> str:
    """A date in the language's own order for a CLDR skeleton ('MMMd': Nov 29 / 11월 29일 / 11月29日)."""
    tzinfo = value.tzinfo if isinstance(value, datetime) else None
    return dates.format_skeleton(skeleton, value, tzinfo=tzinfo, locale=_locale())


def format_day_time(value: datetime, skeleton: str = 'MMMd') -> str:
    """A skeleton date and the short time, joined as the language joins them (Nov 29, 9:05 AM / 11월 29일 오전 9:05)."""
    pattern = Locale.parse(_locale()).datetime_formats['short']
    return str(pattern).replace('{1}', format_skeleton(value, skeleton)).replace('{0}', format_time(value))


def format_language(code: str) -> str:
    """A language's name in the language being served (Babel: 'es' → Spanish / 스페인어 / スペイン語)."""
    return Locale.parse(_locale()).languages.get(code, code)
