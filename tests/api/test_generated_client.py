"""A typed client generated from the running app's /openapi.json (openapi-python-client) does the core loop."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from tests.api.conftest import PASSWORD
from tests.api.test_schemathesis import running_app
from tests.fakes.openai_server import DEFAULT_REPLY, FakeLLMServer

GENERATOR = Path(sys.executable).with_name('openapi-python-client')
PACKAGE = 'speakroom_client'
# The README's generator settings: replies read aloud are audio/wav or audio/mpeg, which the generator
# only handles as bytes when told so (it knows JSON, text and octet-stream).
GENERATOR_CONFIG = """\
content_type_overrides:
  audio/wav: application/octet-stream
  audio/mpeg: application/octet-stream
post_hooks: []
"""


def test_a_generated_client_registers_chats_searches_exports_and_deletes(
    tmp_path: Path, fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Register, log in, refresh, create a room, chat, read quota, search, export and delete, all typed."""
    with running_app(tmp_path, fake_llm.base_url) as url:
        sr, models, api = generated_client(url, tmp_path, monkeypatch)
        anonymous = sr.Client(base_url=url, raise_on_unexpected_status=True)

        register = api.register.sync_detailed(
            client=anonymous,
            body=models.RegisterRequest(username='Lea_2', email='lea@example.com', password=PASSWORD),
        )
        assert register.status_code == 201
        assert (register.parsed.username, register.parsed.email) == ('lea_2', 'lea@example.com')
        login = models.TokenRequest(username='lea@example.com', password=PASSWORD)
        tokens = api.issue_token.sync(client=anonymous, body=login)
        body = models.RefreshRequest(refresh_token=tokens.refresh_token)
        renewed = api.refresh_token.sync(client=anonymous, body=body)
        assert isinstance(renewed, models.TokenResponse) and renewed.access_token != tokens.access_token
        lea = sr.AuthenticatedClient(
            base_url=url, token=renewed.access_token, raise_on_unexpected_status=True
        )
        assert api.read_me.sync(client=lea).username == 'lea_2'

        draft = models.RoomCreate(
            title='Café', language=models.RoomCreateLanguage.EN, situation='Ordering coffee.',
            ai_role=' ', my_role='Customer', level=models.RoomCreateLevel.A2,
        )  # fmt: skip
        refused = api.create_room.sync(client=lea, body=draft)
        assert (refused.error.code, refused.error.message) == ('invalid_input', 'AI role is required.')
        draft.ai_role = 'Barista'
        room = api.create_room.sync(client=lea, body=draft)
        assert (room.title, room.language_name, room.level) == ('Café', 'English', 'A2')

        turn = api.send_message.sync(room.id, client=lea, body=models.SendRequest(text='One latte, please.'))
        assert (turn.user_message.content, turn.reply.content) == ('One latte, please.', DEFAULT_REPLY)
        assert turn.reply.status == models.MessageOutStatus.COMPLETE
        page = api.list_messages.sync(room.id, client=lea)
        assert [message.id for message in page.items] == [turn.reply.id, turn.user_message.id]
        assert api.read_quota.sync(client=lea).used == 1

        hits = api.search_history.sync(client=lea, q='LATTE')
        assert [(hit.room_title, hit.content) for hit in hits.items] == [('Café', 'One latte, please.')]
        markdown = api.export_room.sync(room.id, client=lea)
        assert 'One latte, please.' in markdown and DEFAULT_REPLY in markdown

        assert api.delete_room.sync_detailed(room.id, client=lea).status_code == 204
        gone = api.read_room.sync(room.id, client=lea)
        assert (gone.error.code, gone.error.message) == ('not_found', 'Room not found')


def generated_client(
    url: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ModuleType, ModuleType, SimpleNamespace]:
    """Generate the client from the app's own document as the README says; import the package, its models
    and its operation modules (by operationId: `api.create_room.sync(...)`)."""
    assert GENERATOR.exists(), 'openapi-python-client is a test dependency: pip install -e ".[test]"'
    config = workdir / 'generator.yaml'
    config.write_text(GENERATOR_CONFIG)
    command = [str(GENERATOR), 'generate', '--url', f'{url}/openapi.json', '--meta', 'none']
    command += ['--config', str(config), '--output-path', str(workdir / PACKAGE), '--fail-on-warning']
    generated = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert generated.returncode == 0, generated.stdout + generated.stderr  # a warning fails it too
    monkeypatch.syspath_prepend(str(workdir))
    package = importlib.import_module(PACKAGE)
    tags = importlib.import_module(f'{PACKAGE}.api')
    operations = {
        module.name.rsplit('.', 1)[-1]: importlib.import_module(module.name)
        for module in pkgutil.walk_packages(tags.__path__, f'{PACKAGE}.api.')
        if not module.ispkg
    }
    return package, importlib.import_module(f'{PACKAGE}.models'), SimpleNamespace(**operations)
