"""Two app processes behind HAProxy on PostgreSQL and Redis (deploy/cluster.py), used through the proxy.

Quota is exact across processes, a reply written on one process is followed and stopped on the other,
and after `kill -9` of a process its reply ends failed and refunded and its learners land, still signed
in, on the other one (their session lives in Redis).
"""

import base64
import hashlib
import json
import os
import secrets
import signal
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import redis
from itsdangerous import TimestampSigner

from deploy.cluster import Cluster, missing_programs, running_cluster
from services.chat import INTERRUPTED
from services.sessions import TICKET_KEY
from tests.api.conftest import API_VARIABLES, PASSWORD
from tests.api.test_two_processes import ROOM, fresh_database, wait_for
from tests.conftest import ISOLATED_VARIABLES, POSTGRES_URL
from tests.fakes.openai_server import FakeLLMServer

pytestmark = [
    pytest.mark.skipif(not POSTGRES_URL, reason='TEST_POSTGRES_URL not set (needs PostgreSQL)'),
    pytest.mark.skipif(
        bool(missing_programs()),
        reason=f'not installed: {" ".join(missing_programs())} (`make test` installs them as root)',
    ),
]
SECRET_KEY = 'cluster-test-secret-key'
DAILY_QUOTA = 3


@pytest.fixture(scope='module')
def cluster(tmp_path_factory: pytest.TempPathFactory, fake_llm_server: FakeLLMServer) -> Iterator[Cluster]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('PYTEST_', 'NICEGUI_')) and key not in {*ISOLATED_VARIABLES, *API_VARIABLES}
    }
    env |= {
        'SECRET_KEY': SECRET_KEY,
        'LLM_BASE_URL': fake_llm_server.base_url,
        'LLM_MODEL': 'fake-model',
        'DAILY_QUOTA': str(DAILY_QUOTA),
    }
    with fresh_database() as url, running_cluster(url, 2, tmp_path_factory.mktemp('cluster'), env) as running:
        yield running


def test_the_daily_quota_is_exact_across_processes(cluster: Cluster, fake_llm: FakeLLMServer) -> None:
    """Eight sends at once, spread over both processes, give exactly DAILY_QUOTA replies."""
    fake_llm.chunk_delay = 0.05
    fake_llm.reply = 'One two three four five six.'
    headers = signed_up(cluster.proxy_url, 'quota')
    rooms = [room(cluster.proxy_url, headers) for _ in range(8)]

    def send(room_id: int) -> tuple[int, str]:
        with httpx.Client(base_url=cluster.proxy_url, timeout=60) as fresh:  # no SRV cookie: round robin
            answer = fresh.post(f'/api/rooms/{room_id}/messages', json={'text': 'Hello'}, headers=headers)
            return answer.status_code, answer.cookies.get('SRV', '')

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, rooms))
    assert sorted(status for status, _ in answers) == [200] * DAILY_QUOTA + [429] * (8 - DAILY_QUOTA)
    assert {server for _, server in answers} == {'app1', 'app2'}
    quota = httpx.get(f'{cluster.proxy_url}/api/quota', headers=headers).json()
    assert quota['used'] == DAILY_QUOTA


def test_a_reply_on_one_process_is_followed_and_stopped_through_the_other(
    cluster: Cluster, fake_llm: FakeLLMServer
) -> None:
    """A reply written on app1 grows on app2 (pinned by the SRV cookie), and Stop there ends it within 2 s."""
    fake_llm.chunk_delay = 0.1
    fake_llm.reply = ' '.join(f'word{number}' for number in range(200))
    headers = signed_up(cluster.proxy_url, 'follow')
    room_id = room(cluster.proxy_url, headers)
    with (
        ThreadPoolExecutor(1) as pool,
        pinned(cluster, 'app1') as on_a,
        pinned(cluster, 'app2') as on_b,
    ):
        sending = pool.submit(send_pinned, cluster, 'app1', headers, room_id, 'Tell me a long story')
        reply = wait_for(lambda: latest_pending_reply(on_b, headers, room_id), timeout=10)
        later = wait_for(lambda: longer(on_b, headers, reply, 20), timeout=10)
        assert later['status'] == 'pending' and later['content'].startswith(reply['content'])
        asked = time.monotonic()
        stopped = on_b.post(f'/api/messages/{reply["id"]}/stop', headers=headers, timeout=10)
        assert stopped.status_code == 200 and stopped.json()['status'] == 'stopped'
        assert time.monotonic() - asked < 2
        assert sending.result(timeout=10)['reply']['status'] == 'stopped'  # app1's own answer agrees
        assert on_a.get(f'/api/messages/{reply["id"]}', headers=headers).json()['status'] == 'stopped'


def test_a_draining_process_gets_no_new_sessions_but_keeps_its_own(cluster: Cluster) -> None:
    """`set server speakroom/app2 state drain`: new browsers all land on app1; app2's browsers stay."""
    assert cluster.set_server_state('app2', 'drain').strip() == ''
    try:
        newcomers = [httpx.get(f'{cluster.proxy_url}/login').cookies.get('SRV') for _ in range(4)]
        staying = httpx.get(f'{cluster.proxy_url}/login', cookies={'SRV': 'app2'})
    finally:
        cluster.set_server_state('app2', 'ready')
    assert newcomers == ['app1'] * 4
    assert staying.status_code == 200 and 'SRV' not in staying.cookies  # still served by app2


def test_a_log_out_on_one_process_ends_the_session_on_the_other(cluster: Cluster) -> None:
    """Log out on a page of app1: the old session cookie opens nothing on app2 either (Redis tells it)."""
    headers = signed_up(cluster.proxy_url, 'leaver')
    cookie = browser_session(cluster.proxy_url, cluster.redis_url, headers)
    for server in ('app1', 'app2'):  # both processes now hold this session in memory
        assert rooms_page(cluster, cookie, server).status_code == 200
    ticket = page_log_out(cluster.redis_url, cookie)
    hop = httpx.get(
        f'{cluster.proxy_url}/auth/session',
        params={'ticket': ticket},
        cookies={'session': cookie, 'SRV': 'app1'},
    )
    assert hop.status_code == 303 and hop.headers['location'] == '/login'
    assert hop.cookies['session'] != cookie  # a new session id for the signed-out browser
    deadline = time.monotonic() + 2
    while (status := rooms_page(cluster, cookie, 'app2').status_code) != 303 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status == 303  # sent to /login


def test_a_killed_process_fails_and_refunds_its_reply_and_its_learner_lands_on_the_other(
    cluster: Cluster, fake_llm: FakeLLMServer
) -> None:
    """kill -9 of app1 mid-reply: the reply fails and is refunded, the message stays, /rooms opens on app2."""
    fake_llm.chunk_delay = 0.1
    fake_llm.reply = ' '.join(f'word{number}' for number in range(300))
    headers = signed_up(cluster.proxy_url, 'crash')
    room_id = room(cluster.proxy_url, headers)
    browser_cookie = browser_session(cluster.proxy_url, cluster.redis_url, headers)
    first_page = httpx.get(f'{cluster.proxy_url}/rooms', cookies={'session': browser_cookie, 'SRV': 'app1'})
    assert first_page.status_code == 200 and 'SRV' not in first_page.cookies  # served by app1, signed in

    with ThreadPoolExecutor(1) as pool, pinned(cluster, 'app2') as on_b:
        sending = pool.submit(send_pinned, cluster, 'app1', headers, room_id, 'Tell me a very long story')
        doomed = wait_for(lambda: latest_pending_reply(on_b, headers, room_id), timeout=10)
        assert on_b.get('/api/quota', headers=headers).json()['used'] == 1
        os.kill(cluster.apps[0].process.pid, signal.SIGKILL)
        failed = wait_for(lambda: finished(on_b, headers, doomed['id']), timeout=30)
        assert (failed['status'], failed['error']) == ('failed', INTERRUPTED)
        assert on_b.get('/api/quota', headers=headers).json()['used'] == 0
        messages = on_b.get(f'/api/rooms/{room_id}/messages', headers=headers).json()['items']
        assert [m['content'] for m in messages if m['role'] == 'user'] == ['Tell me a very long story']
        with pytest.raises(httpx.HTTPError):  # the proxy answers 502 for the process that died
            sending.result(timeout=10)

    next_page = httpx.get(f'{cluster.proxy_url}/rooms', cookies={'session': browser_cookie, 'SRV': 'app1'})
    assert next_page.status_code == 200  # not a redirect to /login
    assert next_page.cookies['SRV'] == 'app2'  # HAProxy moved this browser to app2


def signed_up(proxy_url: str, username: str) -> dict[str, str]:
    with httpx.Client(base_url=proxy_url) as client:
        account = {'username': username, 'email': f'{username}@example.com', 'password': PASSWORD}
        assert client.post('/api/auth/register', json=account).status_code == 201
        tokens = client.post('/api/auth/token', json={'username': username, 'password': PASSWORD}).json()
    return {'Authorization': f'Bearer {tokens["access_token"]}'}


def room(proxy_url: str, headers: dict[str, str]) -> int:
    created = httpx.post(f'{proxy_url}/api/rooms', json=ROOM, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()['id']


def pinned(cluster: Cluster, server: str) -> httpx.Client:
    """A client of the proxy that HAProxy sends to `server` (the SRV cookie a browser would carry)."""
    return httpx.Client(base_url=cluster.proxy_url, cookies={'SRV': server}, timeout=10)


def send_pinned(cluster: Cluster, server: str, headers: dict, room_id: int, words: str) -> dict:
    with httpx.Client(base_url=cluster.proxy_url, cookies={'SRV': server}, timeout=60) as client:
        response = client.post(f'/api/rooms/{room_id}/messages', json={'text': words}, headers=headers)
        response.raise_for_status()
        return response.json()


def browser_session(app_url: str, redis_url: str, headers: dict[str, str]) -> str:
    """A signed-in browser's `session` cookie, as /auth/session leaves it: the session record in Redis
    (where every process finds it) and the cookie signed with the shared SECRET_KEY."""
    me = httpx.get(f'{app_url}/api/me', headers=headers).json()
    session_id, now = str(uuid.uuid4()), time.time()
    record = {'user_id': me['id'], 'generation': 0, 'started_at': now, 'seen_at': now, 'reauth_at': now}
    with redis.Redis.from_url(redis_url) as client:
        client.set(f'nicegui:user-{session_id}', json.dumps(record))
    payload = base64.b64encode(json.dumps({'id': session_id}).encode())
    return TimestampSigner(SECRET_KEY).sign(payload).decode()


def page_log_out(redis_url: str, cookie: str) -> str:
    """What `Log out` on a page does to its session (pages/session.py: emptied, then a log-out ticket),
    written to Redis as NiceGUI writes it (the value, then the change notice every process listens to)."""
    session_id = json.loads(base64.b64decode(TimestampSigner(SECRET_KEY).unsign(cookie, max_age=3600)))['id']
    token = secrets.token_urlsafe(32)
    ticket = {'user_id': None, 'next': '/login', 'reauthenticated': False, 'expires_at': time.time() + 60}
    record = json.dumps({TICKET_KEY: ticket | {'hash': hashlib.sha256(token.encode()).hexdigest()}})
    with redis.Redis.from_url(redis_url) as client:
        client.set(f'nicegui:user-{session_id}', record)
        client.publish(f'nicegui:user-{session_id}changes', record)
    return token


def rooms_page(cluster: Cluster, cookie: str, server: str) -> httpx.Response:
    return httpx.get(f'{cluster.proxy_url}/rooms', cookies={'session': cookie, 'SRV': server})


def latest_pending_reply(client: httpx.Client, headers: dict, room_id: int) -> dict | None:
    items = client.get(f'/api/rooms/{room_id}/messages', headers=headers).json()['items']
    reply = items[0] if items and items[0]['role'] == 'assistant' else None
    return reply if reply and reply['status'] == 'pending' and reply['content'] else None


def longer(client: httpx.Client, headers: dict, reply: dict, characters: int) -> dict | None:
    seen = client.get(f'/api/messages/{reply["id"]}', headers=headers).json()
    return seen if len(seen['content']) > len(reply['content']) + characters else None


def finished(client: httpx.Client, headers: dict, reply_id: int) -> dict | None:
    seen = client.get(f'/api/messages/{reply_id}', headers=headers).json()
    return seen if seen['status'] != 'pending' else None
