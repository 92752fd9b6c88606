"""Rules of the code base that a reviewer would otherwise have to remember."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [path for folder in ('ui', 'pages', 'components', 'db', 'services', 'api', 'bench', 'tests')
           for path in (ROOT / folder).rglob('*.py')] + [ROOT / 'main.py', ROOT / 'cli.py', ROOT / 'settings.py']


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((f'from {node.module}', node.lineno))
    return found


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


def test_components_never_touch_the_database():
    offenders = [f'{path.relative_to(ROOT)}:{line}' for path in (ROOT / 'components').rglob('*.py')
                 for name, line in _imports(path) if name.startswith(('from db', 'from services', 'sqlmodel'))]
    assert offenders == []


def test_translations_have_the_same_keys_in_french_and_english():
    from ui.i18n import catalog

    assert set(catalog('fr')) == set(catalog('en'))
    assert all(catalog('fr').values()) and all(catalog('en').values())
