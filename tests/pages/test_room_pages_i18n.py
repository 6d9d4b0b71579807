"""The rooms, editor, gallery, history and export in Korean and Japanese, and no unmarked text on them."""

import asyncio
import re
from datetime import UTC, datetime

import pytest
from nicegui import ui
from nicegui.testing import User

from services import accounts, rooms
from services.rooms import LANGUAGES, RoomDraft
from tests.helpers import eventually
from tests.pages.pseudo_language import shown_texts, unmarked_on_page
from tests.pages.test_history_page import room_with_lines
from tests.pages.test_room_pages import button, logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')

# Props a person reads (input labels, placeholders, tooltips given as props, screen-reader names).
# A written-out date such as 'Monday, November 30, 2026 8:29 AM (KST)'.
DATE = re.compile(r'[A-Z][a-z]+ \d{1,2}, 20\d\d')
VISIBLE_PROPS = ('label', 'placeholder', 'aria-label', 'title', 'hint', 'error-message', 'data-tip')


async def gallery_room(user_id: int, scenario: str) -> rooms.RoomInfo:
    """The room saved from the gallery's `scenario` (the editor saves it in the background)."""
    for _attempt in range(250):
        if made := [room for room in await rooms.list_rooms(user_id) if room.scenario == scenario]:
            return made[0]
        await asyncio.sleep(0.02)
    raise AssertionError(f'no room from {scenario} was saved')


async def test_rooms_and_gallery_in_korean(user: User) -> None:
    """A Korean account sees its room list and the gallery in Korean; a gallery room keeps English content."""
    user_id = await logged_in(user)
    await accounts.set_ui_language(user_id, 'ko')
    await rooms.create_room(user_id, RoomDraft('Morning café', 'en', 'A café.', 'Barista', 'Me', 'A2'))
    await user.open('/rooms')
    await user.should_see('내 대화방')
    await user.should_see('영어')  # the room's language, as Korean names it (Babel's CLDR)
    await user.should_see('아직 메시지 없음 · 마지막 활동 방금 전')
    for label in ('새 대화방', '열기', '편집', '삭제'):
        assert button(user, label).elements
    assert set(user.find(marker='room-language').elements.pop().options.values()) >= {
        '모든 언어',
        '한국어',
        '일본어',
    }
    await user.open('/rooms/new')
    await user.should_see('시나리오를 골라 시작한 다음, 원하는 대로 고쳐 보세요.')
    await user.should_see('취업 면접: 백엔드 개발자')
    await user.should_see('레시피 추천')
    await user.should_see('음료와 간식을 주문하고, 사이즈를 물어보고, 계산해요.')
    await user.should_not_see('Ordering at a café')
    user.find(marker='scenario-cafe-order').click()
    assert user.find('제목').elements.pop().value == 'Ordering at a café'
    button(user, '저장').click()
    saved = await gallery_room(user_id, 'cafe-order')
    assert saved.title == 'Ordering at a café'
    assert saved.missions == ('Order a drink with a size', 'Ask for the price', 'Order something to eat')


async def test_room_editor_in_japanese(user: User) -> None:
    """Labels, Japanese language names in `Language`, level names and a refused save, all in Japanese."""
    user_id = await logged_in(user)
    await accounts.set_ui_language(user_id, 'ja')
    await user.open('/rooms/new')
    await user.should_see('新しいルーム')
    for label in ('タイトル', '場面', 'AIの役', '自分の役', 'レベル', 'フィードバック', 'ミッション'):
        await user.should_see(label)
    language = user.find(kind=ui.select, content='言語').elements.pop()
    assert language.options == {
        'en': '英語', 'ko': '韓国語', 'ja': '日本語', 'zh': '中国語',
        'es': 'スペイン語', 'fr': 'フランス語', 'de': 'ドイツ語',
    }  # fmt: skip
    assert user.find(kind=ui.select, content='レベル').elements.pop().options['B1'] == 'B1 · 中級'
    button(user, '保存').click()
    await eventually(
        lambda: (
            user.find('タイトル').elements.pop().props.get('error-message') == 'タイトルを入力してください。'
        )
    )
    assert user.find('場面').elements.pop().props.get('error-message') == '場面を入力してください。'


async def test_history_in_korean_with_korean_dates(user: User) -> None:
    """Search results, their summary and the date of each hit are written the Korean way."""
    user_id = await logged_in(user)
    await accounts.set_ui_language(user_id, 'ko')
    await room_with_lines(
        user_id,
        'Morning café',
        ['One latte please', 'Sure, a latte.'],
        datetime(2026, 1, 15, 12, 0, tzinfo=UTC),
    )
    await user.open('/history?q=latte')
    await user.should_see('기록 검색')
    await user.should_see('"latte" 검색 결과: 메시지 2개 (최신순)')
    await user.should_see('AI 파트너')
    await user.should_see('세션 리포트')
    dates = [label.text for label in user.find(kind=ui.label).elements if '2026. 1. 15.' in label.text]
    assert dates, 'the hit shows its date as Korean writes it (2026. 1. 15.)'
    await user.open('/history?q=zebra')
    await user.should_see('"zebra"에 대한 검색 결과가 없어요.')


async def test_export_in_korean_has_korean_labels(user: User) -> None:
    """The downloaded Markdown labels the set-up and the speakers in the account's language; the
    conversation stays as written."""
    user_id = await logged_in(user)
    await accounts.set_ui_language(user_id, 'ko')
    room_id = await room_with_lines(user_id, 'Morning café', ['One latte please', 'Sure.'], datetime.now(UTC))
    response = await user.http_client.get(f'/rooms/{room_id}/export?format=markdown')
    text = response.text
    assert '- 언어: 영어 (A2)' in text
    assert '- 상황: Ordering coffee.' in text
    assert '- AI: Barista · 나: Me' in text
    assert '**나**' in text and '**AI 파트너**' in text
    assert 'One latte please' in text and 'Language:' not in text


async def test_pseudo_language_shows_no_unmarked_text_on_room_pages(user: User) -> None:
    """In the pseudo-language every text of /rooms, the editor and /history is ⟦marked⟧, except data."""
    user_id = await logged_in(user)
    room_id = await room_with_lines(user_id, 'Morning café', ['One latte please', 'Sure.'], datetime.now(UTC))
    user.http_client.headers['Accept-Language'] = 'en-XA'  # an account without a language follows it
    data = {'Morning café', 'Ordering coffee.', 'A2', 'B1', *LANGUAGES.values()}
    pages = ('/rooms', '/rooms/new', f'/rooms/{room_id}/edit', '/history?q=latte')
    for path in pages:
        await user.open(path)
        await user.should_see('⟦')
        assert len(shown_texts(user.client.layout)) > 5, path
        assert unmarked_on_page(user, data) == [], path
