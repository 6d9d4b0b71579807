"""Dates, times and numbers as the language being served writes them (Babel's CLDR data)."""

from datetime import date, datetime, time

from babel import dates, numbers

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
