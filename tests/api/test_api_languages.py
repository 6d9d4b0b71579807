"""/api errors in the language of Accept-Language (Korean, Japanese, the pseudo-language) with the same
`code` as in English, and `ui_language` on /api/me."""

import re
from collections.abc import Awaitable, Callable
from itertools import count

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from api.rest.params import storable
from api.rest.validation_messages import MESSAGES, problem_message
from i18n import PSEUDO_LANGUAGE, using_language
from services.settings import load_settings
from tests.api.conftest import Account, assert_error, bearer, make_room, sign_up

Request = Callable[[httpx.AsyncClient, Account, dict[str, str]], Awaitable[httpx.Response]]
HANGUL = re.compile(r'[\uac00-\ud7a3]')
KANA_OR_KANJI = re.compile(r'[\u3040-\u30ff\u4e00-\u9fff]')
ACCOUNTS = count()


async def _no_token(client: httpx.AsyncClient, _account: Account, headers: dict[str, str]) -> httpx.Response:
    return await client.get('/api/me', headers=headers)


async def _bad_token(client: httpx.AsyncClient, _account: Account, headers: dict[str, str]) -> httpx.Response:
    return await client.get('/api/me', headers=headers | bearer('not-a-token'))


async def _wrong_password(
    client: httpx.AsyncClient, _account: Account, headers: dict[str, str]
) -> httpx.Response:
    body = {'username': 'mina', 'password': 'not-the-password'}
    return await client.post('/api/auth/token', json=body, headers=headers)


async def _missing_room(
    client: httpx.AsyncClient, account: Account, headers: dict[str, str]
) -> httpx.Response:
    return await client.get('/api/rooms/99999', headers=headers | account.headers)


async def _no_such_route(
    client: httpx.AsyncClient, account: Account, headers: dict[str, str]
) -> httpx.Response:
    return await client.get('/api/nowhere', headers=headers | account.headers)


async def _retry_a_finished_reply(
    client: httpx.AsyncClient, account: Account, headers: dict[str, str]
) -> httpx.Response:
    room = await make_room(client, account)
    sent = await client.post(
        f'/api/rooms/{room["id"]}/messages', json={'text': 'Hi'}, headers=account.headers
    )
    reply_id = sent.json()['reply']['id']
    return await client.post(f'/api/messages/{reply_id}/retry', headers=headers | account.headers)


async def _blank_title(
    client: httpx.AsyncClient, account: Account, headers: dict[str, str]
) -> httpx.Response:
    room = {
        'title': '  ',
        'language': 'en',
        'situation': 'Ordering coffee.',
        'ai_role': 'Barista',
        'my_role': 'Customer',
        'level': 'A2',
    }
    return await client.post('/api/rooms', json=room, headers=headers | account.headers)


async def _page_of_none(
    client: httpx.AsyncClient, account: Account, headers: dict[str, str]
) -> httpx.Response:
    return await client.get('/api/rooms', params={'limit': 0}, headers=headers | account.headers)


async def _unknown_field(
    client: httpx.AsyncClient, account: Account, headers: dict[str, str]
) -> httpx.Response:
    return await client.patch('/api/me', json={'is_admin': True}, headers=headers | account.headers)


async def _over_the_daily_limit(
    client: httpx.AsyncClient, account: Account, headers: dict[str, str]
) -> httpx.Response:
    room = await make_room(client, account)
    return await client.post(
        f'/api/rooms/{room["id"]}/messages', json={'text': 'Hi'}, headers=headers | account.headers
    )


# (status, code, request, Korean message, Japanese message); None: only "not English, in that script".
CASES: dict[str, tuple[int, str, Request, str | None, str | None]] = {
    'no token': (
        401, 'not_authenticated', _no_token,
        '액세스 토큰을 보내 주세요: Authorization: Bearer <token>.',
        'アクセストークンを送ってください: Authorization: Bearer <token>.',
    ),
    'bad token': (401, 'invalid_token', _bad_token, None, None),
    'wrong password': (
        401, 'invalid_credentials', _wrong_password, '아이디 또는 비밀번호가 틀렸어요', 'ユーザー名またはパスワードが違います'
    ),
    'missing room': (404, 'not_found', _missing_room, '대화방을 찾을 수 없어요', 'ルームが見つかりません'),
    'no such route': (404, 'not_found', _no_such_route, '찾을 수 없어요', '見つかりません'),
    'retry a finished reply': (409, 'conflict', _retry_a_finished_reply, None, None),
    'blank title': (422, 'invalid_input', _blank_title, '제목을 입력하세요.', 'タイトルを入力してください。'),
    'page of none': (
        422, 'validation_error', _page_of_none, 'limit: 1 이상이어야 해요.', 'limit: 1以上の値を指定してください。'
    ),
    'unknown field': (422, 'validation_error', _unknown_field, None, None),
    'over the daily limit': (429, 'quota_exceeded', _over_the_daily_limit, None, None),
}  # fmt: skip


def no_replies_left_for(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """DAILY_QUOTA=0 for the daily-limit case: its first message is a 429."""
    if case == 'over the daily limit':
        monkeypatch.setenv('DAILY_QUOTA', '0')
        load_settings()


async def answers(client: httpx.AsyncClient, case: str, language: str) -> dict:
    """The error `case` gets with Accept-Language: `language` (a new account each time), checked for its
    status and code."""
    status, code, request, *_translations = CASES[case]
    account = await sign_up(client, f'learner_{next(ACCOUNTS)}')
    response = await request(client, account, {'Accept-Language': language})
    return assert_error(response, status, code)


@pytest.mark.parametrize('case', list(CASES))
async def test_errors_speak_korean_and_japanese_with_the_english_code(
    client: httpx.AsyncClient, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accept-Language: ko / ja translates `message` (and `fields`); status and `code` stay those of English."""
    no_replies_left_for(case, monkeypatch)
    await sign_up(client, 'mina')
    english = await answers(client, case, 'en')
    korean = await answers(client, case, 'ko-KR,ko;q=0.9,en;q=0.5')
    japanese = await answers(client, case, 'ja')
    *_rest, expected_korean, expected_japanese = CASES[case]
    for translated, script, expected in (
        (korean, HANGUL, expected_korean),
        (japanese, KANA_OR_KANJI, expected_japanese),
    ):
        assert translated['message'] != english['message']
        assert script.search(translated['message']), translated['message']
        if expected is not None:
            assert translated['message'] == expected
        assert set(translated.get('fields') or {}) == set(english.get('fields') or {})
        for message in (translated.get('fields') or {}).values():
            assert script.search(message), message


async def test_english_messages_are_unchanged(client: httpx.AsyncClient) -> None:
    """Without Accept-Language (and with en) the messages are the English ones clients already read."""
    await sign_up(client, 'mina')
    assert (await answers(client, 'missing room', 'en'))['message'] == 'Room not found'
    assert (await answers(client, 'page of none', 'fr'))['message'] == (
        'limit: Input should be greater than or equal to 1.'
    )
    assert (await answers(client, 'blank title', 'en'))['fields'] == {'title': 'Title is required.'}


def without_marked_text(text: str) -> str:
    """`text` with every ⟦…⟧ (nested too) taken out: what was not translated."""
    while (shorter := re.sub(r'⟦[^⟦⟧]*⟧', '', text)) != text:
        text = shorter
    return text


@pytest.mark.parametrize('case', list(CASES))
async def test_pseudo_language_leaves_no_english_in_errors(
    client: httpx.AsyncClient, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accept-Language: en-XA marks every message and field message: no English words are left outside ⟦…⟧."""
    no_replies_left_for(case, monkeypatch)
    await sign_up(client, 'mina')
    error = await answers(client, case, PSEUDO_LANGUAGE)
    field_names = set(error.get('fields') or {})
    for text in (error['message'], *(error.get('fields') or {}).values()):
        assert text.startswith('⟦') and text.endswith('⟧'), text
        left = set(re.findall(r'[A-Za-z]{2,}', without_marked_text(text)))
        assert left <= field_names, f'{text!r} leaves {left}'


async def test_ui_language_round_trip(client: httpx.AsyncClient) -> None:
    """GET /api/me shows ui_language (null: the browser's); PATCH sets it, keeps it, and null clears it."""
    account = await sign_up(client)
    assert (await client.get('/api/me', headers=account.headers)).json()['ui_language'] is None
    chosen = await client.patch('/api/me', json={'ui_language': 'ko'}, headers=account.headers)
    assert (chosen.status_code, chosen.json()['ui_language']) == (200, 'ko')
    other = await client.patch('/api/me', json={'nickname': 'Mina'}, headers=account.headers)
    assert other.json()['ui_language'] == 'ko'
    assert (await client.get('/api/me', headers=account.headers)).json()['ui_language'] == 'ko'
    cleared = await client.patch('/api/me', json={'ui_language': None}, headers=account.headers)
    assert cleared.json()['ui_language'] is None
    refused = await client.patch('/api/me', json={'ui_language': 'fr'}, headers=account.headers)
    assert 'ui_language' in assert_error(refused, 422, 'validation_error')['fields']


async def test_the_account_language_does_not_choose_the_api_language(client: httpx.AsyncClient) -> None:
    """The pages follow ui_language; an API request follows its own Accept-Language (none: English)."""
    account = await sign_up(client)
    await client.patch('/api/me', json={'ui_language': 'ja'}, headers=account.headers)
    missing = await client.get('/api/rooms/99999', headers=account.headers)
    assert assert_error(missing, 404, 'not_found')['message'] == 'Room not found'


class Sample(BaseModel):
    model_config = ConfigDict(extra='forbid', strict=True)
    name: str = Field(max_length=3)
    short: str = Field(min_length=2)
    count: int = Field(ge=1, le=5)
    flag: bool
    kind: str = 'a'
    tags: list[str] = Field(default=[], max_length=1)
    required: str

    @field_validator('kind')
    @classmethod
    def _stored(cls, value: str) -> str:
        return storable(value)


def test_translated_pydantic_messages_are_pydantics_english_in_english() -> None:
    """The catalogue's copies of pydantic's messages say exactly what pydantic says, in English."""
    wrong = [
        {
            'name': 'long',
            'short': 'x',
            'count': 9,
            'flag': 'yes',
            'kind': 'a\x00',
            'tags': ['a', 'b'],
            'x': 1,
        },
        {'name': 5, 'short': 'ab', 'count': 0, 'flag': 1, 'tags': 'a', 'required': 'r'},
        {'name': 'a', 'short': 'ab', 'count': 'many', 'flag': True, 'required': 'r'},
    ]
    problems = []
    for value in wrong:
        try:
            Sample.model_validate(value)
        except ValidationError as refused:
            problems += refused.errors()
    seen = {problem['type'] for problem in problems}
    assert {'missing', 'extra_forbidden', 'string_too_long', 'string_too_short', 'less_than_equal'} <= seen
    assert {'greater_than_equal', 'bool_type', 'value_error', 'too_long', 'string_type', 'int_type'} <= seen
    with using_language('en'):
        for problem in problems:
            assert problem_message(problem) == problem['msg']
    with using_language('ko'):
        for problem in problems:
            assert problem['type'] in MESSAGES
            assert HANGUL.search(problem_message(problem)), problem_message(problem)
