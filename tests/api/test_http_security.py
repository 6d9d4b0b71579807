"""HTTP-level security of the whole app: /audio for enabled owners only, cross-site posts, headers, caching."""

import json
from collections.abc import AsyncIterator

import httpx
from nicegui import app, ui
from nicegui.testing import User

from db.engine import sessionmaker
from db.models import Recording
from services import accounts, admin, chat, generation, roles, rooms
from services.rooms import RoomDraft

SAME_SITE = {'Origin': 'http://test'}  # what a browser on this app's pages sends (the client's base URL)
HUGE = '99999999999999999999'


async def signed_in_with_audio(user: User) -> tuple[int, int, int, int]:
    """Mina signed in through the page, with a room, a spoken message and a reply: ids of all four."""
    account = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login')
    user.find('Username').type('mina')
    user.find('Password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Log in').click()
    await user.should_see('Your rooms', retries=50)
    room = await rooms.create_room(
        account.id, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Customer', 'A2')
    )
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=account.id, room_id=room.id, mime_type='audio/wav', data=b'RIFF-mine', duration_seconds=1.0,
            transcript='hello', words=json.dumps([{'text': 'hello', 'probability': 0.9}]),
        )  # fmt: skip
        session.add(recording)
    turn = await chat.send_message(account.id, room.id, 'Hello')
    await generation.wait(turn.reply.id)
    return account.id, room.id, recording.id, turn.reply.id


async def test_a_disabled_account_gets_nothing_from_audio(user: User) -> None:
    """After an admin disables the account, its open session hears no reply, no recording, uploads nothing."""
    user_id, room_id, recording_id, reply_id = await signed_in_with_audio(user)
    assert (await user.http_client.get(f'/audio/recordings/{recording_id}')).status_code == 200
    boss = await accounts.register(
        'boss', 'boss@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await roles.promote('boss')
    await admin.set_active(boss.id, user_id, False)
    assert (await user.http_client.get(f'/audio/recordings/{recording_id}')).status_code == 404
    assert (await user.http_client.get(f'/audio/messages/{reply_id}')).status_code == 404
    upload = await user.http_client.post(
        f'/audio/recordings?room_id={room_id}', content=b'not audio' * 50, headers=SAME_SITE
    )
    assert upload.status_code == 404


async def test_ids_that_name_no_row_are_404(user: User) -> None:
    """Numbers too large for an id column answer 404, not a server error."""
    await signed_in_with_audio(user)
    assert (await user.http_client.get(f'/audio/messages/{HUGE}')).status_code == 404
    assert (await user.http_client.get(f'/audio/recordings/{HUGE}')).status_code == 404
    assert (await user.http_client.get('/audio/recordings/0')).status_code == 404
    upload = await user.http_client.post(f'/audio/recordings?room_id={HUGE}', content=b'x', headers=SAME_SITE)
    assert upload.status_code == 404


async def test_a_cross_site_post_is_refused(user: User) -> None:
    """Another site's form or script gets 403; the page's own upload (Origin, Referer or its header) passes."""
    _, room_id, _, _ = await signed_in_with_audio(user)
    url = f'/audio/recordings?room_id={room_id}'
    body = b'not audio' * 50
    for headers in (
        {'Origin': 'https://evil.example'},
        {'Origin': 'null'},
        {'Referer': 'https://evil.example/x'},
        {},
    ):
        refused = await user.http_client.post(url, content=body, headers=headers)
        assert refused.status_code == 403, headers
        assert refused.json() == {'error': 'Cross-site request refused'}
    for headers in (
        SAME_SITE,
        {'Referer': f'http://test/rooms/{room_id}'},
        {'X-Requested-With': 'SpeakRoom'},
    ):
        served = await user.http_client.post(url, content=body, headers=headers)
        assert served.status_code == 422, headers  # reached the recogniser, which found no audio
    api = await user.http_client.post(
        '/api/auth/token',
        json={'username': 'mina', 'password': 'wrong'},
        headers={'Origin': 'https://evil.example'},
    )
    assert api.status_code == 401  # bearer-token API: not cookie-authenticated, so not checked here


async def test_a_chunked_upload_is_cut_off_at_the_limit(user: User) -> None:
    """A 50 MB upload without Content-Length is refused after about 10 MB has been read, not all of it."""
    _, room_id, _, _ = await signed_in_with_audio(user)
    sent: list[int] = []

    async def fifty_megabytes() -> AsyncIterator[bytes]:
        for _ in range(50):
            sent.append(1)
            yield b'\0' * (1024 * 1024)

    response = await user.http_client.post(
        f'/audio/recordings?room_id={room_id}', content=fifty_megabytes(), headers=SAME_SITE
    )
    assert response.status_code == 413
    assert 'too large' in response.json()['error']
    assert len(sent) <= 12


async def test_pages_carry_the_security_headers(user: User) -> None:
    """CSP (no framing, no remote images), nosniff and a referrer policy; HSTS only over HTTPS."""
    page = await user.http_client.get('/login')
    policy = page.headers['content-security-policy']
    assert "frame-ancestors 'none'" in policy
    assert "img-src 'self' data: blob:" in policy
    assert "object-src 'none'" in policy
    assert page.headers['x-content-type-options'] == 'nosniff'
    assert page.headers['referrer-policy'] == 'strict-origin-when-cross-origin'
    assert 'strict-transport-security' not in page.headers
    assert 'secure' not in page.headers['set-cookie'].lower()
    docs = await user.http_client.get('/docs')
    assert 'content-security-policy' in docs.headers


async def test_over_https_the_cookie_is_secure_and_hsts_is_sent(user: User) -> None:
    """A request that came over HTTPS gets a Secure session cookie and Strict-Transport-Security."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='https://test') as https:
        page = await https.get('/login')
    assert page.headers['strict-transport-security'].startswith('max-age=')
    cookie = page.headers['set-cookie']
    assert cookie.startswith('session=')
    assert [part.strip().lower() for part in cookie.split(';')].count('secure') == 1


async def test_user_data_is_not_kept_by_the_browser(user: User) -> None:
    """Recordings, reply audio and API answers say `private, no-store`; static files stay cacheable."""
    _, _, recording_id, reply_id = await signed_in_with_audio(user)
    for url in (f'/audio/recordings/{recording_id}', f'/audio/messages/{reply_id}', '/api/me'):
        response = await user.http_client.get(url)
        assert response.headers['cache-control'] == 'private, no-store', url
    icon = await user.http_client.get('/assets/favicon.svg')
    assert 'no-store' not in icon.headers.get('cache-control', '')
