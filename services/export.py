"""Export a room's conversation as Markdown (to read or share) or JSON (to process), owner only."""

import json
import re
from dataclasses import dataclass
from typing import Literal

from services import chat, feedback, rooms

ExportFormat = Literal['markdown', 'json']


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    media_type: str
    content: bytes


async def export_room(user_id: int, room_id: int, export_format: ExportFormat) -> ExportFile:
    """The room's set-up and whole history; raises RoomNotFound for a missing or someone else's room."""
    room = await rooms.get_room(user_id, room_id)
    messages = await chat.list_messages(user_id, room_id, limit=100_000)
    learner_ids = [message.id for message in messages if message.role == 'user']
    notes: dict[int, feedback.FeedbackInfo] = {}
    for start in range(0, len(learner_ids), feedback.MANY_LIMIT):
        notes |= await feedback.feedback_for_messages(
            user_id, learner_ids[start : start + feedback.MANY_LIMIT]
        )
    stem = re.sub(r'[^\w-]+', '-', room.title.lower()).strip('-')[:40] or f'room-{room.id}'
    if export_format == 'json':
        document = {
            'room': {
                'title': room.title, 'language': room.language, 'level': room.level, 'situation': room.situation,
                'ai_role': room.ai_role, 'my_role': room.my_role, 'instructions': room.instructions,
                'scenario': room.scenario,
            },
            'messages': [
                {'id': m.id, 'role': m.role, 'content': m.content, 'status': m.status,
                 'created_at': m.created_at.isoformat(), 'hard_words': list(m.hard_words)}
                | ({'feedback': _feedback_document(notes[m.id])} if m.id in notes else {})
                for m in messages
            ],
        }  # fmt: skip
        content = json.dumps(document, ensure_ascii=False, indent=2).encode()
        return ExportFile(f'{stem}.json', 'application/json', content)
    lines = [
        f'# {room.title}',
        '',
        f'- Language: {room.language_name} ({room.level})',
        f'- Situation: {room.situation}',
        f'- AI: {room.ai_role} · Me: {room.my_role}',
        '',
    ]
    for message in messages:
        if not message.content.strip():
            continue
        who = 'Me' if message.role == 'user' else 'AI partner'
        lines += [f'**{who}** ({message.created_at:%Y-%m-%d %H:%M} UTC)', '', message.content, '']
        if (note := notes.get(message.id)) and note.has_errors and note.corrected:
            lines += [f'> Better: {note.corrected}', '']
    return ExportFile(f'{stem}.md', 'text/markdown', '\n'.join(lines).encode())


def _feedback_document(info: feedback.FeedbackInfo) -> dict:
    return {
        'status': info.status, 'corrected': info.corrected, 'natural_alternative': info.natural_alternative,
        'corrections': [
            {'original': c.original, 'replacement': c.replacement, 'category': c.category, 'severity': c.severity,
             'explanation': c.explanation, 'start': c.start, 'end': c.end, 'dismissed': c.dismissed}
            for c in info.corrections
        ],
    }  # fmt: skip
