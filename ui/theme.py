"""Colours and global styles: one look for every screen."""

from nicegui import ui

PRIMARY = '#1d4e89'

GLOBAL_CSS = '''
body { background: #f5f7fb; }
.crm-card { border-radius: 12px; box-shadow: 0 1px 3px rgba(16, 24, 40, .08); }
.crm-page-title { font-size: 1.5rem; font-weight: 600; color: #0f172a; }
.crm-muted { color: #64748b; }
.q-drawer .q-item.crm-nav-active { background: rgba(29, 78, 137, .10); color: #1d4e89; font-weight: 600; }
.q-table th { font-weight: 600; color: #334155; }
'''


def apply_theme() -> None:
    ui.colors(primary=PRIMARY, secondary='#0f766e', accent='#7c3aed', positive='#15803d', negative='#b91c1c',
              warning='#b45309', info='#0369a1')
    ui.add_css(GLOBAL_CSS)
    ui.query('body').classes('text-slate-800')
