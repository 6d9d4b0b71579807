"""/healthz is answered ahead of the middleware stack, and still carries the security headers."""

import asyncio

import httpx
import pytest
from nicegui.testing import User
from starlette.types import Receive, Scope, Send

from api.health import HealthFirst


@pytest.mark.usefixtures('database')
async def test_the_health_check_does_not_wait_for_the_middleware_stack() -> None:
    """A stack that is slow to answer (NiceGUI's middlewares beside a page being built) does not delay
    /healthz; every other request still goes through it."""
    reached: list[str] = []

    async def stuck_stack(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope['path'])
        if scope['method'] == 'GET' and scope['path'] == '/healthz':
            await asyncio.sleep(60)  # the stack would answer only after the health check's deadline
        await send({'type': 'http.response.start', 'status': 418, 'headers': []})
        await send({'type': 'http.response.body', 'body': b''})

    transport = httpx.ASGITransport(app=HealthFirst(stuck_stack))
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        health = await asyncio.wait_for(client.get('/healthz'), timeout=5)
        other = await client.get('/login')
        posted = await client.post('/healthz')
    assert (health.status_code, health.json()) == (200, {'status': 'ok', 'database': 'ok'})
    assert (other.status_code, posted.status_code) == (418, 418)
    assert reached == ['/login', '/healthz']  # only the POST, which is not a health check, went on


async def test_the_health_check_carries_the_security_headers_and_no_cookie(user: User) -> None:
    """The whole app's /healthz: JSON, the security headers, never stored, no session cookie made."""
    answer = await user.http_client.get('/healthz')
    assert answer.json() == {'status': 'ok', 'database': 'ok'}
    assert "frame-ancestors 'none'" in answer.headers['content-security-policy']
    assert answer.headers['cache-control'] == 'private, no-store'
    assert 'set-cookie' not in answer.headers
