"""Colours and the stylesheet, applied once per page."""

from pathlib import Path

from nicegui import app, ui

ASSETS = Path(__file__).resolve().parent.parent / 'assets'
PRIMARY = '#3949ab'


def install_theme() -> None:
    """Once at start-up: brand colours (each ≥ 4.5:1 on the page) and the stylesheets, in every page.

    The styles go into the page's <head> as it is served, so the first paint is already styled: no
    flash and no layout jump when scripts run (`ui.add_css` would add them from JavaScript later).
    Tailwind's utilities are precompiled (assets/tailwind.py) because main.py turns off NiceGUI's
    in-browser Tailwind compiler, which blocked every page's rendering for ~200 ms on a phone.
    """
    app.colors(primary=PRIMARY, secondary='#00796b', accent='#ff7043', positive='#2e7d32', negative='#c62828')
    styles = ''.join(
        (ASSETS / name).read_text(encoding='utf-8') for name in ('tailwind.css', 'speakroom.css')
    )
    ui.add_head_html(f'<style>{styles}</style>', shared=True)


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
