"""Colours and the stylesheet, applied once per page."""

from pathlib import Path

from nicegui import app, ui

ASSETS = Path(__file__).resolve().parent.parent / 'assets'
PRIMARY = '#3949ab'


def apply_theme() -> None:
    """Brand colours and the shared stylesheet for the current page (each colour ≥ 4.5:1 on the page)."""
    ui.colors(primary=PRIMARY, secondary='#00796b', accent='#ff7043', positive='#2e7d32', negative='#c62828')
    ui.add_css(ASSETS / 'speakroom.css')


def serve_assets() -> None:
    """Expose assets/ (icons, css) at /assets; nothing private lives there."""
    app.add_static_files('/assets', ASSETS)


def configure_quasar() -> None:
    """App-wide Quasar settings, before the first page is served.

    Quasar's loading bar watches every XMLHttpRequest (Socket.IO's polling, audio) and flashes an
    unlabelled progress bar a screen reader announces as "progress bar"; the app shows its own
    progress where something takes time, so the bar is not hooked to requests.
    """
    app.config.quasar_config['loadingBar']['skipHijack'] = True
