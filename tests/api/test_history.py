"""GET /api/history/search: one's own messages by keyword, any language, literal, paged."""

import httpx
import pytest

from services.settings import load_settings
from tests.api.conftest import Account, assert_error, make_room, sign_up
from tests.fakes.openai_server import FakeLLMServer


@pytest.fixture(autouse=True)
def generous_quota(monkeypatch: pytest.MonkeyPatch, fake_llm: FakeLLMServer) -> None:
    monkeypatch.setenv('DAILY_QUOTA', '50')
    load_settings()
    fake_llm.reply_for = lambda body: f'Reply to: {body["messages"][-1]["content"]}'


async def say(client: httpx.AsyncClient, account: Account, room_id: int, *texts: str) -> None:
    for text in texts:
        response = await client.post(
            f'/api/rooms/{room_id}/messages', json={'text': text}, headers=account.headers
        )
        assert response.status_code == 200, response.text


async def search(client: httpx.AsyncClient, account: Account, q: str, **params) -> httpx.Response:
    return await client.get('/api/history/search', params={'q': q, **params}, headers=account.headers)


async def test_search_is_case_insensitive_and_spans_rooms(client: httpx.AsyncClient) -> None:
    """Both the learner's and the AI's messages match, in every room, newest first, with the room title."""
    account = await sign_up(client)
    cafe = await make_room(client, account)
    airport = await make_room(client, account, title='Airport')
    await say(client, account, cafe['id'], 'One LATTE please')
    await say(client, account, airport['id'], 'Where is gate 5?', 'Is there a latte stand?')
    body = (await search(client, account, 'Latte')).json()
    assert [(hit['room_title'], hit['role']) for hit in body['items']] == [
        ('Airport', 'assistant'), ('Airport', 'user'), ('Café', 'assistant'), ('Café', 'user')
    ]  # fmt: skip
    assert body['next_cursor'] is None


async def test_search_finds_korean_and_japanese(client: httpx.AsyncClient) -> None:
    """Words in Hangul and kana/kanji are found inside longer sentences."""
    account = await sign_up(client)
    room = await make_room(client, account, language='ko')
    await say(client, account, room['id'], '아메리카노 한 잔 주세요', 'コーヒーを一杯ください')
    korean = (await search(client, account, '아메리카노')).json()['items']
    japanese = (await search(client, account, 'コーヒー')).json()['items']
    assert {hit['role'] for hit in korean} == {'user', 'assistant'} and len(korean) == 2
    assert len(japanese) == 2 and '一杯' in japanese[-1]['content']


async def test_wildcards_are_literal(client: httpx.AsyncClient) -> None:
    """`%` and `_` find only themselves."""
    account = await sign_up(client)
    room = await make_room(client, account)
    await say(client, account, room['id'], 'a 100% discount', 'snake_case names')
    assert len((await search(client, account, '%')).json()['items']) == 2  # the message and its echo
    assert len((await search(client, account, '_')).json()['items']) == 2
    assert (await search(client, account, '1_0')).json()['items'] == []


async def test_search_pages_with_the_cursor(client: httpx.AsyncClient) -> None:
    """`cursor` = the previous page's `next_cursor`, until it is null."""
    account = await sign_up(client)
    room = await make_room(client, account)
    await say(client, account, room['id'], 'word one', 'word two', 'word three')
    first = (await search(client, account, 'word', limit=4)).json()
    second = (await search(client, account, 'word', limit=4, cursor=first['next_cursor'])).json()
    assert (len(first['items']), len(second['items']), second['next_cursor']) == (4, 2, None)
    assert second['items'][-1]['content'] == 'word one'


async def test_search_never_shows_another_users_messages(client: httpx.AsyncClient) -> None:
    """B searching A's words finds nothing."""
    owner = await sign_up(client, 'owner')
    intruder = await sign_up(client, 'intruder')
    room = await make_room(client, owner)
    await say(client, owner, room['id'], 'my secret plan')
    assert (await search(client, intruder, 'secret')).json()['items'] == []
    assert len((await search(client, owner, 'secret')).json()['items']) == 2


@pytest.mark.parametrize('q', ['', '   ', 'x' * 101])
async def test_search_refuses_empty_or_long_queries(client: httpx.AsyncClient, q: str) -> None:
    """An empty, blank or overlong query is 422."""
    account = await sign_up(client)
    response = await search(client, account, q)
    assert response.status_code == 422
    assert 'q' in response.json()['error']['fields']
    assert_error(response, 422, response.json()['error']['code'])
