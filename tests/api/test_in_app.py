"""The API inside the whole app (NiceGUI's start-up, middleware and pages around it)."""

import asyncio
import gc
import json

import httpx

from tests.api.conftest import assert_error, make_room, sign_up


async def test_openapi_lists_only_the_api_with_bearer_auth(app_client: httpx.AsyncClient) -> None:
    """In the whole app: only /api paths (no NiceGUI or page routes); bearer security on all but /api/auth; examples given."""
    response = await app_client.get('/openapi.json')
    assert response.status_code == 200
    schema = response.json()
    assert schema['info']['title'] == 'SpeakRoom API'
    assert schema['paths'] and all(path.startswith('/api/') for path in schema['paths'])
    assert {'/api/auth/token', '/api/rooms/{room_id}/messages', '/api/history/search'} <= set(schema['paths'])
    scheme = next(iter(schema['components']['securitySchemes'].values()))
    assert (scheme['type'], scheme['scheme'], scheme['bearerFormat']) == ('http', 'bearer', 'JWT')
    for path, operations in schema['paths'].items():
        for method, operation in operations.items():
            assert bool(operation.get('security')) != path.startswith('/api/auth/'), (method, path)
            takes_input = bool(operation.get('parameters')) or 'requestBody' in operation
            assert '422' in operation['responses'] or not takes_input, (method, path)
            for status, documented in operation['responses'].items():
                if status.startswith(('4', '5')):  # every error is documented with the one error shape
                    assert documented['content']['application/json']['schema'] == {
                        '$ref': '#/components/schemas/ErrorResponse'
                    }
    examples = schema['components']['schemas']['RegisterRequest']['examples']
    assert examples[0]['username'] == 'mina'
    assert (
        'text/event-stream'
        in schema['paths']['/api/rooms/{room_id}/messages']['post']['responses']['200']['content']
    )


async def test_docs_page_serves_swagger_ui(app_client: httpx.AsyncClient) -> None:
    """/docs is the Swagger UI reading /openapi.json."""
    response = await app_client.get('/docs')
    assert response.status_code == 200
    assert 'swagger-ui' in response.text and "'/openapi.json'" in response.text
    # Its script and style are served by the app itself (no CDN: the docs work offline).
    assert 'cdn.' not in response.text
    for asset in ('/docs-assets/swagger-ui-bundle.js', '/docs-assets/swagger-ui.css'):
        assert asset in response.text
        served = await app_client.get(asset)
        assert served.status_code == 200 and len(served.content) > 1000


async def test_routes_outside_api_keep_their_own_errors(app_client: httpx.AsyncClient) -> None:
    """The API's handlers do not touch the rest of the app: pages stay HTML, /audio keeps FastAPI's 404."""
    assert (await app_client.get('/audio/messages/999999')).json() == {'detail': 'Not Found'}
    login_page = await app_client.get('/login')
    assert login_page.status_code == 200 and login_page.headers['content-type'].startswith('text/html')


async def test_a_streamed_conversation_through_the_whole_app(app_client: httpx.AsyncClient) -> None:
    """Sign up, log in, create a room, stream a reply and fetch it back: all through NiceGUI's middleware."""
    account = await sign_up(app_client)
    room = await make_room(app_client, account)
    response = await app_client.post(
        f'/api/rooms/{room["id"]}/messages',
        params={'stream': 'true'},
        json={'text': 'Hi'},
        headers=account.headers,
    )
    assert response.status_code == 200 and response.headers['content-type'].startswith('text/event-stream')
    last_event = response.text.strip().split('\n\n')[-1]
    assert last_event.startswith('event: done\n')
    done = json.loads(last_event.split('data: ', 1)[1])
    page = (await app_client.get(f'/api/rooms/{room["id"]}/messages', headers=account.headers)).json()
    assert page['items'][0] == done and done['status'] == 'complete'
    assert_error(await app_client.get('/api/rooms/999', headers=account.headers), 404, 'not_found')


async def test_start_up_moves_its_objects_out_of_the_collectors_sight(app_client: httpx.AsyncClient) -> None:
    """After start-up the long-lived objects are frozen (full GC passes stay short under load)."""
    assert (await app_client.get('/healthz')).status_code == 200
    for _attempt in range(100):  # start-up finishes in the background (warm-ups first)
        if gc.get_freeze_count():
            break
        await asyncio.sleep(0.1)
    assert gc.get_freeze_count() > 10_000
