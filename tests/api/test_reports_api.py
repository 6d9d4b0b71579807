"""/api sessions and mistakes: end a session, list and read reports, the mistake log and `learned`."""

import httpx

from tests.api.conftest import assert_error, sign_up
from tests.api.test_learning import FEEDBACK, exchange
from tests.fakes.openai_server import FakeLLMServer


async def test_end_session_then_list_and_read_the_report(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    """The report made at the end is the one listed and read back; others get 404; nothing new is a 409."""
    fake_llm.task_replies['turn_feedback'] = FEEDBACK
    fake_llm.task_replies['session_report'] = {
        'note': 'Nice!',
        'focus_next': [{'topic': 'Past tense', 'why': '-ed'}],
    }
    account = await sign_up(client)
    line_id, _, _ = await exchange(client, account)
    room_id = (await client.get(f'/api/messages/{line_id}', headers=account.headers)).json()['room_id']
    ended = await client.post(f'/api/rooms/{room_id}/sessions/end', headers=account.headers)
    assert ended.status_code == 201, ended.text
    report = ended.json()
    assert (report['figures']['learner_turns'], report['figures']['error_free_share']) == (1, 0.0)
    assert report['figures']['errors'][0]['category'] == 'verb_tense'
    assert report['figures']['errors'][0]['examples'][0]['message_id'] == line_id
    assert (report['note'], report['note_from_model'], report['focus_next']) == (
        'Nice!', True, [{'topic': 'Past tense', 'why': '-ed'}],
    )  # fmt: skip
    listed = await client.get('/api/sessions', headers=account.headers)
    assert [item['id'] for item in listed.json()['items']] == [report['id']]
    again = await client.get(f'/api/sessions/{report["id"]}', headers=account.headers)
    assert again.json() == report
    exported = await client.get(f'/api/sessions/{report["id"]}/markdown', headers=account.headers)
    assert exported.headers['content-type'].startswith('text/markdown')
    assert '# Session report: Café' in exported.text and '- Verb tense: 1' in exported.text
    assert_error(
        await client.post(f'/api/rooms/{room_id}/sessions/end', headers=account.headers), 409, 'conflict'
    )
    other = await sign_up(client, 'jun')
    assert_error(await client.get(f'/api/sessions/{report["id"]}', headers=other.headers), 404, 'not_found')
    assert_error(
        await client.get(f'/api/sessions/{report["id"]}/markdown', headers=other.headers), 404, 'not_found'
    )
    assert_error(
        await client.post(f'/api/rooms/{room_id}/sessions/end', headers=other.headers), 404, 'not_found'
    )
    assert (await client.get('/api/sessions', headers=other.headers)).json()['items'] == []
    assert_error(
        await client.get('/api/sessions/2147483648', headers=account.headers), 422, 'validation_error'
    )


async def test_mistake_log_filters_and_learned(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """Mistakes are listed by category and language; `learned` takes one out (and back); others get 404."""
    fake_llm.task_replies['turn_feedback'] = FEEDBACK
    account = await sign_up(client)
    line_id, _, notes = await exchange(client, account)
    correction_id = notes['corrections'][0]['id']
    log = (await client.get('/api/mistakes', headers=account.headers)).json()
    assert [(item['correction_id'], item['message_id'], item['category']) for item in log['items']] == [
        (correction_id, line_id, 'verb_tense')
    ]
    for params in ({'category': 'article'}, {'language': 'es'}):
        filtered = await client.get('/api/mistakes', params=params, headers=account.headers)
        assert filtered.json()['items'] == []
    assert_error(
        await client.get('/api/mistakes', params={'category': 'nonsense'}, headers=account.headers),
        422,
        'validation_error',
    )
    other = await sign_up(client, 'jun')
    assert_error(
        await client.post(f'/api/mistakes/{correction_id}/learned', json={}, headers=other.headers),
        404,
        'not_found',
    )
    learned = await client.post(f'/api/mistakes/{correction_id}/learned', json={}, headers=account.headers)
    assert learned.json() == {'correction_id': correction_id, 'learned': True}
    assert (await client.get('/api/mistakes', headers=account.headers)).json()['items'] == []
    back = await client.post(
        f'/api/mistakes/{correction_id}/learned', json={'learned': False}, headers=account.headers
    )
    assert back.json()['learned'] is False
    assert len((await client.get('/api/mistakes', headers=account.headers)).json()['items']) == 1
    assert_error(
        await client.post(f'/api/mistakes/{correction_id}/learned', json={'learned': 0}, headers=account.headers),
        422, 'validation_error',
    )  # fmt: skip
