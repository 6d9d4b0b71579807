"""Form fields that work for everyone: a password field whose show/hide is a real, named button, and
field errors a screen reader connects to their field."""

from collections.abc import Mapping

from nicegui import ui

from i18n import _, current_language


def password_input(label: str) -> ui.input:
    """A password field with a show/hide toggle that keyboards reach and screen readers name (Quasar's
    own eye icon is neither focusable nor labelled). Its name avoids the word "password", so the field
    stays the only thing on the page labelled that (the UI contract finds `Password` by its label)."""
    field = ui.input(label, password=True)
    name = _('Show what you typed')  # a message of its own: Babel does not look inside f-strings
    with field.add_slot('append'):
        toggle = (
            ui.button(icon='visibility')
            .props(f'flat round dense color=grey-8 aria-label="{name}" aria-pressed=false')
            .mark('show-password')
        )

    def flip() -> None:
        shown = field.props.get('type') == 'password'
        field.props(f'type={"text" if shown else "password"}')
        toggle.props(f'icon={"visibility_off" if shown else "visibility"} aria-pressed={str(shown).lower()}')

    toggle.on_click(flip)
    return field


def show_field_errors(fields: Mapping[str, ui.input], errors: Mapping[str, object]) -> list[str]:
    """Each refused field shows its message (Quasar reads it out as an alert) and is marked
    `aria-invalid`; the others are cleared. The first refused field gets the focus. Returns the
    refused fields' labels, in form order, for a summary line."""
    refused = []
    for name, field in fields.items():
        message = str(errors[name]) if errors.get(name) else None  # a lazy text is put into words now
        field.error = message
        if message:
            field.props('aria-invalid=true')
        else:
            field.props(remove='aria-invalid')
        if message:
            refused.append(field.props.get('label') or name)
    first = next((field for name, field in fields.items() if errors.get(name)), None)
    if first is not None:
        first.run_method('focus')
    return refused


def field_list(labels: list[str]) -> str:
    """The refused fields' labels for a summary line (Japanese lists with 、)."""
    return ('、' if current_language() == 'ja' else ', ').join(labels)
