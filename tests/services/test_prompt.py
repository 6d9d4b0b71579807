"""System prompt from the room and history trimming to the context budget."""

from datetime import UTC, datetime

from services.llm.base import ChatTurn
from services.prompt import build_turns, estimate_tokens, system_prompt
from services.rooms import RoomInfo

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def room(**changes: object) -> RoomInfo:
    fields = {
        'id': 1, 'title': 'Interview', 'language': 'ko', 'situation': 'A job interview.', 'ai_role': 'Interviewer',
        'my_role': 'Candidate', 'level': 'A2', 'instructions': '', 'scenario': None, 'created_at': NOW,
        'last_activity_at': NOW,
    }  # fmt: skip
    return RoomInfo(**(fields | changes))


def test_roleplay_prompt_names_role_language_and_level() -> None:
    """The prompt keeps the AI in its role, in the room's language, at its level."""
    prompt = system_prompt(room(instructions='Ask about Python.'))
    for expected in (
        'Interviewer',
        'Candidate',
        'Korean',
        'CEFR A2',
        'Stay in your role',
        'Ask about Python.',
    ):
        assert expected in prompt


def test_recipe_prompt_asks_for_json_for_one_person() -> None:
    """The recipe preset asks for the structured card fields."""
    prompt = system_prompt(room(scenario='recipe', language='en'))
    assert '"ingredients"' in prompt
    assert 'ONE person' in prompt


def test_short_history_is_kept_whole() -> None:
    """Everything fits: system prompt first, then the turns in order."""
    history = [ChatTurn('user', 'Hi'), ChatTurn('assistant', 'Hello!'), ChatTurn('user', 'How are you?')]
    assert build_turns('system', history, budget_tokens=1000) == [ChatTurn('system', 'system'), *history]


def test_long_history_drops_the_oldest_and_keeps_the_system_prompt() -> None:
    """Over budget: oldest turns go first; the newest message and the system prompt stay."""
    history = [
        ChatTurn('user' if i % 2 == 0 else 'assistant', f'turn {i} ' + 'word ' * 50) for i in range(40)
    ]
    turns = build_turns('system prompt', history, budget_tokens=600)
    assert turns[0] == ChatTurn('system', 'system prompt')
    assert turns[-1] == history[-1]
    assert 1 < len(turns) - 1 < len(history)
    assert turns[1:] == history[-(len(turns) - 1) :]
    assert sum(estimate_tokens(turn.content) for turn in turns) <= 600


def test_trimmed_history_starts_with_the_learner() -> None:
    """After trimming, the first kept turn is a user turn (chat templates expect that)."""
    history = [ChatTurn('user', 'a ' * 100), ChatTurn('assistant', 'b ' * 10), ChatTurn('user', 'c')]
    turns = build_turns('s', history, budget_tokens=40)
    assert [turn.role for turn in turns] == ['system', 'user']
    assert turns[1].content == 'c'


def test_the_newest_message_survives_even_a_tiny_budget() -> None:
    """The message being answered is never dropped."""
    turns = build_turns('s', [ChatTurn('user', 'x ' * 500)], budget_tokens=10)
    assert [turn.role for turn in turns] == ['system', 'user']


def test_cjk_text_counts_about_one_token_per_character() -> None:
    """Korean and Japanese are not underestimated (they cost far more than English per character)."""
    assert estimate_tokens('안녕하세요 반갑습니다') >= 10
    assert estimate_tokens('hello there, nice to meet you') < 15


def test_token_estimates_are_those_of_the_character_loop() -> None:
    """English, Korean, Japanese and mixed text (emoji, Cyrillic, both sides of U+2E80) keep their estimates."""
    texts = [
        '',
        'Hello there, nice to meet you!',
        '안녕하세요! 만나서 반가워요. 오늘 무엇을 도와드릴까요?',
        'コーヒーを一杯ください。ありがとう！',
        '저는 coffee를 좋아해요 😊, Привет, café \u2e80\u2e81',
    ]
    assert [estimate_tokens(text) for text in texts] == [1, 11, 26, 19, 18]
    assert [estimate_tokens(text * 40) for text in texts] == [_by_each_character(text * 40) for text in texts]


def _by_each_character(text: str) -> int:
    """The estimate as it was first written, one character at a time."""
    wide = sum(1 for char in text if ord(char) > 0x2E80)
    return (len(text) - wide) // 3 + wide + 1
