"""The buttons under one message, held by the message's own element (issue 17: server memory per open page).

A `ui.button` is a server element with its own listener and Props, Classes and Style objects, kept for every
open tab: the buttons under each message were the largest part of a long chat's element tree. Here a
message's actions are a list its bubble (ui/message_bubble.py) draws in the browser with the same Quasar
buttons, the same aria-labels, test ids and classes, as children of the bubble's body (no wrapper); a press
comes back as one `action` event carrying the action's name.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, Self

from nicegui import events, ui

Look = Literal['small', 'play', 'text', 'small-text', 'caption']


class MessageActions(ui.element):
    """A message's buttons, in order; each has a name, a look and a callback run when it is pressed (the
    behaviour of the element that draws them: ui/message_bubble.py).

    Looks: `small` (the grey round icon buttons: copy, delete, regenerate, translate), `play` (the round
    primary speaker), `text` / `small-text` (a flat button with its text: `Show text`, `My recording`) and
    `caption` (a caption, no button: `Stopped`). The aria-label is `label`, translated by the caller.

    Markers: `message-actions`, and each action's `marker` and `testid`, so tests and scripts find the
    element holding an action the way they found its button.
    """

    def __init__(self) -> None:
        super().__init__()
        self._props['actions'] = ()
        self._callbacks: dict[str, Callable[[], object]] = {}
        self._action_markers: dict[str, tuple[str, ...]] = {}
        self._own_markers: list[str] = []
        self._drawings = 0  # how many times the buttons were cleared: a spinner ends only on its own
        self.on('action', self._pressed)
        self.mark()

    def mark(self, *markers: str) -> Self:
        """Replace the element's own markers (`message-actions` and its actions' markers stay)."""
        self._own_markers = [word for marker in markers for word in marker.split()]
        self._markers = [
            *self._own_markers,
            'message-actions',
            *(word for words in self._action_markers.values() for word in words),
        ]
        return self

    @property
    def actions(self) -> tuple[dict[str, Any], ...]:
        """What the browser draws: one dict per action (name, look, icon, label, text, testid, state)."""
        return self._props['actions']

    def add(
        self,
        name: str,
        on_press: Callable[[], object] | None,
        *,
        look: Look = 'small',
        icon: str | None = None,
        label: str | None = None,
        text: str | None = None,
        testid: str | None = None,
        marker: str | None = None,
        before: str | None = None,
    ) -> None:
        """Append an action, or put it `before` the action of that name when there is one (a name already
        here is replaced in place)."""
        fields = {'icon': icon, 'label': label, 'text': text, 'testid': testid}
        action = {'name': name, 'look': look} | {key: value for key, value in fields.items() if value}
        if on_press is not None:
            self._callbacks[name] = on_press
        self._action_markers[name] = tuple(word for word in (marker, testid) if word)
        actions = list(self.actions)
        names = [known['name'] for known in actions]
        if name in names:
            actions[names.index(name)] = action
        else:
            actions.insert(names.index(before) if before in names else len(actions), action)
        self._set_actions(actions)

    def clear_actions(self) -> None:
        """No buttons (the message is drawn anew)."""
        self._drawings += 1
        self._callbacks.clear()
        self._action_markers.clear()
        if self.actions:  # an unchanged prop is not sent again
            self._props['actions'] = ()
        self.mark(*self._own_markers)

    def remove(self, name: str) -> None:
        """Take an action away (Regenerate from a reply that is no longer the latest)."""
        self._callbacks.pop(name, None)
        self._action_markers.pop(name, None)
        self._set_actions([action for action in self.actions if action['name'] != name])

    @contextmanager
    def loading(self, name: str) -> Iterator[None]:
        """A spinner in the action's button while the block runs (Play while the audio is made, Translate
        while it is written). Buttons drawn anew meanwhile (Regenerate) are not touched when it ends: the
        spinner was the old button's, and the new one may be spinning for a press of its own."""
        drawn = self._drawings
        self._set_state(name, 'loading', True)
        try:
            yield
        finally:
            if self._drawings == drawn:
                self._set_state(name, 'loading', None)

    def set_expanded(self, name: str, expanded: bool) -> None:
        """The button's `aria-expanded` (Translate: whether its translation is shown)."""
        self._set_state(name, 'expanded', 'true' if expanded else 'false')

    def _set_state(self, name: str, key: str, value: object) -> None:
        if self.is_deleted:  # the message was deleted while its audio or translation was made
            return
        changed = []
        for action in self.actions:
            if action['name'] == name:
                action = {k: v for k, v in action.items() if k != key} | ({key: value} if value else {})
            changed.append(action)
        self._set_actions(changed)

    def _set_actions(self, actions: list[dict[str, Any]]) -> None:
        # A new tuple: setting the prop sends the element. A tuple, not a list: NiceGUI wraps a list prop
        # and every dict in it in observable collections (~500 bytes each, per message of every open page).
        self._props['actions'] = tuple(actions)
        self.mark(*self._own_markers)

    def _pressed(self, event: events.GenericEventArguments) -> None:
        name = event.args[0] if isinstance(event.args, list) and event.args else event.args
        callback = self._callbacks.get(name) if isinstance(name, str) else None
        events.handle_event(callback, event)  # None: an action removed meanwhile (a stale press) does nothing

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """The texts and icons the buttons show, as a `ui.button` offers them (`user.should_see('Show text')`)."""
        shown = [action.get(key) for action in self.actions for key in ('text', 'icon')]
        return [*super()._displayed_contents(only_visible=only_visible), *shown]
