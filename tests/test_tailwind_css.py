"""The committed Tailwind CSS (ui/tailwind/tailwind.css, built by `make css`) must define every class the screens
use: a class missing from it, from Quasar's and NiceGUI's CSS and from the project's own CSS would silently do
nothing in the browser, which no longer compiles Tailwind itself. Run `make css` when this test fails."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import nicegui

ROOT = Path(__file__).resolve().parents[1]
TAILWIND_CSS = ROOT / 'ui' / 'tailwind' / 'tailwind.css'
NICEGUI_CSS = sorted((Path(nicegui.__file__).parent / 'static').glob('*.css'))  # Quasar's, NiceGUI's
SOURCES = sorted(path for folder in ('ui', 'pages', 'components') for pattern in ('*.py', '*.js')
                 for path in (ROOT / folder).rglob(pattern))

CLASS_KEYS = ('classes', 'headerClasses')  # table columns: {'classes': …, 'headerClasses': …}
CLASS_ATTRIBUTE = re.compile(r'''(?<![\w:.-])(?:[a-z]+-)*class=(["'])(.*?)\1''')  # class="…", header-class="…"
BOUND_CLASS = re.compile(r':class="(.*?)"')  # Vue: :class="{'a': x}", :class="x ? 'b c' : ''"
QUOTED = re.compile(r"'([^'{}]*)'")
COMPARED = re.compile(r"[!=]==?\s*'[^']*'|'[^']*'\s*[!=]==?")  # `x === 'failed'`: a value compared, not a class
CLASS_SELECTOR = re.compile(r'\.((?:\\.|[\w-])+)')
HOLE = '\0'  # where a class string has a part known only at run time

# Classes that need no CSS of their own, and why.
ALLOWED = {
    'crm-kanban': "names the board's root: no style of its own",
    'crm-kanban-title': "names a board card's title: no style of its own",
    'crm-kanban-pending': 'marks a card on its way to another column: no style of its own',
    'q-card--flat': "the class Quasar gives a flat QCard, copied by the board's plain cards: Quasar has no CSS for it",
    'notranslate': 'the class Quasar gives its icons, copied by the plain icons: keeps translators off the ligature',
}


def css_classes(css: str) -> set[str]:
    """The class names in the selectors of a style sheet (declarations and at-rule preludes left aside)."""
    css = re.sub(r'/\*.*?\*/', '', css, flags=re.DOTALL)
    found = set()
    for prelude in re.findall(r'(?:^|(?<=[{};]))\s*([^{};]+)(?=\{)', css):
        if prelude.lstrip().startswith('@'):
            continue
        prelude = re.sub(r'(?<!\\)\[(?:\\.|[^\]\\])*\]', '', prelude)  # attribute selectors, not .w-\[5rem\]
        found |= {re.sub(r'\\(.)', r'\1', name) for name in CLASS_SELECTOR.findall(prelude)}
    return found


def _templates(node: ast.expr, constants: dict[str, str]) -> list[str]:
    """The strings an expression can give, with HOLE for the parts known only at run time:
    `f'text-{color} font-bold'` gives 'text-\\0 font-bold', `'a' if x else 'b'` gives 'a' and 'b'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.JoinedStr):
        return [''.join(part.value if isinstance(part, ast.Constant) else HOLE for part in node.values)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        rights = _templates(node.right, constants)
        return [left + right for left in _templates(node.left, constants) for right in rights]
    if isinstance(node, ast.IfExp):
        return _templates(node.body, constants) + _templates(node.orelse, constants)
    return [HOLE]


def _class_expressions(tree: ast.Module) -> Iterator[ast.expr]:
    """What is given as classes: `.classes(…)` (add= and replace= too), `classes=…`, `'classes': …` in a dict."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute) and function.attr == 'classes':
                yield from node.args[:1]
                yield from (keyword.value for keyword in node.keywords if keyword.arg in ('add', 'replace'))
            yield from (keyword.value for keyword in node.keywords if keyword.arg == 'classes')
        elif isinstance(node, ast.Dict):
            yield from (value for key, value in zip(node.keys, node.values, strict=True)
                        if isinstance(key, ast.Constant) and key.value in CLASS_KEYS)


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets if isinstance(target, ast.Name)}


def _python_class_strings(path: Path) -> tuple[list[str], list[str]]:
    """The class strings of a Python file, and its own style sheets (module constants named …_CSS)."""
    tree = ast.parse(path.read_text(encoding='utf-8'))
    constants = _module_constants(tree)
    strings = [template for node in _class_expressions(tree) for template in _templates(node, constants)]
    for node in ast.walk(tree):  # HTML templates (table slots) and Quasar's …-class props
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings += _template_class_strings(node.value)
    return strings, [css for name, css in constants.items() if name.endswith('_CSS')]


def _template_class_strings(template: str) -> list[str]:
    """The class strings of an HTML or Vue template: class="…" (and Quasar's …-class="…"), and the quoted
    strings of :class="…" bindings."""
    return [match.group(2) for match in CLASS_ATTRIBUTE.finditer(template)] \
        + [string for binding in BOUND_CLASS.findall(template)
           for string in QUOTED.findall(COMPARED.sub('', binding))]


def used_classes() -> tuple[dict[str, set[str]], set[str]]:
    """Each whole class token the sources give to the browser, with the files that use it; and the classes the
    project's own style sheets define."""
    used: dict[str, set[str]] = {}
    own: set[str] = set()
    for path in SOURCES:
        if path.suffix == '.py':
            strings, sheets = _python_class_strings(path)
            own |= {name for sheet in sheets for name in css_classes(sheet)}
        else:
            strings = _template_class_strings(path.read_text(encoding='utf-8'))
        for token in (token for string in strings for token in string.split()):
            if HOLE not in token and '{{' not in token:
                used.setdefault(token, set()).add(str(path.relative_to(ROOT)))
    return used, own


def test_the_committed_tailwind_css_defines_every_class_the_screens_use():
    used, own = used_classes()
    known = css_classes(TAILWIND_CSS.read_text(encoding='utf-8')) | own | set(ALLOWED)
    for sheet in NICEGUI_CSS:
        known |= css_classes(sheet.read_text(encoding='utf-8'))
    unknown = {token: sorted(files) for token, files in sorted(used.items()) if token not in known}
    assert unknown == {}, 'classes without CSS: run `make css` (or fix the class names)'


def test_the_scan_finds_the_classes_of_every_kind_of_source():
    """A guard for the test itself: each way of giving classes is seen, whole tokens only."""
    used, own = used_classes()
    assert {'crm-card', 'crm-nav-active'} <= own
    assert 'sm:w-44' in used  # HALF + ' sm:w-44'
    assert 'basis-[36rem]' in used  # f'{CARD} basis-[36rem]'
    assert 'line-through' in used  # 'text-sm' + (' line-through opacity-60' if … else '')
    assert 'headerClasses' not in used and 'gt-md' in used  # table columns
    assert 'hover:underline' in used  # class="…" in a table slot
    assert 'min-h-0' in used  # header-class="…" in props
    assert 'crm-kanban-column' in used and 'text-inherit' in used  # class="…" in the .js components
    assert 'cursor-grab' in used and 'crm-link-row--dense' in used  # :class="…" in the .js components
    assert not any(token.startswith(('text-', 'bg-')) and token.endswith('-') for token in used)  # f'text-{color}'
