"""Colours and the stylesheet, applied once per page."""

from pathlib import Path

from nicegui import app, ui

ASSETS = Path(__file__).resolve().parent.parent / 'assets'
PRIMARY = '#3949ab'


def apply_theme() -> None:
    """Brand colours and the shared stylesheet for the current page."""
    ui.colors(primary=PRIMARY, secondary='#26a69a', accent='#ff7043', positive='#2e7d32', negative='#c62828')
    ui.add_css(ASSETS / 'speakroom.css')


def serve_assets() -> None:
    """Expose assets/ (icons, css) at /assets; nothing private lives there."""
    app.add_static_files('/assets', ASSETS)
