"""Icons draw from the app's Material Icons subset in Chromium: each icon one glyph, none as spelt-out text."""

import re
import sys

from playwright.sync_api import Page, expect

from tests.app_process import ROOT
from tests.e2e.flows import gallery_room, sign_up

sys.path.insert(0, str(ROOT / 'assets'))  # assets/ is no package: its build scripts run as files
import icons

# The drawn width of every visible icon's text, and its font size: a name missing from the font is drawn
# letter by letter, one em each (measured on the text: Quasar's icon box is always 1 em wide).
ICON_BOXES = """() => [...document.querySelectorAll('i.material-icons')]
  .filter((icon) => icon.offsetParent !== null)
  .map((icon) => {
    const text = document.createRange();
    text.selectNodeContents(icon);
    return [icon.textContent.trim(), text.getBoundingClientRect().width, parseFloat(getComputedStyle(icon).fontSize)];
  })"""
FONT_REQUESTS = """() => performance.getEntriesByType('resource').map((entry) => entry.name)
  .filter((name) => name.includes('.woff2'))"""


def test_chat_page_icons_are_single_glyphs_from_the_subset(page: Page) -> None:
    """On the rooms list and a chat page every icon is one square glyph; NiceGUI's 129 KB icon font is
    never downloaded, the app's subset is."""
    sign_up(page, 'icons')
    gallery_room(page, 'cafe-order')
    expect(page.get_by_role('button', name='Send')).to_be_visible()
    page.wait_for_load_state('networkidle')
    page.evaluate('document.fonts.ready')
    boxes = page.evaluate(ICON_BOXES)
    assert {'record_voice_over', 'send', 'mic'} <= {name for name, _width, _size in boxes}
    spelt_out = [name for name, width, size in boxes if not 0.8 * size <= width <= 1.2 * size]
    assert not spelt_out, f'icons drawn as text: {spelt_out}'
    fonts = page.evaluate(FONT_REQUESTS)
    assert any(re.search(r'/assets/fonts/material-icons\.woff2\?v=', url) for url in fonts), fonts
    assert not any(url.endswith(icons.nicegui_font().name) for url in fonts), fonts
