"""The OpenAPI document states every rule the server applies to a request, and the server applies no other."""

from typing import Any

import httpx
import pytest

from api.rest import openapi_schema
from services import roles
from tests.api.conftest import PASSWORD, assert_error, make_room, sign_up

STRONG_18 = 'ébène-Sœur-42-këyz'  # the longest a password with letters outside English may be


def test_every_request_value_is_bounded_in_the_document() -> None:
    """Each string a client sends has a length limit and a pattern or enum; each integer a range."""
    loose = [
        f'{method.upper()} {path} {name}: {schema}'
        for path, item in openapi_schema()['paths'].items()
        for method, operation in item.items()
        for name, schema in _request_values(operation)
        if not _bounded(schema)
    ]
    assert loose == []


def test_required_text_and_the_email_are_documented_as_the_server_checks_them() -> None:
    """Blank roles and non-addresses are excluded by the schema, not only by a 422 after the fact."""
    schemas = openapi_schema()['components']['schemas']
    ai_role = schemas['RoomCreate']['properties']['ai_role']
    assert (ai_role['minLength'], ai_role['maxLength']) == (1, 120) and ai_role['pattern']
    assert schemas['RoomCreate']['required'] == [
        'title',
        'language',
        'situation',
        'ai_role',
        'my_role',
        'level',
    ]
    assert schemas['RegisterRequest']['properties']['email']['format'] == 'email'


@pytest.mark.parametrize(
    ('field', 'value', 'message'),
    [
        ('ai_role', '', 'AI role is required.'),
        ('situation', ' \t ', 'Situation is required.'),
        ('my_role', '\u3000', 'My role is required.'),
    ],
)
async def test_blank_required_text_is_refused_in_the_editors_words(
    client: httpx.AsyncClient, field: str, value: str, message: str
) -> None:
    """The 422 for blank text is the room editor's own message, in the one error shape."""
    account = await sign_up(client)
    room = await make_room(client, account)
    response = await client.patch(f'/api/rooms/{room["id"]}', json={field: value}, headers=account.headers)
    error = assert_error(response, 422, 'invalid_input')
    assert (error['message'], error['fields']) == (message, {field: message})


@pytest.mark.parametrize(
    ('email', 'password', 'status'),
    [
        ('  Lea@Example.com ', PASSWORD, 201),
        ('lea@example.test', PASSWORD, 422),  # a reserved top-level domain
        ('léa@example.com', PASSWORD, 422),  # email_validator takes it; the API takes plain ASCII
        ('lea@example.com', STRONG_18, 201),  # 18 characters, some outside ASCII, hard to guess
        ('lea@example.com', STRONG_18 + 'w', 422),  # fits bcrypt's 72 bytes, but not the documented pattern
    ],
)
async def test_registration_takes_exactly_what_the_pattern_allows(
    client: httpx.AsyncClient, email: str, password: str, status: int
) -> None:
    """Addresses and passwords are accepted or refused by the document's patterns, nothing else."""
    body = {'username': 'lea', 'email': email, 'password': password}
    response = await client.post('/api/auth/register', json=body)
    assert response.status_code == status, response.text


async def test_values_are_taken_as_typed(client: httpx.AsyncClient) -> None:
    """0 is not false and "3" is not 3 (the schema says boolean and integer); 3.0 is an integer."""
    account = await sign_up(client)
    room = await make_room(client, account)
    switched = await client.patch(
        f'/api/rooms/{room["id"]}', json={'slow_speech': 0}, headers=account.headers
    )
    assert_error(switched, 422, 'validation_error')
    listed = await client.get('/api/rooms', params={'q': 'Ca\x00fé'}, headers=account.headers)
    assert_error(listed, 422, 'validation_error')


async def test_an_admin_takes_whole_numbers_written_as_floats(client: httpx.AsyncClient) -> None:
    """JSON Schema counts 3.0 as an integer, so the server does; a numeric string stays refused."""
    boss = await sign_up(client, 'boss')
    await roles.promote('boss')
    mina = await sign_up(client, 'mina')
    granted = await client.post(
        f'/api/admin/users/{mina.id}/grant', json={'extra': 3.0}, headers=boss.headers
    )
    assert granted.status_code == 200 and granted.json()['bonus_today'] == 3
    text = await client.post(f'/api/admin/users/{mina.id}/grant', json={'extra': '3'}, headers=boss.headers)
    assert_error(text, 422, 'validation_error')
    users = await client.get('/api/admin/users', params={'q': '\x00'}, headers=boss.headers)
    assert_error(users, 422, 'validation_error')


def _request_values(operation: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, schema) of every parameter and body property, with null alternatives left out."""
    components = openapi_schema()['components']['schemas']
    values = [(parameter['name'], parameter['schema']) for parameter in operation.get('parameters', [])]
    for media in operation.get('requestBody', {}).get('content', {}).values():
        for body in _options(media['schema'], components):  # an optional body is anyOf [body, null]
            values += list(body['properties'].items())
    return [(name, option) for name, schema in values for option in _options(schema, components)]


def _options(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's alternatives other than null, with references to components resolved (an anyOf
    beside a `type` is a constraint on that one value, e.g. "none or two to four items", not a union)."""
    alternatives = [schema] if 'type' in schema else schema.get('anyOf', [schema])
    return [
        components[option['$ref'].rsplit('/', 1)[-1]] if '$ref' in option else option
        for option in alternatives
        if option.get('type') != 'null'
    ]


def _bounded(schema: dict[str, Any]) -> bool:
    if 'enum' in schema or schema.get('type') == 'boolean':
        return True
    if schema.get('type') == 'string':
        return 'maxLength' in schema and 'pattern' in schema
    if schema.get('type') == 'integer':
        return 'minimum' in schema and 'maximum' in schema
    if schema.get('type') == 'array':  # e.g. a room's missions
        return 'maxItems' in schema and _bounded(schema['items'])
    return False
