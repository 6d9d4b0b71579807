"""Finds visible English text that does not go through the catalogue (string literals in UI calls)."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSLATING = {'_', 'ngettext', 'lazy_text', 'lazy_plural'}
# Calls whose string arguments are never shown as text: styling, wiring, logging, JavaScript, URLs.
NOT_TEXT = {
    'classes', 'props', 'style', 'tailwind', 'on', 'mark', 'add_css', 'add_head_html', 'add_body_html',
    'run_javascript', 'navigate', 'to', 'icon', 'query', 'element', 'debug', 'info', 'warning', 'error',
    'exception', 'critical', 'get', 'startswith', 'endswith', 'split', 'join', 'format', 'replace',
    'strip', 'getattr', 'setattr', 'hasattr', 'isinstance', 'open', 'read_text', 'download', 'page',
    'get_by_role', 'timer', 'bind_visibility_from', 'bind_text_from', 'bind_value', 'set_source', 'image',
    'audio', 'html_escape', 'escape', 'quote', 'urlencode', 'strftime', 'Heading', 'TextElement', 'colors',
    'add_static_files', 'fromisoformat', 'compile', 'match', 'search', 'sub', 'fullmatch', 'dataclass',
    'field', 'Field', 'Path', 'dict', 'set', 'frozenset', 'partial', 'lower', 'upper', 'encode', 'decode',
    'datetime', 'date', 'time', 'timedelta', 'ZoneInfo', 'storage', 'update', 'setdefault', 'pop',
    'RedirectResponse', 'HTTPException', 'Response', 'JSONResponse', 'notify_target', 'call_api_method',
    'run_method', 'keyboard', 'upload_props', 'emit', 'send', 'markdown_html', 'sanitize', 'catalogue_text',
    'TypeVar',
}  # fmt: skip
# Keyword arguments that are not text.
NOT_TEXT_KEYWORDS = {
    'icon',
    'color',
    'target',
    'tag',
    'key',
    'type',
    'position',
    'align',
    'size',
    'name',
    'field',
}
# Proper names that read the same in every language.
NAMES = {
    'SpeakRoom',
    'GitHub',
    'Kakao',
    'OpenAI',
    'Anki',
    'CSV',
    'JSON',
    'English',
    '한국어',
    '日本語',
    'A1',
    'C2',
}
PROPS_TEXT = re.compile(
    r"""(?:aria-label|label|placeholder|title|hint|aria-description|caption)=["']?([A-Z][^"']*)"""
)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f'{self.path}:{self.line}: {self.text!r}'


def looks_visible(text: str) -> bool:
    """English words meant for a person: a capitalised word or sentence, not a class list or an id."""
    text = text.strip()
    if not text or text in NAMES or text.startswith(('/', 'http', '#', '.', 'data:')):
        return False
    return bool(re.match(r'[A-Z][a-z\' ]', text) or (re.search(r'[a-z]{2,}[.?!…:]$', text) and ' ' in text))


def scan(paths: list[Path]) -> list[Finding]:
    findings: list[Finding] = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding='utf-8'))
        relative = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                findings += _call_findings(relative, node)
            elif isinstance(node, ast.Return) and node.value is not None:
                findings += _literals(relative, node.value)
            elif isinstance(node, ast.JoinedStr):  # Babel cannot extract a message from inside an f-string
                findings += [
                    Finding(
                        relative, inner.lineno, f'{_name(inner.func)}() inside an f-string is not extracted'
                    )
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Call) and _name(inner.func) in TRANSLATING
                ]
        for statement in tree.body:  # module-level tables of labels
            if (
                isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign)
                and statement.value is not None
            ):
                findings += _literals(relative, statement.value)
    return sorted(set(findings), key=lambda finding: (finding.path, finding.line))


def _call_findings(path: str, call: ast.Call) -> list[Finding]:
    name = _name(call.func)
    if name in TRANSLATING:
        first = call.args[0] if call.args else None
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            return [Finding(path, call.lineno, f'{name}() of something that is not a string literal')]
        return []
    if name in {'props'}:
        return [
            Finding(path, call.lineno, match)
            for argument in call.args
            for constant in _constants(argument)
            for match in PROPS_TEXT.findall(constant.value)
        ]
    if name in NOT_TEXT:
        return []
    found = []
    for argument in call.args:
        found += _literals(path, argument)
    for keyword in call.keywords:
        if keyword.arg not in NOT_TEXT_KEYWORDS:
            found += _literals(path, keyword.value)
    return found


def _literals(path: str, node: ast.AST) -> list[Finding]:
    return [
        Finding(path, constant.lineno, constant.value)
        for constant in _constants(node)
        if looks_visible(constant.value)
    ]


def _constants(node: ast.AST) -> list[ast.Constant]:
    """String constants in `node`, not looking inside calls (each call is judged on its own) or dict keys."""
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) else []
    if isinstance(node, ast.Call | ast.Lambda | ast.Compare | ast.Subscript):
        return []
    if isinstance(node, ast.Dict):
        return [constant for value in node.values if value is not None for constant in _constants(value)]
    return [constant for child in ast.iter_child_nodes(node) for constant in _constants(child)]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ''
