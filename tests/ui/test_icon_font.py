"""The Material Icons subset (assets/icons.py) has every icon the app draws, and only those."""

import subprocess
import sys

from fontTools.ttLib import TTFont

from services.scenarios import SCENARIOS
from tests.app_process import ROOT

sys.path.insert(0, str(ROOT / 'assets'))  # assets/ is no package: its build scripts run as files
import icons


def test_icon_subset_has_every_icon_the_code_names() -> None:
    """`assets/icons.py --check` finds no icon name in pages/, ui/ or the gallery missing from the subset."""
    result = subprocess.run(
        [sys.executable, str(ROOT / 'assets' / 'icons.py'), '--check'], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_gallery_and_quasar_icons_draw_from_the_subset() -> None:
    """The gallery's icons, the frame's, and the arrows and clear buttons Quasar draws itself are in it."""
    names = set(icons.ligatures(TTFont(icons.OUTPUT)))
    assert {scenario.icon for scenario in SCENARIOS} <= names
    assert {'record_voice_over', 'menu', 'send', 'expand_more', 'visibility'} <= names
    assert {'arrow_drop_down', 'cancel', 'keyboard_arrow_down', 'close'} <= names


def test_the_subset_is_a_small_part_of_the_full_font() -> None:
    """Icons nobody uses were dropped: the file is under 16 KB, NiceGUI's is 129 KB with 2,234 icons."""
    subset = TTFont(icons.OUTPUT)
    assert icons.OUTPUT.stat().st_size < 16_000
    assert len(icons.ligatures(subset)) < 300
    assert 'pets' not in icons.ligatures(subset)
    assert 'pets' in icons.ligatures(TTFont(icons.nicegui_font()))
