"""/api/rooms: `missions`, saved with the room and refused outside the rules."""

import httpx
import pytest

from tests.api.conftest import make_room, sign_up

GOALS = ['Order a drink with a size', 'Ask for the price']


async def test_missions_are_saved_changed_and_kept(client: httpx.AsyncClient) -> None:
    """Created with two missions; a PATCH of another field keeps them; a PATCH of missions replaces them."""
    account = await sign_up(client)
    room = await make_room(client, account, missions=GOALS)
    assert room['missions'] == GOALS
    url = f'/api/rooms/{room["id"]}'
    assert (await client.patch(url, json={'level': 'B1'}, headers=account.headers)).json()[
        'missions'
    ] == GOALS
    changed = await client.patch(
        url, json={'missions': ['Say hello', 'Say goodbye', 'Pay']}, headers=account.headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()['missions'] == ['Say hello', 'Say goodbye', 'Pay']
    assert (await client.get(url, headers=account.headers)).json()['missions'] == [
        'Say hello',
        'Say goodbye',
        'Pay',
    ]
    listed = (await client.get('/api/rooms', headers=account.headers)).json()['items']
    assert listed[0]['missions'] == ['Say hello', 'Say goodbye', 'Pay']


@pytest.mark.parametrize(
    'goals',
    [
        ['Only one'],
        ['Same goal', 'Same goal'],
        ['a', 'b', 'c', 'd', 'e'],
        ['Fine', 'x' * 121],
        ['Fine', '   '],
        ['Fine', 'a\x00b'],
    ],
)
async def test_missions_outside_the_rules_are_422(client: httpx.AsyncClient, goals: list[str]) -> None:
    """One, the same one twice, five, too long, blank or with NUL: 422 naming `missions`."""
    account = await sign_up(client)
    room = {'title': 'Café', 'language': 'en', 'situation': 'Coffee.', 'ai_role': 'Barista', 'my_role': 'Me'}
    response = await client.post(
        '/api/rooms', json=room | {'level': 'A2', 'missions': goals}, headers=account.headers
    )
    assert response.status_code == 422, response.text
    assert any(field.startswith('missions') for field in response.json()['error']['fields'])
