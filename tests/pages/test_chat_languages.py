"""The chat page in Korean, Japanese and the pseudo-language (issue 16), through the simulated user."""

import pytest
from nicegui import ui
from nicegui.testing import User

from i18n import PSEUDO_LANGUAGE, format_time, using_language
from i18n.catalog import pseudo
from services import accounts, chat, generation, quota, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually
from tests.pages.message_buttons import button_of, press_action
from tests.pages.pseudo_language import unmarked_on_page
from tests.pages.test_chat_feedback import LINE, mistake_answer
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')

# Props whose text a person sees or hears (a screen reader reads aria-label).
VISIBLE_PROPS = ('label', 'placeholder', 'aria-label', 'title', 'hint', 'caption')


async def café(user_id: int) -> int:
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    return room.id


def send(user: User, text: str) -> None:
    """Type into `Message` and press Enter (a label search for Send would also find `Export`'s 보내기)."""
    user.find(kind=ui.textarea).type(text).trigger('keydown')


def button_labelled(user: User, label: str) -> ui.button:
    """The one button with exactly this label, shown or hidden."""
    buttons = [element for element in user.client.elements.values() if isinstance(element, ui.button)]
    [found] = [button for button in buttons if button.props.get('label') == label]
    return found


def aria_label(user: User, marker: str) -> str:
    return user.find(marker=marker).elements.pop().props['aria-label']


async def test_the_chat_page_speaks_korean(user: User, fake_llm: FakeLLMServer) -> None:
    """An account set to Korean: labels, aria-labels, the feedback card, the quota line and the limit alert."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await accounts.set_ui_language(user_id, 'ko')
    await user.open(f'/rooms/{room_id}')
    await user.should_see('오늘 남은 답변 5/5회')
    await user.should_see('인사로 대화를 시작해 보세요.', retries=1)
    assert aria_label(user, 'clear-history') == '대화 기록 지우기'
    assert button_labelled(user, '보내기').enabled
    send(user, LINE)
    await user.should_see('오늘 남은 답변 4/5회', retries=100)
    [turn_reply] = await reply_ids(user_id, room_id)
    await finished(user, turn_reply)
    assert button_of(user, f'regenerate-reply-{turn_reply}')['label'] == '답변 다시 생성 (답변 1회 사용)'
    assert button_of(user, f'translate-reply-{turn_reply}')['label'] == '번역'
    assert button_of(user, 'play-reply')['label'] == '답변 재생'
    await user.should_see('더 자연스럽게:', retries=200)  # the feedback card's title (`Better:`)
    assert aria_label(user, 'feedback-card') == '내 문장에 대한 피드백'
    await user.should_see('동사 시제')
    await user.should_see('왜요?')
    press_action(user, f'regenerate-reply-{turn_reply}')  # its handler outlives its button
    await user.should_see('오늘 남은 답변 3/5회', retries=100)
    await finished(user, turn_reply)
    for text in ('used up', 'in another tab', 'today'):  # the rest of the day's replies, elsewhere
        await generation.wait((await chat.send_message(user_id, room_id, text)).reply.id)
    send(user, 'One more, please.')
    resets_at = (await quota.status(user_id)).resets_at
    with using_language('ko'):
        more_at = f'{format_time(resets_at)}({resets_at.tzname()})'
    await user.should_see(f'하루 한도에 도달했어요. {more_at}부터 다시 답변을 받을 수 있어요.', retries=100)
    await user.should_see('오늘 남은 답변 0/5회')
    await user.should_see(f'· {more_at}에 초기화')
    assert not button_labelled(user, '보내기').enabled


async def test_a_failed_reply_says_why_in_korean(user: User, fake_llm: FakeLLMServer) -> None:
    """The reply's error, stored in English, is shown in Korean (its technical detail kept) with 다시 시도."""
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await accounts.set_ui_language(user_id, 'ko')
    fake_llm.fail_next(503, times=10)
    await user.open(f'/rooms/{room_id}')
    send(user, 'Hello?')
    await user.should_see('AI 서비스에서 오류가 발생했어요. (HTTP 503)', retries=100)
    assert button_labelled(user, '다시 시도').enabled
    [reply] = [
        message for message in await chat.list_messages(user_id, room_id) if message.role == 'assistant'
    ]
    assert reply.error == 'The AI service answered with an error. (HTTP 503)'


async def test_missions_in_korean_keep_the_learners_own_words(user: User) -> None:
    """The missions heading is Korean; a mission the learner wrote is shown as written."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id,
        RoomDraft(
            'Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2',
            missions=('Ask about oat milk', 'Pay by card'),
        ),
    )  # fmt: skip
    await accounts.set_ui_language(user_id, 'ko')
    await user.open(f'/rooms/{room.id}')
    await user.should_see('미션: 2개 중 0개 완료')
    await user.should_see('Ask about oat milk')
    user.http_client.headers['Accept-Language'] = PSEUDO_LANGUAGE
    await accounts.set_ui_language(user_id, None)
    await user.open(f'/rooms/{room.id}')
    await user.should_see(
        pseudo('Pay by card')
    )  # shown through the catalogue (a gallery mission is translated)


async def test_the_chat_page_speaks_japanese(user: User) -> None:
    """An account set to Japanese: the input, Send, the quota line and the switches are Japanese."""
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await accounts.set_ui_language(user_id, 'ja')
    await user.open(f'/rooms/{room_id}')
    await user.should_see('今日の残り返信 5/5回')
    await user.should_see('リスニングモード')
    await user.should_see('場面')
    assert user.find(kind=ui.textarea).elements.pop().props['label'] == 'メッセージ'
    assert button_labelled(user, '送信').enabled
    assert aria_label(user, 'clear-history') == '履歴を消去'


async def test_no_unmarked_text_on_the_chat_page(user: User, fake_llm: FakeLLMServer) -> None:
    """In the pseudo-language every text of the chat page (after one exchange) comes from the catalogue."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer('I went to school yesterday.')
    user_id = await logged_in(user)
    room_id = await café(user_id)
    user.http_client.headers['Accept-Language'] = PSEUDO_LANGUAGE  # the account has no language of its own
    await user.open(f'/rooms/{room_id}')
    send(user, LINE)
    await user.should_see(pseudo('Better:'), retries=200)
    await user.should_see(fake_llm.reply, retries=100)
    # The room's own words and values: its title, situation, level, language, the messages themselves.
    content = {'Café', 'Ordering coffee.', 'A2', 'English', LINE, 'I went to school yesterday.'}
    assert unmarked_on_page(user, content) == []


async def finished(user: User, reply_id: int) -> None:
    """The reply is written and the page has stopped following it (Send is back, Regenerate is there)."""
    await generation.wait(reply_id)
    await eventually(lambda: button_labelled(user, '보내기').visible)
    await user.should_see(marker=f'regenerate-reply-{reply_id}', retries=100)


async def reply_ids(user_id: int, room_id: int) -> list[int]:
    return [
        message.id for message in await chat.list_messages(user_id, room_id) if message.role == 'assistant'
    ]
