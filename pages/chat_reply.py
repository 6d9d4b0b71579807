"""How one AI reply looks in each state: streaming, complete (text or recipe card), stopped, failed."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from services.chat import MessageInfo
from services.recipes import parse_recipe
from ui.chat import error_note, markdown_view, recipe_card, render_markdown, reply_bubble, typing_indicator

AI_NAME = 'AI partner'


class ReplyView:
    """An AI bubble that re-renders itself when the reply's state changes."""

    def __init__(
        self, message: MessageInfo, stamp: str, is_recipe: bool, on_retry: Callable[[int], Awaitable[None]]
    ) -> None:
        self.is_recipe = is_recipe
        self.on_retry = on_retry
        self.bubble, self.body = reply_bubble(AI_NAME, stamp)
        self.bubble.props(f'data-testid=reply-{message.id}')
        self._streaming_html: ui.html | None = None
        self.show(message)

    def show(self, message: MessageInfo) -> None:
        if message.status == 'pending':
            self._show_streaming(message.content)
            return
        self._streaming_html = None
        self.body.clear()
        with self.body:
            if message.status == 'complete':
                self._show_complete(message.content)
            elif message.status == 'stopped':
                if message.content.strip():
                    markdown_view(message.content)
                    ui.label('Stopped').classes('text-caption text-grey-7')
                else:
                    error_note('Stopped before any reply.', lambda: self.on_retry(message.id))
            else:
                if message.content.strip():
                    markdown_view(message.content)
                error_note(message.error or 'The reply failed.', lambda: self.on_retry(message.id))

    def _show_streaming(self, text: str) -> None:
        if self._streaming_html is None:
            self.body.clear()
            with self.body:
                if self.is_recipe:  # raw JSON is not worth watching; the card appears when it is done
                    typing_indicator('Writing a recipe…')
                    self._streaming_html = ui.html('', sanitize=True).classes('hidden')
                else:
                    self._streaming_html = markdown_view(text)
                    typing_indicator()
        elif not self.is_recipe:
            self._streaming_html.set_content(render_markdown(text))

    def _show_complete(self, text: str) -> None:
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


def scroll_to_bottom() -> None:
    ui.run_javascript('window.scrollTo({top: document.body.scrollHeight, behavior: "smooth"})')
