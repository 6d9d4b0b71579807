"""/admin through the simulated user: only admins, usage shown, grant, limit, disable and enable."""

import pytest
from nicegui import ui
from nicegui.testing import User

from db.engine import sessionmaker
from i18n import PSEUDO_LANGUAGE
from services import accounts, admin, helper_tiers, hints, quota, roles, rooms
from services.errors import NotAnAdmin
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually
from tests.pages.pseudo_language import shown_texts, unmarked_on_page
from tests.pages.test_room_pages import logged_in


@pytest.fixture(autouse=True)
def boss_is_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """`boss` is promoted as soon as it signs up (in production: manage.py promote or another admin)."""
    register = accounts.register

    async def register_and_promote(username: str, *args: str, **kwargs: str) -> accounts.UserInfo:
        created = await register(username, *args, **kwargs)
        if created.username == 'boss':
            await roles.promote('boss')
            return await accounts.get_user(created.id)
        return created

    monkeypatch.setattr(accounts, 'register', register_and_promote)


async def learner_with_usage(name: str = 'mina', used: int = 2) -> int:
    learner = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    for _ in range(used):
        async with sessionmaker().begin() as session:
            await quota.consume_in(session, learner.id)
    return learner.id


def usage_text(user: User, username: str) -> str:
    """The usage line of the account's card."""
    return next(
        element.text
        for element in user.client.elements.values()
        if element.props.get('data-testid') == f'usage-{username}'
    )


async def test_non_admins_get_404_and_no_link(user: User) -> None:
    """A learner sees no Admin link and /admin answers 404."""
    await logged_in(user, 'mina')
    await user.should_not_see('Admin')
    response = await user.http_client.get('/admin')
    assert response.status_code == 404


async def test_admin_sees_accounts_with_usage(user: User) -> None:
    """The admin gets the Admin link and every account with today's usage and state."""
    await learner_with_usage('mina', used=2)
    await logged_in(user, 'boss')
    await user.should_see('Admin')
    await user.open('/admin')
    await user.should_see('Accounts')
    await user.should_see('mina@example.com')
    assert usage_text(user, 'mina') == '2 of 5 replies used today'
    assert usage_text(user, 'boss') == 'Unlimited (admin)'
    await user.should_not_see(marker='toggle-boss')  # no Disable on one's own account
    await user.should_see(marker='toggle-mina')
    user.find('Search users').type('nobody')
    await user.should_see('No accounts match.')


async def test_grant_and_limit_dialogs(user: User) -> None:
    """Grant replies and Set limit change the account, and the row shows the new numbers."""
    mina = await learner_with_usage('mina', used=5)
    await logged_in(user, 'boss')
    await user.open('/admin')
    user.find(marker='grant-mina').click()
    await user.should_see('Extra replies for mina')
    user.find(kind=ui.number, content='Extra replies today').clear().type('3')
    user.find(marker='number-submit').click()
    await eventually(lambda: usage_text(user, 'mina') == '5 of 8 replies used today (incl. 3 extra)')
    assert (await quota.status(mina)).remaining == 3

    user.find(marker='limit-mina').click()
    await user.should_see('Daily limit for mina')
    user.find(kind=ui.number, content='Daily limit').type('1000000')
    user.find(marker='number-submit').click()
    await user.should_see('A daily limit is between 0 and 10000.')
    user.find(kind=ui.number, content='Daily limit').clear().type('10')
    user.find(marker='number-submit').click()
    await eventually(lambda: usage_text(user, 'mina') == '5 of 13 replies used today (incl. 3 extra)')
    assert (await quota.status(mina)).limit == 13


async def test_disable_and_enable_from_the_page(user: User) -> None:
    """Disable asks first, then the card says Disabled and offers Enable, which turns it back."""
    mina = await learner_with_usage('mina', used=0)
    await logged_in(user, 'boss')
    await user.open('/admin')
    user.find(marker='toggle-mina').click()
    await user.should_see('Disable mina?')
    user.find(marker='confirm-delete').click()
    await user.should_see('Disabled mina')
    assert not (await accounts.get_user(mina)).is_active
    user.find(marker='toggle-mina').click()
    await user.should_see('Enabled mina')
    assert (await accounts.get_user(mina)).is_active


async def test_a_disabled_learner_is_logged_out_on_the_next_request(user: User) -> None:
    """Disabled while signed in: the next page load lands on /login, and logging in is refused."""
    boss = await accounts.register(
        'boss', 'boss@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    mina = await logged_in(user, 'mina')
    await admin.set_active(boss.id, mina, False)
    await user.open('/rooms')
    await user.should_see('Log in')
    user.find('Username').type('mina')
    user.find('Password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Log in').click()
    await user.should_see('This account is disabled. Please contact the administrator.', retries=50)


async def test_make_admin_and_remove_admin(user: User) -> None:
    """`Make admin` turns a learner into an admin (after a confirm); there is no `Remove admin` for oneself."""
    mina = await learner_with_usage('mina', used=0)
    await logged_in(user, 'boss')
    await user.open('/admin')
    await user.should_not_see(marker='admin-boss')
    user.find(marker='admin-mina').click()
    await user.should_see('Make mina an admin?')
    user.find(marker='confirm-delete').click()
    await user.should_see('mina is now an admin')
    assert (await accounts.get_user(mina)).is_admin
    user.find(marker='admin-mina').click()
    await user.should_see('Remove the admin right of mina?')
    user.find(marker='confirm-delete').click()
    await user.should_see('mina is no longer an admin')
    assert not (await accounts.get_user(mina)).is_admin


def tier_text(user: User, task: str) -> str:
    """The text of one helper's row on the Learning helpers card."""
    row = next(e for e in user.client.elements.values() if e.props.get('data-testid') == f'tier-{task}')
    return ' '.join(child.text for child in row.descendants() if getattr(child, 'text', ''))


async def test_admin_sees_each_helpers_rung_and_can_reset_them(
    user: User, use_fake_llm: FakeLLMServer
) -> None:
    """A server refusing JSON-schema output puts Hints on rung B; `Try all from the start again` forgets it."""
    use_fake_llm.refuse_response_format = True
    learner = await learner_with_usage('mina', used=0)
    room = await rooms.create_room(learner, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
    await hints.next_line_hints(learner, room.id)
    await logged_in(user, 'boss')
    await user.open('/admin')
    await user.should_see('Learning helpers')
    await user.should_see('Model: fake-model')
    assert tier_text(user, 'next_line_hints') == 'Hints B JSON asked for in the prompt'
    assert tier_text(user, 'turn_feedback') == 'Feedback A JSON schema (structured output)'
    user.find('Try all from the start again').click()
    await user.should_see('Forgot 1 remembered choice')
    assert tier_text(user, 'next_line_hints') == 'Hints A JSON schema (structured output)'


@pytest.mark.usefixtures('database')
async def test_only_admins_see_or_reset_helper_rungs() -> None:
    """The service refuses a learner like every admin function (a 404 on the page)."""
    learner = await learner_with_usage('mina', used=0)
    with pytest.raises(NotAnAdmin):
        await helper_tiers.helper_tiers(learner)
    with pytest.raises(NotAnAdmin):
        await helper_tiers.reset_helper_tiers(learner)


ADMIN_PAGE_IN = {
    'ko': {
        'heading': '계정',
        'usage': '오늘 답변 5개 중 2개 사용',
        'helpers': '학습 도우미',
        'feedback tier': '피드백 D 피드백은 내장 모델에서 사용할 수 없어요.',  # the built-in model: off
        'grant title': 'mina의 추가 답변',
        'grant label': '오늘 추가 답변 수',
        'granted': 'mina에게 답변 3개를 추가했어요',
        'usage with extra': '오늘 답변 8개 중 2개 사용 (추가 3개 포함)',
        'limit title': 'mina의 하루 한도',
        'limit label': '하루 한도',
        'limit refused': '하루 한도는 0에서 10000 사이로 정해 주세요.',
    },
    'ja': {
        'heading': 'アカウント',
        'usage': '今日の返信 5件中2件を使用',
        'helpers': '学習ヘルパー',
        'feedback tier': 'フィードバック D フィードバックは内蔵モデルでは使えません。',
        'grant title': 'mina の追加返信',
        'grant label': '今日の追加返信数',
        'granted': 'mina に返信を3件付与しました',
        'usage with extra': '今日の返信 8件中2件を使用（追加3件を含む）',
        'limit title': 'mina の1日の上限',
        'limit label': '1日の上限',
        'limit refused': '1日の上限は0〜10000の範囲で指定してください。',
    },
}


@pytest.mark.parametrize('language', ['ko', 'ja'])
async def test_admin_page_in_korean_and_japanese(user: User, language: str) -> None:
    """An admin whose Interface language is Korean (or Japanese) reads the page, its dialogs, notes and
    refusals in it."""
    texts = ADMIN_PAGE_IN[language]
    await learner_with_usage('mina', used=2)
    boss = await logged_in(user, 'boss')
    await accounts.set_ui_language(boss, language)
    await user.open('/admin')
    await user.should_see(texts['heading'])
    await user.should_see(texts['helpers'])
    assert usage_text(user, 'mina') == texts['usage']
    assert tier_text(user, 'turn_feedback') == texts['feedback tier']
    await user.should_not_see('Accounts')

    user.find(marker='grant-mina').click()
    await user.should_see(texts['grant title'])
    user.find(kind=ui.number, content=texts['grant label']).clear().type('3')
    user.find(marker='number-submit').click()
    await user.should_see(texts['granted'])
    await eventually(lambda: usage_text(user, 'mina') == texts['usage with extra'])

    user.find(marker='limit-mina').click()
    await user.should_see(texts['limit title'])
    user.find(kind=ui.number, content=texts['limit label']).type('1000000')
    user.find(marker='number-submit').click()
    await user.should_see(texts['limit refused'])


async def test_admin_page_has_no_unmarked_text_in_the_pseudo_language(user: User) -> None:
    """With Accept-Language: en-XA every text of the page's content is ⟦marked⟧ (data such as usernames,
    emails and rung letters aside): none escapes the catalogue."""
    await learner_with_usage('mina', used=2)
    await logged_in(user, 'boss')
    user.http_client.headers['Accept-Language'] = PSEUDO_LANGUAGE
    await user.open('/admin')
    await user.should_see('⟦Àççöûñţš⟧')
    data = {'boss', 'mina', 'boss@example.com', 'mina@example.com', 'A', 'B', 'C', 'D'}
    assert len(shown_texts(user.client.layout)) > 20  # the cards, their buttons and the helper rows were read
    assert unmarked_on_page(user, data) == []
