"""Keyboard focus that never falls to <body>: dialogs give it back to their opener, actions that redraw
or remove the focused control hand it to a sensible neighbour, and the fixed header and footer of a
page never cover the focused control."""

import json

from nicegui import Client, ui
from nicegui.events import ValueChangeEventArguments

# The last focus request wins (a dialog's "back to the opener" and the page's "to the neighbour" may
# both be asked for one action); each request waits up to FOCUS_PATIENCE_MS for its target to be drawn,
# then keeps watching as long again in case focus falls to <body> (its target removed: the fallback).
FOCUS_PATIENCE_MS = 2000
FOCUS_SCRIPT = """
(() => {
  const turn = window.speakroomFocusTurn = (window.speakroomFocusTurn || 0) + 1;
  const opener = OPENER, primary = PRIMARY, fallback = FALLBACK;
  const find = (selector) => {
    const found = selector && document.querySelector(selector);
    if (!found) return null;
    if (found.matches('input, textarea, button, a, [tabindex]')) return found;
    return found.querySelector('input, textarea, [tabindex]:not([tabindex^="-"])') || found;
  };
  const usable = (el) => el && el.isConnected && el.getClientRects().length > 0 && !el.closest('[inert]');
  const started = performance.now();
  let placed = null;
  const pick = () => {
    if (placed !== null && usable(placed)) return placed;
    if (placed === null && usable(opener)) return opener;
    const wanted = find(primary);
    if (usable(wanted)) return wanted;
    const waited = !primary || performance.now() - started > PATIENCE;
    return waited && usable(find(fallback)) ? find(fallback) : null;
  };
  const attempt = () => {
    if (turn !== window.speakroomFocusTurn) return;
    const lost = !document.activeElement || document.activeElement === document.body;
    // Placed once, focus is put back only when it fell to <body> (its control was removed, or a late
    // redraw took it), never taken from where the person has moved it since.
    const due = placed === null || lost;
    // Back to a dialog's opener only once the dialog is gone (Quasar's focus trap holds it till then).
    if (due && (!AFTER_DIALOGS || document.querySelector('.q-dialog') === null)) {
      const target = pick();
      if (target) {
        target.focus();
        placed = target;
      }
    }
    if (performance.now() - started < 2 * PATIENCE) setTimeout(attempt, 50);
  };
  attempt();
})();
"""


def focus_later(client: Client, selector: str, fallback: str = '#main') -> None:
    """Move focus to the element `selector` names (a field's own input, or the element when it is
    focusable), as soon as the page has drawn it; to `fallback` when it never appears."""
    client.run_javascript(_script('null', selector, fallback, after_dialogs=False))


def return_focus_to_opener(dialog: ui.dialog, fallback: str = '#main') -> None:
    """Whenever `dialog` closes (Escape, Cancel or its action), focus goes back to the control that had
    it when the dialog opened, or to `fallback` when that control is gone (its message was deleted)."""
    client = dialog.client
    openers = f'(window.speakroomOpeners = window.speakroomOpeners || {{}})[{dialog.id}]'
    # Noted in the browser, before Quasar moves focus into the dialog.
    dialog.on('before-show', js_handler=f'() => {{ {openers} = document.activeElement; }}')

    def closed(event: ValueChangeEventArguments) -> None:
        if not event.value:
            opener = f'(window.speakroomOpeners || {{}})[{dialog.id}]'
            client.run_javascript(_script(opener, '', fallback, after_dialogs=True))

    dialog.on_value_change(closed)


def keep_focus_clear_of_bars() -> None:
    """The page scrolls a focused control clear of the fixed header and footer (scroll padding as tall as
    each, kept up to date as they grow and shrink), so Tab never lands under them on a phone."""
    ui.run_javascript("""
        const bars = [document.querySelector('.q-header'), document.querySelector('.q-footer')];
        const pad = () => {
            const root = document.documentElement.style;
            root.scrollPaddingTop = `${(bars[0] ? bars[0].offsetHeight : 0) + 8}px`;
            root.scrollPaddingBottom = `${(bars[1] ? bars[1].offsetHeight : 0) + 8}px`;
        };
        const observer = new ResizeObserver(pad);
        bars.filter(Boolean).forEach((bar) => observer.observe(bar));
        pad();
        // A control focused inside the page is scrolled clear of the bars even when it already was
        // "in view" behind one of them (the browser only scrolls what is off the screen).
        document.addEventListener('focusin', (event) => {
            const el = event.target;
            if (!(el instanceof Element) || el.closest('.q-header, .q-footer, .q-dialog, .q-menu')) return;
            // Keyboard focus only: a click (e.g. on a word of a reply) must not scroll what is under the pointer.
            if (!el.matches(':focus-visible')) return;
            const box = el.getBoundingClientRect();
            const top = bars[0] ? bars[0].getBoundingClientRect().bottom : 0;
            const bottom = bars[1] ? bars[1].getBoundingClientRect().top : window.innerHeight;
            if (box.top < top || box.bottom > bottom) el.scrollIntoView({block: 'nearest'});
        });
    """)


def _script(opener: str, selector: str, fallback: str, *, after_dialogs: bool) -> str:
    return (
        FOCUS_SCRIPT.replace('AFTER_DIALOGS', 'true' if after_dialogs else 'false')
        .replace('OPENER', opener)
        .replace('PRIMARY', json.dumps(selector))
        .replace('FALLBACK', json.dumps(fallback))
        .replace('PATIENCE', str(FOCUS_PATIENCE_MS))
    )
