"""StreamText: a piece goes to the browser alone, with where it starts; the whole text stays on the server."""

from nicegui import ui
from nicegui.testing import User

from ui.stream_text import StreamText


async def test_append_sends_only_the_piece_and_keeps_the_whole_text(user: User) -> None:
    """Appending queues the piece at once (its start counted as JavaScript does: an emoji is two), no update
    of the element; the page still shows the whole text, and a text that does not continue it is sent whole."""
    scripts: list[str] = []

    @ui.page('/auth/stream-text-probe')  # under a public prefix: no log-in needed
    def probe() -> None:
        StreamText('Hi 👋').mark('stream')
        ui.button('more', on_click=lambda: grow(stream()))
        ui.button('restart', on_click=lambda: stream().show('Another reply'))

    def stream() -> StreamText:
        return next(iter(user.find(marker='stream').elements))

    def grow(text: StreamText) -> None:
        text.show('Hi 👋 there')
        text.append(', friend')

    await user.open('/auth/stream-text-probe')
    await user.should_see('Hi 👋')
    shown = stream()
    queue = user.client.outbox.enqueue_message

    def recording_enqueue_message(message_type: str, data: dict, target_id: str) -> None:
        if message_type == 'run_javascript':
            scripts.append(data['code'])
        queue(message_type, data, target_id)  # type: ignore[arg-type]

    user.client.outbox.enqueue_message = recording_enqueue_message  # type: ignore[method-assign]
    user.client.outbox.updates.clear()
    user.find('more').click()
    await user.should_see('Hi 👋 there, friend')
    assert scripts == [
        f'return runMethod({shown.id}, "append", [" there",5])',
        f'return runMethod({shown.id}, "append", [", friend",11])',
    ]
    assert shown.id not in user.client.outbox.updates
    user.find('restart').click()
    await user.should_see('Another reply')
    assert shown.text == 'Another reply'
    assert len(scripts) == 2


async def test_append_runs_no_change_handling(user: User) -> None:
    """A streamed piece costs the server no observable change handling (it sends no update anyway)."""
    handled: list[object] = []

    @ui.page('/auth/stream-text-handlers')
    def probe() -> None:
        text = StreamText('Hi').mark('stream')
        text._props.on_change(lambda: handled.append(1))  # called on each handled change of its props

    await user.open('/auth/stream-text-handlers')
    shown = next(iter(user.find(marker='stream').elements))
    shown.append(' there')
    shown.append(', friend')
    assert shown.text == 'Hi there, friend'
    assert handled == []
