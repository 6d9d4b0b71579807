"""The system prompt built from a room, and the history trimmed to the model's context budget."""

import re
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Room
from services.llm.base import ChatTurn
from services.missions import open_missions
from services.rooms import LANGUAGES, LEVELS, RoomInfo, room_info
from services.scenarios import kind_of
from services.vocabulary_review import due_lemmas

# Per-message overhead of chat templates (role markers, separators), in tokens.
MESSAGE_OVERHEAD_TOKENS = 6
# Runs of characters after U+2E80 (CJK radicals on: Chinese, Japanese, Korean), about a token each; matched
# as runs (a word each), not one by one: a match costs more than a character.
WIDE_CHARACTERS = re.compile('[\u2e81-\U0010ffff]+')

LEVEL_GUIDANCE = {
    'A1': 'very short, simple sentences and the most common words; speak slowly and clearly',
    'A2': 'short, simple sentences and everyday vocabulary',
    'B1': 'clear, natural sentences; avoid rare idioms',
    'B2': 'natural, fluent language with some idioms',
    'C1': 'rich, natural language as with a fluent speaker',
    'C2': 'fully natural native-level language',
}

RECIPE_SCHEMA: dict = {
    'type': 'object',
    'properties': {
        'dish': {'type': 'string'},
        'intro': {'type': 'string'},
        'ingredients': {
            'type': 'array',
            'items': {
                'type': 'object',
                'properties': {'name': {'type': 'string'}, 'amount': {'type': 'string'}},
                'required': ['name', 'amount'],
            },
        },
        'steps': {'type': 'array', 'items': {'type': 'string'}},
    },
    'required': ['dish', 'intro', 'ingredients', 'steps'],
}


async def partner_prompt(session: AsyncSession, room: Room) -> str:
    """The room's system prompt, with up to three of the learner's due words when it has `Use my due words`."""
    due_words = await due_lemmas(session, room.user_id, room.language) if room.use_due_words else []
    goals = [mission.text for mission in await open_missions(session, room.id)]
    return system_prompt(room_info(room), due_words, goals)


def system_prompt(room: RoomInfo, due_words: Sequence[str] = (), missions: Sequence[str] = ()) -> str:
    """Instructions that keep the model in role, in the room's language and at its level.

    `due_words` (rooms with `Use my due words`): notebook words due for review, which the partner
    should use naturally in its lines; it must never quiz the learner on them. `missions`: the room's
    missions the learner has not achieved yet; the partner creates openings for them, never does them.
    """
    language = LANGUAGES.get(room.language, room.language)
    level = f'CEFR {room.level} ({LEVELS.get(room.level, "")}): use {LEVEL_GUIDANCE.get(room.level, "clear language")}'
    kind = kind_of(room.scenario)
    if kind == 'roleplay':
        lines = [
            'You are a conversation partner in a language-practice role-play.',
            f'Situation: {room.situation}',
            f'You play: {room.ai_role}. The learner plays: {room.my_role}.',
            f'Reply only in {language}, at {level}.',
            'Stay in your role the whole time; never say you are an AI and never play the learner.',
            'Keep each reply short (one to three sentences) and end with a question or cue that keeps '
            'the conversation going.',
            f'If the learner writes in another language, answer in {language} anyway, simply.',
        ]
    elif kind == 'recipe':
        lines = [
            f'You are {room.ai_role}. {room.situation}',
            f'Write in {language}, at {level}.',
            'Answer with one JSON object only, no other text, with the keys: "dish" (the name), '
            '"intro" (one or two sentences), "ingredients" (a list of {"name", "amount"} for ONE person, '
            'amounts with units) and "steps" (a list of short instructions).',
        ]
    else:
        lines = [
            f'You are {room.ai_role}. Context: {room.situation}',
            f'The user is {room.my_role}, practising {language}: reply in {language}, at {level}.',
            'Use Markdown where it helps (lists, code blocks).',
        ]
    if room.instructions:
        lines.append(f'Extra instructions: {room.instructions}')
    if due_words:
        words = ', '.join(f'"{word}"' for word in due_words)
        lines.append(
            f'The learner is reviewing these words: {words}. Where it fits the conversation, use them '
            'naturally in your own lines, one at a time; never quiz the learner on them, never explain '
            'them and never point out that you are using them.'
        )
    if missions:
        goals = '; '.join(f'"{mission}"' for mission in missions)
        lines.append(
            f'The learner has these missions to achieve in this conversation: {goals}. Create natural '
            'openings for them (ask a question or mention something that invites them), but never do a '
            "mission for the learner, never say the learner's line and never mention the missions."
        )
    return '\n'.join(lines)


def build_turns(system: str, history: Sequence[ChatTurn], *, budget_tokens: int) -> list[ChatTurn]:
    """System prompt plus as much recent history as fits in `budget_tokens`, dropping the oldest first.

    The newest turn (the learner's message being answered) is always kept.
    """
    remaining = budget_tokens - estimate_tokens(system) - MESSAGE_OVERHEAD_TOKENS
    kept: list[ChatTurn] = []
    for turn in reversed(history):
        cost = estimate_tokens(turn.content) + MESSAGE_OVERHEAD_TOKENS
        if kept and cost > remaining:
            break
        kept.append(turn)
        remaining -= cost
    # Models expect the conversation to open with the user, after the system prompt.
    while len(kept) > 1 and kept[-1].role != 'user':
        kept.pop()
    return [ChatTurn('system', system), *reversed(kept)]


def estimate_tokens(text: str) -> int:
    """A cautious token estimate without a tokenizer: ~4 Latin characters per token, CJK ~1 each.

    It runs over the room's whole history every turn, so the wide characters are counted in C (a regex)
    rather than by a Python loop per character; most text is ASCII, which has none.
    """
    wide = 0 if text.isascii() else sum(map(len, WIDE_CHARACTERS.findall(text)))
    return (len(text) - wide) // 3 + wide + 1
