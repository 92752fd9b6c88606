from nicegui import ui


def responsive_grid(columns: int) -> ui.element:
    """One column on phones, two on tablets, `columns` from large screens. (`ui.grid(columns=…)` sets an inline
    style that breakpoint classes cannot override.)"""
    large = {2: 'sm:grid-cols-2', 3: 'sm:grid-cols-2 lg:grid-cols-3', 4: 'sm:grid-cols-2 lg:grid-cols-4'}[columns]
    return ui.element('div').classes(f'grid grid-cols-1 {large} gap-3 w-full')
