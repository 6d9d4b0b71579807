"""Dialogs shared by pages."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from i18n import _
from ui.focus import return_focus_to_opener
from ui.forms import focus_field, show_field_error
from ui.frame import error_text, show_error


async def confirm(title: str, explanation: str, action: str | None = None) -> bool:
    """A dialog with `Cancel` and a red `action` button (`Delete` unless said; marker `confirm-delete`);
    True when confirmed."""
    # Built in the page layout, not in the slot of the clicked button: the button (a message's Delete)
    # may be gone by the time the dialog is removed, and a dialog goes with the slot it was made in.
    with ui.context.client.layout, ui.dialog() as dialog, ui.card():
        ui.label(title).classes('text-h6')
        ui.label(explanation)
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Cancel'), on_click=lambda: dialog.submit(False)).props('flat no-caps')
            ui.button(action or _('Delete'), on_click=lambda: dialog.submit(True)).props(
                'unelevated no-caps color=negative data-testid=confirm-delete'
            ).mark('confirm-delete')
    return_focus_to_opener(dialog)
    confirmed = bool(await dialog)
    if not dialog.is_deleted:
        dialog.delete()
    return confirmed


async def ask_number(
    title: str,
    explanation: str,
    label: str,
    value: int | None,
    bounds: tuple[int, int],
    action: str,
    on_submit: Callable[[int | None], Awaitable[str | None]],
    placeholder: str = '',
) -> None:
    """A dialog with one whole-number input (empty allowed: None) and `action`.

    `on_submit` returns a readable problem, shown under the input, or None to close the dialog.
    The `action` button carries the marker `number-submit`.
    """
    with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-80'):
        ui.label(title).classes('text-h6')
        ui.label(explanation).classes('text-body2 text-grey-8')
        number = ui.number(
            label, value=value, min=bounds[0], max=bounds[1], precision=0, placeholder=placeholder
        ).classes('w-full')
        problem = error_text()
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps')
            ui.button(action, on_click=lambda: submit()).props('unelevated no-caps').mark('number-submit')
    return_focus_to_opener(dialog)

    async def submit() -> None:
        message = await on_submit(None if number.value is None else int(number.value))
        show_error(problem, message)
        show_field_error(number, message, described_by=problem)
        if message is None:
            dialog.close()
        else:
            focus_field(number)

    await dialog
    if not dialog.is_deleted:
        dialog.delete()
