"""MessageBubble: one element draws a message's text, buttons and `Writing…`; its markers survive its buttons."""

from nicegui import ui
from nicegui.testing import User

from tests.pages.message_buttons import press_action
from ui.message_bubble import MessageBubble


async def test_a_bubble_is_text_buttons_and_parts_under_them_in_one_element(user: User) -> None:
    """The text, a button and a part under the buttons are shown, and pressing the button runs its action."""
    pressed: list[str] = []

    @ui.page('/auth/bubble-probe')  # under a public prefix: no log-in needed
    def probe() -> None:
        bubble = MessageBubble('You', '10:00', sent=True, color='indigo-1', body_classes='user-body')
        bubble.set_text('<b>Hello</b> &lt;i&gt;', 'user-text')
        bubble.add(
            'copy', lambda: pressed.append('copy'), icon='content_copy', label='Copy text', testid='copy-1'
        )
        with bubble.after:
            ui.label('Under the buttons')

    await user.open('/auth/bubble-probe')
    await user.should_see('Hello')
    await user.should_see('Under the buttons')
    (bubble,) = [element for element in user.client.elements.values() if isinstance(element, MessageBubble)]
    assert bubble.html == '<b>Hello</b> &lt;i&gt;'
    assert bubble.props['textClass'] == 'user-text' and bubble.props['bodyClass'] == 'user-body'
    assert not bubble.default_slot.children  # the label sits in its `after` slot, under the buttons
    assert [child.text for child in bubble.slots['after'].children] == ['Under the buttons']
    press_action(user, 'copy-1')
    assert pressed == ['copy']


async def test_markers_stay_through_buttons_added_and_cleared(user: User) -> None:
    """A bubble marked by the page (word look-ups) keeps that marker whatever happens to its buttons."""

    @ui.page('/auth/bubble-markers-probe')
    def probe() -> None:
        bubble = MessageBubble('AI partner', '10:00', sent=False, color='white', body_classes='reply-body')
        bubble.mark('reply-words-7')
        bubble.add(
            'delete',
            None,
            icon='delete_outline',
            label='Delete',
            testid='delete-message-7',
            marker='delete-message',
        )

    await user.open('/auth/bubble-markers-probe')
    (bubble,) = [element for element in user.client.elements.values() if isinstance(element, MessageBubble)]
    assert bubble._markers == ['reply-words-7', 'message-actions', 'delete-message', 'delete-message-7']
    bubble.clear_actions()
    assert bubble.actions == () and bubble._markers == ['reply-words-7', 'message-actions']
    bubble.set_writing('Writing…')
    await user.should_see('Writing…')
    bubble.set_writing(None)
    assert 'writing' not in bubble.props
    await user.should_not_see('Writing…')


async def test_a_spinner_ends_with_its_own_buttons_not_with_new_ones(user: User) -> None:
    """Play spins while its audio is made; when the buttons are drawn anew meanwhile (Regenerate) and the new
    Play spins too, the old wait ending leaves the new spinner alone; its own wait ends it."""
    drawn: list[MessageBubble] = []

    @ui.page('/auth/bubble-loading-probe')
    def probe() -> None:
        bubble = MessageBubble('Barista', '10:00', sent=False, color='grey-2', body_classes='reply-body')
        bubble.add('play', None, icon='volume_up', label='Play reply', look='play')
        drawn.append(bubble)

    await user.open('/auth/bubble-loading-probe')
    (bubble,) = drawn

    def spinning() -> bool:
        return bool(next(action for action in bubble.actions if action['name'] == 'play').get('loading'))

    old_audio = bubble.loading('play')
    old_audio.__enter__()  # the first Play's audio is being made
    assert spinning()
    bubble.clear_actions()  # the reply is written again (Regenerate): its buttons are drawn anew
    bubble.add('play', None, icon='volume_up', label='Play reply', look='play')
    assert not spinning()
    new_audio = bubble.loading('play')
    new_audio.__enter__()  # the new Play pressed at once
    old_audio.__exit__(None, None, None)  # the first audio is ready: its button is gone
    assert spinning()
    new_audio.__exit__(None, None, None)
    assert not spinning()
