"""How one AI reply looks in each state: streaming, complete (text or recipe card), stopped, failed."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from services.chat import MessageInfo
from services.recipes import parse_recipe
from ui.chat import (
    error_note,
    markdown_view,
    play_button,
    recipe_card,
    render_markdown,
    reply_bubble,
    typing_indicator,
)

AI_NAME = 'AI partner'


class ReplyView:
    """An AI bubble that re-renders itself when the reply's state changes.

    With `hide_text` (listening mode) a finished reply shows only its play button and `Show text`.
    """

    def __init__(
        self,
        message: MessageInfo,
        stamp: str,
        is_recipe: bool,
        on_retry: Callable[[int], Awaitable[None]],
        on_play: Callable[[int, ui.button], Awaitable[None]],
        hide_text: bool = False,
    ) -> None:
        self.is_recipe = is_recipe
        self.on_retry = on_retry
        self.on_play = on_play
        self.hide_text = hide_text
        self.message = message
        self.bubble, self.body = reply_bubble(AI_NAME, stamp)
        self.bubble.props(f'data-testid=reply-{message.id}')
        self._streaming_html: ui.html | None = None
        self.play: ui.button | None = None
        self.show(message)

    def show(self, message: MessageInfo) -> None:
        self.message = message
        if message.status == 'pending':
            self._show_streaming(message.content)
            return
        self._streaming_html = None
        self.play = None
        self.body.clear()
        with self.body:
            if message.status == 'complete':
                self._show_complete(message)
            elif message.status == 'stopped' and message.content.strip():
                self._show_text(message.content)
                with ui.row().classes('items-center gap-2'):
                    self._play_button(message.id)
                    ui.label('Stopped').classes('text-caption text-grey-7')
            elif message.status == 'stopped':
                error_note('Stopped before any reply.', lambda: self.on_retry(message.id))
            else:
                if message.content.strip():
                    markdown_view(message.content)
                error_note(message.error or 'The reply failed.', lambda: self.on_retry(message.id))

    def reveal(self) -> None:
        self.hide_text = False
        self.show(self.message)

    def _show_streaming(self, text: str) -> None:
        if self._streaming_html is None:
            self.body.clear()
            with self.body:
                # Raw recipe JSON is not worth watching, and listening mode keeps the text for later.
                if self.is_recipe or self.hide_text:
                    typing_indicator('Writing a recipe…' if self.is_recipe else 'Listen when it is ready…')
                    self._streaming_html = ui.html('', sanitize=True).classes('hidden')
                else:
                    self._streaming_html = markdown_view(text)
                    typing_indicator()
        elif not (self.is_recipe or self.hide_text):
            self._streaming_html.set_content(render_markdown(text))

    def _show_complete(self, message: MessageInfo) -> None:
        if self.hide_text:
            with ui.row().classes('items-center gap-2'):
                self._play_button(message.id)
                ui.button('Show text', icon='visibility', on_click=self.reveal).props('flat dense no-caps')
            return
        self._show_text(message.content)
        self._play_button(message.id)

    def _show_text(self, text: str) -> None:
        recipe = parse_recipe(text) if self.is_recipe else None
        if recipe is None:
            markdown_view(text)
            return
        recipe_card(
            recipe.dish,
            recipe.intro,
            [(item.name, item.amount) for item in recipe.ingredients],
            list(recipe.steps),
        )

    def _play_button(self, message_id: int) -> None:
        self.play = play_button(lambda: self.on_play(message_id, self.play))  # type: ignore[arg-type]


def scroll_to_bottom() -> None:
    ui.run_javascript('window.scrollTo({top: document.body.scrollHeight, behavior: "smooth"})')
