"""Export a room's conversation as Markdown (to read or share) or JSON (to process), owner only.

The file is produced a page of messages at a time, so a room of any length never sits in memory whole.
The Markdown's labels speak the language of whoever asked for the file; what was written stays as written.
"""

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

from i18n import _, current_language, using_language
from services import chat, feedback, rooms
from services.chat import MessageInfo
from services.rooms import RoomInfo

ExportFormat = Literal['markdown', 'json']
EXPORT_PAGE = 200  # messages read (and written out) at a time: short stretches between awaits


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    media_type: str
    chunks: AsyncIterator[bytes]  # the file, in pieces; read it once


async def export_room(user_id: int, room_id: int, export_format: ExportFormat) -> ExportFile:
    """The room's set-up and whole history; raises RoomNotFound (at once) for a missing or someone else's room."""
    room = await rooms.get_room(user_id, room_id)
    stem = re.sub(r'[^\w-]+', '-', room.title.lower()).strip('-')[:40] or f'room-{room.id}'
    if export_format == 'json':
        return ExportFile(f'{stem}.json', 'application/json', _json_chunks(user_id, room))
    # The file is written later, while it streams: keep the reader's language for its labels.
    return ExportFile(f'{stem}.md', 'text/markdown', _markdown_chunks(user_id, room, current_language()))


async def read_all(exported: ExportFile) -> bytes:
    """The whole file (for small rooms and tests; serve large ones from `chunks`)."""
    return b''.join([chunk async for chunk in exported.chunks])


async def _pages(
    user_id: int, room_id: int
) -> AsyncIterator[tuple[list[MessageInfo], dict[int, feedback.FeedbackInfo]]]:
    """The room's messages, oldest first, EXPORT_PAGE at a time (each page its own short transaction),
    with the feedback of the learner's lines among them."""
    after_id = 0
    while page := await chat.messages_page(user_id, room_id, EXPORT_PAGE, after_id=after_id):
        learner_ids = [message.id for message in page if message.role == 'user']
        yield page, await feedback.feedback_for_messages(user_id, learner_ids) if learner_ids else {}
        after_id = page[-1].id


async def _markdown_chunks(user_id: int, room: RoomInfo, language: str) -> AsyncIterator[bytes]:
    with using_language(language):  # never across a `yield`: the block must end where it began
        header = [
            f'# {room.title}',
            '',
            '- ' + _('Language: {language} ({level})', language=room.language_name, level=room.level),
            '- ' + _('Situation: {situation}', situation=room.situation),
            '- ' + _('AI: {ai_role} · Me: {my_role}', ai_role=room.ai_role, my_role=room.my_role),
            '',
        ]
        speakers = {'user': _('Me'), 'assistant': _('AI partner')}
    yield '\n'.join(header).encode()
    async for page, notes in _pages(user_id, room.id):
        lines = []
        for message in page:
            if not message.content.strip():
                continue
            who = speakers['user' if message.role == 'user' else 'assistant']
            lines += [f'**{who}** ({message.created_at:%Y-%m-%d %H:%M} UTC)', '', message.content, '']
            if (note := notes.get(message.id)) and note.has_errors and note.corrected:
                with using_language(language):
                    better = _('Better: {corrected}', corrected=note.corrected)
                lines += [f'> {better}', '']
        if lines:
            yield ('\n' + '\n'.join(lines)).encode()


async def _json_chunks(user_id: int, room: RoomInfo) -> AsyncIterator[bytes]:
    """The same text `json.dumps(document, indent=2)` gives, written a page of messages at a time."""
    setup = {
        'title': room.title, 'language': room.language, 'level': room.level, 'situation': room.situation,
        'ai_role': room.ai_role, 'my_role': room.my_role, 'instructions': room.instructions,
        'scenario': room.scenario,
    }  # fmt: skip
    yield ('{\n  "room": ' + _indented(setup, 2) + ',\n  "messages": [').encode()
    separator = '\n    '
    async for page, notes in _pages(user_id, room.id):
        items = [
            {'id': m.id, 'role': m.role, 'content': m.content, 'status': m.status,
             'created_at': m.created_at.isoformat(), 'hard_words': list(m.hard_words)}
            | ({'feedback': _feedback_document(notes[m.id])} if m.id in notes else {})
            for m in page
        ]  # fmt: skip
        yield (separator + ',\n    '.join(_indented(item, 4) for item in items)).encode()
        separator = ',\n    '
    yield ('\n  ]\n}' if separator != '\n    ' else ']\n}').encode()


def _indented(value: object, depth: int) -> str:
    # json.dumps escapes newlines inside strings, so every raw newline is a line break of the layout.
    return json.dumps(value, ensure_ascii=False, indent=2).replace('\n', '\n' + ' ' * depth)


def _feedback_document(info: feedback.FeedbackInfo) -> dict:
    return {
        'status': info.status, 'corrected': info.corrected, 'natural_alternative': info.natural_alternative,
        'corrections': [
            {'original': c.original, 'replacement': c.replacement, 'category': c.category, 'severity': c.severity,
             'explanation': c.explanation, 'start': c.start, 'end': c.end, 'dismissed': c.dismissed}
            for c in info.corrections
        ],
    }  # fmt: skip
