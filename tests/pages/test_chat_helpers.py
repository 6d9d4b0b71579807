"""Translate, word look-up with Save word, Hint, and the help allowance on the chat and profile pages."""

import pytest
from nicegui import ui
from nicegui.testing import User

from services import chat, generation, help_quota, rooms, vocabulary
from services.rooms import RoomDraft
from services.settings import load_settings
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually, player_source
from tests.pages.message_buttons import press_action
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')

TRANSLATION = '안녕하세요! 만나서 반가워요. 오늘 무엇을 도와드릴까요?'


async def room_with_reply(user: User) -> tuple[int, int, int]:
    """(user id, room id, reply id): a signed-in learner with one finished exchange (feedback Off)."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2', feedback_mode='off')
    )
    turn = await chat.send_message(user_id, room.id, 'Hello')
    await generation.wait(turn.reply.id)
    return user_id, room.id, turn.reply.id


async def test_translate_shows_hides_and_costs_once(user: User, fake_llm: FakeLLMServer) -> None:
    """Translate shows the translation under the reply; a second click hides it; showing again is free."""
    user_id, room_id, reply_id = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    await user.should_not_see(TRANSLATION)
    press_action(user, f'translate-reply-{reply_id}')
    await user.should_see(TRANSLATION, retries=100)
    press_action(user, f'translate-reply-{reply_id}')
    await user.should_not_see(TRANSLATION)
    press_action(user, f'translate-reply-{reply_id}')
    await user.should_see(TRANSLATION)
    await user.open(f'/rooms/{room_id}')  # another visit: from the cache
    press_action(user, f'translate-reply-{reply_id}')
    await user.should_see(TRANSLATION, retries=100)
    assert len(fake_llm.helper_requests_for('translate')) == 1
    assert (await help_quota.status(user_id)).used == 1


async def test_a_clicked_word_shows_its_meaning_and_is_saved_once(
    user: User, fake_llm: FakeLLMServer
) -> None:
    """Clicking 'meet' opens its meaning with Save word; saving makes one entry and says so."""
    user_id, room_id, reply_id = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    user.find(marker=f'reply-words-{reply_id}').trigger('click', {'text': 'meet'})
    await user.should_see('만나다', retries=100)
    await user.should_see('meet · verb')
    await user.should_see('49 helps left today')
    user.find(kind=ui.button, content='Save word').click()
    await user.should_see('Saved to your words')
    await user.should_not_see(kind=ui.button, content='Save word')
    user.find(marker=f'reply-words-{reply_id}').trigger('click', {'text': 'meet'})  # again: no new look-up
    await user.should_see('Saved to your words')
    saved = await vocabulary.saved_words(user_id)
    assert [(word.lemma, word.meaning, word.pos) for word in saved.items] == [('meet', '만나다', 'verb')]
    assert len(fake_llm.helper_requests_for('word_gloss')) == 1


async def test_play_speaks_the_word_from_the_reply(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Play slowly points the player at the word's audio, which only the reply's words can have."""
    monkeypatch.setenv('TTS_ENGINE', 'piper')
    load_settings()
    _, room_id, reply_id = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    user.find(marker=f'reply-words-{reply_id}').trigger('click', {'text': 'meet'})
    await user.should_see('Play slowly', retries=100)
    user.find(kind=ui.button, content='Play slowly').click()
    prefix = f'/audio/messages/{reply_id}/phrase?text=meet&slow=true'
    await eventually(lambda: player_source(user).startswith(prefix), timeout=30)
    response = await user.http_client.get(player_source(user))
    assert (response.status_code, response.content[:4]) == (200, b'RIFF')
    assert (await user.http_client.get(f'/audio/messages/{reply_id}/phrase?text=spam')).status_code == 404


async def test_hint_lines_fill_message_without_sending(user: User, fake_llm: FakeLLMServer) -> None:
    """Hint offers an idea, keywords and lines; choosing one puts it into Message and sends nothing."""
    user_id, room_id, _ = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    sent_before = fake_llm.request_count
    user.find(kind=ui.button, content='Hint').click()
    await user.should_see('음료를 주문해 보세요.', retries=100)
    await user.should_see('latte')
    await user.should_see('49 helps left today')
    user.find(marker='hint-line').click()
    message = user.find('Message').elements.pop()
    assert message.value == 'One latte, please.'
    await user.should_not_see('음료를 주문해 보세요.')
    assert fake_llm.request_count == sent_before
    assert len(await chat.list_messages(user_id, room_id)) == 2


async def test_no_help_left_says_so_and_the_chat_carries_on(
    user: User, fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the help allowance used up, helpers say so in words; replies still come."""
    monkeypatch.setenv('DAILY_HELP_QUOTA', '0')
    load_settings()
    _, room_id, reply_id = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    user.find(kind=ui.button, content='Hint').click()
    await user.should_see('Daily help limit reached', retries=100)
    press_action(user, f'translate-reply-{reply_id}')
    await user.should_see('Daily help limit reached: 0 of 0 used', retries=100)
    fake_llm.reply = 'Sure, one latte coming up.'
    user.find('Message').type('A latte, please.')
    user.find(kind=ui.button, content='Send').click()
    await user.should_see('Sure, one latte coming up.', retries=200)
    assert not fake_llm.helper_requests


async def test_profile_lists_saved_words_a_page_at_a_time(user: User) -> None:
    """Saved words on the profile, newest first, with More words for older ones."""
    user_id, _, reply_id = await room_with_reply(user)
    words = [f'word{number}' for number in range(11)]  # one more than a page
    for word in words:
        await vocabulary.save_word(user_id, reply_id, word, f'meaning of {word}')
    await user.open('/profile')
    await user.should_see('Saved words')
    await user.should_see(f'meaning of {words[-1]}')
    await user.should_not_see(f'meaning of {words[0]}')
    user.find(kind=ui.button, content='More words').click()
    await user.should_see(f'meaning of {words[0]}')
    await user.should_not_see(kind=ui.button, content='More words')


async def test_a_regenerated_reply_is_looked_up_afresh(user: User, fake_llm: FakeLLMServer) -> None:
    """A word of a reply written anew is looked up in its new sentence, not taken from the old one."""
    _, room_id, reply_id = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    user.find(marker=f'reply-words-{reply_id}').trigger('click', {'text': 'meet'})
    await user.should_see('만나다', retries=100)
    user.find(kind=ui.button, content='Close').click()
    fake_llm.reply = 'We meet again tomorrow.'
    press_action(user, f'regenerate-reply-{reply_id}')
    await user.should_see('We meet again tomorrow.', retries=200)
    await user.should_not_see('Writing…', retries=200)
    user.find(marker=f'reply-words-{reply_id}').trigger('click', {'text': 'meet'})
    await eventually(lambda: len(fake_llm.helper_requests_for('word_gloss')) == 2)
    await user.should_see('만나다', retries=100)
    sentences = [body['messages'][-1]['content'] for body in fake_llm.helper_requests_for('word_gloss')]
    assert len(sentences) == 2 and 'We meet again tomorrow.' in sentences[1]


async def test_open_chat_pages_share_one_word_click_script(user: User) -> None:
    """Every open chat page in a language holds the same copy of the replies' word-click script (memory per page)."""
    _user_id, room_id, _reply_id = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    first = word_click_scripts(user)
    await user.open(f'/rooms/{room_id}')
    second = word_click_scripts(user)
    assert len(first) == len(second) == 1
    assert first[0] is second[0]
    assert '"en"' in first[0]


def word_click_scripts(user: User) -> list[str]:
    return [
        listener.js_handler
        for element in user.client.elements.values()
        for listener in element._event_listeners.values()
        if listener.js_handler and 'emit({text: text})' in listener.js_handler
    ]
