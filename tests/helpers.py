"""Small helpers shared by tests."""

import asyncio
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser

from nicegui import ui
from nicegui.client import Client
from sqlalchemy import event
from sqlalchemy.engine import make_url

from db import engine
from ui.message_bubble import MessageBubble


async def eventually(condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Wait until `condition()` is truthy (UI handlers run asynchronously); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f'condition not met within {timeout} s')
        await asyncio.sleep(0.02)


def shown_html(client: Client) -> str:
    """The HTML the page shows: every `ui.html` and every message's text (ui/message_bubble.py), in order."""
    parts = [
        element.content if isinstance(element, ui.html) else element.html
        for element in client.layout.descendants()
        if isinstance(element, ui.html | MessageBubble)
    ]
    return ' '.join(str(part) for part in parts if part is not None)


def field_errors(user, label: str) -> list[str | None]:
    """The error messages currently shown under the inputs labelled `label`."""
    return [
        element.props.get('error-message')
        for element in user.find(label).elements
        if element.props.get('error')
    ]


def first_of_kind(user, kind: type):
    """The page's first element of `kind`, visible or not (user.find skips hidden elements)."""
    return next(element for element in user.client.elements.values() if isinstance(element, kind))


def player_source(user) -> str:
    """Where the page's audio player points ('' before anything was played: the player is made then)."""
    players = [element for element in user.client.elements.values() if isinstance(element, ui.audio)]
    return str(players[0].props.get('src', '')) if players else ''


def header_markup(user) -> 'ShownMarkup':
    """What the signed-in header's markup parts (`ui.html`, ui/header_html.py) show and link to."""
    header = first_of_kind(user, ui.header)
    shown = ShownMarkup()
    for part in header.descendants():
        if isinstance(part, ui.html):
            shown.feed(part.content)
    shown.close()
    return shown


class ShownMarkup(HTMLParser):
    """Reads markup as a browser shows it: the texts (icons' ligature names left out: `aria-hidden`), the
    screen-reader labels and tooltips, each link's text → target, the links marked as the current page,
    each `data-testid`'s text, every tag, and the text of each top-level element (`blocks`, its pieces
    joined by single spaces)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.labels: list[str] = []  # aria-label and data-tip values
        self.links: dict[str, str] = {}
        self.current: list[str] = []  # the texts of links with aria-current="page"
        self.by_testid: dict[str, str] = {}
        self.tags: list[str] = []
        self.blocks: list[str] = []
        self._open: list[OpenTag] = []  # the elements the parser is inside, outermost first

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append(tag)
        self.labels += [value for name in ('aria-label', 'data-tip') if (value := attributes.get(name))]
        if tag not in VOID_TAGS:
            self._open.append(OpenTag(tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        assert self._open and self._open[-1].tag == tag, f'</{tag}> closes no open <{tag}>'
        closed = self._open.pop()
        text = ''.join(closed.text)
        if tag == 'a':
            self.links[text] = closed.attributes.get('href') or ''
            if closed.attributes.get('aria-current') == 'page':
                self.current.append(text)
        if testid := closed.attributes.get('data-testid'):
            self.by_testid[testid] = text
        if not self._open:
            self.blocks.append(' '.join(' '.join(closed.text).split()))

    def handle_data(self, data: str) -> None:
        if any(open_tag.attributes.get('aria-hidden') == 'true' for open_tag in self._open):
            return
        if data.strip():
            self.texts.append(data)
        for open_tag in self._open:
            open_tag.text.append(data)


@dataclass
class OpenTag:
    tag: str
    attributes: dict[str, str | None]
    text: list[str] = field(default_factory=list)


VOID_TAGS = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'wbr'}


@contextmanager
def write_lock_held_elsewhere() -> Iterator[sqlite3.Connection]:
    """Another process's writer: a second connection to the test's SQLite file, inside BEGIN IMMEDIATE."""
    writer = sqlite3.connect(make_url(os.environ['DATABASE_URL']).database, timeout=0, isolation_level=None)
    try:
        writer.execute('BEGIN IMMEDIATE')
        yield writer
        writer.execute('ROLLBACK')
    finally:
        writer.close()


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """The SQL statements run while the block runs, plus 'COMMIT' for each commit (BEGIN left out)."""
    sync_engine = engine.sessionmaker().kw['bind'].sync_engine
    seen: list[str] = []

    def statement(_connection, _cursor, sql: str, *_rest) -> None:
        if not sql.startswith('BEGIN'):  # SQLite's BEGIN IMMEDIATE; PostgreSQL's BEGIN is no statement
            seen.append(' '.join(sql.split()))

    def commit(_connection) -> None:
        seen.append('COMMIT')

    event.listen(sync_engine, 'before_cursor_execute', statement)
    event.listen(sync_engine, 'commit', commit)
    try:
        yield seen
    finally:
        event.remove(sync_engine, 'before_cursor_execute', statement)
        event.remove(sync_engine, 'commit', commit)


def statement_table(statement: str) -> str:
    """The table a statement reads or writes (a data-modifying CTE's: those it writes)."""
    if statement.startswith('WITH'):  # the tables its data-modifying CTEs write
        return ' '.join(re.findall(r'(?:UPDATE|INSERT INTO) (\w+)', statement))
    words = statement.replace('(', ' ').split()
    for keyword in ('FROM', 'INTO', 'UPDATE'):
        if keyword in words[:-1]:
            return words[words.index(keyword) + 1]
    return ''
