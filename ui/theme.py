"""Colours and the stylesheet, applied once per page."""

import hashlib
import re
from pathlib import Path

import nicegui
from nicegui import app, ui

ASSETS = Path(__file__).resolve().parent.parent / 'assets'
PRIMARY = '#3949ab'
FONT_FACE = re.compile(r'@font-face\s*\{([^}]*)\}')
ICON_FONT = ASSETS / 'fonts' / 'material-icons.woff2'
YEAR_SECONDS = 365 * 24 * 3600


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
    ui.add_head_html(f'<style>{styles}{_icon_font_face()}</style>' + _font_preloads(), shared=True)


def icon_font_url() -> str:
    """The URL of assets/icons.py's Material Icons subset; its content hash makes it safe to cache for a year."""
    version = hashlib.sha256(ICON_FONT.read_bytes()).hexdigest()[:12]
    return f'/assets/fonts/{ICON_FONT.name}?v={version}'


def _icon_font_face() -> str:
    """Material Icons from the subset (6 KB) instead of NiceGUI's full font (129 KB): declared after
    NiceGUI's face and outside its layers, this one wins and NiceGUI's file is never fetched."""
    return (
        '@font-face{font-family:"Material Icons";font-style:normal;font-weight:400;font-display:block;'
        f'src:url({icon_font_url()}) format("woff2")}}'
    )


def _font_preloads() -> str:
    """`<link rel=preload>` for the two fonts every page draws with: Roboto's Latin file and Material Icons
    (the app's subset).

    NiceGUI's page asks for them only once its stylesheets (an `@import` chain) have been read, and
    text stays invisible until they arrive: fetched at once, the first paint comes ~1 s sooner on a
    phone (Lighthouse's mobile preset: FCP 2.6 → 1.7 s). The file names are NiceGUI's (hashed), so
    they are read from its fonts.css rather than written here.
    """
    static = Path(nicegui.__file__).parent / 'static'
    wanted = []
    for face in FONT_FACE.findall((static / 'fonts.css').read_text(encoding='utf-8')):
        family, source = re.search(r'font-family:\s*"([^"]+)"', face), re.search(r'url\(([^)]+)\)', face)
        latin_roboto = (
            family and family[1] == 'Roboto' and 'font-style: normal' in face and 'U+0000-00FF' in face
        )
        if source and latin_roboto and source[1] not in wanted:
            wanted.append(source[1])
    base = f'/_nicegui/{nicegui.__version__}/static'
    return ''.join(
        f'<link rel="preload" as="font" type="font/woff2" crossorigin href="{url}">'
        for url in [*(f'{base}/{name}' for name in wanted), icon_font_url()]
    )


def serve_assets() -> None:
    """Expose assets/ (icons, css) at /assets; nothing private lives there. The fonts are asked for with
    their content's hash (`?v=`), so browsers may keep them for a year."""
    app.add_static_files('/assets/fonts', ASSETS / 'fonts', max_cache_age=YEAR_SECONDS)
    app.add_static_files('/assets', ASSETS)


def configure_quasar() -> None:
    """App-wide Quasar settings, before the first page is served.

    Quasar's loading bar watches every XMLHttpRequest (Socket.IO's polling, audio) and flashes an
    unlabelled progress bar a screen reader announces as "progress bar"; the app shows its own
    progress where something takes time, so the bar is not hooked to requests.
    """
    app.config.quasar_config['loadingBar']['skipHijack'] = True
