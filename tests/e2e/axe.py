"""axe-core (Deque's accessibility engine, installed from npm by `make test`) run inside a Playwright page."""

from pathlib import Path

from playwright.sync_api import Page

from tests.app_process import ROOT

AXE_SCRIPT = ROOT / '.cache' / 'npm' / 'node_modules' / 'axe-core' / 'axe.min.js'
# WCAG 2.0 and 2.1, levels A and AA, plus the two structure rules the product asks for
# (a level-one heading and a main landmark on every page).
WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
STRUCTURE_RULES = [
    'page-has-heading-one',
    'landmark-one-main',
    'landmark-no-duplicate-main',
    'landmark-main-is-top-level',
]


def violations(page: Page) -> list[str]:
    """One line per axe violation on the page as it is now (empty when it passes)."""
    if not AXE_SCRIPT.exists():
        raise RuntimeError(f'{AXE_SCRIPT} is missing: run `make test` (it installs axe-core from npm)')
    # evaluate() runs in the page's own world whatever its Content-Security-Policy says.
    page.evaluate(_axe_source(AXE_SCRIPT))
    found = []
    for options in (
        {'runOnly': {'type': 'tag', 'values': WCAG_TAGS}},
        {'runOnly': {'type': 'rule', 'values': STRUCTURE_RULES}},
    ):
        result = page.evaluate('(options) => axe.run(document, options)', options)
        for violation in result['violations']:
            for node in violation['nodes']:
                found.append(
                    f'{violation["id"]}: {node["target"]} {node["html"][:200]} {node.get("failureSummary", "")}'.strip()
                )
    return found


_cache: dict[Path, str] = {}


def _axe_source(path: Path) -> str:
    if path not in _cache:
        _cache[path] = path.read_text(encoding='utf-8')
    return _cache[path]
