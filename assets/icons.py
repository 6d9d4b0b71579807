"""Build assets/fonts/material-icons.woff2: NiceGUI's Material Icons font cut down to the icons the app draws.

The full font is 129 KB and every page loads it before its first icon shows; on a phone's slow link it
competes with Quasar's JavaScript (Lighthouse's mobile preset). It is a ligature font: the text
"expand_more" is drawn as one glyph by a substitution rule, so the subset keeps the letters, the glyphs of
the wanted icons and only their rules (no layout closure: the rules of every other icon are dropped).

Wanted: every string in pages/, ui/ and services/scenarios.py (the gallery's icons) that names an icon,
also as `icon=<name>` inside a props string, and Quasar's own icon set (a select's arrow, a field's clear
button, a table's pager...). ui/theme.py serves the file in place of NiceGUI's.

    python assets/icons.py          # rewrite assets/fonts/material-icons.woff2 (after using a new icon)
    python assets/icons.py --check  # exit 1 when an icon the code uses is missing (tests do this)
"""

import ast
import io
import re
import sys
from pathlib import Path

import nicegui
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / 'assets' / 'fonts' / 'material-icons.woff2'
SOURCES = (ROOT / 'pages', ROOT / 'ui', ROOT / 'services' / 'scenarios.py')
NICEGUI_STATIC = Path(nicegui.__file__).parent / 'static'
LETTERS = '0123456789_abcdefghijklmnopqrstuvwxyz'  # what icon names are spelt with
PROPS_ICON = re.compile(r'\bicon=([a-z0-9_]+)')


def build() -> bytes:
    """The subset font (woff2) for the icons the sources use today."""
    font = TTFont(nicegui_font(), recalcTimestamp=False)
    glyphs = ligatures(font)
    options = subset.Options()
    options.flavor = 'woff2'
    options.layout_closure = False  # keep only the ligatures whose icon glyph is kept
    options.layout_features = ['*']
    options.name_IDs = ['*']  # the licence and copyright notices stay in the file
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=[glyphs[name] for name in wanted_icons(glyphs)], text=LETTERS)
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def wanted_icons(known: dict[str, str] | set[str]) -> list[str]:
    """The icon names the app can show: names in the sources, and Quasar's icon set (only names in `known`)."""
    names = set(quasar_icon_set())
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
                names.update(PROPS_ICON.findall(node.value))
    return sorted(name for name in names if name in known)


def ligatures(font: TTFont) -> dict[str, str]:
    """Icon name → glyph name, read from the font's ligature rules."""
    letters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    names = {}
    for lookup in font['GSUB'].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, 'ExtSubTable', table)
            for first, rules in getattr(table, 'ligatures', {}).items():
                for rule in rules:
                    name = ''.join(letters.get(glyph, '\0') for glyph in (first, *rule.Component))
                    names[name] = rule.LigGlyph
    return names


def nicegui_font() -> Path:
    """NiceGUI's Material Icons file (its name is a hash, so it is read from NiceGUI's fonts.css)."""
    css = (NICEGUI_STATIC / 'fonts.css').read_text(encoding='utf-8')
    face = re.search(r'font-family: "Material Icons";[^}]*?url\(([^)]+)\)', css)
    assert face, "NiceGUI's fonts.css has no Material Icons face"
    return NICEGUI_STATIC / face[1]


def quasar_icon_set() -> list[str]:
    """The names in Quasar's default icon set (material-icons), which its components draw by themselves."""
    script = (NICEGUI_STATIC / 'quasar.umd.prod.js').read_text(encoding='utf-8')
    icon_set = re.search(r'name:"material-icons",(.*?)\};', script)
    assert icon_set, "Quasar's material-icons icon set was not found"
    return re.findall(r'"([a-z0-9_]+)"', icon_set[1])


def _python_files() -> list[Path]:
    return [path for source in SOURCES for path in ([source] if source.is_file() else source.rglob('*.py'))]


if __name__ == '__main__':
    if '--check' in sys.argv:
        subset_font = TTFont(OUTPUT)
        missing = sorted(set(wanted_icons(ligatures(TTFont(nicegui_font())))) - set(ligatures(subset_font)))
        if missing:
            sys.exit(f'assets/fonts/material-icons.woff2 lacks {missing}: run `python assets/icons.py`')
    else:
        OUTPUT.parent.mkdir(exist_ok=True)
        OUTPUT.write_bytes(build())
