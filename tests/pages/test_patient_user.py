"""The simulated user waits long enough for a page that is slow to show something."""

import asyncio

from nicegui import ui
from nicegui.testing import User

from tests.pages.test_room_pages import logged_in


async def test_should_see_waits_for_a_late_element(user: User) -> None:
    """A label that appears a second after the page opened is seen without asking for more tries."""

    @ui.page('/late')
    async def late_page() -> None:
        async def later() -> None:
            await asyncio.sleep(1.0)
            with column:
                ui.label('Here at last')

        column = ui.column()
        asyncio.get_running_loop().create_task(later())

    await logged_in(user)
    await user.open('/late')
    await user.should_see('Here at last')
