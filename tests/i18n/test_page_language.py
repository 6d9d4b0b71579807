"""The language a page was built in is kept for its events, even when a handler deletes what was clicked."""

import gc

from nicegui import ui
from nicegui.testing import User

from i18n import _
from ui.language import keep_page_language


async def test_an_event_speaks_the_page_language_after_its_button_is_gone(user: User) -> None:
    """Accept-Language ko: the page and a click that first removes its own card both show Korean."""

    @ui.page('/auth/i18n-probe')  # under a public prefix: no log-in needed
    def probe() -> None:
        keep_page_language()
        ui.label(_('Language'))
        with ui.card().classes('probe'):  # no reference kept: deleted, the card is gone at once
            ui.button('go', on_click=remove_then_speak)

    def remove_then_speak() -> None:
        remove_probe_card()
        gc.collect()  # the card's reference cycles go now, as they would at any moment in a live app
        ui.notify(_('Choose one of the listed languages.'))

    def remove_probe_card() -> None:
        for element in ui.context.client.layout.descendants():
            if 'probe' in element.classes:
                element.delete()

    user.http_client.headers['Accept-Language'] = 'ko-KR,ko;q=0.9'
    await user.open('/auth/i18n-probe')
    await user.should_see('언어')
    user.find('go').click()
    await user.should_see('목록에 있는 언어 중 하나를 선택하세요.')
