"""The sign-in and account pages in Korean and Japanese: the browser's language, the visitors' menu,
the profile's `Interface language`, and no visible text outside the catalogue (issue 16)."""

from nicegui import ui
from nicegui.testing import User

from i18n import PSEUDO_LANGUAGE
from i18n.catalog import pseudo
from services import accounts
from tests.helpers import field_errors, header_markup
from tests.pages.pseudo_language import unmarked_on_page
from tests.pages.test_account_pages import sign_up

# Props a person sees or hears (labels, hints, screen-reader names).
VISIBLE_PROPS = ('label', 'placeholder', 'aria-label', 'title', 'error-message', 'hint')


async def register_mina() -> accounts.UserInfo:
    return await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )


def labelled_inputs(user: User) -> dict[str, ui.input]:
    """The page's inputs by their (exact) label: Playwright-style substring matching would mix
    `비밀번호` with `비밀번호 확인`."""
    return {field.props.get('label'): field for field in user.find(kind=ui.input).elements}


def choose(user: User, testid: str, value: str | None) -> None:
    """Pick `value` in the select marked `data-testid=testid` (as a click on the option would)."""
    select = next(
        element
        for element in user.client.elements.values()
        if isinstance(element, ui.select) and element.props.get('data-testid') == testid
    )
    select.set_value(value)


async def test_login_page_speaks_the_browsers_korean(user: User) -> None:
    """Accept-Language ko-KR: the log-in form, its frame and its links are Korean."""
    user.http_client.headers['Accept-Language'] = 'ko-KR,ko;q=0.9,en;q=0.5'
    await user.open('/login')
    await user.should_see('다시 오신 걸 환영해요')
    await user.should_see('AI 파트너와 대화하며 언어를 연습해요.')
    await user.should_see('처음이세요?')
    await user.should_see(kind=ui.link, content='회원가입')
    await user.should_see(kind=ui.button, content='로그인')
    username = user.find(kind=ui.input, content='아이디').elements.pop()
    assert username.props['placeholder'] == '아이디 또는 이메일'
    await user.should_not_see('Welcome back')


async def test_signup_refusals_are_korean_inside_the_event_handler(user: User) -> None:
    """The page was built in Korean, so the click's field messages and summary are Korean too."""
    await korean_sign_up(user, 'ko-KR', 'nope', 'amber-kettle-58', 'violet-canyon-94')
    await user.should_see('고쳐 주세요:')
    assert field_errors(user, '이메일') == ['name@example.com 같은 올바른 이메일 주소를 입력해 주세요.']
    assert field_errors(user, '비밀번호 확인') == ['비밀번호가 서로 달라요.']


async def test_a_refused_password_says_why_in_korean(user: User) -> None:
    """zxcvbn's English reasons come through the catalogue (its check runs in a worker thread)."""
    await korean_sign_up(user, 'ko', 'mina@example.com', 'password', 'password')
    await user.should_see('고쳐 주세요: 비밀번호.')
    [reason] = field_errors(user, '비밀번호')
    assert reason == (
        '이 비밀번호는 너무 쉽게 추측할 수 있어요. 가장 흔한 비밀번호 10위 안에 들어요. '
        '단어를 한두 개 더 넣어 보세요. 흔하지 않은 단어일수록 좋아요.'
    )


async def test_signup_page_in_japanese(user: User) -> None:
    """Accept-Language ja: Japanese labels, and a too-short password is refused in Japanese."""
    user.http_client.headers['Accept-Language'] = 'ja-JP,ja;q=0.9'
    await user.open('/signup')
    await user.should_see('アカウントを作成')
    await user.should_see('アカウントをお持ちですか?')
    inputs = labelled_inputs(user)
    assert set(inputs) >= {'ユーザー名', 'メールアドレス', 'パスワード', 'パスワード(確認)'}
    inputs['ユーザー名'].set_value('mina')
    inputs['メールアドレス'].set_value('mina@example.com')
    inputs['パスワード'].set_value('short')
    inputs['パスワード(確認)'].set_value('short')
    user.find(kind=ui.button, content='新規登録').click()
    await user.should_see('修正してください: パスワード。')
    assert field_errors(user, 'パスワード') == ['パスワードは8文字以上にしてください。']


async def test_the_language_menu_switches_a_visitor_to_korean(user: User) -> None:
    """Choosing 한국어 reloads the page in Korean; the sign-up page then speaks Korean too."""
    await user.open('/login')
    await user.should_see('Welcome back')
    choose(user, 'language-menu', 'ko')
    await user.should_see('다시 오신 걸 환영해요')
    await user.open('/signup')
    await user.should_see('계정 만들기')
    choose(user, 'language-menu', 'en')
    await user.should_see('Create your account')


async def test_a_visitors_choice_survives_log_in_and_log_out(user: User) -> None:
    """The session id changes at log-in and log-out; the menu's 日本語 stays with the browser."""
    await register_mina()
    await user.open('/login')
    choose(user, 'language-menu', 'ja')
    await user.should_see('おかえりなさい')
    user.find(kind=ui.input, content='ユーザー名').type('mina')
    user.find(kind=ui.input, content='パスワード').type('amber-kettle-58')
    user.find(kind=ui.button, content='ログイン').click()
    await user.should_see(kind=ui.button, content='ログアウト', retries=50)
    assert header_markup(user).links['プロフィール'] == '/profile'
    user.find(kind=ui.button, content='ログアウト').click()
    await user.should_see('おかえりなさい', retries=50)


async def test_sign_up_keeps_the_visitors_menu_choice(user: User) -> None:
    """A visitor who chose 한국어 gets an account whose Interface language is Korean."""
    await user.open('/signup')
    choose(user, 'language-menu', 'ko')
    await user.should_see('계정 만들기')
    inputs = labelled_inputs(user)
    inputs['아이디'].set_value('mina')
    inputs['이메일'].set_value('mina@example.com')
    inputs['비밀번호'].set_value('amber-kettle-58')
    inputs['비밀번호 확인'].set_value('amber-kettle-58')
    user.find(kind=ui.button, content='회원가입').click()
    await user.should_see(kind=ui.button, content='로그아웃', retries=50)
    mina = await accounts.authenticate('mina', 'amber-kettle-58', client_address='127.0.0.1')
    assert mina.ui_language == 'ko'


async def test_interface_language_switches_the_account_and_back(user: User) -> None:
    """The profile's Interface language: 한국어 reloads the page in Korean and is remembered; English undoes it."""
    await sign_up(user)
    await user.should_see('Log out', retries=50)
    await user.open('/profile')
    await user.should_see('Interface language')
    select = user.find(kind=ui.select, content='Interface language').elements.pop()
    assert select.value == ''  # Browser's language
    choose(user, 'profile-interface-language', 'ko')
    await user.should_see('프로필 저장')
    await user.should_see('인터페이스 언어')
    assert header_markup(user).links['대화방'] == '/rooms'
    await user.open('/profile')  # a new page load: the account's choice, not the browser's English
    await user.should_see('비밀번호 변경')
    assert (
        await accounts.authenticate('mina', 'amber-kettle-58', client_address='127.0.0.1')
    ).ui_language == 'ko'
    choose(user, 'profile-interface-language', 'en')
    await user.should_see('Save profile')
    await user.should_see('My language')
    await user.should_not_see('프로필 저장')
    assert (
        await accounts.authenticate('mina', 'amber-kettle-58', client_address='127.0.0.1')
    ).ui_language == 'en'


async def test_pages_show_no_text_outside_the_catalogue(user: User) -> None:
    """In the pseudo-language every translated text is ⟦marked⟧: log-in, sign-up and profile have no other."""
    user.http_client.headers['Accept-Language'] = PSEUDO_LANGUAGE
    await user.open('/login')
    assert unmarked_on_page(user, content_only=False) == []
    await user.open('/signup')
    assert unmarked_on_page(user, content_only=False) == []
    await register_mina()
    await user.open('/login')
    inputs = labelled_inputs(user)
    inputs[pseudo('Username')].set_value('mina')
    inputs[pseudo('Password')].set_value('amber-kettle-58')
    user.find(kind=ui.button, content=pseudo('Log in')).click()
    await user.should_see(kind=ui.button, content=pseudo('Log out'), retries=50)
    await user.open('/profile')
    await user.should_see('mina@example.com')
    # The learner's own data and names that read the same in every language.
    data = {'mina', '@mina · mina@example.com', 'fake-model'}
    assert unmarked_on_page(user, data, content_only=False) == []


async def korean_sign_up(
    user: User, accept_language: str, email: str, password: str, confirmation: str
) -> None:
    """Send the sign-up form for `mina`, read in Korean (the browser asks for `accept_language`)."""
    user.http_client.headers['Accept-Language'] = accept_language
    await user.open('/signup')
    inputs = labelled_inputs(user)
    inputs['아이디'].set_value('mina')
    inputs['이메일'].set_value(email)
    inputs['비밀번호'].set_value(password)
    inputs['비밀번호 확인'].set_value(confirmation)
    user.find(kind=ui.button, content='회원가입').click()
