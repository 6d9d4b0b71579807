"""The import direction of the layers: pages → ui, services; api → services; services → db."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ('ui', 'pages', 'api', 'services', 'db', 'migrations', 'i18n')
# Which project layers each layer may import (third-party imports are always allowed).
ALLOWED = {
    'ui': {'ui', 'i18n'},
    'pages': {'pages', 'ui', 'services', 'i18n'},
    'api': {'api', 'services', 'i18n'},
    'services': {'services', 'db', 'i18n'},
    'db': {'db'},
    'migrations': {'migrations', 'db'},
    'i18n': {'i18n'},  # the translations: a leaf every layer that shows text may use
}
PROJECT_TOP_LEVEL = {*LAYERS, 'main', 'manage', 'tests', 'bench'}


def project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level project package) for every import in the file, including function-level ones."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            (node.lineno, name.split('.')[0]) for name in names if name.split('.')[0] in PROJECT_TOP_LEVEL
        ]
    return found


def layer_files(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob('*.py'))


@pytest.mark.parametrize('layer', LAYERS)
def test_layer_imports_point_the_right_way(layer: str) -> None:
    """No module imports a layer it must not depend on."""
    violations = [
        f'{path.relative_to(ROOT)}:{line} imports {target}'
        for path in layer_files(layer)
        for line, target in project_imports(path)
        if target not in ALLOWED[layer]
    ]
    assert not violations, '\n'.join(violations)


def test_only_the_composition_root_imports_pages() -> None:
    """Pages are leaves: only main.py wires them in."""
    importers = [
        str(path.relative_to(ROOT))
        for layer in ('ui', 'api', 'services', 'db', 'migrations', 'i18n')
        for path in layer_files(layer)
        if any(target == 'pages' for _, target in project_imports(path))
    ]
    assert not importers


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The parser catches a wrong-way import, also inside a function."""
    module = tmp_path / 'bad.py'
    module.write_text('def f():\n    from pages.rooms import rooms_page\n    import db.engine\n')
    assert project_imports(module) == [(2, 'pages'), (3, 'db')]


def test_files_stay_small() -> None:
    """Project modules stay under ~300 lines (a sign a module does one thing)."""
    too_long = [
        f'{path.relative_to(ROOT)} ({count} lines)'
        for layer in LAYERS
        for path in layer_files(layer)
        if (count := len(path.read_text(encoding='utf-8').splitlines())) > 320
    ]
    assert not too_long
