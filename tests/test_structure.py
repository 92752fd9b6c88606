"""Rules of the code base that a reviewer would otherwise have to remember."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [path for folder in ('ui', 'pages', 'components', 'db', 'services', 'api', 'bench', 'tests')
           for path in (ROOT / folder).rglob('*.py')] + [ROOT / 'main.py', ROOT / 'cli.py', ROOT / 'settings.py']
FACES = ('ui', 'components', 'pages', 'api', 'nicegui')  # what the services may never import
MIGRATION_LIBRARIES = ('alembic', 'sqlalchemy', 'sqlmodel')  # besides the standard library
DYNAMIC_IMPORTS = ('import_module', '__import__', 'files')  # called with a module name: importlib, importlib.resources


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((f'from {node.module}', node.lineno))
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module of `from … import …`, relative ones resolved against the file's package."""
    if not node.level:
        return node.module or ''
    base = package.split('.')[:len(package.split('.')) - node.level + 1]
    return '.'.join([*base, *([node.module] if node.module else [])])


def _called(node: ast.Call) -> str:
    function = node.func
    return function.id if isinstance(function, ast.Name) else function.attr if isinstance(function, ast.Attribute) \
        else ''


def _modules(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports, as an absolute dotted name: import statements at any depth (inside functions
    too), relative ones resolved, and `import_module`, `__import__` or `files` called with a literal module name."""
    package = '.'.join(path.relative_to(ROOT).parts[:-1])
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((_absolute(node, package), node.lineno))
        elif isinstance(node, ast.Call) and _called(node) in DYNAMIC_IMPORTS and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.append((node.args[0].value, node.lineno))
    return found


def _top(module: str) -> str:
    return module.split('.')[0]


def test_no_module_imports_the_ui_package_by_name():
    """`import ui` would shadow `from nicegui import ui`; write `from ui.layout import frame` instead."""
    offenders = [f'{path.relative_to(ROOT)}:{line}' for path in SOURCES for name, line in _imports(path)
                 if name == 'ui' or name.startswith('ui.')]
    assert offenders == []


def test_services_and_db_never_import_nicegui():
    offenders = [f'{path.relative_to(ROOT)}:{line}' for folder in ('services', 'db')
                 for path in (ROOT / folder).rglob('*.py') for name, line in _imports(path)
                 if 'nicegui' in name]
    assert offenders == []


def test_services_never_import_the_faces():
    """Services hold the rules and return data and message keys: the shell, widgets, pages and API translate and
    format, and NiceGUI stays out of them (imports at any depth, `from x import y` included)."""
    offenders = [f'{path.relative_to(ROOT)}:{line} {name}' for path in (ROOT / 'services').rglob('*.py')
                 for name, line in _modules(path) if _top(name) in FACES]
    assert offenders == []


def test_migrations_import_nothing_of_the_app():
    """A migration must not change when the app does: only the standard library, Alembic, SQLAlchemy and SQLModel
    (what a revision needs of the app is copied into it, frozen)."""
    allowed = {*sys.stdlib_module_names, *MIGRATION_LIBRARIES}
    offenders = [f'{path.relative_to(ROOT)}:{line} {name}'
                 for path in (ROOT / 'db' / 'migrations' / 'versions').glob('*.py')
                 for name, line in _modules(path) if _top(name) not in allowed]
    assert offenders == []


def test_components_never_touch_the_database():
    offenders = [f'{path.relative_to(ROOT)}:{line}' for path in (ROOT / 'components').rglob('*.py')
                 for name, line in _imports(path) if name.startswith(('from db', 'from services', 'sqlmodel'))]
    assert offenders == []


def test_translations_have_the_same_keys_in_french_and_english():
    from ui.i18n import catalog

    assert set(catalog('fr')) == set(catalog('en'))
    assert all(catalog('fr').values()) and all(catalog('en').values())
