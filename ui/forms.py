"""Form fields that work for everyone: a password field whose show/hide is a real, named button, and
field errors a screen reader connects to their field."""

import json
from collections.abc import Mapping

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from i18n import _, current_language
from ui.focus import focus_later

# Finds the field's error line showing MESSAGE (waiting up to 2 s for Quasar to draw it) and gives it ERROR_ID.
NAME_ERROR_LINE = """
(() => {
  const started = performance.now();
  const name = () => {
    const element = document.getElementById(FIELD_ID);
    const field = element && (element.closest('.q-field') || element.querySelector('.q-field'));
    const line = field && [...field.querySelectorAll('.q-field__messages [role=alert]')]
      .find((candidate) => candidate.textContent === MESSAGE);
    if (line) line.id = ERROR_ID;
    else if (performance.now() - started < 2000) setTimeout(name, 50);
  };
  name();
})();
"""


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


def show_field_errors(fields: Mapping[str, ValidationElement], errors: Mapping[str, object]) -> list[str]:
    """Each refused field shows its message and is marked invalid (`show_field_error`); the others are
    cleared. The first refused field gets the focus. Returns the refused fields' labels, in form
    order, for a summary line."""
    refused = []
    for name, field in fields.items():
        message = str(errors[name]) if errors.get(name) else None  # a lazy text is put into words now
        show_field_error(field, message)
        if message:
            refused.append(field.props.get('label') or name)
    first = next((field for name, field in fields.items() if errors.get(name)), None)
    if first is not None:
        focus_field(first)
    return refused


def show_field_error(
    field: ValidationElement, message: str | None, described_by: ui.element | None = None
) -> None:
    """`message` under the field (Quasar's error line, read out as an alert), named by the field's
    `aria-describedby`, and `aria-invalid` on the field; None clears both.

    With `described_by` (a form's own error line, e.g. log-in's `Wrong username or password`), the field
    is marked invalid and described by that element instead of a message of its own.
    """
    if described_by is not None:
        field.error = None
        _describe(field, described_by.html_id if message else None)
        return
    field.error = message
    error_id = f'{field.html_id}-error'
    _describe(field, error_id if message else None)
    if message:
        # Quasar draws the message in a <div role=alert> without an id (and anew when the text changes):
        # once it is drawn, it gets the id the field's aria-describedby names.
        field.client.run_javascript(
            NAME_ERROR_LINE.replace('FIELD_ID', json.dumps(field.html_id))
            .replace('ERROR_ID', json.dumps(error_id))
            .replace('MESSAGE', json.dumps(message))
        )


def focus_field(field: ui.element) -> None:
    """Put the keyboard focus into the field's own input once the page has drawn it."""
    focus_later(field.client, f'#{field.html_id}')


def _describe(field: ValidationElement, description_id: str | None) -> None:
    if description_id is None:
        field.props(remove='aria-invalid aria-describedby')
    else:
        field.props(f'aria-invalid=true aria-describedby={description_id}')


def field_list(labels: list[str]) -> str:
    """The refused fields' labels for a summary line (Japanese lists with 、)."""
    return ('、' if current_language() == 'ja' else ', ').join(labels)
