"""Dialogs shared by pages."""

from nicegui import ui


async def confirm(title: str, explanation: str, action: str = 'Delete') -> bool:
    """A dialog with `Cancel` and a red `action` button (marker `confirm-delete`); True when confirmed."""
    # Built in the page layout, not in the slot of the clicked button: the button (a message's Delete)
    # may be gone by the time the dialog is removed, and a dialog goes with the slot it was made in.
    with ui.context.client.layout, ui.dialog() as dialog, ui.card():
        ui.label(title).classes('text-h6')
        ui.label(explanation)
        with ui.row().classes('w-full justify-end'):
            ui.button('Cancel', on_click=lambda: dialog.submit(False)).props('flat no-caps')
            ui.button(action, on_click=lambda: dialog.submit(True)).props(
                'unelevated no-caps color=negative data-testid=confirm-delete'
            ).mark('confirm-delete')
    confirmed = bool(await dialog)
    if not dialog.is_deleted:
        dialog.delete()
    return confirmed
