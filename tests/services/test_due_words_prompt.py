"""`Use my due words`: the partner's system prompt carries up to three due words of the room's language."""

import pytest

from services import accounts, chat, generation, rooms, vocabulary
from services.prompt import system_prompt
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.services.test_prompt import room
from tests.vocabulary_seed import room_with_reply, saved


def test_due_words_ask_for_natural_use_and_never_a_quiz() -> None:
    """The words are named and the partner is told to use them naturally, never to quiz."""
    prompt = system_prompt(room(language='en'), ['ticket', 'gate'])
    assert '"ticket", "gate"' in prompt
    assert 'use them naturally' in prompt and 'never quiz' in prompt
    assert 'reviewing' not in system_prompt(room(language='en'))


@pytest.mark.usefixtures('database', 'use_fake_llm')
@pytest.mark.parametrize('use_due_words', [True, False])
async def test_a_room_with_due_words_sends_three_of_its_language(
    fake_llm: FakeLLMServer, use_due_words: bool
) -> None:
    """Four English words and one Korean word due: the English room's prompt names the first three English ones."""
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    for word in ('ticket', 'gate', 'luggage', 'boarding'):
        await saved(user.id, word, 'x', f'The {word} is here.')
    _, korean_reply = await room_with_reply(user.id, '커피 주세요.', language='ko')
    await vocabulary.save_word(user.id, korean_reply, '커피', 'coffee')
    airport = await rooms.create_room(
        user.id,
        RoomDraft('Airport', 'en', 'Check-in.', 'Agent', 'Passenger', 'B1', use_due_words=use_due_words),
    )
    assert (await rooms.get_room(user.id, airport.id)).use_due_words is use_due_words
    turn = await chat.send_message(user.id, airport.id, 'Hello!')
    assert turn is not None
    await generation.wait(turn.reply.id)
    system = fake_llm.requests[-1]['messages'][0]['content']
    if use_due_words:
        assert '"ticket", "gate", "luggage"' in system
        assert 'boarding' not in system and '커피' not in system
    else:
        assert 'ticket' not in system
