"""OpenAPI links: which value of one operation's answer the next operation takes.

A client (or a fuzzer's stateful phase) follows them instead of guessing ids: register → log in →
refresh; create a room → its messages; send → retry, regenerate, delete, listen; an account list →
one account. Operations are named by their operationId (the handler's name), so renaming a handler
without updating this table fails when the document is built.

A link also makes its source a starting point for schemathesis's stateful phase, so there are none
from operations that need an id or token nobody can guess (a retried reply, a refresh token) unless
another link leads there; and both answers to a registration (201, and 409 when a replayed sequence
registers again) lead on to log-in, so a replay takes the same path as the first run.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Link:
    source: str  # operationId answering …
    status: str  # … with this status
    target: str  # operationId that can be called next
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)  # 'path.room_id': runtime expression or value
    request_body: dict[str, str] | None = None


NEW_ROOM = {'path.room_id': '$response.body#/id'}
# The whole reply as JSON (an event stream has no body to take the next ids from).
SEND_TO_ROOM = NEW_ROOM | {'query.stream': False}
REPLY = {'path.message_id': '$response.body#/reply/id'}
FIRST_ACCOUNT = {'path.user_id': '$response.body#/items/0/id'}
CREDENTIALS = {'username': '$request.body#/username', 'password': '$request.body#/password'}
ISSUED_REFRESH = {'refresh_token': '$response.body#/refresh_token'}
NEWEST_MESSAGE = {'path.message_id': '$response.body#/items/0/id'}
REPLY_ROOM = {'path.room_id': '$response.body#/reply/room_id'}
ROOM_OPERATIONS = ('read_room', 'update_room', 'delete_room', 'list_messages', 'export_room')
REPLY_OPERATIONS = ('retry_reply', 'regenerate_reply', 'message_audio', 'delete_exchange')

LINKS = (
    Link('register', '201', 'issue_token', 'Log in as the new account', request_body=CREDENTIALS),
    # Taken already: it may be the caller's own (a client retrying, or a fuzzer replaying a sequence).
    Link('register', '409', 'issue_token', 'Log in, should the account be yours', request_body=CREDENTIALS),
    *(
        Link('issue_token', '200', target, 'Use the refresh token just issued', request_body=ISSUED_REFRESH)
        for target in ('refresh_token', 'logout')
    ),
    *(Link('create_room', '201', target, 'The new room', NEW_ROOM) for target in ROOM_OPERATIONS),
    Link('create_room', '201', 'send_message', 'A message in the new room', SEND_TO_ROOM),
    Link('update_room', '200', 'send_message', 'A message in the room just changed', SEND_TO_ROOM),
    *(Link('send_message', '200', target, 'The reply just written', REPLY) for target in REPLY_OPERATIONS),
    Link('send_message', '200', 'list_messages', 'The conversation just added to', REPLY_ROOM),
    *(
        Link('list_messages', '200', target, 'The newest message of the page', NEWEST_MESSAGE)
        for target in REPLY_OPERATIONS
    ),
    *(
        Link('list_users', '200', target, 'The newest account of the page', FIRST_ACCOUNT)
        for target in ('read_user', 'update_user', 'grant_replies')
    ),
)


def add_links(schema: dict[str, Any]) -> None:
    """Add LINKS to the responses of an OpenAPI document (operations named by operationId)."""
    operations = {
        operation['operationId']: operation
        for path_item in schema['paths'].values()
        for operation in path_item.values()
        if isinstance(operation, dict) and 'operationId' in operation
    }
    for link in LINKS:
        target = operations[link.target]  # a KeyError names a link to an operation that is gone
        response = operations[link.source]['responses'][link.status]
        definition: dict[str, Any] = {'operationId': target['operationId'], 'description': link.description}
        if link.parameters:
            definition['parameters'] = dict(link.parameters)
        if link.request_body is not None:
            definition['requestBody'] = dict(link.request_body)
        response.setdefault('links', {})[link.target] = definition
