"""The learning pages (/vocabulary, /mistakes, /progress, a session report) in Korean and Japanese, the
notebook's CSV header in the exporter's language, and no unmarked English on them (the pseudo-language)."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from db.engine import sessionmaker
from db.models import Message
from services import accounts, practice_sessions, quota, vocabulary_review
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually
from tests.pages.pseudo_language import unmarked_on_page
from tests.pages.test_room_pages import logged_in
from tests.vocabulary_seed import learner_line, room_with_reply, saved

pytestmark = pytest.mark.usefixtures('use_fake_llm')


def korean_date(moment: datetime) -> str:
    return f'{moment.year}년 {moment.month}월 {moment.day}일'


def click(user: User, testid: str) -> None:
    """Press the button with this data-testid (its text is in the page's language)."""
    found = {b for b in user.find(kind=ui.button).elements if b.props.get('data-testid') == testid}
    assert found, testid
    UserInteraction(user, found, None).click()


async def korean_learner(user: User, language: str = 'ko') -> int:
    user_id = await logged_in(user)  # the log-in page in English (a visitor without a language)
    await accounts.set_ui_language(user_id, language)
    return user_id


async def ended_session(user_id: int, fake_llm: FakeLLMServer) -> tuple[int, int, datetime]:
    """(room id, report id, when the learner spoke): one line with a tense mistake; the coach note fails."""
    room_id, _reply = await room_with_reply(user_id, 'Hello!')
    spoken = datetime.now(UTC)
    await learner_line(user_id, room_id, 'Yesterday I go there.', spoken, [('go', 'went', 'verb_tense')])
    async with sessionmaker().begin() as session:  # the partner's answer, with a word above A2
        session.add(Message(room_id=room_id, user_id=user_id, role='assistant', content='How exquisite.'))
    fake_llm.fail_helpers_next(500, times=3)  # the app's own note: stored in English, shown translated
    report = await practice_sessions.end_session(user_id, room_id)
    return room_id, report.id, spoken


async def test_vocabulary_in_korean_with_a_review(user: User) -> None:
    """단어장: heading, buttons, the empty notebook, a Korean date, then a whole review in Korean."""
    user_id = await korean_learner(user)
    await user.open('/vocabulary')
    await user.should_see('단어장')
    await user.should_see("아직 저장한 단어가 없어요. 답변에서 단어를 누르고 '단어 저장'을 선택하세요.")
    for text in ('복습 (0개 남음)', 'CSV 다운로드', 'Anki 덱 다운로드', '검색'):
        assert user.find(kind=ui.button, content=text).elements, text
    assert user.find('단어 검색').elements
    entry = await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    await user.open('/vocabulary')
    due = entry.created_at.astimezone(quota.day_zone())
    await user.should_see(f'다음 복습: {korean_date(due)}')
    await user.should_see('열기')
    delete = {b for b in user.find(kind=ui.button).elements if b.props.get('aria-label') == 'ticket 삭제'}
    assert len(delete) == 1
    user.find(kind=ui.button, content='복습 (1개 남음)').click()
    await user.should_see('빈칸을 채워 보세요')
    user.find('내 답').type('ticket')
    user.find(kind=ui.button, content='정답 보기').click()
    await user.should_see("정답이에요! '좋음'이(가) 선택되었어요.")
    for label in ('다시', '어려움', '쉬움'):
        await user.should_see(label)
    user.find(kind=ui.button, content='좋음').click()  # the handler goes on in Korean
    await user.should_see('지금 복습할 단어가 없어요. 잘했어요!')
    await user.should_see('복습 (0개 남음)')
    assert await vocabulary_review.due_count(user_id) == 0


async def test_vocabulary_in_japanese(user: User) -> None:
    """単語帳: heading, the review button, exports and a Japanese date."""
    user_id = await korean_learner(user, 'ja')
    entry = await saved(user_id, 'ticket', '表', 'Here is your ticket.')
    await user.open('/vocabulary')
    await user.should_see('単語帳')
    for text in ('復習（残り1個）', 'CSVをダウンロード', 'Ankiデッキをダウンロード', '検索'):
        assert user.find(kind=ui.button, content=text).elements, text
    await user.should_see('表')
    due = entry.created_at.astimezone(quota.day_zone())
    await user.should_see(f'次の復習：{due.year}年{due.month}月{due.day}日')


async def test_the_csv_header_is_in_the_exporters_language(user: User) -> None:
    """A Korean account's CSV names its columns in Korean; the words themselves stay as saved."""
    user_id = await korean_learner(user)
    await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    response = await user.http_client.get('/vocabulary/export.csv')
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode('utf-8-sig'))))
    assert rows[0] == [
        '단어',
        '형태',
        '뜻',
        '품사',
        '레벨',
        '언어',
        '문장',
        '출처',
        '추가한 날',
        '복습 예정일',
    ]
    assert rows[1][:3] == ['ticket', '', '표']


async def test_mistake_log_in_korean(user: User) -> None:
    """실수 노트: heading, filters, the category and language in Korean, `학습 완료`, then the empty text."""
    user_id = await korean_learner(user)
    room_id, _reply = await room_with_reply(user_id, 'Hello!')
    await learner_line(user_id, room_id, 'I saw a elephant.', datetime.now(UTC), [('a', 'an', 'article')])
    await user.open('/mistakes')
    await user.should_see('실수 노트')
    await user.should_see(
        "모든 대화방에서 받은 교정을 최신순으로 보여 줘요. '학습 완료'로 표시하면 목록에서 빠져요."
    )
    assert user.find('유형').elements and user.find('언어').elements
    await user.should_see('관사')
    await user.should_see('영어')
    user.find(kind=ui.button, content='학습 완료').click()
    await user.should_see('학습 완료로 표시했어요')
    await user.should_see('표시할 실수가 없어요.')


async def test_progress_in_korean(user: User) -> None:
    """학습 현황: the empty state first, then the days practised, figures and chart legends in Korean."""
    user_id = await korean_learner(user)
    await user.open('/progress')
    await user.should_see('학습 현황')
    await user.should_see('대화방에서 대화하면 주별 수치가 여기에 나타나요.')
    room_id, _reply = await room_with_reply(user_id, 'Hi!')
    now = datetime.now(UTC)
    await learner_line(user_id, room_id, 'I want coffee.', now, [('want', 'want a', 'article')])
    await user.open('/progress')
    await user.should_see('최근 7일 중 1일 연습 · 최근 28일 중 1일')
    for text in ('연습한 날', '저장한 단어', '익힌 단어', '복습할 단어', '자주 하는 실수'):
        await user.should_see(text)
    await eventually(lambda: len(user.find(kind=ui.echart).elements) == 3)
    charts = {element.props['data-testid']: element for element in user.find(kind=ui.echart).elements}
    weekly = charts['chart-weekly-activity'].options
    assert weekly['legend']['data'] == ['내 문장', '말하기 시간(분)']
    assert re.fullmatch(r'\d{1,2}월 \d{1,2}일', weekly['xAxis']['data'][-1])
    assert charts['chart-error-categories'].options['legend']['data'] == ['관사']
    assert charts['chart-error-free'].props['aria-label'] == '주별 실수 없는 문장, 최근 0%'


async def test_session_report_in_korean(user: User, fake_llm: FakeLLMServer) -> None:
    """세션 리포트: headings, buttons, figures, the app's note and a Korean date; the new word's save button."""
    user_id = await korean_learner(user)
    room_id, report_id, spoken = await ended_session(user_id, fake_llm)
    await user.open(f'/rooms/{room_id}/report/{report_id}')
    await user.should_see('세션 리포트')
    await user.should_see(korean_date(spoken))
    await user.should_see(
        '세션을 끝까지 마쳤어요. 잘했어요! 아래 실수를 살펴보고 다음에 그 부분을 다시 연습해 보세요.'
    )
    for text in ('유형별 실수', '동사 시제: 1', '새 단어', '내 차례', '실수 없음', '사용한 힌트'):
        await user.should_see(text)
    for text in ('Markdown 다운로드', '대화방으로 돌아가기'):
        assert user.find(kind=ui.button, content=text).elements, text
    savers = [
        b
        for b in user.find(kind=ui.button).elements
        if b.props.get('aria-label') == 'exquisite을(를) 단어장에 저장'
    ]
    assert len(savers) == 1
    UserInteraction(user, set(savers), None).click()
    await user.should_see("'exquisite'을(를) 단어장에 저장했어요")


async def test_no_unmarked_text_on_the_learning_pages(user: User, fake_llm: FakeLLMServer) -> None:
    """In the pseudo-language every visible text of these pages is ⟦marked⟧, but the learner's own data."""
    user_id = await logged_in(user)
    entry = await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    room_id, report_id, _spoken = await ended_session(user_id, fake_llm)
    await learner_line(user_id, room_id, 'I saw a elephant.', datetime.now(UTC), [('a', 'an', 'article')])
    # The learner's data and what Babel writes (dates, language names) are not catalogue texts.
    data = {
        'ticket', '표', 'Here is your ticket.', 'Here is your _____.', 'Café', 'A1', 'A2', 'exquisite',
        'Yesterday I go there.', 'I saw a elephant.', 'Hello!', 'go', 'went', 'a', 'an', 'Use "went".', 'Use "an".',
        entry.lemma,
    }  # fmt: skip
    user.http_client.headers['Accept-Language'] = 'en-XA'
    await user.open('/vocabulary')
    click(user, 'review')
    await user.should_see('Here is your _____.')
    click(user, 'show-answer')
    await user.should_see('ticket')
    assert unmarked_on_page(user, data) == []
    await user.open('/mistakes')
    await user.should_see('I saw a elephant.')
    assert unmarked_on_page(user, data) == []
    await user.open('/progress')
    await eventually(lambda: len(user.find(kind=ui.echart).elements) == 3)
    assert unmarked_on_page(user, data) == []
    await user.open(f'/rooms/{room_id}/report/{report_id}')
    await user.should_see('exquisite')
    assert unmarked_on_page(user, data) == []
