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
