"""NiceGUI's page scripts and stylesheets go out in Brotli to browsers that accept it, gzip to the others."""

import gzip

import brotli
import pytest
from nicegui.testing import User

from api import precompressed

QUASAR = f'/_nicegui/{precompressed.nicegui.__version__}/static/quasar.umd.prod.js'


@pytest.fixture
def compressed() -> None:
    """The start-up's background compression, done before the test asks (it is idempotent)."""
    precompressed.compress_all()


async def test_quasar_is_served_in_brotli_when_the_browser_accepts_it(user: User, compressed: None) -> None:
    """A browser sending `br` gets Quasar in Brotli, the exact file, ~17 % smaller than gzip, cached a year."""
    await user.open('/login')
    response = await user.http_client.get(QUASAR, headers={'Accept-Encoding': 'gzip, deflate, br, zstd'})
    plain = await user.http_client.get(QUASAR, headers={'Accept-Encoding': 'gzip'})
    assert response.status_code == 200
    assert response.headers['content-encoding'] == 'br'
    assert response.headers['content-type'].startswith('text/javascript')
    assert 'max-age=31536000' in response.headers['cache-control']
    assert 'Accept-Encoding' in response.headers['vary']
    original = (precompressed.STATIC / 'quasar.umd.prod.js').read_bytes()
    assert brotli.decompress(precompressed.COMPRESSED['quasar.umd.prod.js']) == original
    assert response.content == original  # httpx decodes Brotli
    assert plain.headers.get('content-encoding') != 'br'  # NiceGUI's gzip (ui.run) answers it
    assert int(response.headers['content-length']) < 0.9 * len(gzip.compress(original, 9))


async def test_every_file_the_page_loads_is_compressed(user: User, compressed: None) -> None:
    """Each script and stylesheet NiceGUI's page template loads has its Brotli copy; `br;q=0` gets none."""
    html = (await user.http_client.get('/login')).text
    for name in precompressed.PAGE_FILES:
        assert f'{precompressed.PREFIX}{name}' in html or name == 'dompurify.mjs'  # DOMPurify: import map
        response = await user.http_client.get(precompressed.PREFIX + name, headers={'Accept-Encoding': 'br'})
        assert response.headers['content-encoding'] == 'br', name
    refused = await user.http_client.get(QUASAR, headers={'Accept-Encoding': 'br;q=0, gzip'})
    assert refused.headers.get('content-encoding') != 'br'
