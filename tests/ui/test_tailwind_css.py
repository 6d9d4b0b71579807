"""The precompiled Tailwind stylesheet matches the classes the pages use (NiceGUI's compiler is off)."""

import subprocess
import sys

from tests.app_process import ROOT


def test_tailwind_css_is_current() -> None:
    """Regenerating assets/tailwind.css from pages/ and ui/ changes nothing (a new class was built in)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / 'assets' / 'tailwind.py'), '--check'], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_stylesheet_has_the_utilities_the_frame_uses() -> None:
    """A utility the page frame relies on (`max-w-4xl`) is in the built file, in Tailwind's layer."""
    css = (ROOT / 'assets' / 'tailwind.css').read_text(encoding='utf-8')
    assert '@layer utilities' in css
    assert '.max-w-4xl{' in css
