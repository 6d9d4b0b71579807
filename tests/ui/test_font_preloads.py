"""Every page asks for its two fonts at once (text is invisible until they arrive)."""

import re

from nicegui.testing import User


async def test_pages_preload_the_fonts_they_draw_with(user: User) -> None:
    """/login's HTML preloads Roboto's Latin file and Material Icons, and both are served."""
    html = (await user.http_client.get('/login')).text
    fonts = re.findall(r'<link rel="preload" as="font" type="font/woff2" crossorigin href="([^"]+)">', html)
    assert len(fonts) == 2
    for url in fonts:
        response = await user.http_client.get(url)
        assert response.status_code == 200
        assert response.content[:4] == b'wOF2'


async def test_icons_come_from_the_apps_subset(user: User) -> None:
    """The page's Material Icons face is the app's preloaded subset, cached for a year, not NiceGUI's file."""
    html = (await user.http_client.get('/login')).text
    face = re.search(r'@font-face\{font-family:"Material Icons";[^}]*src:url\(([^)]+)\)', html)
    assert face, 'no Material Icons face in the page'
    assert face[1].startswith('/assets/fonts/material-icons.woff2?v=')
    assert f'rel="preload" as="font" type="font/woff2" crossorigin href="{face[1]}"' in html
    response = await user.http_client.get(face[1])
    assert response.status_code == 200
    assert len(response.content) < 16_000
    assert 'max-age=31536000' in response.headers['cache-control']
