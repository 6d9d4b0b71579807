"""/api/vocabulary and /api/progress: save, list, review, delete, exports, figures; others' entries are 404."""

import csv
import io
import zipfile
from datetime import UTC, datetime

import httpx

from tests.api.conftest import assert_error, sign_up
from tests.vocabulary_seed import learner_line, room_with_reply


async def test_save_list_review_and_delete_a_word(client: httpx.AsyncClient) -> None:
    """A saved word is due at once; `good` moves it out of the due list; saving twice gives one entry."""
    mina = await sign_up(client)
    _, reply_id = await room_with_reply(mina.id, 'Please show me your boarding pass.')
    body = {'message_id': reply_id, 'lemma': 'boarding pass', 'meaning': '탑승권', 'pos': 'noun'}
    first = await client.post('/api/vocabulary/words', json=body, headers=mina.headers)
    again = await client.post('/api/vocabulary/words', json=body | {'meaning': 'x'}, headers=mina.headers)
    assert first.status_code == again.status_code == 201, first.text
    word = first.json()
    assert again.json()['id'] == word['id'] and again.json()['meaning'] == '탑승권'
    assert word['source_sentence'] == 'Please show me your boarding pass.' and word['origin'] == 'reply'
    listed = (await client.get('/api/vocabulary/words', headers=mina.headers)).json()
    assert [item['lemma'] for item in listed['items']] == ['boarding pass'] and listed['next_cursor'] is None
    due = (await client.get('/api/vocabulary/due', headers=mina.headers)).json()
    assert due['due_count'] == 1 and due['cards'][0]['cloze'] == 'Please show me your _____.'
    rated = await client.post(
        f'/api/vocabulary/words/{word["id"]}/review', json={'rating': 'good'}, headers=mina.headers
    )
    assert rated.status_code == 200, rated.text
    assert rated.json()['due_count'] == 0 and rated.json()['state'] == 'learning'
    assert_error(
        await client.post(f'/api/vocabulary/words/{word["id"]}/review', json={'rating': 'great'}, headers=mina.headers),
        422, 'validation_error',
    )  # fmt: skip
    deleted = await client.delete(f'/api/vocabulary/words/{word["id"]}', headers=mina.headers)
    assert deleted.status_code == 204
    assert_error(
        await client.get(f'/api/vocabulary/words/{word["id"]}', headers=mina.headers), 404, 'not_found'
    )


async def test_others_entries_and_corrections_answer_404(client: httpx.AsyncClient) -> None:
    """Reading, rating, deleting another learner's entry, or saving from their correction: 404."""
    mina, joon = await sign_up(client), await sign_up(client, 'joon')
    room_id, reply_id = await room_with_reply(mina.id, 'Your gate is five.')
    word = (
        await client.post(
            '/api/vocabulary/words', json={'message_id': reply_id, 'lemma': 'gate'}, headers=mina.headers
        )
    ).json()
    line = await learner_line(
        mina.id, room_id, 'I go gate.', datetime.now(UTC), [('go', 'go to', 'preposition')]
    )
    for response in (
        await client.get(f'/api/vocabulary/words/{word["id"]}', headers=joon.headers),
        await client.post(
            f'/api/vocabulary/words/{word["id"]}/review', json={'rating': 'easy'}, headers=joon.headers
        ),
        await client.delete(f'/api/vocabulary/words/{word["id"]}', headers=joon.headers),
        await client.post(
            '/api/vocabulary/words', json={'message_id': reply_id, 'lemma': 'gate'}, headers=joon.headers
        ),
        await client.post(
            '/api/vocabulary/report-words', json={'message_id': line, 'word': 'gate'}, headers=joon.headers
        ),
        await client.post('/api/corrections/1/save-word', headers=joon.headers),
    ):
        assert_error(response, 404, 'not_found')
    saved = await client.post('/api/corrections/1/save-word', headers=mina.headers)
    assert saved.status_code == 201 and saved.json()['lemma'] == 'go to'
    assert saved.json()['source_sentence'] == 'I go to gate.'
    assert_error(
        await client.get('/api/vocabulary/words/2147483648', headers=mina.headers), 422, 'validation_error'
    )


async def test_exports_are_private_attachments(client: httpx.AsyncClient) -> None:
    """CSV and Anki downloads carry the words and `Cache-Control: private, no-store`; no token, 401."""
    mina = await sign_up(client)
    _, reply_id = await room_with_reply(mina.id, 'A latte, please.')
    await client.post(
        '/api/vocabulary/words', json={'message_id': reply_id, 'lemma': 'latte'}, headers=mina.headers
    )
    exported = await client.get('/api/vocabulary/export?format=csv', headers=mina.headers)
    assert exported.status_code == 200 and exported.headers['cache-control'] == 'private, no-store'
    assert 'attachment' in exported.headers['content-disposition']
    rows = list(csv.DictReader(io.StringIO(exported.content.decode('utf-8-sig'))))
    assert [row['word'] for row in rows] == ['latte']
    deck = await client.get('/api/vocabulary/export?format=anki', headers=mina.headers)
    assert deck.headers['cache-control'] == 'private, no-store'
    assert 'collection.anki2' in zipfile.ZipFile(io.BytesIO(deck.content)).namelist()
    assert_error(await client.get('/api/vocabulary/export'), 401, 'not_authenticated')


async def test_progress_figures_and_room_switch(client: httpx.AsyncClient) -> None:
    """/api/progress answers today's practice; rooms take and return `use_due_words`."""
    mina = await sign_up(client)
    room_id, _ = await room_with_reply(mina.id, 'Hi!')
    await learner_line(mina.id, room_id, 'Hello there.', datetime.now(UTC), [])
    figures = (await client.get('/api/progress', headers=mina.headers)).json()
    assert figures['days_practised_last_7'] == 1 and figures['weeks'][-1]['error_free_share'] == 1.0
    changed = await client.patch(f'/api/rooms/{room_id}', json={'use_due_words': True}, headers=mina.headers)
    assert changed.status_code == 200 and changed.json()['use_due_words'] is True


async def test_a_search_that_cannot_be_stored_is_a_422(client: httpx.AsyncClient) -> None:
    """A NUL character in `q` is refused with the error shape, not a server error."""
    mina = await sign_up(client)
    assert_error(
        await client.get('/api/vocabulary/words?q=a%00b', headers=mina.headers), 422, 'validation_error'
    )
